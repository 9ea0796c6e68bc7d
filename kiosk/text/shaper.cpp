// From UTF-8 to shaped runs (FriBidi levels, script and face itemisation,
// HarfBuzz), and from shaped runs to lines in display order.
#include "kiosk/text/shaper.hpp"

#include <fribidi.h>

#include <algorithm>
#include <memory>

namespace alliance::kiosk::text {
namespace {

struct BufferDeleter {
  void operator()(hb_buffer_t* buffer) const { hb_buffer_destroy(buffer); }
};
using Buffer = std::unique_ptr<hb_buffer_t, BufferDeleter>;

bool is_paragraph_break(char32_t cp) {
  return cp == U'\n' || cp == U'\u2029';
}

// Spaces a line may end with (no-break spaces are not among them).
bool is_space(char32_t cp) {
  return cp == U' ' || cp == U'\t' || cp == U'\u1680' || (cp >= U'\u2000' && cp <= U'\u2006') ||
         (cp >= U'\u2008' && cp <= U'\u200B') || cp == U'\u205F' || cp == U'\u3000';
}

// Han, Kana and the CJK symbols: lines may break between any two of them.
bool breaks_anywhere(char32_t cp) {
  return (cp >= U'\u2E80' && cp <= U'\u9FFF') || (cp >= U'\uF900' && cp <= U'\uFAFF') ||
         (cp >= U'\U00020000' && cp <= U'\U0003FFFF');
}

// Closing punctuation that must not start a line ("、。）」" and friends).
bool no_break_before(char32_t cp) {
  switch (cp) {
    case U'\u3001':
    case U'\u3002':
    case U'\uFF0C':
    case U'\uFF0E':
    case U'\uFF09':
    case U'\u300D':
    case U'\u300F':
    case U'\u3011':
    case U'\u30FC':
      return true;
    default:
      return false;
  }
}

bool is_weak_script(hb_script_t script) {
  return script == HB_SCRIPT_COMMON || script == HB_SCRIPT_INHERITED || script == HB_SCRIPT_UNKNOWN;
}

// Common and Inherited characters (spaces, digits, punctuation, combining
// marks) take the script of the text around them: the one before, or at the
// start the first one after.
std::vector<hb_script_t> resolve_scripts(const std::vector<char32_t>& cps) {
  hb_unicode_funcs_t* unicode = hb_unicode_funcs_get_default();
  std::vector<hb_script_t> scripts(cps.size());
  for (std::size_t i = 0; i < cps.size(); ++i) scripts[i] = hb_unicode_script(unicode, cps[i]);
  hb_script_t last = HB_SCRIPT_COMMON;
  std::size_t first_strong = cps.size();
  for (std::size_t i = 0; i < cps.size(); ++i) {
    if (!is_weak_script(scripts[i])) {
      last = scripts[i];
      if (first_strong == cps.size()) first_strong = i;
    } else if (!is_weak_script(last)) {
      scripts[i] = last;
    }
  }
  if (first_strong < cps.size()) {
    for (std::size_t i = 0; i < first_strong; ++i) scripts[i] = scripts[first_strong];
  }
  return scripts;
}

// FriBidi levels, paragraph by paragraph; paragraph breaks get the base level.
std::vector<std::uint8_t> bidi_levels(const std::vector<char32_t>& cps, Direction base) {
  const auto base_level = static_cast<std::uint8_t>(base == Direction::rtl ? 1 : 0);
  std::vector<std::uint8_t> levels(cps.size(), base_level);
  std::size_t start = 0;
  while (start < cps.size()) {
    std::size_t end = start;
    while (end < cps.size() && !is_paragraph_break(cps[end])) ++end;
    const auto length = static_cast<FriBidiStrIndex>(end - start);
    if (length > 0) {
      std::vector<FriBidiChar> text(cps.begin() + static_cast<std::ptrdiff_t>(start),
                                    cps.begin() + static_cast<std::ptrdiff_t>(end));
      std::vector<FriBidiCharType> types(text.size());
      std::vector<FriBidiBracketType> brackets(text.size());
      std::vector<FriBidiLevel> paragraph(text.size());
      fribidi_get_bidi_types(text.data(), length, types.data());
      fribidi_get_bracket_types(text.data(), length, types.data(), brackets.data());
      FriBidiParType direction = base == Direction::rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
      if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), length, &direction,
                                              paragraph.data()) != 0) {
        for (std::size_t i = 0; i < text.size(); ++i) {
          levels[start + i] = static_cast<std::uint8_t>(paragraph[i]);
        }
      }
    }
    start = end + 1;
  }
  return levels;
}

