// The text engine with the real Noto fonts: every script the alliance's
// members write their names in gets real glyphs, Arabic joins and runs right
// to left, Indic clusters reorder, lines break where they may, and faces and
// glyphs load only when a text needs them.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "kiosk/text/text_engine.hpp"

namespace {

using namespace alliance::kiosk;
using text::Direction;

constexpr float kPixels = 22.0f;  // the kiosk's body size

struct Sample {
  const char* script;
  const char* name;
};

// A name in each script the issue lists (Latin with its extensions and
// combining marks, decomposed included), plus a few more the chain covers.
constexpr Sample kNames[] = {
    {"Latin (Vietnamese)", "Nguyễn Thị Minh Khai"},
    {"Latin (Yoruba, decomposed)", "Adébáyọ̀ Ọlápọ̀"},
    {"Latin (Moldovan comma below)", "Ștefan Țurcanu"},
    {"Latin Extended-B", "Ǹnamdi Ɓello"},
    {"Cyrillic", "Александра Иванова"},
    {"Greek", "Ελένη Παπαδοπούλου"},
    {"Arabic", "محمد عبد الله"},
    {"Hebrew", "יוסף כהן"},
    {"Ethiopic", "አበበ ቢቂላ"},
    {"Devanagari", "सुनीता शर्मा"},
    {"Bengali", "সুমাইয়া রহমান"},
    {"Tamil", "முருகன் செல்வம்"},
    {"Thai", "สมชาย ใจดี"},
    {"Khmer", "សុខា ចាន់"},
    {"Myanmar", "အောင် ကျော်"},
    {"Han (Simplified)", "王秀英"},
    {"Han (Traditional)", "陳淑芬"},
    {"Hangul", "김민준"},
    {"Kana", "やまだ さくら"},
    {"Georgian", "ნინო ბერიძე"},
    {"Sinhala", "කමල් පෙරේරා"},
};

class Engine {
 public:
  Engine() : engine_(text::default_font_config(), textures_) {}
  text::TextEngine& operator*() { return engine_; }
  text::TextEngine* operator->() { return &engine_; }

 private:
  text::NullTextures textures_;
  text::TextEngine engine_;
};

std::vector<std::uint32_t> glyph_ids(const text::TextLayout& layout) {
  std::vector<std::uint32_t> out;
  for (const auto& line : layout.lines) {
    for (const auto& g : line.glyphs) out.push_back(g.glyph);
  }
  return out;
}

}  // namespace

TEST_CASE("a name in every script is drawn with real glyphs, none missing") {
  Engine engine;
  for (const Sample& sample : kNames) {
    CAPTURE(sample.script);
    const auto layout = engine->layout(sample.name, kPixels, 0.0f, Direction::ltr);
    REQUIRE(layout.lines.size() == 1);
    const auto& line = layout.lines.front();
    REQUIRE_FALSE(line.glyphs.empty());
    // Glyph 0 is .notdef, the "tofu" box drawn for a character no face has.
    CHECK(std::none_of(line.glyphs.begin(), line.glyphs.end(),
                       [](const text::PlacedGlyph& g) { return g.glyph == 0; }));
    CHECK(line.width > kPixels);
    // Each glyph that has ink gets an image in a page.
    int drawn = 0;
    for (const auto& g : line.glyphs) drawn += engine->glyph(g, kPixels, g.x) != nullptr ? 1 : 0;
    CHECK(drawn >= 2);
  }
}

