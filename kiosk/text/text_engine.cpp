// The engine: fonts, a cache of shaped texts, and the glyph cache.
#include "kiosk/text/text_engine.hpp"

#include <cmath>
#include <string>
#include <unordered_map>

#include "kiosk/text/fonts.hpp"
#include "kiosk/text/glyph_cache.hpp"
#include "kiosk/text/shaper.hpp"

namespace alliance::kiosk::text {
namespace {

// A screen shows a few hundred texts; more than this many cached means the
// screens changed (or names scrolled by), and the cache starts again.
constexpr std::size_t kMaxShapedBytes = 4u << 20;
// 512 x 512 pages (a quarter of a megabyte each, four on the GPU): one holds
// about 500 glyphs at the body size.
constexpr int kPageSize = 512;
constexpr int kMaxPages = 8;

}  // namespace

struct TextEngine::Impl {
  Impl(FontConfig config, GlyphTextures& textures)
      : fonts(std::move(config)), glyphs(fonts, textures, kPageSize, kMaxPages) {}

  FontLibrary fonts;
  GlyphCache glyphs;
  std::unordered_map<std::string, ShapedText> shaped;  // key: direction byte + text
  std::size_t shaped_bytes = 0;

  const ShapedText& shaped_text(std::string_view utf8, Direction base) {
    std::string key;
    key.reserve(utf8.size() + 1);
    key += base == Direction::rtl ? 'R' : 'L';
    key += utf8;
    auto it = shaped.find(key);
    if (it == shaped.end()) {
      ShapedText text = shape(fonts, utf8, base);
      shaped_bytes += key.size() + text.memory_bytes();
      it = shaped.emplace(std::move(key), std::move(text)).first;
    }
    return it->second;
  }
  float em(float pixel_height) const { return pixel_height * fonts.em_per_pixel_height(); }
};

TextEngine::TextEngine(FontConfig config, GlyphTextures& textures)
    : impl_(std::make_unique<Impl>(std::move(config), textures)) {}

TextEngine::~TextEngine() = default;

TextLayout TextEngine::layout(std::string_view utf8, float pixel_height, float wrap_width,
                              Direction base) {
  return lay_out(impl_->shaped_text(utf8, base), impl_->fonts, impl_->em(pixel_height), wrap_width);
}

const GlyphImage* TextEngine::glyph(const PlacedGlyph& placed, float pixel_height, float pen_x) {
  const float fraction = pen_x - std::floor(pen_x);
  const int phase = static_cast<int>(fraction * GlyphCache::kPhases) % GlyphCache::kPhases;
  return impl_->glyphs.get(placed.font, placed.glyph, impl_->em(pixel_height), phase);
}

float TextEngine::em_pixels(float pixel_height) const {
  return impl_->em(pixel_height);
}

float TextEngine::primary_ascent(float pixel_height) const {
  return impl_->fonts.ascender(FontLibrary::kPrimary) * impl_->em(pixel_height);
}

float TextEngine::primary_descent(float pixel_height) const {
  return impl_->fonts.descender(FontLibrary::kPrimary) * impl_->em(pixel_height);
}

void TextEngine::begin_frame() {
  if (impl_->shaped_bytes > kMaxShapedBytes) {
    impl_->shaped.clear();
    impl_->shaped_bytes = 0;
  }
  impl_->glyphs.begin_frame();
}

void TextEngine::upload() {
  impl_->glyphs.upload();
}

std::optional<Bitmap> TextEngine::rasterize_codepoint(char32_t cp, float pixel_height) {
  hb_unicode_funcs_t* unicode = hb_unicode_funcs_get_default();
  const auto font = impl_->fonts.face_for(cp, hb_unicode_script(unicode, cp));
  if (!font) return std::nullopt;
  hb_codepoint_t glyph = 0;
  if (!hb_font_get_nominal_glyph(impl_->fonts.hb_font(*font), cp, &glyph)) return std::nullopt;
  const float em = impl_->em(pixel_height);
  auto bitmap = rasterize(impl_->fonts, *font, glyph, em, 0.0f);
  const float advance =
      static_cast<float>(hb_font_get_glyph_h_advance(impl_->fonts.hb_font(*font), glyph)) /
      impl_->fonts.units_per_em(*font) * em;
  if (!bitmap) {
    // A blank character (a space of some kind) still moves the pen.
    bitmap = Bitmap{};
  }
  bitmap->advance = advance;
  return bitmap;
}

std::vector<char32_t> TextEngine::codepoints(std::string_view utf8) {
  return decode_utf8(utf8).codepoints;
}

TextStats TextEngine::stats() const {
  return {.faces_open = impl_->fonts.faces_open(),
          .shaped_texts = impl_->shaped.size(),
          .glyph_pages = impl_->glyphs.pages(),
          .glyphs = impl_->glyphs.size()};
}

}  // namespace alliance::kiosk::text
