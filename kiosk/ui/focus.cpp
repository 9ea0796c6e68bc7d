// The focus ring: Tab and Shift+Tab through every control in drawn order.
#include "kiosk/ui/focus.hpp"

#include <imgui.h>
#include <imgui_internal.h>  // NavId, ActiveId, NavDisableHighlight

#include <algorithm>

namespace alliance::kiosk::ui::focus {
namespace {

struct Ring {
  int tab_key = -1;  // io.KeysDown index of Tab, once taken from ImGui
  // This frame's controls and last frame's, in drawn order: the screen's,
  // and those of an open popup (a drop-down list), which Tab walks instead
  // while it is open.
  std::vector<RingItem> building;
  std::vector<RingItem> last;
  std::vector<RingItem> popup_building;
  std::vector<RingItem> popup_last;
  ImGuiID target = 0;      // where Tab sends focus this frame
  ImGuiID last_known = 0;  // the last control of the screen seen with focus
  int settle_frames = 0;   // frames a focus change may still take to land
  ImGuiID activated = 0;   // the field last activated because focus arrived on it
};

Ring& ring() {
  static Ring r;
  return r;
}

bool in_popup() {
  const ImGuiWindow* window = ImGui::GetCurrentWindow();
  return (window->Flags & ImGuiWindowFlags_Popup) != 0;
}

std::vector<RingItem>::const_iterator find(const std::vector<RingItem>& items, ImGuiID id) {
  return std::find_if(items.begin(), items.end(), [id](const RingItem& i) { return i.id == id; });
}

bool contains(const std::vector<RingItem>& items, ImGuiID id) {
  return id != 0 && find(items, id) != items.end();
}

// The control after (or before) `now` in `items`, wrapping around.
ImGuiID step(const std::vector<RingItem>& items, ImGuiID now, bool backwards) {
  const auto count = static_cast<std::ptrdiff_t>(items.size());
  const auto at = find(items, now);
  std::ptrdiff_t next = 0;
  if (now == 0 || at == items.end()) {
    next = backwards ? count - 1 : 0;
  } else {
    next = ((at - items.begin()) + (backwards ? count - 1 : 1)) % count;
  }
  return items[static_cast<std::size_t>(next)].id;
}

}  // namespace

void take_tab_key() {
  ImGuiIO& io = ImGui::GetIO();
  if (io.KeyMap[ImGuiKey_Tab] >= 0) ring().tab_key = io.KeyMap[ImGuiKey_Tab];
  io.KeyMap[ImGuiKey_Tab] = -1;
}

ImGuiID focused() {
  const ImGuiContext& g = *GImGui;
  Ring& r = ring();
  if (contains(r.last, g.ActiveId)) return g.ActiveId;
  if (contains(r.last, g.NavId)) return g.NavId;
  return contains(r.last, r.last_known) ? r.last_known : 0;
}

void begin_frame() {
  Ring& r = ring();
  r.building.clear();
  r.popup_building.clear();
  if (r.settle_frames > 0) --r.settle_frames;
  const ImGuiID now = focused();
  if (now != 0) r.last_known = now;
  r.target = 0;
  if (r.tab_key < 0 || !ImGui::IsKeyPressed(r.tab_key, true)) return;
  const bool backwards = ImGui::GetIO().KeyShift;
  if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) {
    // In an open list Tab moves down the rows as the arrows do.
    if (r.popup_last.empty()) return;
    r.target = step(r.popup_last, GImGui->NavId, backwards);
  } else {
    if (r.last.empty()) return;
    r.target = step(r.last, now, backwards);
  }
  r.settle_frames = 3;
  GImGui->NavDisableHighlight = false;  // show where the keyboard went
}

void item(ImGuiID id, bool text_input) {
  // A disabled control cannot take focus: Tab passes it by.
  if ((GImGui->CurrentItemFlags & ImGuiItemFlags_Disabled) != 0) return;
  Ring& r = ring();
  const bool popup = in_popup();
  (popup ? r.popup_building : r.building).push_back({.id = id, .pos = ImGui::GetCursorScreenPos()});
  if (id == r.target) {
    r.target = 0;
    // Focuses this control (activating a text field) and scrolls it into view.
    ImGui::SetKeyboardFocusHere();
    return;
  }
  // Focus left on a field by an arrow key or a closed popup: type into it now.
  const ImGuiContext& g = *GImGui;
  // Once per arrival, so text is never held back for long.
  if (g.NavId != r.activated) r.activated = 0;
  if (!popup && text_input && g.NavId == id && g.ActiveId == 0 && !g.NavDisableHighlight &&
      r.activated != id && g.NavWindow == ImGui::GetCurrentWindow() &&
      !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) {
    r.activated = id;
    ImGui::SetKeyboardFocusHere();
    r.settle_frames = std::max(r.settle_frames, 2);
  }
}

void end_frame() {
  Ring& r = ring();
  r.last.swap(r.building);
  r.popup_last.swap(r.popup_building);
  // The target was not drawn this frame (the screen changed): drop it.
  r.target = 0;
}

void here() {
  ImGui::SetKeyboardFocusHere();
  ring().settle_frames = std::max(ring().settle_frames, 3);
}

bool settling() {
  return ring().settle_frames > 0;
}

const std::vector<RingItem>& last_ring() {
  return ring().last;
}

}  // namespace alliance::kiosk::ui::focus
