#!/bin/sh
# Kiosk smoke test: the staff PIN set at the terminal (alliance-kiosk set-pin),
# then the real alliance-kiosk in a real X window (run it under xvfb-run), a
# registration typed with Tab, Shift+Tab, Space and Enter alone through
# xdotool (it prints the keystrokes and the time taken), then SIGTERM and a
# check that the PIN's hash and the member, every field as typed, are in
# the database.
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
wait_screen welcome
# "é" is pressed as its key of a French second group (the way a person
# types it): `xdotool type` would bind it to a spare key for an instant, and
# a kiosk busy drawing can read that key after it is unbound and get no
# character (xdotool's man page, BUGS).
setxkbmap -layout us,fr -option "" || fail "setxkbmap cannot load us,fr"
xdotool key shift
shot welcome

# The whole registration with Tab, Shift+Tab, Space and Enter only (and the
# text itself): Tab walks every control in reading order, Enter opens a
# drop-down and picks in it (Tab moves down its list), Space ticks a box.
# Keys go at xdotool's 60 ms with no pause; wait_screen waits (bounded) for
# each step to appear.
started=$(date +%s%N)
press Return # "Register" has focus
wait_screen register_personal
# Step 1: given name (focus), family name, gender, year of birth, country,
# phone, e-mail; Enter in the last field submits the step.
typ "${given%%é*}" # "Am", "é" by its key, "lie"
press eacute
typ "${given#*é}"
press Tab
typ "$family"
press Tab Return Tab Return # gender: open, "female" (after "Choose"), pick
press Tab
typ "1990"
press Tab Return # country: the list opens with its filter
typ "Kenya"
press Return # the first match
press Tab
typ "0722 555 678"
press Tab
typ "$email"
shot personal-filled
press Return
wait_screen register_work
# Step 2: region (focus), organisation, organisation type (2nd: NGO), role
# (3rd: case manager), years, qualification (4th: diploma), then Next.
typ "Kisumu"
press Tab
typ "Lake Region Child Welfare"
press Tab Return Tab Tab Return
press Tab Return Tab Tab Tab Return
press Tab
typ "7"
press Tab Return Tab Tab Tab Tab Return
press Tab Tab Tab Return # Back, Cancel, Next
wait_screen register_interests
# Step 3: the first interest has focus: tick it, Tab twice and tick the third,
# Shift+Tab back to the second and tick it; Tab on to e-updates, tick; Enter.
press space Tab Tab space shift+Tab space
press Tab Tab Tab Tab Tab Tab Tab Tab Tab space Return
wait_screen register_consent
press space Return
wait_screen register_review
press Return # "Save my registration" has focus
wait_screen register_saved
finished=$(date +%s%N)
elapsed_ms=$(((finished - started) / 1000000))
echo "kiosk-smoke: keyboard-only registration: $keystrokes keystrokes in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000))) s (xdotool --delay 60)"
check_layout
shot saved
import -window root "$out/kiosk-smoke.png" || fail "cannot take the screenshot"
echo "kiosk-smoke: screenshot of the saved screen: $out/kiosk-smoke.png"

# The kiosk ends cleanly, then the database must hold the member as typed.
stop_kiosk

"$checker" "$db" "$given" "$family" --staff-pin-set gender=female birth_year=1990 \
  country=KE phone=+254722555678 email="$email" region=Kisumu \
  organisation="Lake Region Child Welfare" organisation_type=ngo role=case_manager \
  years_experience=7 qualification=diploma \
  interest_groups=case_management,child_protection,workforce_planning e_updates=yes consent=yes ||
  fail "the registration typed into the window, or the staff PIN, is not in the database"
echo "kiosk-smoke: PASS"
