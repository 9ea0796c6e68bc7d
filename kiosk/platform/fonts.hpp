// ImGui's own font atlas (Noto Sans), which draws what ImGui draws itself:
// text being typed into fields. Latin, Cyrillic and punctuation are built
// in; any other character a field shows is added on demand, rasterised by
// the text engine from the face that has it, so typing Amharic, Arabic or
// Han shows the letters (unshaped, in typing order), never '?', without
// ever loading a whole script. Rebuilt at a new size when the UI scale changes.
#pragma once

#include <imgui.h>

#include <filesystem>
#include <set>
#include <span>
#include <vector>

#include "kiosk/text/text_engine.hpp"

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
  // with the characters added so far, and Fonts[1] at kDisplayFontFactor
  // times that. Before the renderer exists (first call) only the atlas is
  // built; afterwards the GPU texture is replaced too. Call between frames,
  // never inside one. `engine` rasterises the added characters.
  void build(float ui_scale, bool renderer_ready, text::TextEngine& engine);

  // Adds characters Fonts[0] lacks (ui::take_needed_glyphs()) and rebuilds;
  // small scripts come in blocks of 128 so a word typed letter by letter
  // rebuilds once or twice, Han and Hangul one character at a time. True
  // when the atlas changed (draw again). Characters no face has are
  // remembered and not tried again.
  bool add(std::span<const char32_t> codepoints, text::TextEngine& engine);

 private:
  std::filesystem::path path_;
  std::vector<char> data_;    // owned here; the atlas only borrows it
  ImVector<ImWchar> ranges_;  // must outlive the atlas build
  float ui_scale_ = 1.0f;
  std::set<char32_t> tried_;  // asked for, whether a face had them or not
  std::set<char32_t> extra_;  // added to Fonts[0] beyond ranges_
};

}  // namespace alliance::kiosk::platform
