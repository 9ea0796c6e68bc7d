// Faces opened on first use, and the choice of face for each character.
#include "kiosk/text/fonts.hpp"

#include <string_view>
#include <utility>

#include "common/util/strings.hpp"

namespace alliance::kiosk::text {
namespace {

std::vector<hb_script_t> parse_scripts(std::string_view tags) {
  std::vector<hb_script_t> out;
  for (const auto& tag : util::split(tags, ' ')) {
    const hb_script_t script = hb_script_from_string(tag.data(), static_cast<int>(tag.size()));
    if (script != HB_SCRIPT_UNKNOWN && script != HB_SCRIPT_INVALID) out.push_back(script);
  }
  return out;
}

std::string noto(const char* family) {
  return util::cat("truetype/noto/", family, "-Regular.ttf");
}

constexpr const char* kCjk = "opentype/noto/NotoSansCJK-Regular.ttc";

}  // namespace

FontConfig default_font_config(std::filesystem::path primary) {
  FontConfig config;
  config.primary = std::move(primary);
  config.directory = kDefaultFontDirectory;
  config.faces = {
      {noto("NotoSansArabic"), 0, "Arab"},
      {noto("NotoSansHebrew"), 0, "Hebr"},
      {noto("NotoSansSyriac"), 0, "Syrc"},
      {noto("NotoSansThaana"), 0, "Thaa"},
      {noto("NotoSansNKo"), 0, "Nkoo"},
      {noto("NotoSansAdlam"), 0, "Adlm"},
      {noto("NotoSansTifinagh"), 0, "Tfng"},
      {noto("NotoSansVai"), 0, "Vaii"},
      {noto("NotoSansEthiopic"), 0, "Ethi"},
      {noto("NotoSansDevanagari"), 0, "Deva"},
      {noto("NotoSansBengali"), 0, "Beng"},
      {noto("NotoSansGurmukhi"), 0, "Guru"},
      {noto("NotoSansGujarati"), 0, "Gujr"},
      {noto("NotoSansOriya"), 0, "Orya"},
      {noto("NotoSansTamil"), 0, "Taml"},
      {noto("NotoSansTelugu"), 0, "Telu"},
      {noto("NotoSansKannada"), 0, "Knda"},
      {noto("NotoSansMalayalam"), 0, "Mlym"},
      {noto("NotoSansSinhala"), 0, "Sinh"},
      {noto("NotoSansThai"), 0, "Thai"},
      {noto("NotoSansLao"), 0, "Laoo"},
      {noto("NotoSansKhmer"), 0, "Khmr"},
      {noto("NotoSansMyanmar"), 0, "Mymr"},
      {"truetype/noto/NotoSerifTibetan-Regular.ttf", 0, "Tibt"},
      {noto("NotoSansMongolian"), 0, "Mong"},
      {noto("NotoSansGeorgian"), 0, "Geor"},
      {noto("NotoSansArmenian"), 0, "Armn"},
      // Noto Sans CJK is one collection with a face per region (0 JP, 1 KR,
      // 2 SC, 3 TC, 4 HK); each has every Han, Kana and Hangul character,
      // and its `locl` feature draws the other regions' forms when the
      // shaper says the text is Japanese or Korean. One face (Simplified
      // Chinese, which has the Traditional characters too) serves them all:
      // each face opened costs megabytes.
      {kCjk, 2, "Hani Hira Kana Hang Bopo"},
      // Last resorts for symbols no script face has.
      {noto("NotoSansSymbols"), 0, ""},
      {noto("NotoSansSymbols2"), 0, ""},
  };
  return config;
}

FontLibrary::FontLibrary(FontConfig config) {
  if (FT_Init_FreeType(&ft_) != 0) throw TextError("cannot start FreeType");
  faces_.push_back(Face{.file = config.primary});
  for (const FaceSpec& spec : config.faces) {
    const std::filesystem::path file = std::filesystem::path(spec.file).is_absolute()
                                           ? std::filesystem::path(spec.file)
                                           : config.directory / spec.file;
    const auto id = static_cast<FontId>(faces_.size());
    faces_.push_back(Face{.file = file, .index = spec.index});
    const auto scripts = parse_scripts(spec.scripts);
    for (const hb_script_t script : scripts) by_script_[script].push_back(id);
    if (scripts.empty()) last_resorts_.push_back(id);
  }
  if (!open(faces_[kPrimary])) {
    FT_Done_FreeType(ft_);
    throw TextError(
        util::cat("font not found: ", config.primary.string(), " (install fonts-noto-core)"));
  }
}

FontLibrary::~FontLibrary() {
  for (Face& face : faces_) {
    if (face.hb_font != nullptr) hb_font_destroy(face.hb_font);
    if (face.ft_face != nullptr) FT_Done_Face(face.ft_face);
  }
  for (auto& [file, blob] : blobs_) hb_blob_destroy(blob);
  FT_Done_FreeType(ft_);
}

bool FontLibrary::open(Face& face) {
  face.tried = true;
  hb_blob_t*& blob = blobs_[face.file];
  // Mapped, not read: only the pages shaping and rasterising touch count.
  if (blob == nullptr) blob = hb_blob_create_from_file_or_fail(face.file.c_str());
  if (blob == nullptr) return false;
  hb_face_t* hb_face = hb_face_create(blob, face.index);
  const unsigned glyphs = hb_face_get_glyph_count(hb_face);
  if (glyphs == 0) {
    hb_face_destroy(hb_face);
    return false;
  }
  FT_Face ft_face = nullptr;
  if (FT_New_Face(ft_, face.file.c_str(), static_cast<FT_Long>(face.index), &ft_face) != 0 ||
      !FT_IS_SCALABLE(ft_face) || ft_face->units_per_EM == 0) {
    if (ft_face != nullptr) FT_Done_Face(ft_face);
    hb_face_destroy(hb_face);
    return false;
  }
  face.hb_font = hb_font_create(hb_face);  // keeps its own reference to the face
  hb_face_destroy(hb_face);
  face.ft_face = ft_face;
  face.units_per_em = static_cast<float>(ft_face->units_per_EM);
  // FreeType's ascender/descender are the hhea values, which ImGui's
  // stb_truetype also reads: the line boxes of both agree.
  face.ascender = static_cast<float>(ft_face->ascender) / face.units_per_em;
  face.descender = -static_cast<float>(ft_face->descender) / face.units_per_em;
  return true;
}

FontLibrary::Face* FontLibrary::usable(FontId font) {
  if (font >= faces_.size()) return nullptr;
  Face& face = faces_[font];
  if (!face.tried) open(face);
  return face.hb_font != nullptr ? &face : nullptr;
}

bool FontLibrary::has_glyph(FontId font, char32_t cp) {
  const Face* face = usable(font);
  hb_codepoint_t glyph = 0;
  return face != nullptr && hb_font_get_nominal_glyph(face->hb_font, cp, &glyph) && glyph != 0;
}

std::optional<FontId> FontLibrary::face_for(char32_t cp, hb_script_t script) {
  if (const auto it = by_script_.find(script); it != by_script_.end()) {
    for (const FontId id : it->second) {
      if (has_glyph(id, cp)) return id;
    }
  }
  if (has_glyph(kPrimary, cp)) return kPrimary;
  for (const FontId id : last_resorts_) {
    if (has_glyph(id, cp)) return id;
  }
  // Punctuation and symbols of no one script (an ideographic space, a
  // full-width comma): the faces already open, then every face, once.
  for (FontId id = 1; id < faces_.size(); ++id) {
    if (faces_[id].hb_font != nullptr && has_glyph(id, cp)) return id;
  }
  for (FontId id = 1; id < faces_.size(); ++id) {
    if (has_glyph(id, cp)) return id;
  }
  return std::nullopt;
}

FT_Face FontLibrary::sized_face(FontId font, FT_F26Dot6 em_26_6) {
  Face* face = usable(font);
  if (face == nullptr) return nullptr;
  // Setting a size runs a TrueType font's hinting program: only on a change.
  if (face->size != em_26_6) {
    if (FT_Set_Char_Size(face->ft_face, 0, em_26_6, 72, 72) != 0) return nullptr;
    face->size = em_26_6;
  }
  return face->ft_face;
}

float FontLibrary::em_per_pixel_height() const {
  const Face& primary = faces_[kPrimary];
  const float height = primary.ascender + primary.descender;
  return height > 0.0f ? 1.0f / height : 1.0f;
}

int FontLibrary::faces_open() const {
  int open = 0;
  for (const Face& face : faces_) open += face.hb_font != nullptr ? 1 : 0;
  return open;
}

}  // namespace alliance::kiosk::text
