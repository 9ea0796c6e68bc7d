// Staff: export members, requests or attendance to a folder (e.g. a USB
// stick): a removable drive found mounted, a folder chosen in the browser, or
// a typed path.
#include <imgui.h>

#include <filesystem>

#include "kiosk/ui/screens.hpp"

namespace alliance::kiosk::ui {
namespace {

void drives(Ctx& c) {
  text(c.tr("staff.export.drives"));
  if (c.state.export_drives.empty()) hint(c.tr("staff.export.no_drives"));
  for (const std::string& drive : c.state.export_drives) {
    ImGui::PushID(drive.c_str());
    if (row_button(c.tr("staff.export.use"), "use_drive")) c.emit(intent::SetExportFolder{drive});
    ImGui::SameLine();
    text(drive);
    ImGui::PopID();
  }
}

// One folder's subfolders: open one, go up, or export here.
void folder_browser(Ctx& c) {
  const AppState& s = c.state;
  text(c.trf("staff.export.browsing", {s.browse_folder}), {.wrap = true});
  const std::filesystem::path here(s.browse_folder);
  ImGui::BeginDisabled(here == here.parent_path());
  if (row_button(c.tr("staff.export.up"), "up")) {
    c.emit(intent::BrowseFolder{here.parent_path().string()});
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (row_button(c.tr("staff.export.use_this"), "use_browsed")) {
    c.emit(intent::SetExportFolder{s.browse_folder});
  }
  for (const std::string& name : s.browse_entries) {
    ImGui::PushID(name.c_str());
    if (row_button(name, "open")) c.emit(intent::BrowseFolder{(here / name).string()});
    ImGui::PopID();
  }
}

}  // namespace

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
  ImGui::Dummy(ImVec2(0.0f, gap()));
  drives(c);
  ImGui::Dummy(ImVec2(0.0f, gap()));
  folder_browser(c);
  staff_back(c);
}

}  // namespace alliance::kiosk::ui
