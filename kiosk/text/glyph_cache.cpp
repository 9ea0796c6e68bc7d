// FreeType rasterising and shelf packing into pages.
#include "kiosk/text/glyph_cache.hpp"

#include FT_OUTLINE_H

#include <algorithm>
#include <cmath>
#include <cstring>

namespace alliance::kiosk::text {
namespace {

constexpr int kPadding = 1;  // transparent pixels around each glyph: no bleeding when filtered

}  // namespace

std::optional<Bitmap> rasterize(FontLibrary& fonts, FontId font, std::uint32_t glyph,
                                float em_pixels, float shift_x) {
  FT_Face face = fonts.sized_face(font, static_cast<FT_F26Dot6>(std::lround(em_pixels * 64.0f)));
  if (face == nullptr) return std::nullopt;
  // Light hinting snaps only vertically, so the advances HarfBuzz computed
  // from the unhinted outlines still hold.
  if (FT_Load_Glyph(face, glyph, FT_LOAD_TARGET_LIGHT | FT_LOAD_NO_BITMAP) != 0) {
    return std::nullopt;
  }
  FT_GlyphSlot slot = face->glyph;
  if (slot->format != FT_GLYPH_FORMAT_OUTLINE) return std::nullopt;
  if (shift_x > 0.0f) {
    FT_Outline_Translate(&slot->outline, static_cast<FT_Pos>(std::lround(shift_x * 64.0f)), 0);
  }
  if (FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL) != 0) return std::nullopt;
  const FT_Bitmap& source = slot->bitmap;
  if (source.width == 0 || source.rows == 0 || source.pixel_mode != FT_PIXEL_MODE_GRAY) {
    return std::nullopt;
  }
  Bitmap out;
  out.width = static_cast<int>(source.width);
  out.height = static_cast<int>(source.rows);
  out.left = slot->bitmap_left;
  out.top = slot->bitmap_top;
  out.advance = static_cast<float>(slot->advance.x) / 64.0f;
  out.coverage.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height));
  for (int row = 0; row < out.height; ++row) {
    std::memcpy(out.coverage.data() + static_cast<std::size_t>(row * out.width),
                source.buffer + static_cast<std::ptrdiff_t>(row) * source.pitch,
                static_cast<std::size_t>(out.width));
  }
  return out;
}

GlyphCache::GlyphCache(FontLibrary& fonts, GlyphTextures& textures, int page_size, int max_pages)
    : fonts_(fonts), textures_(textures), page_size_(page_size), max_pages_(max_pages) {}

const GlyphImage* GlyphCache::get(FontId font, std::uint32_t glyph, float em_pixels, int phase) {
  const Key key{.font = font,
                .phase = static_cast<std::uint8_t>(phase),
                .glyph = glyph,
                .size = static_cast<std::uint32_t>(std::lround(em_pixels * 8.0f))};
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    const float em = static_cast<float>(key.size) / 8.0f;
    const float shift = static_cast<float>(phase) / static_cast<float>(kPhases);
    const auto bitmap = rasterize(fonts_, font, glyph, em, shift);
    it = cache_.emplace(key, bitmap ? place(*bitmap) : std::nullopt).first;
  }
  return it->second ? &*it->second : nullptr;
}

// The page after the current one: one made before (and emptied by a
// reset), or a new one.
GlyphCache::Page& GlyphCache::next_page() {
  if (!pages_.empty()) ++current_;
  if (current_ >= pages_.size()) {
    Page page;
    page.handle = textures_.create_page(page_size_);
    page.pixels.assign(static_cast<std::size_t>(page_size_) * static_cast<std::size_t>(page_size_),
                       0);
    pages_.push_back(std::move(page));
    current_ = pages_.size() - 1;
  }
  if (static_cast<int>(current_) >= max_pages_) over_budget_ = true;
  return pages_[current_];
}

std::optional<GlyphImage> GlyphCache::place(const Bitmap& bitmap) {
  const int w = bitmap.width + kPadding;
  const int h = bitmap.height + kPadding;
  if (w + kPadding > page_size_ || h + kPadding > page_size_) return std::nullopt;  // absurd size
  Page* page = pages_.empty() ? &next_page() : &pages_[current_];
  if (page->cursor_x + w + kPadding > page_size_) {  // next shelf
    page->shelf_y += page->shelf_height;
    page->shelf_height = 0;
    page->cursor_x = 0;
  }
  if (page->shelf_y + h + kPadding > page_size_) page = &next_page();
  const int x = page->cursor_x + kPadding;
  const int y = page->shelf_y + kPadding;
  for (int row = 0; row < bitmap.height; ++row) {
    std::memcpy(page->pixels.data() + static_cast<std::size_t>((y + row) * page_size_ + x),
                bitmap.coverage.data() + static_cast<std::size_t>(row * bitmap.width),
                static_cast<std::size_t>(bitmap.width));
  }
  page->cursor_x += w;
  page->shelf_height = std::max(page->shelf_height, h);
  if (page->dirty_x0 == page->dirty_x1) {
    page->dirty_x0 = x;
    page->dirty_y0 = y;
    page->dirty_x1 = x + bitmap.width;
    page->dirty_y1 = y + bitmap.height;
  } else {
    page->dirty_x0 = std::min(page->dirty_x0, x);
    page->dirty_y0 = std::min(page->dirty_y0, y);
    page->dirty_x1 = std::max(page->dirty_x1, x + bitmap.width);
    page->dirty_y1 = std::max(page->dirty_y1, y + bitmap.height);
  }
  const auto size = static_cast<float>(page_size_);
  return GlyphImage{.page = page->handle,
                    .u0 = static_cast<float>(x) / size,
                    .v0 = static_cast<float>(y) / size,
                    .u1 = static_cast<float>(x + bitmap.width) / size,
                    .v1 = static_cast<float>(y + bitmap.height) / size,
                    .left = bitmap.left,
                    .top = bitmap.top,
                    .width = bitmap.width,
                    .height = bitmap.height};
}

void GlyphCache::begin_frame() {
  if (!over_budget_) return;
  // Start again on the pages already made: the next frames rasterise what
  // they show, nothing else.
  cache_.clear();
  for (Page& page : pages_) {
    std::fill(page.pixels.begin(), page.pixels.end(), std::uint8_t{0});
    page.shelf_y = page.shelf_height = page.cursor_x = 0;
    page.dirty_x0 = page.dirty_y0 = 0;
    page.dirty_x1 = page.dirty_y1 = page_size_;
  }
  current_ = 0;
  over_budget_ = false;
}

void GlyphCache::upload() {
  for (Page& page : pages_) {
    if (page.dirty_x0 == page.dirty_x1) continue;
    textures_.update_page(
        page.handle,
        page.pixels.data() + static_cast<std::size_t>(page.dirty_y0 * page_size_ + page.dirty_x0),
        page_size_, page.dirty_x0, page.dirty_y0, page.dirty_x1 - page.dirty_x0,
        page.dirty_y1 - page.dirty_y0);
    page.dirty_x0 = page.dirty_x1 = page.dirty_y0 = page.dirty_y1 = 0;
  }
}

}  // namespace alliance::kiosk::text
