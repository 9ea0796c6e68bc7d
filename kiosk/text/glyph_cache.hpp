// Glyphs rasterised on demand with FreeType into texture pages, keyed by
// face, glyph, size and sub-pixel phase; bounded by a number of pages.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "kiosk/text/fonts.hpp"
#include "kiosk/text/text_engine.hpp"

namespace alliance::kiosk::text {

// One glyph of `font` with an em of `em_pixels`, its outline shifted right
// by `shift_x` pixels (0 to 1) before rasterising; nullopt when it has no
// outline or nothing to show.
std::optional<Bitmap> rasterize(FontLibrary& fonts, FontId font, std::uint32_t glyph,
                                float em_pixels, float shift_x);

class GlyphCache {
 public:
  static constexpr int kPhases = 4;  // sub-pixel positions per pixel

  // Pages are page_size x page_size; past max_pages the whole cache is
  // dropped at the next begin_frame() (never in the middle of a frame,
  // whose draw commands still point at the pages).
  GlyphCache(FontLibrary& fonts, GlyphTextures& textures, int page_size, int max_pages);

  // nullptr for a glyph with nothing to draw. `phase` is 0..kPhases-1.
  const GlyphImage* get(FontId font, std::uint32_t glyph, float em_pixels, int phase);
  void begin_frame();
  void upload();

  int pages() const { return static_cast<int>(pages_.size()); }
  std::size_t size() const { return cache_.size(); }

 private:
  struct Key {
    FontId font;
    std::uint8_t phase;
    std::uint32_t glyph;
    std::uint32_t size;  // em in 1/8 pixels
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      const std::uint64_t packed = (std::uint64_t{k.glyph} << 32) ^ (std::uint64_t{k.size} << 12) ^
                                   (std::uint64_t{k.font} << 3) ^ k.phase;
      return std::hash<std::uint64_t>{}(packed);
    }
  };
  struct Page {
    TextureHandle handle = 0;
    std::vector<std::uint8_t> pixels;
    int shelf_y = 0;  // top of the shelf being filled
    int shelf_height = 0;
    int cursor_x = 0;
    int dirty_x0 = 0, dirty_y0 = 0, dirty_x1 = 0, dirty_y1 = 0;  // empty when x0 == x1
  };
  std::optional<GlyphImage> place(const Bitmap& bitmap);
  Page& next_page();

  FontLibrary& fonts_;
  GlyphTextures& textures_;
  int page_size_;
  int max_pages_;
  bool over_budget_ = false;
  std::size_t current_ = 0;  // the page being filled
  std::unordered_map<Key, std::optional<GlyphImage>, KeyHash> cache_;
  std::vector<Page> pages_;
};

}  // namespace alliance::kiosk::text
