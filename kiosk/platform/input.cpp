// The per-frame trickle of keyboard events into ImGui 1.86.
#include "kiosk/platform/input.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <imgui.h>

#include <set>

namespace alliance::kiosk::platform {

std::size_t events_for_one_frame(std::span<const KeyEvent> pending, bool hold_text) {
  std::set<int> keys_changed;
  bool text_seen = false;
  bool pressed = false;
  std::size_t taken = 0;
  for (const auto& event : pending) {
    if (event.is_text) {
      if (hold_text || !keys_changed.empty()) break;
      text_seen = true;
    } else {
      if (text_seen || keys_changed.contains(event.key)) break;
      // One press a frame: each key acts on what the one before it left
      // (Enter opens a list, then Tab moves in it).
      if (event.action == GLFW_PRESS && pressed) break;
      pressed = pressed || event.action == GLFW_PRESS;
      keys_changed.insert(event.key);
    }
    ++taken;
  }
  return taken;
}

void InputQueue::feed_one_frame(GLFWwindow* window, bool hold_text) {
  if (pending_.empty()) return;
  const auto count = static_cast<std::ptrdiff_t>(events_for_one_frame(pending_, hold_text));
  for (auto it = pending_.begin(); it != pending_.begin() + count; ++it) {
    if (it->is_text) {
      ImGui_ImplGlfw_CharCallback(window, it->codepoint);
    } else {
      ImGui_ImplGlfw_KeyCallback(window, it->key, it->scancode, it->action, it->mods);
      // Shift as the queue saw it or as the key reports it: Shift+Tab stays
      // Shift+Tab when Shift went down in an earlier frame.
      if (it->key == GLFW_KEY_LEFT_SHIFT || it->key == GLFW_KEY_RIGHT_SHIFT) {
        shift_down_ = it->action == GLFW_PRESS;
      }
      ImGui::GetIO().KeyShift = shift_down_ || (it->mods & GLFW_MOD_SHIFT) != 0;
    }
  }
  pending_.erase(pending_.begin(), pending_.begin() + count);
}

}  // namespace alliance::kiosk::platform
