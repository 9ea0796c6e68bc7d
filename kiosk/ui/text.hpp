// Words on screen: every label, name and message the views show goes through
// here, shaped by the text engine (kiosk/text) in the right order, and placed
// for the layout direction of the language (right to left for a table marked
// "_direction": "rtl"), so no screen knows about scripts or directions.
//
// Without an installed engine it falls back to ImGui's own text (Latin-1).
// Call between ImGui::NewFrame() and ImGui::Render(), on the UI thread.
#pragma once

#include <imgui.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/text/text_engine.hpp"

struct ImGuiWindow;

namespace alliance::kiosk::ui {

// The engine the views draw with, or nullptr for ImGui's own text. Not
// owned; the platform installs one with GPU pages, tests one with
// text::NullTextures.
void set_text_engine(text::TextEngine* engine);
text::TextEngine* text_engine();

// This frame's layout direction (ui::draw sets it from the language).
void set_layout_direction(text::Direction direction);
bool right_to_left();

struct TextStyle {
  bool wrap = false;             // wrap at the edge of the content region
  std::optional<ImVec4> colour;  // default: ImGuiCol_Text
};

// One text item, like ImGui::TextUnformatted (or TextWrapped with .wrap),
// shaped, and at the end of the line in a right-to-left layout. Honours
// PushTextWrapPos as ImGui's text does.
void text(std::string_view utf8, const TextStyle& style = {});
// A bullet, then the text (the bullet on the right in a right-to-left layout).
void bullet_text(std::string_view utf8);

// The size text() would give the text; wrap_width <= 0: no wrapping.
ImVec2 text_size(std::string_view utf8, float wrap_width = 0.0f);

// Draws one line of text inside [min, max] of `draw_list` (clipped there),
// vertically centred; `align` 0 puts it at the start edge of the layout
// direction, 0.5 centres it. For labels on buttons, rows and headers.
void draw_text_in(ImDrawList* draw_list, const ImVec2& min, const ImVec2& max,
                  std::string_view utf8, ImU32 colour, float align);

// Places the one ImGui item added while it lives, `width` wide, for the
// layout direction. Right to left, the item goes where ImGui would put it
// left to right, mirrored within its line (or table cell); ImGui's cursor
// keeps counting left to right, so SameLine, SetCursorPosX and the room
// left on a line mean what they mean left to right, and a row of placed
// items comes out mirrored, whatever the screen does between them. Left to
// right it changes nothing. Widgets use it; screens need not.
class PlacedItem {
 public:
  explicit PlacedItem(float width);
  ~PlacedItem();
  PlacedItem(const PlacedItem&) = delete;
  PlacedItem& operator=(const PlacedItem&) = delete;

 private:
  ImGuiWindow* window_ = nullptr;
  float shift_ = 0.0f;  // where it went minus where ImGui would have put it
};

// Characters ImGui's own font lacks in text ImGui draws itself (fields being
// typed in): the views note them, the platform adds them to its font atlas
// between frames (take_needed_glyphs). Code points above U+FFFF cannot be
// shown by ImGui 1.86 (16-bit ImWchar) and are not noted.
void need_glyphs(std::string_view utf8);
std::vector<char32_t> take_needed_glyphs();

// For tests: while set, every text drawn is appended with its rectangle.
struct DrawnText {
  std::string text;
  ImVec2 min;
  ImVec2 max;
};
void set_text_probe(std::vector<DrawnText>* probe);

}  // namespace alliance::kiosk::ui
