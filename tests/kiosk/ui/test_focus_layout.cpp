// The keyboard's focus order, drop-down keys, scrolling and the pinned action
// bar, and the contrast of the style, with real ImGui frames drawn headless.
#include <doctest/doctest.h>

#include <imgui.h>
#include <imgui_internal.h>  // NavId, the open popups

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "imgui_harness.hpp"
#include "kiosk/ui/focus.hpp"
#include "kiosk/ui/layout.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/ui.hpp"
#include "ui_states.hpp"

namespace {

using namespace alliance;
using kiosk::AppState;
using kiosk::Screen;
using test::ImGuiHarness;

const model::I18n& i18n() {
  return model::I18n::embedded();
}

// The field an EditField intent of the frame named, with its value.
std::optional<std::pair<std::string, std::string>> edited(
    const std::vector<kiosk::Intent>& intents) {
  for (const auto& i : intents) {
    if (const auto* e = std::get_if<kiosk::intent::EditField>(&i)) {
      return std::pair{e->field, e->value};
    }
  }
  return std::nullopt;
}

template <class T>
bool emitted(const std::vector<kiosk::Intent>& intents) {
  for (const auto& i : intents) {
    if (std::holds_alternative<T>(i)) return true;
  }
  return false;
}

// Presses a key and draws until the focus settled; returns every intent.
std::vector<kiosk::Intent> key(ImGuiHarness& imgui, const AppState& s, ImGuiHarness::Key k,
                               bool shift = false) {
  imgui.press(k, shift);
  std::vector<kiosk::Intent> all = imgui.frame(s, i18n());
  for (int i = 0; i < 3; ++i) {
    for (auto& intent : imgui.frame(s, i18n())) all.push_back(std::move(intent));
  }
  return all;
}

std::vector<kiosk::Intent> type(ImGuiHarness& imgui, const AppState& s, const std::string& text) {
  imgui.type(text);
  return imgui.frame(s, i18n());
}

// Shows `s` as a screen just arrived at (the views remember the last screen
// drawn, across harnesses), and lets it settle.
void arrive(ImGuiHarness& imgui, const AppState& s) {
  AppState elsewhere;
  elsewhere.screen = Screen::welcome;
  imgui.frame(elsewhere, i18n());
  imgui.frames(s, i18n(), 3);
}

bool popup_open() {
  return ImGui::GetCurrentContext()->OpenPopupStack.Size > 0;
}

int ring_index(ImGuiID id) {
  const auto& ring = kiosk::ui::focus::last_ring();
  for (std::size_t i = 0; i < ring.size(); ++i) {
    if (ring[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

const ImVec2 kSizes[] = {{1024, 600}, {1280, 800}, {1366, 768}, {1920, 1080}};

}  // namespace

TEST_CASE("Tab and Shift+Tab visit every control of a step once, in reading order") {
  ImGuiHarness imgui;
  AppState s;
  s.screen = Screen::register_personal;
  arrive(imgui, s);
  const auto ring = kiosk::ui::focus::last_ring();
  // Kind (2 radio buttons), given and family name, gender, year of birth,
  // country, phone, e-mail, then Back, Cancel, Next.
  REQUIRE(ring.size() == 12);
  for (std::size_t i = 1; i < ring.size(); ++i) {
    INFO("control " << i);
    const bool same_row = ring[i].pos.y == ring[i - 1].pos.y;
    CHECK((ring[i].pos.y > ring[i - 1].pos.y || (same_row && ring[i].pos.x > ring[i - 1].pos.x)));
  }
  // The first field has focus on arrival; Tab goes round the whole ring and
  // back to it; Shift+Tab goes round the other way.
  const ImGuiID start = kiosk::ui::focus::focused();
  CHECK(ring_index(start) == 2);
  std::vector<int> forward;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    key(imgui, s, ImGuiHarness::tab);
    forward.push_back(ring_index(kiosk::ui::focus::focused()));
  }
  CHECK(forward == std::vector<int>{3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2});
  std::vector<int> backward;
  for (std::size_t i = 0; i < 3; ++i) {
    key(imgui, s, ImGuiHarness::tab, true);
    backward.push_back(ring_index(kiosk::ui::focus::focused()));
  }
  CHECK(backward == std::vector<int>{1, 0, 11});
}

TEST_CASE("a drop-down opens and picks with Enter and Tab goes on from it") {
  ImGuiHarness imgui;
  AppState s;
  s.screen = Screen::register_personal;
  arrive(imgui, s);
  CHECK(edited(type(imgui, s, "Amina")) ==
        std::pair<std::string, std::string>{"given_name", "Amina"});
  key(imgui, s, ImGuiHarness::tab);  // family name
  key(imgui, s, ImGuiHarness::tab);  // gender
  CHECK(ring_index(kiosk::ui::focus::focused()) == 4);
  // Typing on a drop-down goes nowhere (it is not a field).
  CHECK_FALSE(edited(type(imgui, s, "x")).has_value());

  // Enter opens the list (and does not submit the step); arrows move; Enter picks.
  auto intents = key(imgui, s, ImGuiHarness::enter);
  CHECK(popup_open());
  CHECK_FALSE(emitted<kiosk::intent::Next>(intents));
  key(imgui, s, ImGuiHarness::down);
  intents = key(imgui, s, ImGuiHarness::enter);
  CHECK_FALSE(popup_open());
  CHECK_FALSE(emitted<kiosk::intent::Next>(intents));
  const auto gender = edited(intents);
  REQUIRE(gender.has_value());
  CHECK(gender->first == "gender");
  CHECK_FALSE(gender->second.empty());

  // Focus stayed on the drop-down: Tab goes to the year of birth, which takes
  // typing at once; the given name is untouched.
  CHECK(ring_index(kiosk::ui::focus::focused()) == 4);
  key(imgui, s, ImGuiHarness::tab);
  CHECK(edited(type(imgui, s, "1990")) ==
        std::pair<std::string, std::string>{"birth_year", "1990"});
  // Shift+Tab back to the drop-down, Space opens it, Escape closes it and
  // stays on the screen.
  key(imgui, s, ImGuiHarness::tab, true);
  key(imgui, s, ImGuiHarness::space);
  CHECK(popup_open());
  intents = key(imgui, s, ImGuiHarness::escape);
  CHECK_FALSE(popup_open());
  CHECK_FALSE(emitted<kiosk::intent::Back>(intents));
  CHECK(ring_index(kiosk::ui::focus::focused()) == 4);
}

TEST_CASE("the country list filters as you type and Enter picks the first match") {
  ImGuiHarness imgui;
  AppState s;
  s.screen = Screen::register_personal;
  arrive(imgui, s);
  for (int i = 0; i < 4; ++i) key(imgui, s, ImGuiHarness::tab);  // country
  CHECK(ring_index(kiosk::ui::focus::focused()) == 6);
  key(imgui, s, ImGuiHarness::enter);
  REQUIRE(popup_open());
  type(imgui, s, "Kenya");
  imgui.frame(s, i18n());
  const auto intents = key(imgui, s, ImGuiHarness::enter);
  CHECK_FALSE(popup_open());
  CHECK(edited(intents) == std::pair<std::string, std::string>{"country", "KE"});
  CHECK_FALSE(emitted<kiosk::intent::Next>(intents));
  key(imgui, s, ImGuiHarness::tab);
  CHECK(edited(type(imgui, s, "0722")) == std::pair<std::string, std::string>{"phone", "0722"});
}

TEST_CASE("a text field reached with an arrow key takes typing at once") {
  ImGuiHarness imgui;
  AppState s;
  s.screen = Screen::register_personal;
  arrive(imgui, s);
  key(imgui, s, ImGuiHarness::tab);   // family name, active
  key(imgui, s, ImGuiHarness::down);  // the gender drop-down
  CHECK(ring_index(kiosk::ui::focus::focused()) == 4);
  key(imgui, s, ImGuiHarness::down);  // year of birth: typing goes there
  CHECK(edited(type(imgui, s, "1985")) ==
        std::pair<std::string, std::string>{"birth_year", "1985"});
}

TEST_CASE("buttons, check boxes and the pack table's buttons are in the focus order") {
  ImGuiHarness imgui;
  const AppState busy = test::busy_ui_state();
  for (const Screen screen : {Screen::register_interests, Screen::request_packs}) {
    AppState s = busy;
    s.screen = screen;
    s.notice.reset();
    imgui.frames(s, i18n(), 3);
    const std::size_t size = kiosk::ui::focus::last_ring().size();
    INFO("screen " << kiosk::ui::screen_name(screen));
    CHECK(size >= 6);
    // Space on whatever Tab reaches acts on it: walk the ring pressing Space
    // and count what the screen asked for.
    int acted = 0;
    for (std::size_t i = 0; i < size; ++i) {
      key(imgui, s, ImGuiHarness::tab);
      const auto intents = key(imgui, s, ImGuiHarness::space);
      if (!intents.empty()) ++acted;
      if (popup_open()) key(imgui, s, ImGuiHarness::escape);
    }
    CHECK(acted >= 4);
  }
}

TEST_CASE("every primary action is on screen at 1024x600, 1280x800, 1366x768 and 1920x1080") {
  ImGuiHarness imgui;
  const AppState busy = test::busy_ui_state();
  for (const ImVec2 size : kSizes) {
    imgui.display(size.x, size.y);
    for (const Screen screen : test::kAllScreens) {
      AppState s = busy;
      s.screen = screen;
      imgui.frames(s, i18n(), 3);
      const auto& layout = kiosk::ui::last_layout();
      INFO(size.x << "x" << size.y << " " << kiosk::ui::screen_name(screen));
      CHECK(layout.screen == screen);
      CHECK_FALSE(layout.actions.empty());
      for (const auto& action : layout.actions) {
        INFO(action.id << " at " << action.min.x << "," << action.min.y << " - " << action.max.x
                       << "," << action.max.y);
        CHECK(action.visible);
        CHECK(action.max.y <= size.y);
        CHECK(action.max.x <= size.x);
      }
    }
  }
  imgui.display(1280.0f, 800.0f);
}

TEST_CASE("a notice covers the header strip and moves no control") {
  ImGuiHarness imgui;
  imgui.display(1024.0f, 600.0f);
  AppState s = test::busy_ui_state();
  s.screen = Screen::register_personal;
  s.notice.reset();
  imgui.frames(s, i18n(), 3);
  const auto without = kiosk::ui::focus::last_ring();
  const auto bar_without = kiosk::ui::last_layout().actions;
  s.notice = kiosk::Notice{.key = "notice.store_error", .args = {"disk full"}, .is_error = true};
  imgui.frames(s, i18n(), 3);
  const auto with = kiosk::ui::focus::last_ring();
  const auto bar_with = kiosk::ui::last_layout().actions;
  // The notice's own dismiss button is one more control, at the front.
  REQUIRE(with.size() == without.size() + 1);
  for (std::size_t i = 0; i < without.size(); ++i) {
    CHECK(with[i + 1].pos.x == without[i].pos.x);
    CHECK(with[i + 1].pos.y == without[i].pos.y);
  }
  REQUIRE(bar_with.size() == bar_without.size());
  for (std::size_t i = 0; i < bar_with.size(); ++i) {
    CHECK(bar_with[i].min.y == bar_without[i].min.y);
  }
  imgui.display(1280.0f, 800.0f);
}

TEST_CASE("the body scrolls to the focused control, by wheel and by dragging, not the bar") {
  ImGuiHarness imgui;
  imgui.display(1024.0f, 600.0f);
  AppState s = test::busy_ui_state();
  s.screen = Screen::staff_edit;
  s.notice.reset();
  imgui.frames(s, i18n(), 3);
  const auto first = kiosk::ui::focus::last_ring();
  REQUIRE(first.size() > 8);
  const float bar_top = kiosk::ui::last_layout().actions.front().min.y;
  // The last field of the form is below the bar: Tab to it scrolls it up.
  const std::size_t last_field = first.size() - 3;  // before Back and Save
  CHECK(first[last_field].pos.y > bar_top);
  for (std::size_t i = 0; i < last_field; ++i) key(imgui, s, ImGuiHarness::tab);
  CHECK(ring_index(kiosk::ui::focus::focused()) == static_cast<int>(last_field));
  const auto scrolled = kiosk::ui::focus::last_ring();
  CHECK(scrolled[last_field].pos.y < bar_top);
  CHECK(kiosk::ui::last_layout().actions.front().min.y == bar_top);  // the bar stays

  // A drag from the middle of the body down pulls the page back to the top,
  // and the control the finger started on is not pressed.
  s.screen = Screen::staff_edit;
  const float x = 300.0f;
  imgui.mouse(x, 250.0f, true);
  auto intents = imgui.frame(s, i18n());
  for (int step = 1; step <= 10; ++step) {
    imgui.mouse(x, 250.0f + static_cast<float>(step) * 40.0f, true);
    for (auto& i : imgui.frame(s, i18n())) intents.push_back(std::move(i));
  }
  imgui.mouse(x, 650.0f, false);
  for (auto& i : imgui.frame(s, i18n())) intents.push_back(std::move(i));
  imgui.frames(s, i18n(), 2);
  CHECK(intents.empty());
  const auto dragged = kiosk::ui::focus::last_ring();
  CHECK(dragged[0].pos.y == doctest::Approx(first[0].pos.y));

  // The wheel scrolls the body down again.
  imgui.mouse(x, 300.0f, false);
  ImGui::GetIO().MouseWheel = -5.0f;
  imgui.frames(s, i18n(), 3);
  CHECK(kiosk::ui::focus::last_ring()[0].pos.y < first[0].pos.y);
  imgui.display(1280.0f, 800.0f);
}

TEST_CASE("text on every focused control has 4.5:1 contrast and lists are opaque") {
  ImGuiHarness imgui;
  for (const bool high_contrast : {false, true}) {
    kiosk::ui::apply_style(high_contrast, 1.0f);
    const ImGuiStyle& style = ImGui::GetStyle();
    const ImVec4 text = style.Colors[ImGuiCol_Text];
    for (const ImGuiCol_ background : kiosk::ui::kControlBackgrounds) {
      const ImVec4 bg = style.Colors[background];
      INFO((high_contrast ? "high contrast " : "normal ")
           << ImGui::GetStyleColorName(background) << " ratio "
           << kiosk::ui::contrast_ratio(text, bg));
      CHECK(bg.w == 1.0f);
      CHECK(kiosk::ui::contrast_ratio(text, bg) >= 4.5f);
    }
    const auto& theme = kiosk::ui::theme();
    for (const ImVec4& primary : {theme.primary, theme.primary_hovered, theme.primary_active}) {
      CHECK(kiosk::ui::contrast_ratio(theme.on_primary, primary) >= 4.5f);
    }
    // The keyboard's focus frame stands out from the page (3:1, WCAG 1.4.11).
    CHECK(kiosk::ui::contrast_ratio(style.Colors[ImGuiCol_NavHighlight],
                                    style.Colors[ImGuiCol_WindowBg]) >= 3.0f);
  }
  // The formula itself: black on white is 21:1, ImGui's old focused blue 3.0:1.
  CHECK(kiosk::ui::contrast_ratio({0, 0, 0, 1}, {1, 1, 1, 1}) == doctest::Approx(21.0f));
  CHECK(kiosk::ui::contrast_ratio({1, 1, 1, 1}, {0.26f, 0.59f, 0.98f, 1}) ==
        doctest::Approx(3.0f).epsilon(0.01));
  kiosk::ui::apply_style(false, 1.0f);
}
