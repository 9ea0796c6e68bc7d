// The public start screen: language, then register, check in or request packs.
#include <imgui.h>

#include "common/model/codes.hpp"
#include "common/util/strings.hpp"
#include "kiosk/ui/layout.hpp"
#include "kiosk/ui/screens.hpp"

namespace alliance::kiosk::ui {

void draw_welcome(Ctx& c) {
  title(c.tr("welcome.title"));
  hint(c.tr("welcome.intro"));
  ImGui::Dummy(ImVec2(0.0f, gap()));

  // Each language's button shows its own name, so anyone can find theirs.
  for (const std::string_view code : model::language_codes()) {
    const std::string id(code);
    const bool current = c.lang() == code;
    if (current)
      ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (big_button(std::string(c.i18n.text(code, "language.native_name")),
                   util::cat("lang_", id).c_str())) {
      c.emit(intent::SetLanguage{id});
    }
    if (current) ImGui::PopStyleColor();
    ImGui::SameLine();
  }
  // Staff mode sits at the end of the language row, small and out of the way,
  // so it stays on screen however short the display is.
  const std::string staff_label = c.tr("welcome.staff");
  const float staff_width = text_size(staff_label).x + ImGui::GetStyle().FramePadding.x * 2.0f;
  const float right = ImGui::GetWindowContentRegionMax().x - staff_width;
  if (right > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(right);
  if (row_button(staff_label, "staff")) c.emit(intent::EnterStaff{});
  ImGui::Dummy(ImVec2(0.0f, gap() * 2.0f));

  if (c.state.current_event) {
    text(c.trf("welcome.event", {c.state.current_event->name}), {.wrap = true});
  } else {
    hint(c.tr("welcome.no_event"));
  }
  ImGui::Dummy(ImVec2(0.0f, gap()));

  struct Action {
    std::string label;
    std::string hint;
    const char* id;
    Intent intent;
  };
  const Action actions[] = {
      {c.tr("welcome.register"), c.tr("welcome.register_hint"), "register",
       intent::StartRegistration{}},
      {c.tr("welcome.check_in"), c.tr("welcome.check_in_hint"), "check_in", intent::StartCheckIn{}},
      {c.tr("welcome.request"), c.tr("welcome.request_hint"), "request", intent::StartRequest{}},
  };
  // Side by side where the screen is wide enough, so all three fit a short
  // screen (1024x600); one under the other on a narrow one.
  const bool side_by_side = ImGui::GetContentRegionAvail().x >= ImGui::GetFontSize() * 40.0f;
  const float w = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 36.0f);
  if (side_by_side && ImGui::BeginTable("##actions", 3, ImGuiTableFlags_SizingStretchSame)) {
    for (const Action& action : actions) {
      ImGui::TableNextColumn();
      if (big_button(action.label, action.id, -1.0f)) c.emit(action.intent);
      note_primary_action(action.id);
      if (action.id == actions[0].id) default_focus(c);
      hint(action.hint);
    }
    ImGui::EndTable();
    return;
  }
  for (const Action& action : actions) {
    if (big_button(action.label, action.id, w)) c.emit(action.intent);
    note_primary_action(action.id);
    if (action.id == actions[0].id) default_focus(c);
    hint(action.hint);
    ImGui::Dummy(ImVec2(0.0f, gap()));
  }
}

}  // namespace alliance::kiosk::ui
