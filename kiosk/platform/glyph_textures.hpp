// OpenGL textures for the text engine's glyph pages: white, with each
// glyph's coverage as alpha, so ImGui's OpenGL3 backend draws them tinted by
// the text colour exactly as it draws its own font.
#pragma once

#include <cstdint>
#include <vector>

#include "kiosk/text/text_engine.hpp"

namespace alliance::kiosk::platform {

// Make and use on the thread whose OpenGL context is current.
class GlGlyphTextures final : public text::GlyphTextures {
 public:
  GlGlyphTextures() = default;
  // Deletes the textures while a context is current; a context already
  // gone took them with it.
  ~GlGlyphTextures() override;
  GlGlyphTextures(const GlGlyphTextures&) = delete;
  GlGlyphTextures& operator=(const GlGlyphTextures&) = delete;

  text::TextureHandle create_page(int size) override;
  void update_page(text::TextureHandle page, const std::uint8_t* coverage, int stride, int x, int y,
                   int width, int height) override;

 private:
  std::vector<unsigned> textures_;
  std::vector<std::uint8_t> rgba_;  // reused for each upload
};

}  // namespace alliance::kiosk::platform
