// Shaping and bidi, the part of a layout that does not depend on size or
// width (the engine caches it per text), and the line layout built from it.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "kiosk/text/fonts.hpp"
#include "kiosk/text/text_engine.hpp"

namespace alliance::kiosk::text {

struct ShapedGlyph {
  FontId font = 0;
  std::uint32_t glyph = 0;
  std::uint32_t cluster = 0;  // index of the cluster's first code point
  float advance = 0.0f;       // in ems, as the offsets
  float x_offset = 0.0f;
  float y_offset = 0.0f;  // up is positive (HarfBuzz's convention)
  // How far the ink reaches above and below the baseline, offset included.
  float ink_top = 0.0f;
  float ink_bottom = 0.0f;
};

// Code points [begin, end) of one bidi level, script and face.
struct ShapedRun {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint8_t level = 0;           // odd: right to left
  std::vector<ShapedGlyph> glyphs;  // in visual order, as HarfBuzz returns them
};

// Per code point, for line breaking.
enum CodePointFlag : std::uint8_t {
  kClusterStart = 1,  // a line may start here (no break inside a cluster)
  kBreakBefore = 2,   // a line may start here without cutting a word
  kSpace = 4,         // white space: it hangs at the end of a line
  kHardBreak = 8,     // '\n' or U+2029: ends the line and the paragraph
};

struct ShapedText {
  std::vector<char32_t> codepoints;
  std::vector<std::uint32_t> byte_offsets;  // codepoints.size() + 1 entries
  std::vector<ShapedRun> runs;              // in logical order
  std::vector<float> advance;               // ems: a cluster's whole width on its first code point
  std::vector<std::uint8_t> flags;
  std::size_t memory_bytes() const;
};

// The code points of `utf8` and the byte offset each starts at (HarfBuzz's
// decoder: U+FFFD for each invalid sequence).
struct Decoded {
  std::vector<char32_t> codepoints;
  std::vector<std::uint32_t> byte_offsets;
};
Decoded decode_utf8(std::string_view utf8);

// Splits `utf8` into paragraphs at '\n', resolves each one's bidi levels
// with `base` as the paragraph direction, picks a face per character, and
// shapes each run of one level, script and face with HarfBuzz.
ShapedText shape(FontLibrary& fonts, std::string_view utf8, Direction base);

// Breaks `shaped` into lines no wider than `wrap_width` pixels (<= 0: only
// at hard breaks) for an em of `em_pixels`, each reordered for display
// (Unicode bidi rule L2).
TextLayout lay_out(const ShapedText& shaped, const FontLibrary& fonts, float em_pixels,
                   float wrap_width);

}  // namespace alliance::kiosk::text
