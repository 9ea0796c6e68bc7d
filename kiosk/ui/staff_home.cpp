// The staff menu: one button per staff screen, back to public, exit.
#include <imgui.h>

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

  const float w = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 30.0f);
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
  bool first = true;
  for (const Entry& e : entries) {
    if (big_button(e.label, e.id, w)) c.emit(intent::GoTo{e.screen});
    if (first) default_focus(c);
    first = false;
  }
  ImGui::Dummy(ImVec2(0.0f, gap() * 2.0f));
  ImGui::Separator();
  if (big_button(c.tr("staff.back_to_public"), "leave")) c.emit(intent::LeaveStaff{});
  ImGui::SameLine();
  if (big_button(c.tr("staff.exit_kiosk"), "quit")) c.emit(intent::Quit{});
}

}  // namespace alliance::kiosk::ui
