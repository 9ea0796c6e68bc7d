// The colours the views use beyond ImGui's own style, set by apply_style().
#pragma once

#include <imgui.h>

namespace alliance::kiosk::ui {

struct Theme {
  ImVec4 accent;     // screen titles
  ImVec4 muted;      // helper text
  ImVec4 error;      // field errors, rejected changes
  ImVec4 warning;    // changes waiting to sync
  ImVec4 ok;         // everything synced
  ImVec4 primary;    // the main action of a screen
  ImVec4 notice_bg;  // the notice bar
  ImVec4 error_bg;   // the notice bar when it reports a problem
};

const Theme& theme();

}  // namespace alliance::kiosk::ui
