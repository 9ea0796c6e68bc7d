// The frame: the header strip (or the notice over it), the current screen's
// scrolling body and pinned action bar, and the idle prompt; Escape means
// Back everywhere.
#include "kiosk/ui/ui.hpp"

#include <imgui.h>

#include <optional>

#include "kiosk/ui/focus.hpp"
#include "kiosk/ui/layout.hpp"
#include "kiosk/ui/screens.hpp"
#include "kiosk/ui/text.hpp"
#include "kiosk/ui/theme.hpp"

namespace alliance::kiosk::ui {
namespace {

void draw_screen(Ctx& c) {
  switch (c.state.screen) {
    case Screen::welcome:
      return draw_welcome(c);
    case Screen::register_personal:
      return draw_register_personal(c);
    case Screen::register_work:
      return draw_register_work(c);
    case Screen::register_interests:
      return draw_register_interests(c);
    case Screen::register_consent:
      return draw_register_consent(c);
    case Screen::register_review:
      return draw_register_review(c);
    case Screen::duplicate_offer:
      return draw_duplicate_offer(c);
    case Screen::register_saved:
      return draw_register_saved(c);
    case Screen::check_in:
      return draw_check_in(c);
    case Screen::check_in_done:
      return draw_check_in_done(c);
    case Screen::request_requester:
      return draw_request_requester(c);
    case Screen::request_packs:
      return draw_request_packs(c);
    case Screen::request_done:
      return draw_request_done(c);
    case Screen::staff_pin:
      return draw_staff_pin(c);
    case Screen::staff_home:
      return draw_staff_home(c);
    case Screen::staff_event:
      return draw_staff_event(c);
    case Screen::staff_today:
      return draw_staff_today(c);
    case Screen::staff_edit:
      return draw_staff_edit(c);
    case Screen::staff_distribution:
      return draw_staff_distribution(c);
    case Screen::staff_sync:
      return draw_staff_sync(c);
    case Screen::staff_export:
      return draw_staff_export(c);
    case Screen::staff_settings:
      return draw_staff_settings(c);
  }
}

// What Escape asks for: Back everywhere but the welcome screen (the
// controller knows where back leads, including out of staff mode).
std::optional<Intent> escape_intent(Screen screen) {
  if (screen == Screen::welcome) return std::nullopt;
  return intent::Back{};
}

// The strip at the top, always the same height: the notice when there is
// one (drawn over the header), else the app or staff mode, the event and,
// for staff and on the welcome screen, the sync badge.
void status_strip(Ctx& c) {
  const float height = status_strip_height();
  if (c.state.notice) {
    notice_bar(c, height);
    return;
  }
  const AppState& s = c.state;
  const bool staff = !is_public_screen(s.screen);
  ImGui::BeginChild("##header", ImVec2(-1.0f, height), false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::SetCursorPosY((height - ImGui::GetFontSize()) * 0.5f);
  std::string left = staff ? c.tr("header.staff_mode") : c.tr("header.app_name");
  if (s.current_event) left += "  ·  " + s.current_event->name;
  text(left, {.colour = theme().muted});
  // Participants have no use for the sync badge; staff and the welcome
  // screen (where staff glance at the desk) show it.
  if (staff || s.screen == Screen::welcome) {
    ImGui::SameLine();
    sync_badge(c);
  }
  ImGui::EndChild();
}

}  // namespace

void draw(const AppState& state, const model::I18n& i18n, std::vector<Intent>& intents) {
  // The screen drawn last frame, to focus the first field once per screen.
  static std::optional<Screen> last_screen;
  Ctx c{.state = state, .i18n = i18n, .intents = intents};
  c.entered_screen = last_screen != state.screen;
  c.focus_pending = c.entered_screen;
  last_screen = state.screen;
  // Caches grow no further than one frame's needs past their bounds.
  if (text::TextEngine* engine = text_engine()) engine->begin_frame();
  set_layout_direction(i18n.right_to_left(state.settings.language) ? text::Direction::rtl
                                                                   : text::Direction::ltr);
  focus::begin_frame();
  begin_layout_record(state.screen);

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->Pos);
  ImGui::SetNextWindowSize(viewport->Size);
  constexpr ImGuiWindowFlags kFlags =
      ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
      ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse;
  ImGui::Begin("##kiosk", nullptr, kFlags);
  status_strip(c);
  ImGui::PushID(static_cast<int>(state.screen));
  begin_body(c);
  draw_screen(c);
  end_body(c);
  ImGui::PopID();

  // Escape leaves the screen unless a list or popup is open: then it closes
  // that (ImGui closes it before the frame is drawn, so remember the last frame).
  static bool popup_was_open = false;
  const bool popup_open = ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
  if (!state.idle_prompt && escape_pressed() && !popup_open && !popup_was_open) {
    if (auto back = escape_intent(state.screen)) intents.push_back(std::move(*back));
  }
  popup_was_open = popup_open;
  idle_modal(c);
  ImGui::End();
  end_layout_record();
  focus::end_frame();
}

}  // namespace alliance::kiosk::ui
