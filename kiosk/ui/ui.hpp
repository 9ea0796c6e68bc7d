// The kiosk's ImGui views: one call draws a whole frame from AppState and
// collects what the person asked for as intents (see kiosk/core/intents.hpp).
//
// Draw code never changes AppState, touches the database, reads a clock or
// validates; the frame loop dispatches the collected intents afterwards. Only
// widget buffers (text being typed, filters) live here, between frames.
// Call from the UI thread, between ImGui::NewFrame() and ImGui::Render().
#pragma once

#include <vector>

#include "common/model/i18n.hpp"
#include "kiosk/core/intents.hpp"
#include "kiosk/core/state.hpp"

namespace alliance::kiosk::ui {

// Draws the kiosk filling the display, with no window decorations.
void draw(const AppState& state, const model::I18n& i18n, std::vector<Intent>& intents);

// Sets colours and sizes for touch use; call when the settings change (it
// resets the style, so repeated calls do not compound the scale). Fonts are
// the platform layer's: this sets io.FontGlobalScale = ui_scale.
void apply_style(bool high_contrast, float ui_scale);

}  // namespace alliance::kiosk::ui