TEST_CASE("Arabic letters join and run right to left") {
  Engine engine;
  // Meem, hah, meem, dal: each letter alone is its isolated form.
  const char* letters[] = {"م", "ح", "م", "د"};
  std::vector<std::uint32_t> isolated;
  for (const char* letter : letters) {
    isolated.push_back(glyph_ids(engine->layout(letter, kPixels, 0.0f, Direction::ltr)).at(0));
  }
  const auto joined_layout = engine->layout("محمد", kPixels, 0.0f, Direction::ltr);
  const auto joined = glyph_ids(joined_layout);
  REQUIRE(joined.size() == 4);
  // On screen, left to right: dal (last letter) first, the first meem last.
  std::vector<std::uint32_t> isolated_visual(isolated.rbegin(), isolated.rend());
  int differing = 0;
  for (std::size_t i = 0; i < joined.size(); ++i) differing += joined[i] != isolated_visual[i];
  // Initial meem, medial hah, medial meem (final dal may look like its isolated form).
  CHECK(differing >= 3);
  // Unjoined (zero-width non-joiners between the letters) gives the isolated forms back.
  const auto unjoined =
      glyph_ids(engine->layout("م\u200Cح\u200Cم\u200Cد", kPixels, 0.0f, Direction::ltr));
  std::vector<std::uint32_t> unjoined_letters;
  for (const auto g : unjoined) {
    if (std::find(isolated.begin(), isolated.end(), g) != isolated.end()) {
      unjoined_letters.push_back(g);
    }
  }
  CHECK(unjoined_letters.size() == 4);
  // The glyphs advance left to right on screen.
  const auto& line = joined_layout.lines.front();
  for (std::size_t i = 1; i < line.glyphs.size(); ++i) {
    CHECK(line.glyphs[i].x >= line.glyphs[i - 1].x);
  }
}

TEST_CASE("mixed directions: an Arabic name inside an English sentence and the reverse") {
  Engine engine;
  const std::string latin_first = "Grace محمد";
  const auto ltr = engine->layout(latin_first, kPixels, 0.0f, Direction::ltr);
  const auto rtl = engine->layout(latin_first, kPixels, 0.0f, Direction::rtl);
  const auto g = engine->layout("G", kPixels, 0.0f, Direction::ltr).lines[0].glyphs[0].glyph;
  const auto& ltr_line = ltr.lines.at(0);
  const auto& rtl_line = rtl.lines.at(0);
  // Left to right, "Grace" starts the line; right to left, the Arabic name comes first on the left.
  CHECK(ltr_line.glyphs.front().glyph == g);
  CHECK(rtl_line.glyphs.front().glyph != g);
  const auto g_at = std::find_if(rtl_line.glyphs.begin(), rtl_line.glyphs.end(),
                                 [&](const text::PlacedGlyph& p) { return p.glyph == g; });
  REQUIRE(g_at != rtl_line.glyphs.end());
  CHECK(g_at->x > rtl_line.width / 3.0f);
  CHECK(ltr_line.width == doctest::Approx(rtl_line.width).epsilon(0.01));
}

TEST_CASE("Devanagari clusters reorder and conjoin, Latin marks sit on their letters") {
  Engine engine;
  // Ka + vowel sign i: the sign is drawn before (left of) the consonant.
  const auto ki = engine->layout("कि", kPixels, 0.0f, Direction::ltr).lines.at(0);
  const auto ka = engine->layout("क", kPixels, 0.0f, Direction::ltr).lines.at(0);
  REQUIRE(ki.glyphs.size() == 2);
  CHECK(ki.glyphs[1].glyph == ka.glyphs[0].glyph);
  CHECK(ki.glyphs[0].glyph != ka.glyphs[0].glyph);
  // Ka + virama + ssa: one conjunct glyph (kssa), not three.
  const auto kssa = engine->layout("क्ष", kPixels, 0.0f, Direction::ltr).lines.at(0);
  CHECK(kssa.glyphs.size() < 3);

  // A decomposed "ễ" is drawn as the precomposed letter the font has.
  const auto decomposed = engine->layout("e\u0302\u0303", kPixels, 0.0f, Direction::ltr);
  const auto precomposed = engine->layout("ễ", kPixels, 0.0f, Direction::ltr);
  CHECK(glyph_ids(decomposed) == glyph_ids(precomposed));
  // q + combining circumflex + tilde has no precomposed form: the marks take
  // no advance and sit on the q.
  const auto marked = engine->layout("q\u0302\u0303", kPixels, 0.0f, Direction::ltr);
  const auto& line = marked.lines.at(0);
  const float q_width = engine->layout("q", kPixels, 0.0f, Direction::ltr).lines.at(0).width;
  REQUIRE(line.glyphs.size() == 3);
  CHECK(line.width == doctest::Approx(q_width).epsilon(0.05));
  // Each mark's ink lies over the q's, and the second above the first.
  const auto ink = [&](const text::PlacedGlyph& g) { return engine->glyph(g, kPixels, g.x); };
  const text::GlyphImage* q = ink(line.glyphs[0]);
  REQUIRE(q != nullptr);
  float previous_top = -1000.0f;
  for (std::size_t i = 1; i < 3; ++i) {
    const text::GlyphImage* mark = ink(line.glyphs[i]);
    REQUIRE(mark != nullptr);
    const float left = line.glyphs[i].x + static_cast<float>(mark->left);
    CHECK(left < static_cast<float>(q->left + q->width));
    CHECK(left + static_cast<float>(mark->width) > static_cast<float>(q->left));
    const float top = static_cast<float>(mark->top) - line.glyphs[i].y;  // above the baseline
    CHECK(top > static_cast<float>(q->top));
    CHECK(top > previous_top);
    previous_top = top;
  }
  CHECK(std::none_of(line.glyphs.begin(), line.glyphs.end(),
                     [](const text::PlacedGlyph& p) { return p.glyph == 0; }));
}

