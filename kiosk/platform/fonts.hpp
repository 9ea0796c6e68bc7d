// The kiosk's one font (Noto Sans) with the glyphs its languages and names
// need, rebuilt at a new size when the UI scale changes.
#pragma once

#include <imgui.h>

#include <filesystem>
#include <vector>

namespace alliance::kiosk::platform {

inline constexpr float kBaseFontPixels = 22.0f;
// io.Fonts->Fonts[1]: the same face this much larger, Basic Latin only, so a
// reference code or a count can be shown big and sharp (PushFont) rather
// than blown up from the body size.
inline constexpr float kDisplayFontFactor = 2.2f;

class FontSet {
 public:
  // Reads the font file once. Throws PlatformError "font not found: <path>
  // (install fonts-noto-core)" when it is missing, unreadable or not a font.
  explicit FontSet(const std::filesystem::path& path);

  // Builds ImGui's atlas: Fonts[0] (the default) at kBaseFontPixels × ui_scale
  // and Fonts[1] at kDisplayFontFactor times that. Before the renderer
  // exists (first call) only the atlas is built; afterwards the GPU texture is
  // replaced too. Call between frames, never inside one.
  void build(float ui_scale, bool renderer_ready);

 private:
  std::filesystem::path path_;
  std::vector<char> data_;    // owned here; the atlas only borrows it
  ImVector<ImWchar> ranges_;  // must outlive the atlas build
};

}  // namespace alliance::kiosk::platform
