// Keys and typed characters, queued as GLFW delivers them and handed to
// ImGui a frame at a time.
//
// ImGui 1.86 reads keys as "down or not" once per frame (io.KeysDown): a key
// pressed and released between two frames never happened, and text typed
// around a Tab lands in one field. Fast typists, barcode scanners and xdotool
// all do that. So, as ImGui 1.87 later did itself, a frame takes events only
// up to the first one that would hide an earlier one: a second change of the
// same key, a key after text, or text after a key; and at most one key press,
// so each key acts on the screen the one before it left.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

struct GLFWwindow;

namespace alliance::kiosk::platform {

struct KeyEvent {
  bool is_text = false;
  int key = 0;  // GLFW_KEY_*, for key events
  int scancode = 0;
  int action = 0;  // GLFW_PRESS or GLFW_RELEASE (repeats are not queued)
  int mods = 0;
  unsigned codepoint = 0;  // for text events
};

// How many events from the front of `pending` one frame may take (at least
// one when any are pending, unless `hold_text` and the first is text: text
// waits while the focus moves to the field it is meant for). Pure, so the
// rule is easy to reason about.
std::size_t events_for_one_frame(std::span<const KeyEvent> pending, bool hold_text = false);

class InputQueue {
 public:
  void push(const KeyEvent& event) { pending_.push_back(event); }
  bool empty() const { return pending_.empty(); }
  // Feeds the next frame's share of events to ImGui through the GLFW backend;
  // with hold_text, typed text stays queued (keys still go through).
  void feed_one_frame(GLFWwindow* window, bool hold_text);

 private:
  std::vector<KeyEvent> pending_;
  bool shift_down_ = false;  // a Shift key is held, by the events fed so far
};

}  // namespace alliance::kiosk::platform
