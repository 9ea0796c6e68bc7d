// Renders the kiosk's review step and staff list with a name in every script
// through the real platform code (fonts, text engine, glyph textures, ImGui's
// OpenGL3 renderer) in a real window, and writes the screens (PPM) and where
// each name was drawn, for screenshot_names.sh to compare with renderings
// made outside the kiosk.
//
// usage: render_names OUT_DIR   (needs an X display at least 1280x1600)
// Writes OUT_DIR/review-<key>.ppm, OUT_DIR/today.ppm, the review step of a
// test-only right-to-left table (review-right-to-left.ppm, to look at) and
// OUT_DIR/names.tsv:
//   SCREEN_FILE KEY SCRIPT FONT_FILE FACE_INDEX EM_PIXELS X Y W H TEXT
// (tab-separated, one line per name drawn). Exits 1 saying why on failure.
#include <GLFW/glfw3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "common/model/i18n.hpp"
#include "common/util/embedded.hpp"
#include "kiosk/core/state.hpp"
#include "kiosk/platform/fonts.hpp"
#include "kiosk/platform/renderer.hpp"
#include "kiosk/platform/window.hpp"
#include "kiosk/ui/text.hpp"

namespace {

namespace fs = std::filesystem;
using namespace alliance::kiosk;
using alliance::model::embedded_i18n_tables;
using alliance::model::I18n;

constexpr const char* kSans = "truetype/noto/NotoSans-Regular.ttf";
constexpr const char* kCjk = "opentype/noto/NotoSansCJK-Regular.ttc";

struct Sample {
  const char* key;
  const char* script;
  const char* given;
  const char* family;
  const char* font;  // the face that should draw it, under /usr/share/fonts
  int face;
};

// A name in each script issue 12 lists.
constexpr Sample kSamples[] = {
    {"latin-vietnamese", "Latin (Vietnamese)", "Nguyễn", "Thị Minh Khai", kSans, 0},
    {"latin-yoruba", "Latin (Yoruba, combining marks)", "Adébáyọ̀", "Ọlápọ̀", kSans, 0},
    {"latin-moldovan", "Latin (comma below)", "Ștefan", "Țurcanu", kSans, 0},
    {"cyrillic", "Cyrillic", "Александра", "Иванова", kSans, 0},
    {"greek", "Greek", "Ελένη", "Παπαδοπούλου", kSans, 0},
    {"arabic", "Arabic", "محمد", "عبد الله", "truetype/noto/NotoSansArabic-Regular.ttf", 0},
    {"hebrew", "Hebrew", "יוסף", "כהן", "truetype/noto/NotoSansHebrew-Regular.ttf", 0},
    {"ethiopic", "Ethiopic", "አበበ", "ቢቂላ", "truetype/noto/NotoSansEthiopic-Regular.ttf", 0},
    {"devanagari", "Devanagari", "सुनीता", "शर्मा", "truetype/noto/NotoSansDevanagari-Regular.ttf",
     0},
    {"bengali", "Bengali", "শ্রাবন্তী", "রহমান", "truetype/noto/NotoSansBengali-Regular.ttf", 0},
    {"tamil", "Tamil", "முருகன்", "கிருஷ்ணன்", "truetype/noto/NotoSansTamil-Regular.ttf", 0},
    {"thai", "Thai", "สมชาย", "ใจดี", "truetype/noto/NotoSansThai-Regular.ttf", 0},
    {"khmer", "Khmer", "សុខា", "ចាន់", "truetype/noto/NotoSansKhmer-Regular.ttf", 0},
    {"myanmar", "Myanmar", "အောင်", "ကျော်", "truetype/noto/NotoSansMyanmar-Regular.ttf", 0},
    {"han-simplified", "Han (Simplified)", "秀英", "张伟", kCjk, 2},
    {"han-traditional", "Han (Traditional)", "淑芬", "陳志強", kCjk, 2},
    {"hangul", "Hangul", "민준", "김서연", kCjk, 2},
    {"kana", "Kana (Hiragana and Katakana)", "さくら", "ヤマダ", kCjk, 2},
};

bool write_ppm(const fs::path& file, const std::vector<std::uint8_t>& rgb, int width, int height) {
  std::ofstream out(file, std::ios::binary);
  out << "P6\n" << width << " " << height << "\n255\n";
  out.write(reinterpret_cast<const char*>(rgb.data()), static_cast<std::streamsize>(rgb.size()));
  return static_cast<bool>(out);
}

// Draws `state` until ImGui settled (tables size themselves over two
// frames), then once more recording where texts go, and returns the screen.
std::vector<std::uint8_t> render(platform::FrameRenderer& renderer, GLFWwindow* window,
                                 const AppState& state, const I18n& i18n,
                                 std::vector<ui::DrawnText>& drawn, int& width, int& height) {
  std::vector<Intent> intents;
  for (int i = 0; i < 3; ++i) {
    glfwPollEvents();
    renderer.build(state, i18n, intents);
    renderer.render();
    glfwSwapBuffers(window);
  }
  drawn.clear();
  ui::set_text_probe(&drawn);
  renderer.build(state, i18n, intents);
  ui::set_text_probe(nullptr);
  renderer.render();
  glFinish();
  auto pixels = renderer.read_pixels(width, height);
  glfwSwapBuffers(window);
  return pixels;
}

std::optional<ui::DrawnText> find(const std::vector<ui::DrawnText>& drawn,
                                  const std::string& text) {
  for (const auto& d : drawn) {
    if (d.text == text) return d;
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: render_names OUT_DIR\n";
    return 2;
  }
  const fs::path out_dir = argv[1];
  try {
    fs::create_directories(out_dir);
    platform::FontSet fonts(text::kDefaultPrimaryFont);
    platform::GlfwLibrary glfw;
    auto [window, glsl_version] = platform::create_window("Alliance Field Kit", true);
    platform::ImGuiSession imgui(window.get(), glsl_version);
    ImGui::GetIO().IniFilename = nullptr;
    platform::FrameRenderer renderer(window.get(), fonts, text::kDefaultPrimaryFont);
    AppState state;
    renderer.apply_look(state.settings);
    const I18n& i18n = I18n::embedded();
    const float em = renderer.text().em_pixels(platform::kBaseFontPixels);

    std::ofstream manifest(out_dir / "names.tsv");
    std::vector<ui::DrawnText> drawn;
    int width = 0;
    int height = 0;
    const auto record = [&](const std::string& screen, const Sample& s, const std::string& text) {
      const auto d = find(drawn, text);
      if (!d) throw std::runtime_error(screen + ": " + s.key + " was not drawn");
      manifest << screen << '\t' << s.key << '\t' << s.script << '\t' << s.font << '\t' << s.face
               << '\t' << em << '\t' << static_cast<int>(d->min.x) << '\t'
               << static_cast<int>(d->min.y) << '\t' << static_cast<int>(d->max.x - d->min.x + 1)
               << '\t' << static_cast<int>(d->max.y - d->min.y + 1) << '\t' << text << '\n';
    };

    // The review step: given and family name as the person typed them.
    state.screen = Screen::register_review;
    state.draft.country = "KE";
    state.draft.consent = true;
    for (const Sample& s : kSamples) {
      state.draft.given_name = s.given;
      state.draft.family_name = s.family;
      const auto pixels = render(renderer, window.get(), state, i18n, drawn, width, height);
      const std::string file = std::string("review-") + s.key + ".ppm";
      if (!write_ppm(out_dir / file, pixels, width, height))
        throw std::runtime_error("cannot write " + file);
      record(file, s, s.given);
      record(file, s, s.family);
    }

    // The staff list of today's registrations: every name at once.
    state.screen = Screen::staff_today;
    state.today = "2026-11-28";
    int n = 0;
    for (const Sample& s : kSamples) {
      alliance::model::Member m;
      m.id = "member-" + std::to_string(n++);
      m.given_name = s.given;
      m.family_name = s.family;
      m.reference_code = "K7M-" + std::to_string(40 + n);
      state.today_registrations.push_back(m);
    }
    const auto pixels = render(renderer, window.get(), state, i18n, drawn, width, height);
    if (!write_ppm(out_dir / "today.ppm", pixels, width, height))
      throw std::runtime_error("cannot write today.ppm");
    for (std::size_t i = 0; i < std::size(kSamples); ++i) {
      record("today.ppm", kSamples[i], state.today_registrations[i].display_name());
    }
    // For a person to look at (not compared): the review step of a
    // right-to-left language, from a table that exists only here.
    const std::string arabic = R"({"_direction": "rtl", "language.native_name": "العربية",
        "register.review.title": "راجع بياناتك", "field.given_name": "الاسم الأول",
        "field.family_name": "اسم العائلة", "ui.back": "رجوع", "ui.cancel": "إلغاء",
        "register.save": "احفظ تسجيلي"})";
    std::vector<alliance::util::EmbeddedFile> tables(embedded_i18n_tables().begin(),
                                                     embedded_i18n_tables().end());
    tables.push_back({"ar.json", arabic});
    const auto with_arabic = I18n::parse(tables);
    if (!with_arabic) throw std::runtime_error(with_arabic.error());
    AppState rtl;
    rtl.screen = Screen::register_review;
    rtl.settings.language = "ar";
    rtl.draft.given_name = "محمد";
    rtl.draft.family_name = "عبد الله";
    rtl.draft.email = "mohamed@example.org";
    rtl.draft.consent = true;
    const auto rtl_pixels = render(renderer, window.get(), rtl, *with_arabic, drawn, width, height);
    if (!write_ppm(out_dir / "review-right-to-left.ppm", rtl_pixels, width, height)) {
      throw std::runtime_error("cannot write review-right-to-left.ppm");
    }

    std::cout << "render_names: " << std::size(kSamples) << " names on " << std::size(kSamples) + 1
              << " screens of " << width << "x" << height << " in " << out_dir.string() << "\n";
    return manifest ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "render_names: " << e.what() << "\n";
    return 1;
  }
}
