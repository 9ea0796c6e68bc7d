// Colours and sizes for a touch kiosk, normal or high contrast.
#include "kiosk/ui/theme.hpp"

#include <algorithm>
#include <cmath>

#include "kiosk/ui/ui.hpp"

namespace alliance::kiosk::ui {
namespace {

const Theme kNormal{
    .accent = {0.55f, 0.80f, 1.00f, 1.0f},
    .muted = {0.75f, 0.75f, 0.78f, 1.0f},
    .error = {1.00f, 0.45f, 0.40f, 1.0f},
    .warning = {1.00f, 0.78f, 0.30f, 1.0f},
    .ok = {0.45f, 0.85f, 0.50f, 1.0f},
    .primary = {0.10f, 0.42f, 0.24f, 1.0f},
    .primary_hovered = {0.08f, 0.48f, 0.26f, 1.0f},
    .primary_active = {0.06f, 0.36f, 0.20f, 1.0f},
    .on_primary = {1.0f, 1.0f, 1.0f, 1.0f},
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
    .primary_hovered = {0.0f, 0.32f, 0.72f, 1.0f},
    .primary_active = {0.0f, 0.20f, 0.50f, 1.0f},
    .on_primary = {1.0f, 1.0f, 1.0f, 1.0f},
    .notice_bg = {1.0f, 1.0f, 0.70f, 1.0f},
    .error_bg = {1.0f, 0.85f, 0.85f, 1.0f},
};

Theme& current() {
  static Theme theme = kNormal;
  return theme;
}

// `colour` drawn over `under`, as one opaque colour.
ImVec4 over(const ImVec4& colour, const ImVec4& under) {
  const float a = colour.w;
  return {colour.x * a + under.x * (1.0f - a), colour.y * a + under.y * (1.0f - a),
          colour.z * a + under.z * (1.0f - a), 1.0f};
}

float relative_luminance(const ImVec4& c) {
  const auto linear = [](float v) {
    return v <= 0.03928f ? v / 12.92f : std::pow((v + 0.055f) / 1.055f, 2.4f);
  };
  return 0.2126f * linear(c.x) + 0.7152f * linear(c.y) + 0.0722f * linear(c.z);
}

}  // namespace

const Theme& theme() {
  return current();
}

float contrast_ratio(const ImVec4& a, const ImVec4& b) {
  const float la = relative_luminance(a);
  const float lb = relative_luminance(b);
  return (std::max(la, lb) + 0.05f) / (std::min(la, lb) + 0.05f);
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
    colors[ImGuiCol_Header] = ImVec4(0.80f, 0.87f, 1.0f, 1.0f);
    colors[ImGuiCol_HeaderHovered] = ImVec4(0.70f, 0.80f, 1.0f, 1.0f);
    colors[ImGuiCol_HeaderActive] = ImVec4(0.50f, 0.65f, 1.0f, 1.0f);
    style.FrameBorderSize = 2.0f;
    style.ChildBorderSize = 2.0f;
    current() = kHighContrast;
  } else {
    ImGui::StyleColorsDark(&style);
    ImVec4* colors = style.Colors;
    // ImGui's bright blue under white text is 3.0:1; these keep 4.5:1 or more.
    colors[ImGuiCol_Button] = ImVec4(0.16f, 0.33f, 0.55f, 1.0f);
    colors[ImGuiCol_ButtonHovered] = ImVec4(0.12f, 0.38f, 0.68f, 1.0f);
    colors[ImGuiCol_ButtonActive] = ImVec4(0.08f, 0.30f, 0.56f, 1.0f);
    colors[ImGuiCol_FrameBg] = ImVec4(0.14f, 0.20f, 0.30f, 1.0f);
    colors[ImGuiCol_FrameBgHovered] = ImVec4(0.18f, 0.27f, 0.40f, 1.0f);
    colors[ImGuiCol_FrameBgActive] = ImVec4(0.20f, 0.32f, 0.48f, 1.0f);
    colors[ImGuiCol_Header] = ImVec4(0.16f, 0.30f, 0.50f, 1.0f);
    colors[ImGuiCol_HeaderHovered] = ImVec4(0.14f, 0.36f, 0.62f, 1.0f);
    colors[ImGuiCol_HeaderActive] = ImVec4(0.10f, 0.32f, 0.58f, 1.0f);
    colors[ImGuiCol_PopupBg] = ImVec4(0.10f, 0.10f, 0.12f, 1.0f);
    // The keyboard's focus frame, bright against the dark page and the buttons.
    colors[ImGuiCol_NavHighlight] = ImVec4(1.0f, 0.80f, 0.20f, 1.0f);
    style.FrameBorderSize = 1.0f;
    current() = kNormal;
  }
  // Every surface a control sits on is opaque (drop-down lists were see-through).
  for (const ImGuiCol_ col : kControlBackgrounds) {
    style.Colors[col] = over(style.Colors[col], style.Colors[ImGuiCol_WindowBg]);
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
