// Staff: today's registrations and check-ins, with edit and void per row.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <map>

#include "common/util/strings.hpp"
#include "kiosk/ui/screens.hpp"

namespace alliance::kiosk::ui {

void draw_staff_today(Ctx& c) {
  // Void reasons being typed, per member id.
  static std::map<std::string, std::string> reasons;
  const AppState& s = c.state;
  title(c.tr("staff.today.title"));
  if (c.entered_screen) reasons.clear();
  ImGui::TextUnformatted(
      c.trf("staff.today.counts", {util::cat(s.today_registrations.size()),
                                   util::cat(s.today_attendance.size()), s.today})
          .c_str());
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));

  ImGui::TextUnformatted(c.tr("staff.today.registrations").c_str());
  constexpr ImGuiTableFlags kTable =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  std::map<std::string, std::string> names;  // member id -> name, for the check-ins
  if (s.today_registrations.empty()) hint(c.tr("staff.today.none"));
  if (!s.today_registrations.empty() && ImGui::BeginTable("##registrations", 4, kTable)) {
    ImGui::TableSetupColumn(c.tr("staff.today.name").c_str(), ImGuiTableColumnFlags_WidthStretch,
                            3.0f);
    ImGui::TableSetupColumn(c.tr("staff.today.code").c_str(), ImGuiTableColumnFlags_WidthStretch,
                            1.0f);
    ImGui::TableSetupColumn(c.tr("field.organisation").c_str(), ImGuiTableColumnFlags_WidthStretch,
                            2.0f);
    ImGui::TableSetupColumn("##actions", ImGuiTableColumnFlags_WidthStretch, 4.0f);
    ImGui::TableHeadersRow();
    for (const model::Member& m : s.today_registrations) {
      names[m.id] = m.display_name();
      ImGui::PushID(m.id.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", m.display_name().c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(m.reference_code.c_str());
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", m.organisation.c_str());
      ImGui::TableNextColumn();
      if (m.voided) {
        ImGui::TextUnformatted(c.tr("staff.today.voided").c_str());
      } else {
        if (row_button(c.tr("staff.today.edit"), "edit")) c.emit(intent::EditMember{m.id});
        ImGui::SameLine();
        std::string& reason = reasons[m.id];
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10.0f);
        ImGui::InputTextWithHint("##reason", c.tr("staff.today.void_reason").c_str(), &reason);
        ImGui::SameLine();
        ImGui::BeginDisabled(reason.empty());
        if (row_button(c.tr("staff.today.void"), "void")) c.emit(intent::VoidMember{m.id, reason});
        ImGui::EndDisabled();
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }

  ImGui::Dummy(ImVec2(0.0f, gap()));
  ImGui::TextUnformatted(c.tr("staff.today.check_ins").c_str());
  if (s.today_attendance.empty()) hint(c.tr("staff.today.none"));
  if (!s.today_attendance.empty() && ImGui::BeginTable("##attendance", 3, kTable)) {
    ImGui::TableSetupColumn(c.tr("staff.today.name").c_str(), ImGuiTableColumnFlags_WidthStretch,
                            3.0f);
    ImGui::TableSetupColumn(c.tr("staff.today.time").c_str(), ImGuiTableColumnFlags_WidthStretch,
                            1.0f);
    ImGui::TableSetupColumn("##actions", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableHeadersRow();
    for (const model::Attendance& a : s.today_attendance) {
      ImGui::PushID(a.id.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const auto name = names.find(a.member_id);
      ImGui::TextWrapped("%s", name != names.end() ? name->second.c_str() : a.member_id.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(local_hh_mm(a.checked_in_at).c_str());
      ImGui::TableNextColumn();
      if (a.voided) {
        ImGui::TextUnformatted(c.tr("staff.today.voided").c_str());
      } else if (row_button(c.tr("staff.today.void_check_in"), "void")) {
        c.emit(intent::VoidAttendance{a.id});
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  staff_back(c);
}

}  // namespace alliance::kiosk::ui
