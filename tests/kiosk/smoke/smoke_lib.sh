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

# Keystrokes at xdotool's 60 ms, counted (a typed character is one), with no
# sleep after them: the kiosk queues every event, and wait_screen syncs.
keystrokes=0
press() {
  keystrokes=$((keystrokes + $#))
  xdotool key --delay 60 "$@"
}
typ() {
  keystrokes=$((keystrokes + $(printf '%s' "$1" | LC_ALL=C.UTF-8 wc -m)))
  xdotool type --delay 60 "$1"
}

# The kiosk writes where each screen's primary actions are drawn to this
# file (one line per action, each naming its screen) whenever they change.
layout_log="$work/layout.log"
export ALLIANCE_KIOSK_LAYOUT_LOG="$layout_log"

# The screen the kiosk drew last, by its layout log.
current_screen() {
  tail -n 1 "$layout_log" 2>/dev/null | sed -n 's/^screen=\([a-z_]*\) .*/\1/p'
}

# wait_screen NAME: until the kiosk draws that screen (bounded: 15 s).
wait_screen() {
  tries=0
  while [ "$(current_screen)" != "$1" ]; do
    [ "$tries" -lt 150 ] || fail "waited 15 s for the $1 screen; the kiosk shows $(current_screen)"
    tries=$((tries + 1))
    sleep 0.1
  done
  sleep 0.2  # the frames after the change settle (focus, popups)
}

# check_layout: every primary action of the current screen, in the last
# record of it, lies inside the display and is visible (not scrolled away or
# clipped).
check_layout() {
  screen_now=$(current_screen)
  awk -v screen="$screen_now" '
    $1 != "screen=" screen { next }
    $3 == "end" { last = block; block = ""; next }
    { block = block $0 "\n" }
    END {
      n = split(last, lines, "\n"); bad = 0; seen = 0
      for (i = 1; i <= n; i++) {
        if (lines[i] == "") continue
        split(lines[i], f, " "); split(f[2], d, "="); split(d[2], wh, "x"); split(f[4], r, /[=,]/)
        seen = 1
        if (f[5] != "visible=yes" || r[2] < 0 || r[3] < 0 || r[4] > wh[1] || r[5] > wh[2]) {
          print "off screen: " lines[i]; bad = 1
        }
      }
      if (!seen) { print "no primary action recorded for " screen; exit 1 }
      exit bad
    }' "$layout_log" || fail "a primary action of $screen_now is outside the window"
}

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