// Han written with Kana is Japanese, with Hangul Korean: the CJK face's
// `locl` feature then draws that region's forms. nullptr: the locale's.
hb_language_t cjk_language(const std::vector<hb_script_t>& scripts) {
  for (const hb_script_t s : scripts) {
    if (s == HB_SCRIPT_HIRAGANA || s == HB_SCRIPT_KATAKANA) return hb_language_from_string("ja", 2);
  }
  for (const hb_script_t s : scripts) {
    if (s == HB_SCRIPT_HANGUL) return hb_language_from_string("ko", 2);
  }
  return nullptr;
}

bool is_cjk(hb_script_t script) {
  return script == HB_SCRIPT_HAN || script == HB_SCRIPT_HIRAGANA || script == HB_SCRIPT_KATAKANA ||
         script == HB_SCRIPT_HANGUL || script == HB_SCRIPT_BOPOMOFO;
}

std::vector<FontId> choose_faces(FontLibrary& fonts, const std::vector<char32_t>& cps,
                                 const std::vector<hb_script_t>& scripts) {
  hb_unicode_funcs_t* unicode = hb_unicode_funcs_get_default();
  std::vector<FontId> faces(cps.size(), FontLibrary::kPrimary);
  for (std::size_t i = 0; i < cps.size(); ++i) {
    const hb_script_t own = hb_unicode_script(unicode, cps[i]);
    // Marks and joiners stay with what they belong to; punctuation and
    // spaces too, when that face has them.
    if (i > 0 && !is_paragraph_break(cps[i - 1])) {
      if (own == HB_SCRIPT_INHERITED || (own == HB_SCRIPT_COMMON && !is_paragraph_break(cps[i]) &&
                                         fonts.has_glyph(faces[i - 1], cps[i]))) {
        faces[i] = faces[i - 1];
        continue;
      }
    }
    faces[i] = fonts.face_for(cps[i], scripts[i]).value_or(FontLibrary::kPrimary);
  }
  // A mark at the very start goes with what follows it.
  if (cps.size() > 1 && hb_unicode_script(unicode, cps[0]) == HB_SCRIPT_INHERITED) {
    faces[0] = faces[1];
  }
  return faces;
}

void mark_breaks(ShapedText& out) {
  const auto& cps = out.codepoints;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    std::uint8_t& f = out.flags[i];
    if (is_space(cps[i])) f |= kSpace;
    if (is_paragraph_break(cps[i])) f |= kHardBreak | kClusterStart;
    if (i == 0 || !(f & kClusterStart)) continue;
    const char32_t before = cps[i - 1];
    const bool after_space = is_space(before) && !is_space(cps[i]);
    const bool after_hyphen =
        (before == U'-' || before == U'\u2010') && i >= 2 && !is_space(cps[i - 2]);
    const bool ideographic =
        breaks_anywhere(before) && breaks_anywhere(cps[i]) && !no_break_before(cps[i]);
    if (after_space || after_hyphen || ideographic) f |= kBreakBefore;
  }
}

