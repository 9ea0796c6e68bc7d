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

name=kiosk-smoke
. "$(dirname "$0")/smoke_lib.sh"

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

start_kiosk "$kiosk" --lang en
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

# The kiosk ends cleanly, then the database must hold the member as typed.
stop_kiosk

"$checker" "$db" "$given" "$family" --staff-pin-set ||
  fail "the registration typed into the window, or the staff PIN, is not in the database"
echo "kiosk-smoke: PASS"
