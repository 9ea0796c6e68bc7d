// The staff menu: one button per staff screen, back to public, exit.
#include <imgui.h>

#include "kiosk/ui/layout.hpp"
#include "kiosk/ui/screens.hpp"

namespace alliance::kiosk::ui {

void draw_staff_home(Ctx& c) {
  title(c.tr("staff.home.title"));
  if (c.state.current_event) {
    text(c.trf("staff.home.event", {c.state.current_event->name}), {.wrap = true});
  } else {
    hint(c.tr("staff.home.no_event"));
  }
  text(c.trf("staff.home.office", {c.state.settings.office.empty() ? c.tr("staff.office_not_set")
                                                                   : c.state.settings.office}),
       {.wrap = true});
  ImGui::Dummy(ImVec2(0.0f, gap()));

  const float w = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 24.0f);
  struct Entry {
    std::string label;
    const char* id;
    Screen screen;
  };
  const Entry entries[] = {
      {c.tr("staff.event.title"), "event", Screen::staff_event},
      {c.tr("staff.today.title"), "today", Screen::staff_today},
      {c.tr("staff.distribution.title"), "distribution", Screen::staff_distribution},
      {c.tr("staff.sync.title"), "sync", Screen::staff_sync},
      {c.tr("staff.export.title"), "export", Screen::staff_export},
      {c.tr("staff.settings.title"), "settings", Screen::staff_settings},
  };
  // Two columns where the screen is wide enough, so the menu fits a short one.
  const bool two_columns = ImGui::GetContentRegionAvail().x >= w * 2.0f + gap();
  int index = 0;
  for (const Entry& e : entries) {
    if (two_columns && index % 2 == 1) ImGui::SameLine();
    if (big_button(e.label, e.id, w)) c.emit(intent::GoTo{e.screen});
    if (index == 0) default_focus(c);
    ++index;
  }
  begin_action_bar(c);
  if (big_button(c.tr("staff.back_to_public"), "leave")) c.emit(intent::LeaveStaff{});
  note_primary_action("leave");
  ImGui::SameLine();
  if (big_button(c.tr("staff.exit_kiosk"), "quit")) c.emit(intent::Quit{});
  note_primary_action("quit");
}

}  // namespace alliance::kiosk::ui
