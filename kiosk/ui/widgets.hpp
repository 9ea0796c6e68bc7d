// Shared pieces of the kiosk's views: the per-frame context, touch-sized
// buttons, labelled fields with their error beside them, code-list combos,
// the notice bar, the sync badge and the idle prompt.
//
// Every label is translated by the caller through Ctx::tr / Ctx::trf with a
// literal key, so a test can find every key the views use by reading them.
// Every word goes through kiosk/ui/text.hpp (shaped, in the layout
// direction); the widgets here that take a label draw it that way, and
// place themselves with PlacedItem, so a right-to-left language mirrors
// the rows they make up.
#pragma once

#include <imgui.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/model/i18n.hpp"
#include "kiosk/core/intents.hpp"
#include "kiosk/core/state.hpp"
#include "kiosk/ui/text.hpp"

namespace alliance::kiosk::ui {

// What one frame's draw functions share.
struct Ctx {
  const AppState& state;
  const model::I18n& i18n;
  std::vector<Intent>& intents;
  bool entered_screen = false;  // first frame of this screen
  bool focus_pending = false;   // the first field of the screen still wants focus
  bool body_open = false;       // the scrolling body is being drawn (ui/layout.hpp)

  std::string_view lang() const { return state.settings.language; }
  std::string tr(std::string_view key) const { return std::string(i18n.text(lang(), key)); }
  std::string trf(std::string_view key, std::vector<std::string> args) const {
    return i18n.format(lang(), key, args);
  }
  // The label of a code in a code list (model::code_label): "code.<list>.<code>".
  std::string code_label(std::string_view list, std::string_view code) const;
  template <class T>
  void emit(T intent) {
    intents.emplace_back(std::move(intent));
  }
};

// Sizes that scale with the font, so ui_scale makes everything larger.
float touch_height();
float gap();

// A screen's heading; first line of every screen.
void title(const std::string& text);
// Wrapped helper text in a softer colour.
void hint(const std::string& text);

// ImGui's widgets with their labels shaped and mirrored right to left. A
// label may end in "##id" as with ImGui (the id part is not shown).
bool checkbox(const std::string& label, bool* value);
bool radio_button(const std::string& label, bool active);
// A full-width selectable row (size.y 0: the label's height).
bool selectable(const std::string& label, bool selected, const ImVec2& size = ImVec2(0.0f, 0.0f));
// ImGui::BeginCombo with the preview shaped.
bool begin_combo(const char* id, const std::string& preview, int flags = 0);
// A single-line text field with a hint shown while it is empty; true when
// the text changed. width < 0 fills the line. *entered (if given): Enter was
// pressed in it.
bool hint_field(const char* id, const std::string& hint, std::string& buffer, float width,
                bool* entered = nullptr);
// ImGui::TableHeadersRow with shaped headers; columns run right to left in
// a right-to-left layout (label_value_row does the same for its table).
void table_headers();

// A touch-sized button; Enter activates it when it has keyboard focus.
// width 0 sizes it to the label, a negative width fills the line.
bool big_button(const std::string& label, const char* id, float width = 0.0f);
// A button of a given size (the PIN pad's keys).
bool sized_button(const std::string& label, const char* id, ImVec2 size);
// Puts the next raw ImGui control (InputInt, SliderFloat) with this label in
// the keyboard's focus order (ui/focus.hpp); `text_input` for typed fields.
void focus_order(const char* imgui_label, bool text_input);
// A regular-height button for rows in lists.
bool row_button(const std::string& label, const char* id);
// Whether Enter was pressed this frame (main or keypad key).
bool enter_pressed();
// Whether a button already acted on this frame's Enter.
bool enter_consumed();
// Gives keyboard focus to the item just drawn when the screen appears (if no
// field took it), so Enter and Space act on it without a mouse.
void default_focus(Ctx& c);
// A screen where no choice may be made by accident ("Is this you?"): when it
// appears nothing has keyboard focus, so Enter presses nothing until the
// person moves to a button.
void leave_unfocused(Ctx& c);
bool escape_pressed();

struct FieldResult {
  bool changed = false;  // value holds the new text
  bool entered = false;  // Enter was pressed in the field
  std::string value;
};

// A label above a single-line text field, the field's error (an i18n key
// from state.field_errors[error_field]) beside it in the chosen language.
// The typed text lives in a buffer that re-syncs from `value` whenever they
// differ and the field is not being edited. Takes focus if ctx.focus_pending.
FieldResult text_field(Ctx& c, const std::string& label, const char* id, const std::string& value,
                       std::string_view error_field, int flags = 0);
// The translated error of a field, if it has one, in the error colour.
void field_error(Ctx& c, std::string_view error_field);

// A combo over a code list with translated labels; the first entry ("not
// chosen") yields "". Returns the chosen code when it changed. Space or Enter
// opens it, arrows move in the list, Space or Enter picks, Escape closes it;
// focus stays on the combo, so Tab goes on to the next control.
std::optional<std::string> code_combo(Ctx& c, const std::string& label, const char* id,
                                      std::string_view list,
                                      std::span<const std::string_view> codes,
                                      const std::string& value, std::string_view error_field);
// Countries by English name with a filter box at the top of the list.
std::optional<std::string> country_combo(Ctx& c, const std::string& label, const char* id,
                                         const std::string& value, std::string_view error_field);

// state.notice, translated, with a dismiss button, `height` tall (it is
// drawn over the header strip, so it never moves a control).
void notice_bar(Ctx& c, float height);
// "all N records synced at HH:MM" / "N waiting, no network since HH:MM".
// "Sync agent not running since 14:02" (the last status write, local time).
std::string agent_silent_text(const Ctx& c);
std::string sync_badge_text(const Ctx& c);
void sync_badge(Ctx& c);
// The "still there?" modal with its countdown, while state.idle_prompt.
void idle_modal(Ctx& c);

// The action bar of a public screen, pinned at the bottom (it ends the
// screen's body): Back, Cancel and the primary action at the end edge.
// Returns true if the primary button was pressed (it emits nothing itself).
bool nav_row(Ctx& c, const std::string& primary_label, bool show_back = true,
             bool primary_enabled = true);

// The action bar of a staff screen: Back (returns to `to`) and, when
// primary_label is not empty, a primary button; true when that was pressed.
bool staff_back(Ctx& c, Screen to = Screen::staff_home, const std::string& primary_label = {});

// The action bar of a screen that ends a flow: "Done" (back to welcome).
bool done_bar(Ctx& c);

// The screen's main button at the end edge of the line, in the primary colour.
bool primary_button(const std::string& label, const char* id, bool enabled);

// "+254 *** ** 678": the calling code and the last three digits only.
std::string masked_phone(std::string_view e164, std::string_view country);
// "2026-03-01T14:32:05Z" (UTC) -> "14:32" in the kiosk's local time; "" stays "".
std::string local_hh_mm(std::string_view iso_utc);
// Same, as "2026-03-01 14:32".
std::string local_date_time(std::string_view iso_utc);

// A reference code, large: in the platform's large font (Fonts[1]) when it
// has one, so it stays sharp, else the normal font scaled up.
void reference_code_text(const std::string& code);

// One row of a two-column table: a muted label, then the value ("—" if empty).
void label_value_row(const std::string& label, const std::string& value);

}  // namespace alliance::kiosk::ui
