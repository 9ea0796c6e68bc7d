// Staff: today's registrations and check-ins, with edit and void per row.
#include <imgui.h>

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
  text(c.trf("staff.today.counts", {util::cat(s.today_registrations.size()),
                                    util::cat(s.today_attendance.size()), s.today}));
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));

  // The full search (the one `alliance-kiosk find` runs), to edit anyone.
  const FieldResult search =
      text_field(c, c.tr("staff.search.label"), "staff_search", s.staff_query, "");
  if (search.changed) c.emit(intent::StaffSearch{search.value});
  if (!s.staff_query.empty() && s.staff_results.empty()) hint(c.tr("search.no_results"));
  for (const store::MemberHit& hit : s.staff_results) {
    const model::Member& m = hit.member;
    ImGui::PushID(m.id.c_str());
    if (row_button(c.tr("staff.today.edit"), "edit_found")) c.emit(intent::EditMember{m.id});
    ImGui::SameLine();
    text(util::cat(m.display_name(), "  ·  ", m.reference_code, "  ·  ", m.phone, "  ·  ",
                   m.organisation));
    ImGui::PopID();
  }
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));

  if (!s.member_reviews.empty()) {
    text(c.tr("staff.today.reviews"));
    for (const auto& row : s.member_reviews) {
      ImGui::PushID(row.review.member_id.c_str());
      if (row_button(c.tr("staff.today.edit"), "edit_review")) {
        c.emit(intent::EditMember{row.review.member_id});
      }
      ImGui::SameLine();
      if (row_button(c.tr("staff.today.reviewed"), "reviewed")) {
        c.emit(intent::MarkReviewed{row.review.member_id});
      }
      ImGui::SameLine();
      text(
          c.trf("staff.today.review_line", {row.name, row.phone, util::join(row.review.fields, ','),
                                            local_date_time(row.review.at)}));
      ImGui::PopID();
    }
    ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));
  }

  text(c.tr("staff.today.registrations"));
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
    table_headers();
    for (const model::Member& m : s.today_registrations) {
      names[m.id] = m.display_name();
      ImGui::PushID(m.id.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      text(m.display_name(), {.wrap = true});
      ImGui::TableNextColumn();
      text(m.reference_code);
      ImGui::TableNextColumn();
      text(m.organisation, {.wrap = true});
      ImGui::TableNextColumn();
      if (m.voided) {
        text(c.tr("staff.today.voided"));
      } else {
        if (row_button(c.tr("staff.today.edit"), "edit")) c.emit(intent::EditMember{m.id});
        ImGui::SameLine();
        std::string& reason = reasons[m.id];
        hint_field("##reason", c.tr("staff.today.void_reason"), reason,
                   ImGui::GetFontSize() * 10.0f);
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
  text(c.tr("staff.today.check_ins"));
  if (s.today_attendance.empty()) hint(c.tr("staff.today.none"));
  if (!s.today_attendance.empty() && ImGui::BeginTable("##attendance", 3, kTable)) {
    ImGui::TableSetupColumn(c.tr("staff.today.name").c_str(), ImGuiTableColumnFlags_WidthStretch,
                            3.0f);
    ImGui::TableSetupColumn(c.tr("staff.today.time").c_str(), ImGuiTableColumnFlags_WidthStretch,
                            1.0f);
    ImGui::TableSetupColumn("##actions", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    table_headers();
    for (const model::Attendance& a : s.today_attendance) {
      ImGui::PushID(a.id.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const auto name = names.find(a.member_id);
      text(name != names.end() ? name->second : a.member_id, {.wrap = true});
      ImGui::TableNextColumn();
      text(local_hh_mm(a.checked_in_at));
      ImGui::TableNextColumn();
      if (a.voided) {
        text(c.tr("staff.today.voided"));
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
