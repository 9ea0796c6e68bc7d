// The staff PIN keypad: enter the PIN, or choose one on first use. Digits
// typed on a keyboard work too; the digits themselves are never shown.
#include <imgui.h>

#include "common/util/strings.hpp"
#include "kiosk/ui/screens.hpp"
#include "kiosk/ui/theme.hpp"

namespace alliance::kiosk::ui {

void draw_staff_pin(Ctx& c) {
  const StaffState& staff = c.state.staff;
  title(staff.pin_is_set ? c.tr("pin.title") : c.tr("pin.choose_title"));
  hint(staff.pin_is_set ? c.tr("pin.hint") : c.tr("pin.choose_hint"));
  ImGui::Dummy(ImVec2(0.0f, gap()));

  // One dot per digit typed.
  std::string dots;
  for (std::size_t i = 0; i < staff.pin_entry.size(); ++i) dots += "* ";
  ImGui::SetWindowFontScale(2.0f);
  ImGui::TextUnformatted(dots.empty() ? " " : dots.c_str());
  ImGui::SetWindowFontScale(1.0f);
  ImGui::Dummy(ImVec2(0.0f, gap()));

  const float key = touch_height() * 1.3f;
  constexpr const char* kRows[4][3] = {
      {"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"erase", "0", "ok"}};
  for (const auto& row : kRows) {
    for (int col = 0; col < 3; ++col) {
      const std::string_view k = row[col];
      if (col > 0) ImGui::SameLine();
      if (k == "erase") {
        if (ImGui::Button(util::cat(c.tr("pin.erase"), "##erase").c_str(), ImVec2(key, key))) {
          c.emit(intent::PinErase{});
        }
      } else if (k == "ok") {
        ImGui::PushStyleColor(ImGuiCol_Button, theme().primary);
        if (ImGui::Button(util::cat(c.tr("pin.ok"), "##ok").c_str(), ImVec2(key, key))) {
          c.emit(intent::SubmitPin{});
        }
        ImGui::PopStyleColor();
      } else if (ImGui::Button(util::cat(k, "##digit").c_str(), ImVec2(key, key))) {
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
    if (enter_pressed() && !ImGui::IsItemFocused()) c.emit(intent::SubmitPin{});
  }

  ImGui::Dummy(ImVec2(0.0f, gap() * 2.0f));
  if (big_button(c.tr("staff.back_to_public"), "leave")) c.emit(intent::LeaveStaff{});
}

}  // namespace alliance::kiosk::ui
