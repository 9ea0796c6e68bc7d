// Text in every script for the kiosk's screens: HarfBuzz shapes it, FriBidi
// orders it, lines break at the width given, and FreeType rasterises each
// glyph the first time it is drawn into texture pages. It knows nothing of
// ImGui or OpenGL: kiosk/ui draws the layouts it returns, kiosk/platform puts
// its pages on the GPU (GlyphTextures). Single-threaded: the UI thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace alliance::kiosk::text {

using FontId = std::uint16_t;
// What a GlyphTextures implementation returns for a page (an OpenGL texture
// name, or anything else a renderer can draw with). 0 is never a page.
using TextureHandle = std::uintptr_t;

class TextError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One face of the fallback chain: the first choice for the scripts named
// (ISO 15924 tags, "Arab" or "Hani Hira Kana"), and a last resort for any
// character no earlier face has.
struct FaceSpec {
  std::string file;     // relative to FontConfig::directory unless absolute
  unsigned index = 0;   // the face within a collection (.ttc)
  std::string scripts;  // space-separated ISO 15924 tags
};

struct FontConfig {
  // Latin (with all its extensions and combining marks), Greek, Cyrillic,
  // punctuation; its metrics set the line height.
  std::filesystem::path primary;
  std::filesystem::path directory;
  std::vector<FaceSpec> faces;
};

inline constexpr const char* kDefaultFontDirectory = "/usr/share/fonts";
inline constexpr const char* kDefaultPrimaryFont =
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";

// Debian's Noto fonts (fonts-noto-core, fonts-noto-cjk) for the scripts the
// alliance's members write their names in: Arabic, Hebrew, Syriac, Thaana,
// N'Ko, Adlam, Tifinagh, Vai, Ethiopic, the Indic scripts, Sinhala, Thai, Lao,
// Khmer, Myanmar, Tibetan, Mongolian, Georgian, Armenian, and Han (Simplified
// and Traditional), Kana and Hangul from Noto Sans CJK.
FontConfig default_font_config(std::filesystem::path primary = kDefaultPrimaryFont);

enum class Direction : std::uint8_t { ltr, rtl };

// Where pages of rasterised glyphs go so a renderer can draw them.
class GlyphTextures {
 public:
  virtual ~GlyphTextures() = default;
  // A new page of size x size pixels, all transparent.
  virtual TextureHandle create_page(int size) = 0;
  // Copies a rectangle of coverage (one byte a pixel, 0 transparent, 255
  // opaque; rows `stride` bytes apart, starting at the rectangle's first
  // pixel) to (x, y) of the page.
  virtual void update_page(TextureHandle page, const std::uint8_t* coverage, int stride, int x,
                           int y, int width, int height) = 0;
};

// Pages that exist only as numbers: for headless UI tests and tools without
// a GPU (the pixels stay in the engine's own copy).
class NullTextures final : public GlyphTextures {
 public:
  TextureHandle create_page(int) override { return ++pages_; }
  void update_page(TextureHandle, const std::uint8_t*, int, int, int, int, int) override {}

 private:
  TextureHandle pages_ = 0;
};

// A glyph placed on a line: x from the line's left edge to the glyph's
// origin, y from the baseline (down is positive), in pixels.
struct PlacedGlyph {
  FontId font = 0;
  std::uint32_t glyph = 0;
  float x = 0.0f;
  float y = 0.0f;
};

// One line, its glyphs in visual order (left to right on screen).
struct Line {
  std::vector<PlacedGlyph> glyphs;
  float width = 0.0f;  // without the spaces it ends with
  // Pixels above and below the baseline: the primary face's ascender and
  // descender, or further where ink reaches further (stacked marks, Myanmar).
  float ascent = 0.0f;
  float descent = 0.0f;
  // The UTF-8 bytes [begin, end) of the text this line shows.
  std::size_t begin = 0;
  std::size_t end = 0;
};

struct TextLayout {
  std::vector<Line> lines;
  float width = 0.0f;  // of the widest line
};

// Where a glyph's pixels are: a page and the rectangle on it (as 0..1
// texture coordinates), and where they go relative to the pen position.
struct GlyphImage {
  TextureHandle page = 0;
  float u0 = 0.0f, v0 = 0.0f, u1 = 0.0f, v1 = 0.0f;
  int left = 0;  // from the pen to the image's left edge
  int top = 0;   // from the baseline up to the image's top edge
  int width = 0;
  int height = 0;
};

// A single rasterised character, for ImGui's own font atlas.
struct Bitmap {
  int width = 0;
  int height = 0;
  int left = 0;
  int top = 0;
  float advance = 0.0f;
  std::vector<std::uint8_t> coverage;  // width * height bytes
};

struct TextStats {
  int faces_open = 0;
  std::size_t shaped_texts = 0;  // cached
  int glyph_pages = 0;
  std::size_t glyphs = 0;  // rasterised and cached
};

class TextEngine {
 public:
  // Opens the primary face; throws TextError "font not found: <path>
  // (install fonts-noto-core)" when it cannot. `textures` must outlive this.
  TextEngine(FontConfig config, GlyphTextures& textures);
  ~TextEngine();
  TextEngine(const TextEngine&) = delete;
  TextEngine& operator=(const TextEngine&) = delete;

  // Lays `utf8` out for a font `pixel_height` tall (ImGui's font size),
  // breaking lines wider than `wrap_width` (0 or less: only at '\n').
  // `base` is the paragraph direction (the UI's); text in the other
  // direction inside it is reordered. Invalid UTF-8 shows U+FFFD.
  TextLayout layout(std::string_view utf8, float pixel_height, float wrap_width, Direction base);

  // The image of a glyph whose pen sits at `pen_x` (its fraction picks a
  // sub-pixel variant); rasterised now if it is new. nullptr for glyphs with
  // nothing to draw (spaces). Valid until the next begin_frame().
  const GlyphImage* glyph(const PlacedGlyph& placed, float pixel_height, float pen_x);

  // The em, in pixels, of text `pixel_height` tall (ImGui sizes a font by
  // the primary face's ascender plus descender, not by its em).
  float em_pixels(float pixel_height) const;
  // The primary face's ascender and descender at `pixel_height`, in pixels.
  float primary_ascent(float pixel_height) const;
  float primary_descent(float pixel_height) const;

  // Between frames: drops caches that outgrew their bounds.
  void begin_frame();
  // Sends the glyphs rasterised since the last call to the textures; call
  // after building a frame and before drawing it.
  void upload();

  // One character unshaped, from the first face that has it, at the size
  // ImGui's atlas uses; nullopt when no face has it.
  std::optional<Bitmap> rasterize_codepoint(char32_t cp, float pixel_height);

  // The code points of `utf8` (U+FFFD for each invalid sequence).
  static std::vector<char32_t> codepoints(std::string_view utf8);

  TextStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace alliance::kiosk::text
