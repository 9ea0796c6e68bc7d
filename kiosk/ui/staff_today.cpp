// Staff: today's registrations and check-ins, with edit and void per row.
#include <imgui.h>

#include <algorithm>
#include <map>

#include "common/util/strings.hpp"
#include "kiosk/ui/screens.hpp"

namespace alliance::kiosk::ui {
namespace {

// "Void Amina Wanjiru's registration?" until staff confirm or keep it. The
// safe choice (keep) has the focus, so Enter alone never voids anything.
void void_confirmation(Ctx& c) {
  constexpr const char* kId = "##confirm_void";
  const std::optional<VoidTarget>& pending = c.state.void_pending;
  if (pending && !ImGui::IsPopupOpen(kId)) ImGui::OpenPopup(kId);
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(viewport->Size.x * 0.6f, 0.0f));
  if (!ImGui::BeginPopupModal(kId, nullptr,
                              ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                  ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings)) {
    return;
  }
  if (!pending) {
    ImGui::CloseCurrentPopup();
  } else {
    const bool member = pending->kind == VoidTarget::Kind::member;
    title(c.trf(member ? "staff.today.void_confirm_member" : "staff.today.void_confirm_check_in",
                {pending->name}));
    if (member) text(c.trf("staff.today.void_confirm_reason", {pending->reason}), {.wrap = true});
    hint(c.tr("staff.today.void_confirm_hint"));
    ImGui::Dummy(ImVec2(0.0f, gap()));
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    if (big_button(c.tr("staff.today.void_keep"), "void_keep") || escape_pressed()) {
      c.emit(intent::CancelVoid{});
    }
    ImGui::SameLine();
    if (big_button(c.tr("staff.today.void_confirm"), "void_confirm")) {
      c.emit(intent::ConfirmVoid{});
    }
  }
  ImGui::EndPopup();
}

// Who checked in, as staff know them: never an id.
std::string attendee(const Ctx& c, const std::string& member_id) {
  const auto found = c.state.people.find(member_id);
  if (found == c.state.people.end() || found->second.name.empty()) {
    return c.tr("staff.unknown_person");
  }
  const PersonLabel& p = found->second;
  return p.phone.empty() ? p.name : util::cat(p.name, "  ·  ", p.phone);
}

}  // namespace

void draw_staff_today(Ctx& c) {
  // Void reasons being typed, per member id.
  static std::map<std::string, std::string> reasons;
  const AppState& s = c.state;
  title(c.tr("staff.today.title"));
  if (c.entered_screen) reasons.clear();
  // Voided registrations stay listed (marked, to restore) but do not count.
  const auto registered = std::ranges::count_if(s.today_registrations,
                                                [](const model::Member& m) { return !m.voided; });
  text(c.trf("staff.today.counts",
             {util::cat(registered), util::cat(s.today_attendance.size()), s.today}));
  if (s.last_void) {
    if (row_button(c.tr("staff.today.undo_void"), "undo_void")) {
      c.emit(intent::RestoreVoided{s.last_void->kind, s.last_void->id});
    }
    ImGui::SameLine();
    text(c.trf("staff.today.last_void", {s.last_void->name}), {.wrap = true});
  }
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
        if (row_button(c.tr("staff.today.restore"), "restore")) {
          c.emit(intent::RestoreVoided{VoidTarget::Kind::member, m.id});
        }
        ImGui::SameLine();
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
      text(attendee(c, a.member_id), {.wrap = true});
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
  void_confirmation(c);
}

}  // namespace alliance::kiosk::ui
