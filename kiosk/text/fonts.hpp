// The kiosk's fonts: Noto faces in a fallback chain per script, each opened
// only when a character first needs it, shared by HarfBuzz (shaping) and
// FreeType (rasterising). Files are memory-mapped, so a Han name reads the
// few pages of the CJK font it touches, never the whole 19 MB.
#pragma once

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/text/text_engine.hpp"

namespace alliance::kiosk::text {

class FontLibrary {
 public:
  // Opens the primary face at once (throws TextError when it is missing or
  // not a font); the others open on first use, and a missing one is skipped.
  explicit FontLibrary(FontConfig config);
  ~FontLibrary();
  FontLibrary(const FontLibrary&) = delete;
  FontLibrary& operator=(const FontLibrary&) = delete;

  static constexpr FontId kPrimary = 0;

  // The face to draw `cp` with, the first that has it of: the script's own
  // faces (in the order configured), the primary, the last-resort faces
  // (configured for no script), the faces already open, any face (opening
  // them all, once: only characters of no script come this far). nullopt
  // when none has it.
  std::optional<FontId> face_for(char32_t cp, hb_script_t script);
  bool has_glyph(FontId font, char32_t cp);

  hb_font_t* hb_font(FontId font) const { return faces_[font].hb_font; }
  // The FreeType face set to an em of `em_26_6` (26.6 fixed-point pixels);
  // nullptr when the face is not open or cannot take the size.
  FT_Face sized_face(FontId font, FT_F26Dot6 em_26_6);
  // Vertical metrics in ems (ascender up, descender down, both positive).
  float ascender(FontId font) const { return faces_[font].ascender; }
  float descender(FontId font) const { return faces_[font].descender; }
  float units_per_em(FontId font) const { return faces_[font].units_per_em; }
  // ImGui sizes a font by ascender + descender of the primary face (its
  // "pixel height"); text of that size is drawn at this many ems per pixel.
  float em_per_pixel_height() const;
  int faces_open() const;

 private:
  struct Face {
    std::filesystem::path file;
    unsigned index = 0;
    bool tried = false;  // opening was attempted (it may have failed)
    hb_font_t* hb_font = nullptr;
    FT_Face ft_face = nullptr;
    float units_per_em = 1000.0f;
    float ascender = 0.0f;
    float descender = 0.0f;
    FT_F26Dot6 size = 0;  // the em last set on ft_face
  };
  bool open(Face& face);
  Face* usable(FontId font);

  FT_Library ft_ = nullptr;
  std::vector<Face> faces_;  // FontId indexes it; 0 is the primary
  std::map<hb_script_t, std::vector<FontId>> by_script_;
  std::vector<FontId> last_resorts_;                   // faces configured for no script
  std::map<std::filesystem::path, hb_blob_t*> blobs_;  // one mapping per file
};

}  // namespace alliance::kiosk::text
