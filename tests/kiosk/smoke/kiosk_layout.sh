#!/bin/sh
# Layout test at one screen size: the real alliance-kiosk under xvfb-run with
# a screen of that size, every screen a keyboard reaches from the welcome
# screen visited (public screens, the PIN pad, the staff menu and each staff
# screen), a screenshot of each kept, and each screen's primary actions,
# from the kiosk's layout log (ALLIANCE_KIOSK_LAYOUT_LOG), checked to lie
# inside the window and be visible without scrolling.
#
# usage: kiosk_layout.sh KIOSK OUT_DIR WIDTHxHEIGHT
#   Screenshots go to OUT_DIR/layout/WIDTHxHEIGHT-SCREEN.png.
set -eu
kiosk=$1
out=$2/layout
size=$3
mkdir -p "$out"

name=kiosk-layout-$size
. "$(dirname "$0")/smoke_lib.sh"

printf '246813\n246813\n' | "$kiosk" set-pin --db "$db" >"$work/set-pin.log" 2>&1 ||
  fail "set-pin refused a good PIN: $(cat "$work/set-pin.log")"
start_kiosk "$kiosk" --lang en

screens=0
# visit SCREEN [SUFFIX]: waits for it, checks its actions, takes its picture.
visit() {
  wait_screen "$1"
  check_layout
  import -window root "$out/$size-$1${2:-}.png" || fail "cannot take a screenshot of $1"
  screens=$((screens + 1))
}

visit welcome
press Return
visit register_personal
press Return # Next with nothing typed: the errors appear, the bar stays put
sleep 0.5
visit register_personal -errors
press Escape
visit welcome
press Tab Return
visit check_in
press Escape
visit welcome
press Tab Tab Return
visit request_requester
press Escape
visit welcome
press shift+Tab Return # staff mode, at the end of the language row
visit staff_pin
typ 246813
press Return
visit staff_home
# The staff menu: event, today, distribution, sync, export, settings; focus
# is on the first when the menu appears.
tabs=""
for screen in staff_event staff_today staff_distribution staff_sync staff_export staff_settings; do
  # shellcheck disable=SC2086 # $tabs is a list of keys
  press $tabs Return
  visit "$screen"
  press Escape
  visit staff_home
  tabs="$tabs Tab"
done
echo "$name: $screens screens, every primary action inside the window; screenshots in $out"
stop_kiosk
echo "$name: PASS"
