// The kiosk's views driven by real ImGui frames, headless: every screen draws
// in every language, a person registers with the keyboard alone, names in
// every script are drawn shaped, and a right-to-left table mirrors the screens.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "../../support/fixtures.hpp"
#include "../../support/temp_dir.hpp"
#include "common/store/store.hpp"
#include "common/util/embedded.hpp"
#include "imgui_harness.hpp"
#include "kiosk/core/controller.hpp"
#include "kiosk/ui/text.hpp"
#include "kiosk/ui/widgets.hpp"
#include "ui_states.hpp"

namespace {

using namespace alliance;
using kiosk::AppState;
using kiosk::PublicMatch;
using kiosk::PublicSearchOutcome;
using kiosk::Screen;
using test::ImGuiHarness;
using test::kAllScreens;

AppState busy_state() {
  return test::busy_ui_state();
}

const model::I18n& i18n() {
  return model::I18n::embedded();
}

template <class T>
bool contains(const std::vector<kiosk::Intent>& intents) {
  for (const auto& i : intents) {
    if (std::holds_alternative<T>(i)) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("every screen draws in every language without ImGui assertions") {
  ImGuiHarness imgui;
  for (const auto& language : i18n().languages()) {
    for (const Screen screen : kAllScreens) {
      for (const bool idle : {false, true}) {
        AppState s = busy_state();
        s.settings.language = language;
        s.screen = screen;
        s.idle_prompt = idle && kiosk::is_public_screen(screen);
        s.idle_prompt_seconds_left = 12;
        CAPTURE(language);
        CAPTURE(static_cast<int>(screen));
        for (int i = 0; i < 3; ++i) {
          // Drawing alone, with no input, asks for nothing and shows something.
          CHECK(imgui.frame(s, i18n()).empty());
          CHECK(ImGui::GetDrawData()->TotalVtxCount > 0);
        }
      }
    }
  }
  // An empty state too: nothing optional is assumed present.
  for (const Screen screen : kAllScreens) {
    AppState s;
    s.screen = screen;
    CAPTURE(static_cast<int>(screen));
    for (int i = 0; i < 2; ++i) {
      CHECK(imgui.frame(s, i18n()).empty());
      CHECK(ImGui::GetDrawData()->TotalVtxCount > 0);
    }
  }
  // High contrast and a large scale change nothing about what is drawn.
  kiosk::ui::apply_style(true, 1.75f);
  for (const Screen screen : kAllScreens) {
    AppState s = busy_state();
    s.screen = screen;
    imgui.frame(s, i18n());
  }
  kiosk::ui::apply_style(false, 1.0f);
}

TEST_CASE("Escape means back and the idle prompt answers Enter") {
  ImGuiHarness imgui;
  AppState s = busy_state();
  s.screen = Screen::register_work;
  imgui.frame(s, i18n());
  imgui.press(ImGuiHarness::escape);
  CHECK(contains<kiosk::intent::Back>(imgui.frame(s, i18n())));

  s.screen = Screen::staff_sync;
  imgui.frame(s, i18n());
  imgui.press(ImGuiHarness::escape);
  const auto staff = imgui.frame(s, i18n());
  REQUIRE(staff.size() == 1);
  CHECK(std::holds_alternative<kiosk::intent::Back>(staff[0]));

  s.screen = Screen::welcome;
  imgui.frame(s, i18n());
  imgui.press(ImGuiHarness::escape);
  CHECK(imgui.frame(s, i18n()).empty());

  s.screen = Screen::register_personal;
  s.idle_prompt = true;
  imgui.frame(s, i18n());
  imgui.frame(s, i18n());
  imgui.press(ImGuiHarness::enter);
  const auto answer = imgui.frame(s, i18n());
  CHECK(contains<kiosk::intent::StillHere>(answer));
  CHECK_FALSE(contains<kiosk::intent::Next>(answer));
}

TEST_CASE("the staff PIN keypad takes typed digits") {
  ImGuiHarness imgui;
  AppState s;
  s.screen = Screen::staff_pin;
  imgui.frame(s, i18n());
  imgui.type("12a4");
  const auto typed = imgui.frame(s, i18n());
  std::string digits;
  for (const auto& i : typed) {
    if (const auto* d = std::get_if<kiosk::intent::PinDigit>(&i)) digits += d->digit;
  }
  CHECK(digits == "124");
  imgui.press(ImGuiHarness::backspace);
  CHECK(contains<kiosk::intent::PinErase>(imgui.frame(s, i18n())));
  imgui.press(ImGuiHarness::enter);
  CHECK(contains<kiosk::intent::SubmitPin>(imgui.frame(s, i18n())));
}

TEST_CASE("the staff PIN screen draws every step in every language") {
  ImGuiHarness imgui;
  for (const auto step :
       {kiosk::PinStep::enter, kiosk::PinStep::enrolment_code, kiosk::PinStep::set_at_terminal,
        kiosk::PinStep::choose, kiosk::PinStep::confirm}) {
    for (const std::string lang : {"en", "fr", "pt", "es"}) {
      CAPTURE(static_cast<int>(step));
      CAPTURE(lang);
      AppState s;
      s.screen = Screen::staff_pin;
      s.settings.language = lang;
      s.staff.pin_step = step;
      s.staff.changing_pin = step == kiosk::PinStep::choose;
      s.staff.pin_entry = "12";
      const auto intents = imgui.frame(s, i18n());
      CHECK(intents.empty());
    }
  }
}

TEST_CASE("the enrolment code is typed into a field and submitted with Enter") {
  ImGuiHarness imgui;
  AppState s;
  s.screen = Screen::staff_pin;
  s.staff.pin_step = kiosk::PinStep::enrolment_code;
  imgui.frame(AppState{}, i18n());  // from the welcome screen, whatever ran before
  imgui.frames(s, i18n(), 2);       // the field takes focus when the screen appears
  imgui.type("k7qm");
  std::string typed;
  for (const auto& i : imgui.frame(s, i18n())) {
    if (const auto* e = std::get_if<kiosk::intent::EditEnrolmentCode>(&i)) typed = e->value;
    CHECK_FALSE(std::holds_alternative<kiosk::intent::PinDigit>(i));
  }
  CHECK(typed == "k7qm");
  s.staff.enrolment_code_entry = typed;
  imgui.press(ImGuiHarness::enter);
  CHECK(contains<kiosk::intent::SubmitEnrolmentCode>(imgui.frame(s, i18n())));
}

TEST_CASE("phones are masked to the calling code and the last three digits") {
  CHECK(kiosk::ui::masked_phone("+254712345678", "KE") == "+254 *** ** 678");
  CHECK(kiosk::ui::masked_phone("+33612345678", "KE") == "*** ** 678");
  CHECK(kiosk::ui::masked_phone("12", "KE") == "***");
}

TEST_CASE("a participant registers with the keyboard alone") {
  test::TempDir dir;
  auto store = store::Store::open(dir / "kiosk.db");
  auto event = store.save_event(test::sample_event());
  REQUIRE(event.has_value());

  kiosk::set_staff_pin(store, "246813");
  kiosk::Controller controller(store);
  // Staff set the event once (through intents: the staff screens are not under test here).
  controller.dispatch(kiosk::intent::EnterStaff{});
  for (const char d : std::string("246813")) controller.dispatch(kiosk::intent::PinDigit{d});
  controller.dispatch(kiosk::intent::SubmitPin{});
  REQUIRE(controller.state().screen == Screen::staff_home);
  controller.dispatch(kiosk::intent::ChooseEvent{event->id});
  controller.dispatch(kiosk::intent::LeaveStaff{});
  REQUIRE(controller.state().screen == Screen::welcome);
  REQUIRE(controller.state().current_event.has_value());

  ImGuiHarness imgui;
  const auto& st = controller.state();
  imgui.frames(controller, i18n(), 2);
  // "Register" has keyboard focus on the welcome screen.
  imgui.press(ImGuiHarness::enter);
  imgui.frame(controller, i18n());
  REQUIRE(st.screen == Screen::register_personal);

  // Step 1: the first field has focus; Tab moves through the fields in order.
  imgui.frames(controller, i18n(), 2);
  imgui.type("Fatoumata");
  imgui.frame(controller, i18n());
  imgui.press(ImGuiHarness::tab);
  imgui.frames(controller, i18n(), 2);
  imgui.type("Diallo");
  imgui.frame(controller, i18n());
  imgui.press(ImGuiHarness::tab);  // the gender drop-down is in the order too
  imgui.frames(controller, i18n(), 2);
  imgui.press(ImGuiHarness::tab);
  imgui.frames(controller, i18n(), 2);
  imgui.type("1990");
  imgui.frame(controller, i18n());
  imgui.press(ImGuiHarness::tab);  // the country (the event's, already chosen)
  imgui.frames(controller, i18n(), 2);
  imgui.press(ImGuiHarness::tab);
  imgui.frames(controller, i18n(), 2);
  imgui.type("0722 555 678");
  imgui.frame(controller, i18n());
  imgui.press(ImGuiHarness::tab);
  imgui.frames(controller, i18n(), 2);
  imgui.type("Fatoumata.Diallo@Example.org");
  imgui.frame(controller, i18n());
  CHECK(st.draft.given_name == "Fatoumata");
  CHECK(st.draft.family_name == "Diallo");
  CHECK(st.draft.birth_year == "1990");
  CHECK(st.draft.phone == "0722 555 678");
  imgui.press(ImGuiHarness::enter);
  imgui.frame(controller, i18n());
  INFO("field errors: " << st.field_errors.size());
  REQUIRE(st.screen == Screen::register_work);

  // Step 2: the country comes from the event; region and organisation typed.
  CHECK(st.draft.country == "KE");
  imgui.frames(controller, i18n(), 2);
  imgui.type("Kisumu");
  imgui.frame(controller, i18n());
  imgui.press(ImGuiHarness::tab);
  imgui.frames(controller, i18n(), 2);
  imgui.type("Lake Region Child Welfare");
  imgui.frame(controller, i18n());
  for (int i = 0; i < 3; ++i) {  // organisation type, role, then years of experience
    imgui.press(ImGuiHarness::tab);
    imgui.frames(controller, i18n(), 2);
  }
  imgui.type("7");
  imgui.frame(controller, i18n());
  imgui.press(ImGuiHarness::enter);
  imgui.frame(controller, i18n());
  REQUIRE(st.screen == Screen::register_interests);

  // Step 3: Space ticks the focused first interest, Enter moves on.
  imgui.frames(controller, i18n(), 2);
  imgui.press(ImGuiHarness::space);
  imgui.frames(controller, i18n(), 2);
  CHECK(st.draft.interest_groups.contains("child_protection"));
  imgui.press(ImGuiHarness::enter);
  imgui.frame(controller, i18n());
  REQUIRE(st.screen == Screen::register_consent);

  // Step 4: Enter without consent stays, with the error; Space ticks it.
  imgui.frames(controller, i18n(), 2);
  imgui.press(ImGuiHarness::enter);
  imgui.frames(controller, i18n(), 2);
  CHECK(st.screen == Screen::register_consent);
  CHECK(st.field_errors.contains("consent"));
  imgui.press(ImGuiHarness::space);
  imgui.frames(controller, i18n(), 2);
  CHECK(st.draft.consent);
  imgui.press(ImGuiHarness::enter);
  imgui.frame(controller, i18n());
  REQUIRE(st.screen == Screen::register_review);

  // Step 5: "Save" has focus.
  imgui.frames(controller, i18n(), 2);
  imgui.press(ImGuiHarness::enter);
  imgui.frame(controller, i18n());
  REQUIRE(st.screen == Screen::register_saved);
  REQUIRE(st.saved_member.has_value());
  const std::string id = st.saved_member->id;
  CHECK_FALSE(st.saved_member->reference_code.empty());

  const auto saved = store.find_member(id);
  REQUIRE(saved.has_value());
  CHECK(saved->given_name == "Fatoumata");
  CHECK(saved->family_name == "Diallo");
  CHECK(saved->birth_year == 1990);
  CHECK(saved->phone == "+254722555678");
  CHECK(saved->email == "fatoumata.diallo@example.org");
  CHECK(saved->country == "KE");
  CHECK(saved->region == "Kisumu");
  CHECK(saved->organisation == "Lake Region Child Welfare");
  CHECK(saved->years_experience == 7);
  CHECK(saved->interest_groups == std::vector<std::string>{"child_protection"});
  CHECK(saved->consent.given);
  CHECK(saved->consent.text_version == "2026-01");
  CHECK(saved->event_id == event->id);

  // Done (focused) returns to the welcome screen.
  imgui.frames(controller, i18n(), 2);
  imgui.press(ImGuiHarness::enter);
  imgui.frame(controller, i18n());
  CHECK(st.screen == Screen::welcome);
}

TEST_CASE("Tab and Shift+Tab move between the fields in visual order") {
  ImGuiHarness imgui;
  AppState s;
  s.screen = Screen::register_personal;
  imgui.frame(s, i18n());
  imgui.frame(s, i18n());
  const auto edited = [&](const std::string& text) {
    imgui.type(text);
    for (const auto& i : imgui.frame(s, i18n())) {
      if (const auto* e = std::get_if<kiosk::intent::EditField>(&i)) return e->field;
    }
    return std::string();
  };
  CHECK(edited("A") == "given_name");
  imgui.press(ImGuiHarness::tab);
  imgui.frames(s, i18n(), 2);
  CHECK(edited("B") == "family_name");
  imgui.press(ImGuiHarness::tab);  // the gender drop-down
  imgui.frames(s, i18n(), 2);
  CHECK(edited("x").empty());
  imgui.press(ImGuiHarness::tab);
  imgui.frames(s, i18n(), 2);
  CHECK(edited("1") == "birth_year");
  imgui.press(ImGuiHarness::tab, true);
  imgui.frames(s, i18n(), 2);
  imgui.press(ImGuiHarness::tab, true);
  imgui.frames(s, i18n(), 2);
  CHECK(edited("C") == "family_name");
}

namespace {

// A right-to-left table that exists only in this test: a few texts in
// Arabic, English (the fallback) for the rest.
model::I18n with_arabic() {
  static const std::string arabic = R"({
    "_direction": "rtl",
    "language.native_name": "العربية",
    "ui.back": "رجوع",
    "ui.cancel": "إلغاء",
    "ui.next": "التالي",
    "register.personal.title": "بياناتك الشخصية",
    "field.given_name": "الاسم الأول",
    "register.save": "احفظ تسجيلي"
  })";
  std::vector<util::EmbeddedFile> files(model::embedded_i18n_tables().begin(),
                                        model::embedded_i18n_tables().end());
  files.push_back({"ar.json", arabic});
  auto parsed = model::I18n::parse(files);
  REQUIRE(parsed.has_value());
  return std::move(*parsed);
}

// What the frame drew of `text`, by the probe.
std::optional<kiosk::ui::DrawnText> drawn(const std::vector<kiosk::ui::DrawnText>& probe,
                                          std::string_view text) {
  for (const auto& d : probe) {
    if (d.text == text) return d;
  }
  return std::nullopt;
}

// Draws `state` a few frames (tables and auto-sized items settle in two) and
// returns what the last frame drew.
std::vector<kiosk::ui::DrawnText> draw_and_probe(ImGuiHarness& imgui, const AppState& state,
                                                 const model::I18n& tables) {
  std::vector<kiosk::ui::DrawnText> probe;
  imgui.frames(state, tables, 2);
  kiosk::ui::set_text_probe(&probe);
  imgui.frame(state, tables);
  kiosk::ui::set_text_probe(nullptr);
  return probe;
}

}  // namespace

TEST_CASE("a table marked right to left mirrors every screen with no code of its own") {
  ImGuiHarness imgui;
  const model::I18n tables = with_arabic();
  const float width = ImGui::GetIO().DisplaySize.x;
  AppState s = busy_state();
  s.screen = Screen::register_personal;

  for (const std::string language : {"en", "ar"}) {
    CAPTURE(language);
    const bool rtl = language == "ar";
    s.settings.language = language;
    const auto probe = draw_and_probe(imgui, s, tables);
    const auto back = drawn(probe, tables.text(language, "ui.back"));
    const auto next = drawn(probe, tables.text(language, "ui.next"));
    const auto title = drawn(probe, tables.text(language, "register.personal.title"));
    const auto label = drawn(probe, tables.text(language, "field.given_name"));
    REQUIRE(back);
    REQUIRE(next);
    REQUIRE(title);
    REQUIRE(label);
    // The row of buttons runs the other way: Back first at the start edge,
    // the main action at the far end.
    CHECK((back->min.x < next->min.x) == !rtl);
    if (rtl) {
      CHECK(back->max.x > width * 0.8f);
      CHECK(next->max.x < width * 0.3f);
    }
    // Texts start at the start edge: the left, or the right.
    const float margin = 60.0f;
    CHECK((title->min.x < margin) == !rtl);
    CHECK((title->max.x > width - margin) == rtl);
    CHECK((label->max.x > width - margin) == rtl);
  }

  // The review's two columns swap: labels on the right of their values.
  s.screen = Screen::register_review;
  s.draft.given_name = "محمد";
  for (const std::string language : {"en", "ar"}) {
    CAPTURE(language);
    s.settings.language = language;
    const auto probe = draw_and_probe(imgui, s, tables);
    const auto label = drawn(probe, tables.text(language, "field.given_name"));
    const auto value = drawn(probe, "محمد");
    REQUIRE(label);
    REQUIRE(value);
    CHECK((label->min.x > value->max.x) == (language == "ar"));
  }

  // And every screen draws right to left without an ImGui assertion.
  for (const Screen screen : kAllScreens) {
    AppState each = busy_state();
    each.settings.language = "ar";
    each.screen = screen;
    CAPTURE(static_cast<int>(screen));
    for (int i = 0; i < 2; ++i) {
      CHECK(imgui.frame(each, tables).empty());
      CHECK(ImGui::GetDrawData()->TotalVtxCount > 0);
    }
  }
}

TEST_CASE("names in every script reach the draw lists as shaped glyphs") {
  ImGuiHarness imgui;
  const std::pair<const char*, const char*> names[] = {
      {"محمد", "عبد الله"}, {"አበበ", "ቢቂላ"}, {"सुनीता", "शर्मा"},  {"王", "秀英"},
      {"Nguyễn", "Thị"},    {"김", "민준"}, {"さくら", "山田"}, {"สมชาย", "ใจดี"}};
  AppState s = busy_state();
  for (const auto& [given, family] : names) {
    CAPTURE(given);
    s.screen = Screen::register_review;
    s.draft.given_name = given;
    s.draft.family_name = family;
    auto probe = draw_and_probe(imgui, s, i18n());
    for (const char* name : {given, family}) {
      const auto shown = drawn(probe, name);
      REQUIRE(shown);
      CHECK(shown->max.x - shown->min.x > 4.0f);
    }
    // The staff list shows the whole name.
    s.screen = Screen::staff_today;
    s.today_registrations.at(0).given_name = given;
    s.today_registrations.at(0).family_name = family;
    probe = draw_and_probe(imgui, s, i18n());
    CHECK(drawn(probe, s.today_registrations.at(0).display_name()));
    // Glyph pages (not ImGui's font atlas) carry them.
    int page_commands = 0;
    const ImDrawData* data = ImGui::GetDrawData();
    for (int l = 0; l < data->CmdListsCount; ++l) {
      for (const ImDrawCmd& cmd : data->CmdLists[l]->CmdBuffer) {
        page_commands += cmd.TextureId != ImGui::GetIO().Fonts->TexID ? 1 : 0;
      }
    }
    CHECK(page_commands > 0);
  }
}

TEST_CASE("characters typed that ImGui's font lacks are asked for") {
  ImGuiHarness imgui;
  AppState s;
  s.screen = Screen::register_personal;
  imgui.frames(s, i18n(), 2);
  kiosk::ui::take_needed_glyphs();
  imgui.type("ሀብ");  // the given name field has focus
  imgui.frame(s, i18n());
  const auto needed = kiosk::ui::take_needed_glyphs();
  CHECK(std::find(needed.begin(), needed.end(), U'\u1200') != needed.end());
  CHECK(std::find(needed.begin(), needed.end(), U'\u1265') != needed.end());
  CHECK(kiosk::ui::take_needed_glyphs().empty());  // taken once
  // Latin ImGui's font has is never asked for.
  imgui.type("é");
  imgui.frame(s, i18n());
  const auto latin = kiosk::ui::take_needed_glyphs();
  CHECK(std::find(latin.begin(), latin.end(), U'é') == latin.end());
}

TEST_CASE(
    "check-in by keyboard: a full name and a year of birth find one person, shown privately") {
  test::TempDir dir;
  auto store = store::Store::open(dir / "kiosk.db");
  auto event = store.save_event(test::sample_event());
  REQUIRE(event.has_value());
  store.set_meta("kiosk.current_event", event->id);
  auto member = test::sample_member(4);  // Fatoumata Wanjiru
  member.birth_year = 1985;
  auto saved = store.register_member(member, test::kenya_context());
  REQUIRE(saved.has_value());

  kiosk::Controller controller(store);
  controller.dispatch(kiosk::intent::StartCheckIn{});
  ImGuiHarness imgui;
  const auto& st = controller.state();
  imgui.frames(controller, i18n(), 2);
  imgui.type("Wanjiru Fatoumata");
  imgui.frame(controller, i18n());
  CHECK(st.search_outcome == PublicSearchOutcome::needs_birth_year);
  imgui.press(ImGuiHarness::tab);
  imgui.frames(controller, i18n(), 2);
  imgui.type("1985");
  imgui.frame(controller, i18n());
  CHECK(st.search_query == "Wanjiru Fatoumata");
  CHECK(st.search_birth_year == "1985");
  REQUIRE(st.search_outcome == PublicSearchOutcome::found);
  REQUIRE(st.search_match.has_value());
  CHECK(st.search_match->name == "Fatoumata");
  CHECK(st.search_match->member_id == saved->member.id);
  // The match row draws without assertions, then check-in by its intents.
  imgui.frames(controller, i18n(), 2);
  controller.dispatch(kiosk::intent::SelectMember{saved->member.id});
  controller.dispatch(kiosk::intent::ConfirmCheckIn{});
  CHECK(st.screen == Screen::check_in_done);
  imgui.frames(controller, i18n(), 2);
}

TEST_CASE("a possible duplicate on a step: Enter chooses neither This is me nor Not me") {
  AppState s = busy_state();
  s.field_errors.clear();
  for (const Screen screen :
       {Screen::register_personal, Screen::register_work, Screen::duplicate_offer}) {
    CAPTURE(static_cast<int>(screen));
    s.screen = screen;
    ImGuiHarness imgui;
    imgui.frames(s, i18n(), 3);
    imgui.press(ImGuiHarness::enter);
    const auto after_enter = imgui.frame(s, i18n());
    CHECK_FALSE(contains<kiosk::intent::ThisIsMe>(after_enter));
    CHECK_FALSE(contains<kiosk::intent::NotMe>(after_enter));
    imgui.press(ImGuiHarness::keypad_enter);
    const auto after_keypad = imgui.frame(s, i18n());
    CHECK_FALSE(contains<kiosk::intent::ThisIsMe>(after_keypad));
    CHECK_FALSE(contains<kiosk::intent::NotMe>(after_keypad));
  }
}

TEST_CASE("the staff desk draws people by name and phone, never by id") {
  ImGuiHarness imgui;
  AppState s = busy_state();
  const std::string id = s.today_attendance.at(0).member_id;
  const kiosk::PersonLabel& person = s.people.at(id);
  s.screen = Screen::staff_today;
  auto probe = draw_and_probe(imgui, s, i18n());
  CHECK(drawn(probe, person.name + "  ·  " + person.phone));
  CHECK_FALSE(drawn(probe, id));

  // A request by a member: their name and phone, and a mark when it was made
  // before the office was set.
  s.screen = Screen::staff_distribution;
  s.office_requests.at(0).organisation_name.clear();
  s.office_requests.at(0).member_id = id;
  s.office_requests.at(0).office = "Nairobi Regional";
  probe = draw_and_probe(imgui, s, i18n());
  CHECK(drawn(probe, s.office_requests.at(0).reference_code + "  ·  " + person.name + "  ·  " +
                         person.phone));
  CHECK(drawn(probe, i18n().format("en", "staff.distribution.no_office", {"Nairobi Regional"})));
  for (const auto& shown : probe) CHECK(shown.text.find(id) == std::string::npos);
}

TEST_CASE("a void asks first: Enter never confirms it, Escape keeps the entry") {
  ImGuiHarness imgui;
  AppState s = busy_state();
  s.notice.reset();
  s.screen = Screen::staff_today;
  s.void_pending = kiosk::VoidTarget{.kind = kiosk::VoidTarget::Kind::member,
                                     .id = "member-1",
                                     .reason = "registered twice",
                                     .name = "Amina Wanjiru"};
  auto probe = draw_and_probe(imgui, s, i18n());
  CHECK(drawn(probe, i18n().format("en", "staff.today.void_confirm_member", {"Amina Wanjiru"})));
  imgui.press(ImGuiHarness::enter);
  auto intents = imgui.frame(s, i18n());
  CHECK_FALSE(contains<kiosk::intent::ConfirmVoid>(intents));
  CHECK_FALSE(contains<kiosk::intent::VoidMember>(intents));
  imgui.frame(s, i18n());
  imgui.press(ImGuiHarness::escape);
  intents = imgui.frame(s, i18n());
  CHECK(contains<kiosk::intent::CancelVoid>(intents));
  CHECK_FALSE(contains<kiosk::intent::ConfirmVoid>(intents));
}

TEST_CASE("the registration fields take two columns from 1366 px, one below") {
  ImGuiHarness imgui;
  AppState s = busy_state();
  s.screen = Screen::register_personal;
  s.duplicate_candidates.clear();
  const auto x_of = [&](const std::vector<kiosk::ui::DrawnText>& probe, const char* key) {
    const auto label = drawn(probe, i18n().text("en", key));
    REQUIRE(label);
    return label->min.x;
  };
  imgui.display(1366.0f, 768.0f);
  auto probe = draw_and_probe(imgui, s, i18n());
  CHECK(x_of(probe, "field.family_name") > x_of(probe, "field.given_name") + 300.0f);
  CHECK(x_of(probe, "field.email") > x_of(probe, "field.phone") + 300.0f);
  imgui.display(1280.0f, 800.0f);
  probe = draw_and_probe(imgui, s, i18n());
  CHECK(x_of(probe, "field.family_name") == doctest::Approx(x_of(probe, "field.given_name")));
}
