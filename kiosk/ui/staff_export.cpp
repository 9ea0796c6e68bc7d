// Staff: export members, requests or attendance to a folder (e.g. a USB stick).
#include <imgui.h>

#include "kiosk/ui/screens.hpp"

namespace alliance::kiosk::ui {

void draw_staff_export(Ctx& c) {
  title(c.tr("staff.export.title"));
  hint(c.tr("staff.export.hint"));
  const FieldResult folder =
      text_field(c, c.tr("staff.export.folder"), "folder", c.state.export_folder, "export_folder");
  if (folder.changed) c.emit(intent::SetExportFolder{folder.value});
  ImGui::Dummy(ImVec2(0.0f, gap()));
  const bool ready = !c.state.export_folder.empty();
  ImGui::BeginDisabled(!ready);
  if (big_button(c.tr("staff.export.members"), "members")) c.emit(intent::Export{"members"});
  ImGui::SameLine();
  if (big_button(c.tr("staff.export.requests"), "requests")) c.emit(intent::Export{"requests"});
  ImGui::SameLine();
  if (big_button(c.tr("staff.export.attendance"), "attendance")) {
    c.emit(intent::Export{"attendance"});
  }
  ImGui::EndDisabled();
  staff_back(c);
}

}  // namespace alliance::kiosk::ui
