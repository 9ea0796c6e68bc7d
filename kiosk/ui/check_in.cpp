// Check-in of a returning participant: search, choose, confirm; then the result.
#include <imgui.h>

#include "common/util/strings.hpp"
#include "kiosk/ui/screens.hpp"
#include "kiosk/ui/theme.hpp"

namespace alliance::kiosk::ui {

// The public search: one field for a code, phone or e-mail, one for the year
// of birth when a name is typed, and at most one match shown as its owner
// would recognise it. Shared with the request screen; returns whether Enter
// was pressed in a field.
bool public_search(Ctx& c, const std::string& selected_id) {
  const AppState& s = c.state;
  const FieldResult query = text_field(c, c.tr("search.label"), "search", s.search_query, "");
  const FieldResult year = text_field(c, c.tr("search.birth_year"), "search_birth_year",
                                      s.search_birth_year, "", ImGuiInputTextFlags_CharsDecimal);
  if (query.changed || year.changed) {
    c.emit(intent::Search{query.changed ? query.value : s.search_query,
                          year.changed ? year.value : s.search_birth_year});
  }
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));
  switch (s.search_outcome) {
    case PublicSearchOutcome::nothing_typed:
    case PublicSearchOutcome::found:
      break;
    case PublicSearchOutcome::not_found:
      hint(c.tr("search.no_results"));
      break;
    case PublicSearchOutcome::several:
      hint(c.tr("search.several"));
      break;
    case PublicSearchOutcome::needs_birth_year:
      hint(c.tr("search.needs_birth_year"));
      break;
  }
  if (const auto& m = s.search_match) {
    ImGui::PushID(m->member_id.c_str());
    const bool selected = m->member_id == selected_id;
    const std::string line = c.trf("search.match", {m->name, m->code_end});
    if (selectable(util::cat(line, "##row"), selected,
                   ImVec2(0.0f, ImGui::GetFrameHeight() * 1.3f))) {
      c.emit(intent::SelectMember{m->member_id});
    }
    if (!selected && ImGui::IsItemFocused() && enter_pressed()) {
      c.emit(intent::SelectMember{m->member_id});
    }
    ImGui::PopID();
  }
  return query.entered || year.entered;
}

void draw_check_in(Ctx& c) {
  const AppState& s = c.state;
  title(c.tr("check_in.title"));
  if (!s.current_event) text(c.tr("check_in.no_event"), {.wrap = true, .colour = theme().warning});
  hint(c.tr("check_in.hint"));
  const std::string selected_id = s.selected_member ? s.selected_member->member_id : std::string();
  const bool entered = public_search(c, selected_id);

  if (s.selected_member) {
    ImGui::Dummy(ImVec2(0.0f, gap()));
    text(c.trf("check_in.selected", {s.selected_member->name}), {.wrap = true});
  }
  const bool confirm = nav_row(c, c.tr("check_in.confirm"), true, s.selected_member.has_value()) ||
                       (entered && s.selected_member.has_value());
  if (confirm) c.emit(intent::ConfirmCheckIn{});
}

void draw_check_in_done(Ctx& c) {
  const AppState& s = c.state;
  title(s.already_checked_in ? c.tr("check_in.already_title") : c.tr("check_in.done_title"));
  if (s.selected_member) {
    ImGui::SetWindowFontScale(2.0f);
    text(s.selected_member->name, {.wrap = true});
    ImGui::SetWindowFontScale(1.0f);
  }
  text(s.already_checked_in ? c.tr("check_in.already") : c.tr("check_in.done"), {.wrap = true});
  done_bar(c);
  default_focus(c);
}

}  // namespace alliance::kiosk::ui
