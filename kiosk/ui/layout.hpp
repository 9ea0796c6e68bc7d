// Where a screen's parts go, whatever the display size: a strip of fixed
// height at the top (the header, or the notice over it, so a notice never
// moves a control), the screen's body, which scrolls (mouse wheel, a drag
// on a touch screen, keyboard focus brings the focused control into view),
// and the action bar (Back, Cancel, Next, Save, Send, Done) pinned at the
// bottom. Also records where the frame drew its primary actions, for tests
// and for the layout dump (ALLIANCE_KIOSK_LAYOUT_LOG, see kiosk/platform).
#pragma once

#include <imgui.h>

#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/state.hpp"

namespace alliance::kiosk::ui {

struct Ctx;

float status_strip_height();
float action_bar_height();
// Screens whose body leaves room for an action bar (all but the welcome screen).
bool has_action_bar(Screen screen);

// ui::draw opens the body before the screen draws and closes it after.
void begin_body(Ctx& c);
void end_body(Ctx& c);
// A screen calls this where its action bar starts: the body ends and what
// follows is drawn in the bar, under it. Safe to call once per frame.
void begin_action_bar(Ctx& c);

// A form's fields in two columns when the window is wide (at least
// kTwoColumnFonts font sizes, 1364 px at ui scale 1, and never under
// kTwoColumnMinPixels: so 1366×768 and wider), in one column otherwise. Call next() before each
// field; the fields go left to right, then down, which is also their focus order.
inline constexpr float kTwoColumnFonts = 62.0f;
inline constexpr float kTwoColumnMinPixels = 1360.0f;
bool two_column_form();
// Inside a FieldColumns drawn as two columns: a field takes its column's
// width, with its error message under it rather than beside it.
bool in_field_columns();
class FieldColumns {
 public:
  explicit FieldColumns(const char* id);
  ~FieldColumns();
  FieldColumns(const FieldColumns&) = delete;
  FieldColumns& operator=(const FieldColumns&) = delete;
  void next();

 private:
  bool table_ = false;
};

// Marks the item just drawn as one of the screen's primary actions.
void note_primary_action(std::string_view id);

struct ActionRect {
  std::string id;
  ImVec2 min;
  ImVec2 max;
  bool visible = false;  // wholly inside its window's visible area and the display
};
struct FrameLayout {
  Screen screen = Screen::welcome;
  ImVec2 display;
  std::vector<ActionRect> actions;
};
// The primary actions of the last frame drawn.
const FrameLayout& last_layout();
// "register_personal", ...: the screen's name in the layout dump.
std::string_view screen_name(Screen screen);

// Internal to ui::draw: starts and ends the frame's record.
void begin_layout_record(Screen screen);
void end_layout_record();

}  // namespace alliance::kiosk::ui
