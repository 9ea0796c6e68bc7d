// Colours and sizes for a touch kiosk, normal or high contrast.
#include "kiosk/ui/theme.hpp"

#include "kiosk/ui/ui.hpp"

namespace alliance::kiosk::ui {
namespace {

const Theme kNormal{
    .accent = {0.55f, 0.80f, 1.00f, 1.0f},
    .muted = {0.75f, 0.75f, 0.78f, 1.0f},
    .error = {1.00f, 0.45f, 0.40f, 1.0f},
    .warning = {1.00f, 0.78f, 0.30f, 1.0f},
    .ok = {0.45f, 0.85f, 0.50f, 1.0f},
    .primary = {0.16f, 0.50f, 0.30f, 1.0f},
    .notice_bg = {0.15f, 0.30f, 0.45f, 1.0f},
    .error_bg = {0.45f, 0.12f, 0.12f, 1.0f},
};

// Black on white and pure colours: readable in sunlight and for low vision.
const Theme kHighContrast{
    .accent = {0.0f, 0.0f, 0.0f, 1.0f},
    .muted = {0.10f, 0.10f, 0.10f, 1.0f},
    .error = {0.70f, 0.0f, 0.0f, 1.0f},
    .warning = {0.55f, 0.30f, 0.0f, 1.0f},
    .ok = {0.0f, 0.40f, 0.0f, 1.0f},
    .primary = {0.0f, 0.25f, 0.60f, 1.0f},
    .notice_bg = {1.0f, 1.0f, 0.70f, 1.0f},
    .error_bg = {1.0f, 0.85f, 0.85f, 1.0f},
};

Theme& current() {
  static Theme theme = kNormal;
  return theme;
}

}  // namespace

const Theme& theme() {
  return current();
}

void apply_style(bool high_contrast, float ui_scale) {
  ImGuiStyle style;  // fresh, so scaling never compounds
  if (high_contrast) {
    ImGui::StyleColorsLight(&style);
    ImVec4* colors = style.Colors;
    colors[ImGuiCol_Text] = ImVec4(0.0f, 0.0f, 0.0f, 1.0f);
    colors[ImGuiCol_WindowBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
    colors[ImGuiCol_ChildBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
    colors[ImGuiCol_PopupBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
    colors[ImGuiCol_Border] = ImVec4(0.0f, 0.0f, 0.0f, 1.0f);
    colors[ImGuiCol_FrameBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
    colors[ImGuiCol_Button] = ImVec4(0.85f, 0.85f, 0.85f, 1.0f);
    colors[ImGuiCol_ButtonHovered] = ImVec4(0.70f, 0.80f, 1.0f, 1.0f);
    colors[ImGuiCol_ButtonActive] = ImVec4(0.50f, 0.65f, 1.0f, 1.0f);
    colors[ImGuiCol_NavHighlight] = ImVec4(0.0f, 0.0f, 0.0f, 1.0f);
    style.FrameBorderSize = 2.0f;
    style.ChildBorderSize = 2.0f;
    current() = kHighContrast;
  } else {
    ImGui::StyleColorsDark(&style);
    style.FrameBorderSize = 1.0f;
    current() = kNormal;
  }
  style.WindowRounding = 0.0f;
  style.WindowBorderSize = 0.0f;
  style.FrameRounding = 6.0f;
  style.GrabRounding = 6.0f;
  style.FramePadding = ImVec2(12.0f, 10.0f);
  style.ItemSpacing = ImVec2(12.0f, 10.0f);
  style.ItemInnerSpacing = ImVec2(10.0f, 8.0f);
  style.WindowPadding = ImVec2(24.0f, 16.0f);
  style.ScrollbarSize = 24.0f;  // wide enough for a finger
  style.GrabMinSize = 24.0f;
  style.TouchExtraPadding = ImVec2(4.0f, 4.0f);
  const float scale = ui_scale < 0.5f ? 0.5f : (ui_scale > 3.0f ? 3.0f : ui_scale);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
  // Text scale comes from the font itself: the platform layer rebuilds the
  // atlas at the new size, which stays sharp where FontGlobalScale would blur.
}

}  // namespace alliance::kiosk::ui
