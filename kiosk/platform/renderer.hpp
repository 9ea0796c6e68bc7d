// What turns an AppState into pixels in a window: ImGui's fonts, the text
// engine with its glyph textures on the GPU, and the look (colours, scale).
// The frame loop uses it, and so do tools that render a given state
// (tests/kiosk/screenshot).
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "common/model/i18n.hpp"
#include "kiosk/core/intents.hpp"
#include "kiosk/core/state.hpp"
#include "kiosk/platform/fonts.hpp"
#include "kiosk/platform/glyph_textures.hpp"
#include "kiosk/text/text_engine.hpp"

struct GLFWwindow;

namespace alliance::kiosk::platform {

class FrameRenderer {
 public:
  using Clock = std::chrono::steady_clock;

  // Needs the window's ImGuiSession. Opens the text engine's fonts (Noto
  // Sans at `font_path` first; throws PlatformError when it is missing) and
  // installs the engine for the views until destroyed.
  FrameRenderer(GLFWwindow* window, FontSet& fonts, const std::filesystem::path& font_path);
  ~FrameRenderer();
  FrameRenderer(const FrameRenderer&) = delete;
  FrameRenderer& operator=(const FrameRenderer&) = delete;

  // Colours and sizes from the settings, fonts rasterised at the scaled
  // size (sharper than ImGui's FontGlobalScale). Cheap when nothing changed.
  void apply_look(const Settings& settings);

  // Builds one frame of `state` with ImGui (collecting intents) and sends
  // new glyphs to the GPU; returns when ImGui had built the frame.
  Clock::time_point build(const AppState& state, const model::I18n& i18n,
                          std::vector<Intent>& intents);
  // Draws the built frame into the back buffer (the caller swaps).
  void render();

  // Adds to ImGui's atlas the characters the last frame's fields lacked;
  // true when it changed, so the next frame shows them.
  bool add_needed_glyphs();

  // The back buffer's pixels, RGB, top row first (after render(), before
  // swapping).
  std::vector<std::uint8_t> read_pixels(int& width, int& height) const;

  text::TextEngine& text() { return engine_; }

 private:
  GLFWwindow* window_;
  FontSet& fonts_;
  GlGlyphTextures textures_;
  text::TextEngine engine_;
  bool drawn_ = false;  // the backend made its GPU objects (at the first frame)
  bool high_contrast_ = false;
  float ui_scale_ = 0.0f;  // 0: no look applied yet
};

}  // namespace alliance::kiosk::platform
