#!/bin/sh
# Typing names through keyboard layouts: the real alliance-kiosk in a real X
# window (run it under xvfb-run) with the XKB layouts a kiosk would get under
# cage (docs/OPERATIONS.md, "Keyboard layouts"): English plus Arabic, Amharic
# or Hindi (Devanagari). Three people register, each typing their name on
# the second layout's keys, and the database must then hold exactly those
# names. Screenshots of each review step stay in OUT_DIR.
#
# usage: kiosk_typing.sh KIOSK XKB_KEYCODES OUT_DIR
#
# How a key is typed: setxkbmap loads "us,<layout>"; xkb_keycodes confirms
# that every letter of the name is on a key of the second group (the test
# fails otherwise); then `xdotool key KEYSYM` presses that physical key with
# the group switched, as a person does after Alt+Shift. The X server turns
# key and group into the letter through the layout, and the kiosk gets it
# from the key event as it would from a keyboard.
set -eu
kiosk=$1
xkb_keycodes=$2
out=$3

name=kiosk-typing
. "$(dirname "$0")/smoke_lib.sh"

# The kiosk session's environment: no locale set (systemd gives cage none
# unless /etc/default/locale says so), so text must not depend on one.
unset LANG LC_ALL LC_CTYPE

start_kiosk "$kiosk" --lang en

# use_layout LAYOUT VARIANT: English first, LAYOUT second, Alt+Shift between.
use_layout() {
  setxkbmap -layout "us,$1" -variant ",$2" -option "" -option grp:alt_shift_toggle ||
    fail "setxkbmap cannot load us,$1 ($2)"
  # The keyboard device xdotool types with takes the new map at its next key.
  xdotool key shift
  sleep 0.5
}

# register LABEL EMAIL GIVEN_KEYSYMS FAMILY_KEYSYMS: one registration, the
# names typed in the second layout.
register() {
  label=$1
  email=$2
  given_keys=$3
  family_keys=$4
  # shellcheck disable=SC2086  # lists of keysyms
  "$xkb_keycodes" 2 $given_keys $family_keys >/dev/null ||
    fail "the $label layout does not have the keys for the name"
  # "Register" has focus on the welcome screen. (Arrow keys there move
  # spatially: Down then Up lands on a language button, not back on Register.)
  keys Return
  wait_screen register_personal
  # shellcheck disable=SC2086
  keys $given_keys
  keys Tab
  # shellcheck disable=SC2086
  keys $family_keys
  # Gender, year of birth, then the country: Enter opens its list, typing
  # filters it, Enter picks; Tab Tab to the e-mail.
  keys Tab Tab Tab Return
  type_text "Kenya"
  keys Return
  keys Tab Tab
  type_text "$email"
  keys Return
  shot "$label-work"
  type_text "Kisumu"
  keys Return
  keys Return
  keys space Return
  import -window root "$out/kiosk-typing-$label-review.png" || fail "cannot take a screenshot"
  keys Return
  wait_screen register_saved
  shot "$label-saved"
  # Done (focused) goes back to the welcome screen for the next person.
  keys Return
  wait_screen welcome
}

use_layout ara ""
register arabic typing.arabic@example.org \
  "Arabic_meem Arabic_hah Arabic_meem Arabic_dal" "Arabic_ain Arabic_lam Arabic_yeh"
use_layout et ""
register amharic typing.amharic@example.org "U12A0 U1260 U1260" "U12A8 U1260 U12F0"
use_layout in deva
register hindi typing.hindi@example.org \
  "U0938 U0941 U0928 U0940 U0924 U093E" "U0936 U0930 U094D U092E U093E"
echo "kiosk-typing: review screens: $out/kiosk-typing-{arabic,amharic,hindi}-review.png"

stop_kiosk

"$kiosk" export --db "$db" members --format json >"$work/members.json" ||
  fail "cannot export the members"
python3 - "$work/members.json" <<'PY' || fail "the names typed are not in the database as typed"
import json, sys
members = json.load(open(sys.argv[1], encoding="utf-8"))
wanted = [("محمد", "علي"), ("አበበ", "ከበደ"), ("सुनीता", "शर्मा")]
found = {(m.get("given_name"), m.get("family_name")) for m in members}
missing = [w for w in wanted if w not in found]
for given, family in missing:
    print(f"kiosk-typing: missing {given} {family} ({given.encode()!r} {family.encode()!r})",
          file=sys.stderr)
print("kiosk-typing: in the database:",
      "; ".join(f"{g} {f}" for g, f in sorted(found, key=str)), file=sys.stderr)
sys.exit(1 if missing or len(members) != len(wanted) else 0)
PY
echo "kiosk-typing: PASS"
