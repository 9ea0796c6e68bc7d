// The keyboard's path through a screen: every control (text fields, buttons,
// check boxes, radio buttons, drop-downs, list rows, the pack table's
// buttons) in the order it is drawn, which is the order people read it.
//
// ImGui 1.86 tabs through text fields only, and after a drop-down choice it
// starts again at the first field (whose text it selects, so the next thing
// typed replaced it). The kiosk therefore takes the Tab key away from ImGui
// (take_tab_key) and moves focus itself: each control calls item() before it
// is drawn, which builds this frame's ring; Tab and Shift+Tab move to the next
// or previous control of last frame's ring after the one that has focus.
// ImGui still owns focus itself (its NavId), so a mouse click, an arrow key or
// a closed drop-down leave focus where the ring continues from. A text field
// that gets focus is activated at once, so typing goes into it; until it
// has taken focus, settling() asks the platform to hold typed text back.
//
// UI thread only, between ImGui::NewFrame() and ImGui::Render().
#pragma once

#include <imgui.h>

#include <vector>

namespace alliance::kiosk::ui::focus {

// Takes the Tab key from ImGui's key map (after the backend set it up), so
// ImGui's own tabbing never runs; the ring reads the key instead.
void take_tab_key();

// ui::draw calls these around the frame's controls.
void begin_frame();
void end_frame();

// Before drawing a control with this id in the current window: records it in
// the ring and, when Tab chose it, gives it focus (a text field is activated
// and scrolled into view). `text_input`: a field that takes typing, which is
// activated too when an arrow key or a closed popup left focus on it.
// Controls inside a popup (a drop-down list) make a ring of their own, which
// Tab walks while the popup is open (as the arrow keys do).
void item(ImGuiID id, bool text_input = false);

// Gives focus to the next control drawn (ImGui::SetKeyboardFocusHere), with
// typed text held back until it has landed.
void here();

// Whether a focus change asked for this frame has not landed yet; the platform
// holds typed text back meanwhile so none of it is dropped (bounded: a few frames).
bool settling();

// For tests: the ring drawn by the last frame, in order, with where each
// control started (screen coordinates).
struct RingItem {
  ImGuiID id = 0;
  ImVec2 pos;
};
const std::vector<RingItem>& last_ring();
// The id that has keyboard focus, as the ring sees it (0: none).
ImGuiID focused();

}  // namespace alliance::kiosk::ui::focus
