// Font loading with explicit glyph ranges: ImGui's default is Latin-1 only.
#include "kiosk/platform/fonts.hpp"

#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

#include "common/util/strings.hpp"
#include "kiosk/platform/window.hpp"

namespace alliance::kiosk::platform {
namespace {

// Latin-1, Latin Extended-A and -B (names across Africa, Europe and Latin
// America), Cyrillic, general punctuation (dashes, quotes, ellipsis) and the
// currency symbols (€).
constexpr ImWchar kRanges[] = {
    0x0020, 0x00FF,  // Basic Latin + Latin-1 Supplement
    0x0100, 0x017F,  // Latin Extended-A
    0x0180, 0x024F,  // Latin Extended-B
    0x0300, 0x036F,  // combining diacritical marks (decomposed input)
    0x0400, 0x052F,  // Cyrillic + Cyrillic Supplement
    0x1E00, 0x1EFF,  // Latin Extended Additional (Vietnamese, Yoruba)
    0x2000, 0x206F,  // General Punctuation
    0x20A0, 0x20CF,  // Currency Symbols (€)
    0x2190, 0x21FF,  // arrows used by the UI
    0,
};

bool looks_like_a_font(const std::vector<char>& data) {
  if (data.size() < 12) return false;
  static constexpr const char* kMagics[] = {"\x00\x01\x00\x00", "OTTO", "true", "ttcf"};
  return std::any_of(std::begin(kMagics), std::end(kMagics),
                     [&](const char* magic) { return std::memcmp(data.data(), magic, 4) == 0; });
}

}  // namespace

FontSet::FontSet(const std::filesystem::path& path) : path_(path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  std::ifstream in(path, std::ios::binary);
  if (!error && in && size < (64u << 20)) {
    data_.resize(size);
    if (!in.read(data_.data(), static_cast<std::streamsize>(size))) data_.clear();
  }
  if (!looks_like_a_font(data_)) {
    throw PlatformError(util::cat("font not found: ", path.string(), " (install fonts-noto-core)"));
  }
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(kRanges);
  builder.BuildRanges(&ranges_);
}

void FontSet::build(float ui_scale, bool renderer_ready) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig config;
  config.FontDataOwnedByAtlas = false;
  config.OversampleH = 2;  // crisp enough; 3 (the default) costs atlas memory for nothing
  const float pixels = kBaseFontPixels * std::clamp(ui_scale, 0.5f, 3.0f);
  if (!io.Fonts->AddFontFromMemoryTTF(data_.data(), static_cast<int>(data_.size()), pixels, &config,
                                      ranges_.Data)) {
    throw PlatformError(
        util::cat("font not found: ", path_.string(), " (install fonts-noto-core)"));
  }
  static constexpr ImWchar kDisplayRanges[] = {0x0020, 0x007E, 0};  // read at Build()
  ImFontConfig display = config;
  display.OversampleH = 1;  // big glyphs need no horizontal oversampling
  if (!io.Fonts->AddFontFromMemoryTTF(data_.data(), static_cast<int>(data_.size()),
                                      pixels * kDisplayFontFactor, &display, kDisplayRanges)) {
    throw PlatformError(
        util::cat("font not found: ", path_.string(), " (install fonts-noto-core)"));
  }
  if (!io.Fonts->Build()) {
    throw PlatformError(util::cat("cannot build the font atlas from ", path_.string()));
  }
  if (renderer_ready) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
}

}  // namespace alliance::kiosk::platform
