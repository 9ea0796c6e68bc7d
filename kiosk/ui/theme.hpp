// The colours the views use beyond ImGui's own style, set by apply_style().
#pragma once

#include <imgui.h>

namespace alliance::kiosk::ui {

struct Theme {
  ImVec4 accent;           // screen titles
  ImVec4 muted;            // helper text
  ImVec4 error;            // field errors, rejected changes
  ImVec4 warning;          // changes waiting to sync
  ImVec4 ok;               // everything synced
  ImVec4 primary;          // the main action of a screen
  ImVec4 primary_hovered;  // ... hovered or with keyboard focus
  ImVec4 primary_active;   // ... pressed
  ImVec4 on_primary;       // text on the primary colours
  ImVec4 notice_bg;        // the notice bar
  ImVec4 error_bg;         // the notice bar when it reports a problem
};

const Theme& theme();

// WCAG 2 contrast ratio of two opaque colours (1 to 21; text needs 4.5).
float contrast_ratio(const ImVec4& a, const ImVec4& b);

// The style colours a control with keyboard focus (or under a finger) may
// be drawn on, for the contrast test: every one is opaque and takes
// ImGuiCol_Text at 4.5:1 or more.
inline constexpr ImGuiCol_ kControlBackgrounds[] = {
    ImGuiCol_WindowBg,       ImGuiCol_ChildBg,       ImGuiCol_PopupBg,       ImGuiCol_FrameBg,
    ImGuiCol_FrameBgHovered, ImGuiCol_FrameBgActive, ImGuiCol_Button,        ImGuiCol_ButtonHovered,
    ImGuiCol_ButtonActive,   ImGuiCol_Header,        ImGuiCol_HeaderHovered, ImGuiCol_HeaderActive,
    ImGuiCol_TableRowBg,     ImGuiCol_TableRowBgAlt, ImGuiCol_TableHeaderBg,
};

}  // namespace alliance::kiosk::ui