// `text` is the whole text: HarfBuzz sees it as context, so Arabic joins
// across the edges of runs.
void shape_run(FontLibrary& fonts, hb_buffer_t* buffer, const std::vector<hb_codepoint_t>& text,
               hb_script_t script, hb_language_t language, ShapedRun& run, FontId face,
               ShapedText& out) {
  hb_buffer_clear_contents(buffer);
  hb_buffer_add_codepoints(buffer, text.data(), static_cast<int>(text.size()), run.begin,
                           static_cast<int>(run.end - run.begin));
  hb_buffer_set_direction(buffer, (run.level & 1) != 0 ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
  hb_buffer_set_script(buffer, script);
  if (language != nullptr) hb_buffer_set_language(buffer, language);
  hb_buffer_guess_segment_properties(buffer);  // else the language from the locale
  hb_shape(fonts.hb_font(face), buffer, nullptr, 0);

  unsigned count = 0;
  const hb_glyph_info_t* infos = hb_buffer_get_glyph_infos(buffer, &count);
  const hb_glyph_position_t* positions = hb_buffer_get_glyph_positions(buffer, &count);
  const float per_unit = 1.0f / fonts.units_per_em(face);
  run.glyphs.reserve(count);
  // Only a face whose line box is taller than the primary's can make a line
  // taller: its glyphs' ink is measured. (That also spares a CFF face, such
  // as the CJK one, HarfBuzz's outline interpreter and its megabyte.)
  const bool tall = fonts.ascender(face) > fonts.ascender(FontLibrary::kPrimary) ||
                    fonts.descender(face) > fonts.descender(FontLibrary::kPrimary);
  for (unsigned g = 0; g < count; ++g) {
    hb_glyph_extents_t ink{
        .y_bearing = static_cast<hb_position_t>(fonts.ascender(face) * fonts.units_per_em(face)),
        .height = -static_cast<hb_position_t>((fonts.ascender(face) + fonts.descender(face)) *
                                              fonts.units_per_em(face))};
    if (tall) hb_font_get_glyph_extents(fonts.hb_font(face), infos[g].codepoint, &ink);
    const float y_offset = static_cast<float>(positions[g].y_offset) * per_unit;
    const ShapedGlyph glyph{
        .font = face,
        .glyph = infos[g].codepoint,
        .cluster = infos[g].cluster,
        .advance = static_cast<float>(positions[g].x_advance) * per_unit,
        .x_offset = static_cast<float>(positions[g].x_offset) * per_unit,
        .y_offset = y_offset,
        .ink_top = static_cast<float>(ink.y_bearing) * per_unit + y_offset,
        .ink_bottom = -static_cast<float>(ink.y_bearing + ink.height) * per_unit - y_offset,
    };
    run.glyphs.push_back(glyph);
    if (glyph.cluster < out.advance.size()) {
      out.advance[glyph.cluster] += glyph.advance;
      out.flags[glyph.cluster] |= kClusterStart;
    }
  }
}

}  // namespace

std::size_t ShapedText::memory_bytes() const {
  std::size_t bytes = codepoints.size() * (sizeof(char32_t) + sizeof(std::uint32_t) +
                                           sizeof(float) + sizeof(std::uint8_t));
  for (const auto& run : runs) bytes += sizeof(run) + run.glyphs.size() * sizeof(ShapedGlyph);
  return bytes;
}

Decoded decode_utf8(std::string_view utf8) {
  Buffer buffer(hb_buffer_create());
  // Each code point's cluster is the byte offset it starts at.
  hb_buffer_add_utf8(buffer.get(), utf8.data(), static_cast<int>(utf8.size()), 0,
                     static_cast<int>(utf8.size()));
  unsigned count = 0;
  const hb_glyph_info_t* infos = hb_buffer_get_glyph_infos(buffer.get(), &count);
  Decoded out;
  out.codepoints.reserve(count);
  out.byte_offsets.reserve(count + 1);
  for (unsigned i = 0; i < count; ++i) {
    out.codepoints.push_back(infos[i].codepoint);
    out.byte_offsets.push_back(infos[i].cluster);
  }
  return out;
}

ShapedText shape(FontLibrary& fonts, std::string_view utf8, Direction base) {
  ShapedText out;
  Decoded decoded = decode_utf8(utf8);
  out.codepoints = std::move(decoded.codepoints);
  out.byte_offsets = std::move(decoded.byte_offsets);
  out.byte_offsets.push_back(static_cast<std::uint32_t>(utf8.size()));
  Buffer buffer(hb_buffer_create());
  const auto& cps = out.codepoints;
  out.advance.assign(cps.size(), 0.0f);
  out.flags.assign(cps.size(), 0);
  if (cps.empty()) return out;

  const auto levels = bidi_levels(cps, base);
  const auto scripts = resolve_scripts(cps);
  const auto faces = choose_faces(fonts, cps, scripts);
  const hb_language_t cjk = cjk_language(scripts);
  const std::vector<hb_codepoint_t> text(cps.begin(), cps.end());

  std::size_t start = 0;
  while (start < cps.size()) {
    if (is_paragraph_break(cps[start])) {
      ++start;
      continue;
    }
    std::size_t end = start + 1;
    while (end < cps.size() && !is_paragraph_break(cps[end]) && levels[end] == levels[start] &&
           scripts[end] == scripts[start] && faces[end] == faces[start]) {
      ++end;
    }
    ShapedRun run{.begin = static_cast<std::uint32_t>(start),
                  .end = static_cast<std::uint32_t>(end),
                  .level = levels[start]};
    shape_run(fonts, buffer.get(), text, scripts[start], is_cjk(scripts[start]) ? cjk : nullptr,
              run, faces[start], out);
    out.runs.push_back(std::move(run));
    start = end;
  }
  mark_breaks(out);
  return out;
}

