// Glyph pages as RGBA textures (GL 3.0 has no swizzle to draw one channel
// as alpha, and ImGui's shader reads RGBA).
#include "kiosk/platform/glyph_textures.hpp"

#include <GLFW/glfw3.h>

#include <cstddef>

namespace alliance::kiosk::platform {
namespace {

// Binding a page must not disturb the texture ImGui's backend left bound.
class KeepTextureBinding {
 public:
  KeepTextureBinding() { glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous_); }
  ~KeepTextureBinding() { glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous_)); }
  KeepTextureBinding(const KeepTextureBinding&) = delete;
  KeepTextureBinding& operator=(const KeepTextureBinding&) = delete;

 private:
  GLint previous_ = 0;
};

}  // namespace

GlGlyphTextures::~GlGlyphTextures() {
  if (textures_.empty() || glfwGetCurrentContext() == nullptr) return;
  glDeleteTextures(static_cast<GLsizei>(textures_.size()), textures_.data());
}

text::TextureHandle GlGlyphTextures::create_page(int size) {
  KeepTextureBinding keep;
  GLuint texture = 0;
  glGenTextures(1, &texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  // Transparent white: glyphs are drawn where their alpha says.
  std::vector<std::uint8_t> clear(static_cast<std::size_t>(size) * static_cast<std::size_t>(size) *
                                  4);
  for (std::size_t i = 0; i < clear.size(); i += 4) clear[i] = clear[i + 1] = clear[i + 2] = 255;
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, size, size, 0, GL_RGBA, GL_UNSIGNED_BYTE, clear.data());
  textures_.push_back(texture);
  return texture;
}

void GlGlyphTextures::update_page(text::TextureHandle page, const std::uint8_t* coverage,
                                  int stride, int x, int y, int width, int height) {
  if (width <= 0 || height <= 0) return;
  KeepTextureBinding keep;
  const auto w = static_cast<std::size_t>(width);
  rgba_.resize(w * static_cast<std::size_t>(height) * 4);
  for (std::size_t row = 0; row < static_cast<std::size_t>(height); ++row) {
    const std::uint8_t* source = coverage + row * static_cast<std::size_t>(stride);
    std::uint8_t* out = rgba_.data() + row * w * 4;
    for (std::size_t col = 0; col < w; ++col) {
      out[col * 4] = out[col * 4 + 1] = out[col * 4 + 2] = 255;
      out[col * 4 + 3] = source[col];
    }
  }
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(page));
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba_.data());
}

}  // namespace alliance::kiosk::platform
