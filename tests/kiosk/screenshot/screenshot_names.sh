#!/bin/sh
# Screenshot test: a name in every script on the review step and in the
# staff list, drawn by the kiosk's own renderer in a real window (run under
# xvfb-run), each compared with hb-view's rendering of the same text in the
# same Noto face (HarfBuzz + FreeType + cairo, outside the kiosk), and with
# renderings of what goes wrong: glyphs missing (tofu boxes, as without the
# right font, and '?', as ImGui's own font showed them), letters not shaped
# (joiners removed: Arabic isolated forms, Indic clusters apart), and the
# wrong order (reversed, and right-to-left text laid out left to right).
# A name passes when the kiosk's pixels match the right rendering and match
# it clearly better than every wrong one (compare_text says how).
#
# usage: screenshot_names.sh RENDER_NAMES COMPARE_TEXT OUT_DIR
# Leaves OUT_DIR/screenshots/: the screens (review-<script>.png, today.png,
# and review-right-to-left.png from a test-only Arabic table, to look at)
# and, per name, the cut of the screen and the renderings compared with it.
set -eu
render=$1
compare=$2
out=$3/screenshots
fonts=/usr/share/fonts
sans=$fonts/truetype/noto/NotoSans-Regular.ttf

# Only this test's own files: other tests keep theirs in the same folder
# (layout/, console/).
rm -rf "$out/names" "$out/names.tsv"
rm -f "$out"/review-*.png "$out"/today.png
mkdir -p "$out/names"
"$render" "$out" || { echo "screenshot-names: FAIL: render_names failed" >&2; exit 1; }
[ -s "$out/names.tsv" ] || { echo "screenshot-names: FAIL: no names were drawn" >&2; exit 1; }

# hb PNG_BASE FONT FACE TEXT [HB-VIEW OPTION...]: a rendering as PNG and PGM
# (sh has no local variables: these have names of their own).
hb() {
  hb_base=$1 hb_font=$2 hb_face=$3 hb_text=$4
  shift 4
  hb-view --font-file="$hb_font" --face-index="$hb_face" --font-size="$em" --margin=6 \
    --background=000000 --foreground=FFFFFF --output-format=png --output-file="$hb_base.png" \
    "$@" -- "$hb_text" || { echo "screenshot-names: FAIL: hb-view cannot render $hb_base" >&2; exit 1; }
  convert "$hb_base.png" -colorspace Gray -depth 8 "$hb_base.pgm"
}

failures=0
count=0
tab=$(printf '\t')
while IFS="$tab" read -r screen key script font face em x y w h text; do
  count=$((count + 1))
  base="$out/names/$(basename "$screen" .ppm)-$count-$key"
  # The kiosk's pixels where it drew the name, with two pixels around.
  convert "$out/$screen" -crop "$((w + 4))x$((h + 4))+$((x - 2))+$((y - 2))" +repage \
    "$base-kiosk.png"
  convert "$base-kiosk.png" -colorspace Gray -depth 8 "$base-kiosk.pgm"
  reversed=$(python3 -c 'import sys; print(sys.argv[1][::-1])' "$text")
  unjoined=$(python3 -c 'import sys; print("\u200c".join(sys.argv[1]))' "$text")
  marks=$(python3 -c 'import sys; print("?" * len(sys.argv[1]))' "$text")
  hb "$base-right" "$fonts/$font" "$face" "$text"
  hb "$base-tofu" "$sans" 0 "$text"
  hb "$base-question-marks" "$sans" 0 "$marks"
  hb "$base-unshaped" "$fonts/$font" "$face" "$unjoined"
  hb "$base-reversed" "$fonts/$font" "$face" "$reversed"
  hb "$base-left-to-right" "$fonts/$font" "$face" "$text" --direction=ltr
  if result=$("$compare" "$base-kiosk.pgm" "$base-right.pgm" "tofu=$base-tofu.pgm" \
    "question-marks=$base-question-marks.pgm" "unshaped=$base-unshaped.pgm" \
    "reversed=$base-reversed.pgm" "left-to-right=$base-left-to-right.pgm"); then
    :
  else
    failures=$((failures + 1))
  fi
  printf '%-32s %-28s %s\n' "$script" "$(basename "$screen" .ppm)" "$result"
done <"$out/names.tsv"
rm -f "$out"/names/*.pgm

for ppm in "$out"/*.ppm; do
  convert "$ppm" "${ppm%.ppm}.png" && rm -f "$ppm"
done
echo "screenshot-names: screens in $out: $(cd "$out" && ls ./*.png | tr '\n' ' ')"
[ "$count" -ge 36 ] || { echo "screenshot-names: FAIL: only $count names compared" >&2; exit 1; }
if [ "$failures" -gt 0 ]; then
  echo "screenshot-names: FAIL: $failures of $count names do not look as they should" >&2
  exit 1
fi
echo "screenshot-names: PASS ($count names)"
