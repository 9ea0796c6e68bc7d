// Font loading with explicit glyph ranges (ImGui's default is Latin-1 only),
// plus characters rasterised by the text engine as custom atlas glyphs.
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

// Han, Hangul syllables and the other large scripts from U+2E80 on are
// added a character at a time; smaller ones a 128-character block at a time.
bool one_at_a_time(char32_t cp) {
  return cp >= 0x2E80;
}

// A character drawn by the text engine, waiting for its place in the atlas.
struct ExtraGlyph {
  char32_t codepoint;
  int rect;
  text::Bitmap bitmap;
};

// Registers each of `codepoints` that a face has as a custom glyph of `font`
// (its pixels are copied in after the atlas is built); drops the others.
std::vector<ExtraGlyph> register_extras(std::set<char32_t>& codepoints, ImFont* font, float pixels,
                                        text::TextEngine& engine) {
  std::vector<ExtraGlyph> out;
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  for (auto it = codepoints.begin(); it != codepoints.end();) {
    auto bitmap = engine.rasterize_codepoint(*it, pixels);
    if (!bitmap) {
      it = codepoints.erase(it);
      continue;
    }
    // The offset is from the baseline for now: the font's ascent is known
    // only once the atlas is built.
    const int rect = atlas->AddCustomRectFontGlyph(
        font, static_cast<ImWchar>(*it), std::max(1, bitmap->width), std::max(1, bitmap->height),
        bitmap->advance,
        ImVec2(static_cast<float>(bitmap->left), static_cast<float>(-bitmap->top)));
    out.push_back({*it, rect, std::move(*bitmap)});
    ++it;
  }
  return out;
}

void copy_extras(const std::vector<ExtraGlyph>& extras, ImFont* font) {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  unsigned char* pixels = nullptr;
  int width = 0;
  int height = 0;
  atlas->GetTexDataAsRGBA32(&pixels, &width, &height);
  for (const ExtraGlyph& extra : extras) {
    const ImFontAtlasCustomRect* rect = atlas->GetCustomRectByIndex(extra.rect);
    for (int row = 0; row < extra.bitmap.height; ++row) {
      for (int col = 0; col < extra.bitmap.width; ++col) {
        unsigned char* out =
            pixels + (static_cast<std::size_t>(rect->Y + row) * static_cast<std::size_t>(width) +
                      static_cast<std::size_t>(rect->X + col)) *
                         4;
        out[0] = out[1] = out[2] = 255;
        out[3] = extra.bitmap.coverage[static_cast<std::size_t>(row * extra.bitmap.width + col)];
      }
    }
    // ImGui places glyphs from the top of the line.
    if (const ImFontGlyph* glyph =
            font->FindGlyphNoFallback(static_cast<ImWchar>(extra.codepoint))) {
      auto* editable = const_cast<ImFontGlyph*>(glyph);
      editable->Y0 += font->Ascent;
      editable->Y1 += font->Ascent;
    }
  }
}

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

void FontSet::build(float ui_scale, bool renderer_ready, text::TextEngine& engine) {
  ui_scale_ = ui_scale;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig config;
  config.FontDataOwnedByAtlas = false;
  config.OversampleH = 2;  // crisp enough; 3 (the default) costs atlas memory for nothing
  const float pixels = kBaseFontPixels * std::clamp(ui_scale, 0.5f, 3.0f);
  ImFont* body = io.Fonts->AddFontFromMemoryTTF(data_.data(), static_cast<int>(data_.size()),
                                                pixels, &config, ranges_.Data);
  if (body == nullptr) {
    throw PlatformError(
        util::cat("font not found: ", path_.string(), " (install fonts-noto-core)"));
  }
  const auto extras = register_extras(extra_, body, pixels, engine);
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
  copy_extras(extras, body);
  if (renderer_ready) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
}

}  // namespace alliance::kiosk::platform

namespace alliance::kiosk::platform {

bool FontSet::add(std::span<const char32_t> codepoints, text::TextEngine& engine) {
  const ImFont* body =
      ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
  bool grew = false;
  for (const char32_t cp : codepoints) {
    if (tried_.contains(cp)) continue;
    const char32_t first = one_at_a_time(cp) ? cp : (cp & ~char32_t{0x7F});
    const char32_t last = one_at_a_time(cp) ? cp : (cp | char32_t{0x7F});
    for (char32_t c = first; c <= last; ++c) {
      // ImWchar is 16-bit in this ImGui, and surrogates are not characters.
      if (c > 0xFFFF || (c >= 0xD800 && c <= 0xDFFF)) continue;
      if (!tried_.insert(c).second) continue;
      if (body != nullptr && body->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr)
        continue;
      extra_.insert(c);
      grew = true;
    }
  }
  if (grew) build(ui_scale_, true, engine);
  return grew;
}

}  // namespace alliance::kiosk::platform
