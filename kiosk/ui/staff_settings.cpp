// Staff: language, idle timeout, screen and office settings of this kiosk, and
// the way to a new staff PIN.
#include <imgui.h>

#include "common/model/codes.hpp"
#include "common/util/strings.hpp"
#include "kiosk/ui/screens.hpp"

namespace alliance::kiosk::ui {

void draw_staff_settings(Ctx& c) {
  const Settings& st = c.state.settings;
  title(c.tr("staff.settings.title"));

  text(c.tr("staff.settings.language"));
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16.0f);
  const std::string current(c.i18n.text(st.language, "language.native_name"));
  if (begin_combo("##language", current)) {
    for (const std::string_view code : model::language_codes()) {
      ImGui::PushID(code.data(), code.data() + code.size());
      if (selectable(std::string(c.i18n.text(code, "language.native_name")), st.language == code) &&
          st.language != code) {
        c.emit(intent::SetLanguage{std::string(code)});
      }
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));

  text(c.tr("staff.settings.idle_timeout"));
  int seconds = st.idle_timeout_seconds;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12.0f);
  if (c.focus_pending) {
    ImGui::SetKeyboardFocusHere();
    c.focus_pending = false;
  }
  focus_order("##idle", true);
  if (ImGui::InputInt("##idle", &seconds, 15, 60) && seconds != st.idle_timeout_seconds) {
    c.emit(intent::SetIdleTimeout{seconds});
  }
  hint(c.tr("staff.settings.idle_hint"));
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));

  bool fullscreen = st.fullscreen;
  if (checkbox(c.tr("staff.settings.fullscreen"), &fullscreen)) {
    c.emit(intent::SetFullscreen{fullscreen});
  }
  bool high_contrast = st.high_contrast;
  if (checkbox(c.tr("staff.settings.high_contrast"), &high_contrast)) {
    c.emit(intent::SetHighContrast{high_contrast});
  }
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));
  text(c.tr("staff.settings.ui_scale"));
  // The slider keeps its own value while dragged; the setting changes on
  // release, since rescaling mid-drag would move the slider under the finger.
  static float dragged = 1.0f;
  static bool dragging = false;
  float scale = dragging ? dragged : st.ui_scale;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16.0f);
  focus_order("##scale", false);
  ImGui::SliderFloat("##scale", &scale, 0.75f, 2.0f, "%.2f");
  dragging = ImGui::IsItemActive();
  dragged = scale;
  if (ImGui::IsItemDeactivatedAfterEdit()) c.emit(intent::SetUiScale{scale});
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));

  const FieldResult office = text_field(c, c.tr("field.office"), "office", st.office, "office");
  if (office.changed) c.emit(intent::SetOffice{office.value});
  hint(c.tr("staff.settings.office_hint"));
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));
  if (big_button(c.tr("staff.settings.change_pin"), "change_pin")) c.emit(intent::ChangePin{});
  staff_back(c);
}

}  // namespace alliance::kiosk::ui
