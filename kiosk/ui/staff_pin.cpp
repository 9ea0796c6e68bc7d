// The staff PIN screen: the keypad to enter the PIN or choose a new one (typed
// twice), the enrolment code before a first PIN, or where to set the first PIN
// when this kiosk was never enrolled. Digits typed on a keyboard work too; the
// digits themselves are never shown.
#include <imgui.h>

#include <algorithm>

#include "common/util/strings.hpp"
#include "kiosk/core/staff_pin.hpp"
#include "kiosk/ui/layout.hpp"
#include "kiosk/ui/screens.hpp"
#include "kiosk/ui/theme.hpp"

namespace alliance::kiosk::ui {
namespace {

void keypad(Ctx& c) {
  const StaffState& staff = c.state.staff;
  // One dot per digit typed.
  std::string dots;
  for (std::size_t i = 0; i < staff.pin_entry.size(); ++i) dots += "* ";
  ImGui::SetWindowFontScale(1.5f);
  ImGui::TextUnformatted(dots.empty() ? " " : dots.c_str());
  ImGui::SetWindowFontScale(1.0f);

  // Keys as large as the screen allows, down to a fingertip, so the OK row
  // stays in view on a short screen.
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const float room = (ImGui::GetContentRegionAvail().y - spacing * 4.0f) / 4.0f;
  const float key = std::clamp(room, ImGui::GetFrameHeight() * 1.1f, touch_height() * 1.3f);
  constexpr const char* kRows[4][3] = {
      {"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"erase", "0", "ok"}};
  for (const auto& row : kRows) {
    for (int col = 0; col < 3; ++col) {
      const std::string_view k = row[col];
      if (col > 0) ImGui::SameLine();
      if (k == "erase") {
        if (sized_button(c.tr("pin.erase"), "erase", ImVec2(key, key))) c.emit(intent::PinErase{});
      } else if (k == "ok") {
        ImGui::PushStyleColor(ImGuiCol_Button, theme().primary);
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme().primary_hovered);
        ImGui::PushStyleColor(ImGuiCol_ButtonActive, theme().primary_active);
        ImGui::PushStyleColor(ImGuiCol_Text, theme().on_primary);
        if (sized_button(c.tr("pin.ok"), "ok", ImVec2(key, key))) c.emit(intent::SubmitPin{});
        note_primary_action("pin_ok");
        ImGui::PopStyleColor(4);
      } else if (sized_button(std::string(k), util::cat("digit", k).c_str(), ImVec2(key, key))) {
        c.emit(intent::PinDigit{k[0]});
      }
    }
  }

  // The keyboard: digits, Backspace and Enter (Escape is handled by ui.cpp).
  const ImGuiIO& io = ImGui::GetIO();
  if (!ImGui::IsAnyItemActive()) {
    for (const ImWchar ch : io.InputQueueCharacters) {
      if (ch >= '0' && ch <= '9') c.emit(intent::PinDigit{static_cast<char>(ch)});
    }
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace))) c.emit(intent::PinErase{});
    if (enter_pressed() && !enter_consumed()) c.emit(intent::SubmitPin{});
  }
}

// The enrolment code, masked: it proves the right to set the first PIN.
void enrolment_code(Ctx& c) {
  const FieldResult code =
      text_field(c, c.tr("pin.code_label"), "enrolment_code", c.state.staff.enrolment_code_entry,
                 "enrolment_code", ImGuiInputTextFlags_Password);
  if (code.changed) c.emit(intent::EditEnrolmentCode{code.value});
  if (big_button(c.tr("pin.code_check"), "check_code") || code.entered) {
    c.emit(intent::SubmitEnrolmentCode{});
  }
}

}  // namespace

void draw_staff_pin(Ctx& c) {
  const StaffState& staff = c.state.staff;
  switch (staff.pin_step) {
    case PinStep::enter:
      title(c.tr("pin.title"));
      hint(c.tr("pin.hint"));
      break;
    case PinStep::enrolment_code:
      title(c.tr("pin.setup_title"));
      hint(c.tr("pin.code_hint"));
      break;
    case PinStep::set_at_terminal:
      title(c.tr("pin.setup_title"));
      hint(c.tr("pin.terminal_hint"));
      break;
    case PinStep::choose:
      title(c.tr("pin.choose_title"));
      hint(c.trf("pin.choose_hint", {std::to_string(kMinPinLength)}));
      break;
    case PinStep::confirm:
      title(c.tr("pin.confirm_title"));
      hint(c.tr("pin.confirm_hint"));
      break;
  }

  if (staff.pin_step == PinStep::enrolment_code) {
    enrolment_code(c);
  } else if (staff.pin_step != PinStep::set_at_terminal) {
    keypad(c);
  }

  begin_action_bar(c);
  if (staff.changing_pin) {
    if (big_button(c.tr("pin.cancel_change"), "cancel_change")) c.emit(intent::Back{});
    note_primary_action("cancel_change");
  } else {
    if (big_button(c.tr("staff.back_to_public"), "leave")) c.emit(intent::LeaveStaff{});
    note_primary_action("leave");
  }
}

}  // namespace alliance::kiosk::ui