TEST_CASE("Han next to Kana takes the Japanese form, alone the Chinese one") {
  Engine engine;
  // U+76F4 is drawn differently in Japan and China; the CJK face's `locl`
  // feature picks the form when the text is known to be Japanese.
  const auto chinese = engine->layout("直", kPixels, 0.0f, Direction::ltr).lines.at(0);
  const auto japanese = engine->layout("直す", kPixels, 0.0f, Direction::ltr).lines.at(0);
  REQUIRE(chinese.glyphs.size() == 1);
  REQUIRE(japanese.glyphs.size() == 2);
  CHECK(chinese.glyphs[0].font == japanese.glyphs[0].font);
  CHECK(chinese.glyphs[0].glyph != japanese.glyphs[0].glyph);
}

TEST_CASE("lines break at spaces, between ideographs, and inside a word only when they must") {
  Engine engine;
  const std::string words = "Nguyễn Thị Minh Khai Adébáyọ̀ Ọlápọ̀ Александра Иванова";
  const float width = kPixels * 8.0f;
  const auto layout = engine->layout(words, kPixels, width, Direction::ltr);
  CHECK(layout.lines.size() >= 3);
  for (const auto& line : layout.lines) {
    CHECK(line.width <= width + 0.5f);
    const std::string shown = words.substr(line.begin, line.end - line.begin);
    CAPTURE(shown);
    // A line breaks after a space: no line starts with one.
    CHECK(shown.front() != ' ');
  }
  // Han has no spaces: it breaks between characters.
  const std::string han = "王秀英陳淑芬王秀英陳淑芬王秀英陳淑芬";
  const auto han_layout = engine->layout(han, kPixels, kPixels * 4.5f, Direction::ltr);
  CHECK(han_layout.lines.size() >= 3);
  for (const auto& line : han_layout.lines) CHECK(line.width <= kPixels * 4.5f + 0.5f);
  // A word longer than the line is cut where it must be.
  const auto long_word = engine->layout("Wolfeschlegelsteinhausenbergerdorff", kPixels,
                                        kPixels * 5.0f, Direction::ltr);
  CHECK(long_word.lines.size() >= 2);
  // '\n' always breaks, and an empty text is one empty line.
  CHECK(engine->layout("one\ntwo", kPixels, 0.0f, Direction::ltr).lines.size() == 2);
  CHECK(engine->layout("", kPixels, 0.0f, Direction::ltr).lines.size() == 1);
}