namespace {

struct Piece {
  std::uint8_t level = 0;
  std::vector<const ShapedGlyph*> glyphs;
};

// Unicode bidi rule L2: from the highest level down to the lowest odd one,
// reverse every run of pieces at that level or higher.
void reorder(std::vector<Piece>& pieces) {
  if (pieces.empty()) return;
  std::uint8_t highest = 0;
  std::uint8_t lowest_odd = 255;
  for (const auto& p : pieces) {
    highest = std::max(highest, p.level);
    if ((p.level & 1) != 0) lowest_odd = std::min(lowest_odd, p.level);
  }
  for (int level = highest; level >= lowest_odd && level > 0; --level) {
    for (std::size_t i = 0; i < pieces.size();) {
      if (pieces[i].level < level) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < pieces.size() && pieces[j].level >= level) ++j;
      std::reverse(pieces.begin() + static_cast<std::ptrdiff_t>(i),
                   pieces.begin() + static_cast<std::ptrdiff_t>(j));
      i = j;
    }
  }
}

Line make_line(const ShapedText& shaped, const FontLibrary& fonts, float em, std::size_t begin,
               std::size_t end) {
  Line line;
  line.begin = shaped.byte_offsets[begin];
  line.end = shaped.byte_offsets[end];
  line.ascent = fonts.ascender(FontLibrary::kPrimary) * em;
  line.descent = fonts.descender(FontLibrary::kPrimary) * em;
  // Spaces at the end of a line are not shown and take no room.
  std::size_t visible = end;
  while (visible > begin && (shaped.flags[visible - 1] & (kSpace | kHardBreak)) != 0) --visible;

  std::vector<Piece> pieces;
  for (const ShapedRun& run : shaped.runs) {
    if (run.end <= begin || run.begin >= visible) continue;
    Piece piece{.level = run.level};
    for (const ShapedGlyph& g : run.glyphs) {
      if (g.cluster >= begin && g.cluster < visible) piece.glyphs.push_back(&g);
    }
    if (!piece.glyphs.empty()) pieces.push_back(std::move(piece));
  }
  reorder(pieces);
  float x = 0.0f;
  for (const Piece& piece : pieces) {
    for (const ShapedGlyph* g : piece.glyphs) {
      line.glyphs.push_back(
          {.font = g->font, .glyph = g->glyph, .x = x + g->x_offset * em, .y = -g->y_offset * em});
      x += g->advance * em;
      line.ascent = std::max(line.ascent, g->ink_top * em);
      line.descent = std::max(line.descent, g->ink_bottom * em);
    }
  }
  line.width = x;
  return line;
}

}  // namespace

TextLayout lay_out(const ShapedText& shaped, const FontLibrary& fonts, float em_pixels,
                   float wrap_width) {
  TextLayout out;
  const std::size_t n = shaped.codepoints.size();
  std::size_t pos = 0;
  do {
    std::size_t i = pos;
    std::size_t break_at = pos;
    std::size_t end = n;
    std::size_t next = n;
    float width = 0.0f;
    while (i < n) {
      const std::uint8_t flags = shaped.flags[i];
      if ((flags & kHardBreak) != 0) {
        end = i;
        next = i + 1;
        break;
      }
      if (i > pos && (flags & kBreakBefore) != 0) break_at = i;
      const float w = shaped.advance[i] * em_pixels;
      // Spaces hang past the edge; anything else that does not fit starts
      // the next line, at the last word boundary if there is one.
      if (wrap_width > 0.0f && i > pos && (flags & kClusterStart) != 0 && (flags & kSpace) == 0 &&
          width + w > wrap_width + 0.01f) {
        end = next = break_at > pos ? break_at : i;
        break;
      }
      width += w;
      ++i;
    }
    out.lines.push_back(make_line(shaped, fonts, em_pixels, pos, end));
    out.width = std::max(out.width, out.lines.back().width);
    pos = next;
  } while (pos < n);
  return out;
}

}  // namespace alliance::kiosk::text
