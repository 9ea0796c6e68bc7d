// Check-in of a returning participant: search, choose, confirm; then the result.
#include <imgui.h>

#include "common/util/strings.hpp"
#include "kiosk/ui/screens.hpp"
#include "kiosk/ui/theme.hpp"

namespace alliance::kiosk::ui {

// The search results as rows to choose from; shared with the request screen.
void member_results(Ctx& c, const std::string& selected_id) {
  const auto& hits = c.state.search_results;
  if (hits.empty()) {
    if (!c.state.search_query.empty()) hint(c.tr("search.no_results"));
    return;
  }
  for (const store::MemberHit& hit : hits) {
    const model::Member& m = hit.member;
    ImGui::PushID(m.id.c_str());
    std::string line = m.display_name();
    if (!m.organisation.empty() && m.kind == model::MemberKind::individual) {
      line += "  ·  " + m.organisation;
    }
    line += "  ·  " + m.reference_code;
    const bool selected = m.id == selected_id;
    if (selectable(util::cat(line, "##row"), selected,
                   ImVec2(0.0f, ImGui::GetFrameHeight() * 1.3f))) {
      c.emit(intent::SelectMember{m.id});
    }
    ImGui::PopID();
  }
}

void draw_check_in(Ctx& c) {
  const AppState& s = c.state;
  title(c.tr("check_in.title"));
  if (!s.current_event) text(c.tr("check_in.no_event"), {.wrap = true, .colour = theme().warning});
  hint(c.tr("check_in.hint"));
  const FieldResult r = text_field(c, c.tr("search.label"), "search", s.search_query, "");
  if (r.changed) c.emit(intent::Search{r.value});
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));
  const std::string selected_id = s.selected_member ? s.selected_member->id : std::string();
  member_results(c, selected_id);

  if (s.selected_member) {
    ImGui::Dummy(ImVec2(0.0f, gap()));
    text(c.trf("check_in.selected", {s.selected_member->display_name()}), {.wrap = true});
  }
  const bool confirm = nav_row(c, c.tr("check_in.confirm"), true, s.selected_member.has_value()) ||
                       (r.entered && s.selected_member.has_value());
  if (confirm) c.emit(intent::ConfirmCheckIn{});
}

void draw_check_in_done(Ctx& c) {
  const AppState& s = c.state;
  title(s.already_checked_in ? c.tr("check_in.already_title") : c.tr("check_in.done_title"));
  if (s.selected_member) {
    ImGui::SetWindowFontScale(2.0f);
    text(s.selected_member->display_name(), {.wrap = true});
    ImGui::SetWindowFontScale(1.0f);
  }
  text(s.already_checked_in ? c.tr("check_in.already") : c.tr("check_in.done"), {.wrap = true});
  done_bar(c);
  default_focus(c);
}

}  // namespace alliance::kiosk::ui
