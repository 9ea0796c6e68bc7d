# Shared by the kiosk smoke tests (sourced, not run): a fresh home, starting
# the real kiosk and waiting for its window, keys with waits the kiosk can
# keep up with, screenshots, failing with the kiosk's own messages, and a
# clean SIGTERM. Every wait is bounded.
#
# The sourcing script sets `out` (where screenshots go) and `name` (used in
# messages and screenshot names) first.

work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-smoke-XXXXXX")
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "$name: FAIL: $*" >&2
  if [ -s "$work/kiosk.log" ]; then
    echo "$name: kiosk stderr:" >&2
    cat "$work/kiosk.log" >&2
  fi
  import -window root "$out/$name-failed.png" 2>/dev/null &&
    echo "$name: screen at failure: $out/$name-failed.png" >&2
  exit 1
}

step=0
shot() {
  step=$((step + 1))
  if [ "${SMOKE_SHOTS:-0}" = 1 ]; then import -window root "$out/$name-$step-$1.png"; fi
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

# start_kiosk KIOSK ARG...: starts it on $db and waits for its window (no
# window manager: it sits at 0,0), then gives it the keyboard.
start_kiosk() {
  kiosk_binary=$1
  shift
  "$kiosk_binary" --db "$db" "$@" >"$work/kiosk.log" 2>&1 &
  pid=$!
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
}

# SIGTERM ends the kiosk cleanly (bounded wait, exit status 0).
stop_kiosk() {
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
}