TEST_CASE("faces open when a text needs them and glyphs are rasterised once") {
  Engine engine;
  CHECK(engine->stats().faces_open == 1);  // Noto Sans, for the metrics
  engine->layout("Amélie Ștefan Александра", kPixels, 0.0f, Direction::ltr);
  CHECK(engine->stats().faces_open == 1);
  engine->layout("王秀英", kPixels, 0.0f, Direction::ltr);
  CHECK(engine->stats().faces_open == 2);  // and only the one CJK face of five
  engine->layout("さくら 김민준", kPixels, 0.0f, Direction::ltr);
  CHECK(engine->stats().faces_open == 2);  // Kana and Hangul from the same face

  const auto line = engine->layout("Amina", kPixels, 0.0f, Direction::ltr).lines.at(0);
  const auto before = engine->stats().glyphs;
  const text::GlyphImage* first = engine->glyph(line.glyphs[0], kPixels, 10.0f);
  const auto after_one = engine->stats().glyphs;
  const text::GlyphImage* again = engine->glyph(line.glyphs[0], kPixels, 10.0f);
  CHECK(after_one == before + 1);
  CHECK(engine->stats().glyphs == after_one);
  CHECK(first == again);
  REQUIRE(first != nullptr);
  CHECK(first->width > 0);
  CHECK(first->u1 > first->u0);
  CHECK(engine->stats().glyph_pages == 1);
}

TEST_CASE("the glyph cache stays within its pages and starts again between frames") {
  Engine engine;
  // Thousands of Han characters at a large size overflow the page budget.
  std::string many;
  for (char32_t cp = 0x4E00; cp < 0x4E00 + 3000; ++cp) {
    many += static_cast<char>(0xE0 | (cp >> 12));
    many += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    many += static_cast<char>(0x80 | (cp & 0x3F));
  }
  const float big = 40.0f;
  const auto layout = engine->layout(many, big, 0.0f, Direction::ltr);
  for (const auto& g : layout.lines.at(0).glyphs) engine->glyph(g, big, 0.0f);
  const int pages_in_frame = engine->stats().glyph_pages;
  CHECK(pages_in_frame > 8);  // a frame gets what it needs...
  engine->begin_frame();      // ...and the next starts again on the same pages
  CHECK(engine->stats().glyphs == 0);
  const auto line = engine->layout("Amina", kPixels, 0.0f, Direction::ltr).lines.at(0);
  CHECK(engine->glyph(line.glyphs[0], kPixels, 0.0f) != nullptr);
  for (const auto& g : layout.lines.at(0).glyphs) engine->glyph(g, big, 0.0f);
  CHECK(engine->stats().glyph_pages == pages_in_frame);
}

TEST_CASE("single characters for ImGui's atlas, and invalid UTF-8") {
  Engine engine;
  const auto meem = engine->rasterize_codepoint(U'\u0645', kPixels);
  REQUIRE(meem.has_value());
  CHECK(meem->width > 0);
  CHECK(meem->advance > 0.0f);
  CHECK(std::any_of(meem->coverage.begin(), meem->coverage.end(), [](auto c) { return c > 128; }));
  const auto space = engine->rasterize_codepoint(U'\u3000', kPixels);  // ideographic space
  REQUIRE(space.has_value());
  CHECK(space->coverage.empty());
  CHECK(space->advance > kPixels * 0.5f);
  CHECK_FALSE(engine->rasterize_codepoint(U'\U000E0100', kPixels).has_value());  // no face has it

  CHECK(text::TextEngine::codepoints("aé王") == std::vector<char32_t>{U'a', U'é', U'王'});
  const auto broken = engine->layout(
      "a\xff\xfe"
      "b",
      kPixels, 0.0f, Direction::ltr);
  CHECK(broken.lines.at(0).glyphs.size() >= 3);  // replacement characters, no crash
  CHECK(text::TextEngine::codepoints("a\xff").at(1) == U'\uFFFD');
}

TEST_CASE("a missing primary font is a clear error") {
  text::NullTextures textures;
  auto config = text::default_font_config("/nonexistent/NotoSans-Regular.ttf");
  CHECK_THROWS_WITH_AS(text::TextEngine(config, textures),
                       doctest::Contains("font not found: /nonexistent/NotoSans-Regular.ttf"),
                       text::TextError);
}
