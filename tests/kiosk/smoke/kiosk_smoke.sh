#!/bin/sh
# Kiosk smoke test: the staff PIN set at the terminal (alliance-kiosk set-pin),
# then the real alliance-kiosk in a real X window (run it under xvfb-run), a
# registration typed with the keyboard alone through xdotool, then SIGTERM and
# a check that the member and the PIN's hash are in the database.
#
# usage: kiosk_smoke.sh KIOSK CHECKER OUT_DIR
#   OUT_DIR receives kiosk-smoke.png (the saved screen) and, with
#   SMOKE_SHOTS=1 in the environment, a screenshot after every step.
set -eu
kiosk=$1
checker=$2
out=$3

given="Amélie"
family="Okonkwo-Smoke"
email="amelie.smoke@example.org"

work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-smoke-XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "kiosk-smoke: FAIL: $*" >&2
  if [ -s "$work/kiosk.log" ]; then
    echo "kiosk-smoke: kiosk stderr:" >&2
    cat "$work/kiosk.log" >&2
  fi
  import -window root "$out/kiosk-smoke-failed.png" 2>/dev/null &&
    echo "kiosk-smoke: screen at failure: $out/kiosk-smoke-failed.png" >&2
  exit 1
}

step=0
shot() {
  step=$((step + 1))
  if [ "${SMOKE_SHOTS:-0}" = 1 ]; then import -window root "$out/kiosk-smoke-$step-$1.png"; fi
}

# Keys go through XTEST to the focused window; each key waits a little so
# the kiosk, which draws only on events, has settled before the next. Software
# OpenGL on a busy machine can take 100 ms a frame: SMOKE_PACE scales the waits.
pace=${SMOKE_PACE:-1}
keys() { xdotool key --delay $((150 * pace)) "$@"; sleep $((1 * pace)); }
type_text() { xdotool type --delay $((60 * pace)) "$1"; sleep $((1 * pace)); }

# A fresh database and home: nothing of the machine's own kiosk is touched.
export HOME="$work" XDG_DATA_HOME="$work/data"
db="$work/kiosk.db"

# A kiosk that was never enrolled gets its first staff PIN only at its
# terminal: set-pin reads it twice, refuses a 4-digit one and two that differ.
if printf '2468\n2468\n' | "$kiosk" set-pin --db "$db" >"$work/set-pin.log" 2>&1; then
  fail "set-pin accepted a 4-digit PIN"
fi
if printf '246813\n246831\n' | "$kiosk" set-pin --db "$db" >"$work/set-pin.log" 2>&1; then
  fail "set-pin accepted two different PINs"
fi
printf '246813\n246813\n' | "$kiosk" set-pin --db "$db" >"$work/set-pin.log" 2>&1 ||
  fail "set-pin refused a good PIN: $(cat "$work/set-pin.log")"

"$kiosk" --db "$db" --lang en >"$work/kiosk.log" 2>&1 &
pid=$!

# Bounded wait for the window (no window manager: it sits at 0,0).
wid=""
tries=0
while [ -z "$wid" ]; do
  kill -0 "$pid" 2>/dev/null || fail "the kiosk exited before its window appeared"
  [ "$tries" -lt 100 ] || fail "no kiosk window after 10 s"
  wid=$(xdotool search --onlyvisible --name '^Alliance Field Kit$' 2>/dev/null | head -n 1 || true)
  tries=$((tries + 1))
  sleep 0.1
done
xdotool windowfocus --sync "$wid" || fail "cannot focus the kiosk window"
sleep 0.5
shot welcome

# Welcome: "Register" is where the keyboard starts; Down then Up lands on it
# whether or not keyboard navigation was already showing. Enter presses it.
keys Down Up Return
shot personal

# Step 1, personal. The given name has focus; Tab moves between text fields
# (family name, then year of birth); Down leaves a field for the next widget
# (the country list); Space opens the list, typing filters it, Down + Space
# picks Kenya. Down Down reaches the e-mail field, Enter edits it, and Enter
# in a field submits the step.
type_text "$given"
keys Tab
type_text "$family"
keys Tab Down space
type_text "Kenya"
keys Down space
keys Down Down Return
type_text "$email"
shot personal-filled
keys Return
shot work

# Step 2, work: the region field has focus; everything else is optional.
type_text "Kisumu"
keys Return
shot interests

# Step 3, interests (optional): Enter on the list submits the step.
keys Return
shot consent

# Step 4, consent: Space ticks the box, Enter submits.
keys space Return
shot review

# Step 5, review: Enter on "Save my registration" saves; the saved screen
# shows the reference code.
keys Return
sleep 1
shot saved
import -window root "$out/kiosk-smoke.png" || fail "cannot take the screenshot"
echo "kiosk-smoke: screenshot of the saved screen: $out/kiosk-smoke.png"

# SIGTERM ends the kiosk cleanly (bounded wait), then the database must hold
# the member as typed.
kill -TERM "$pid"
tries=0
while kill -0 "$pid" 2>/dev/null; do
  [ "$tries" -lt 100 ] || fail "the kiosk did not exit within 10 s of SIGTERM"
  tries=$((tries + 1))
  sleep 0.1
done
status=0
wait "$pid" || status=$?
pid=""
[ "$status" -eq 0 ] || fail "the kiosk exited with status $status after SIGTERM"

"$checker" "$db" "$given" "$family" --staff-pin-set ||
  fail "the registration typed into the window, or the staff PIN, is not in the database"
echo "kiosk-smoke: PASS"
