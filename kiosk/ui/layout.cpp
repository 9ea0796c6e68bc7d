// The screen's frame: fixed strip, scrolling body, pinned action bar.
#include "kiosk/ui/layout.hpp"

#include <imgui.h>
#include <imgui_internal.h>  // ClearActiveID, window rectangles

#include <algorithm>
#include <cmath>

#include "kiosk/ui/widgets.hpp"

namespace alliance::kiosk::ui {
namespace {

FrameLayout& recording() {
  static FrameLayout layout;
  return layout;
}
FrameLayout& recorded() {
  static FrameLayout layout;
  return layout;
}

// A press on a touch screen that moves more than this scrolls the body
// instead of pressing what it started on.
float drag_threshold() {
  return ImGui::GetFontSize() * 0.6f;
}

// Touch: drag the body to scroll it. GLFW delivers a touch as the left mouse
// button; ImGui 1.86 has no drag-to-scroll of its own.
void drag_to_scroll() {
  struct Drag {
    bool tracking = false;
    bool scrolling = false;
    float start_scroll = 0.0f;
  };
  static Drag drag;
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  const ImGuiIO& io = ImGui::GetIO();
  if (io.MouseClicked[0]) {
    // Not on the scroll bar (it drags by itself), not under an open popup.
    const bool on_body = window->InnerRect.Contains(io.MousePos) &&
                         ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem |
                                                ImGuiHoveredFlags_ChildWindows);
    drag = {.tracking = on_body, .scrolling = false, .start_scroll = window->Scroll.y};
  }
  if (!io.MouseDown[0]) {
    drag.tracking = drag.scrolling = false;
    return;
  }
  if (!drag.tracking) return;
  const float dy = io.MousePos.y - io.MouseClickedPos[0].y;
  if (!drag.scrolling && std::fabs(dy) < drag_threshold()) return;
  drag.scrolling = true;
  // The button the finger started on must not fire when it lifts.
  if (GImGui->ActiveId != 0 && GImGui->ActiveIdWindow == window) ImGui::ClearActiveID();
  ImGui::SetScrollY(window, std::clamp(drag.start_scroll - dy, 0.0f, window->ScrollMax.y));
}

}  // namespace

float status_strip_height() {
  return touch_height() * 1.1f;
}

float action_bar_height() {
  const ImGuiStyle& style = ImGui::GetStyle();
  // Spacing after the body, the separator line and its spacing, the buttons.
  return touch_height() + style.ItemSpacing.y * 2.0f + 1.0f;
}

bool has_action_bar(Screen screen) {
  return screen != Screen::welcome;
}

void begin_body(Ctx& c) {
  const float bar = has_action_bar(c.state.screen) ? action_bar_height() : 0.0f;
  ImGui::BeginChild("##body", ImVec2(0.0f, -bar), false, ImGuiWindowFlags_NoSavedSettings);
  c.body_open = true;
  if (c.entered_screen) ImGui::SetScrollY(0.0f);
  drag_to_scroll();
}

void end_body(Ctx& c) {
  if (!c.body_open) return;
  c.body_open = false;
  ImGui::EndChild();
}

void begin_action_bar(Ctx& c) {
  end_body(c);
  ImGui::Separator();
}

void note_primary_action(std::string_view id) {
  const ImGuiWindow* window = ImGui::GetCurrentWindow();
  const ImRect item(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const ImRect screen(ImVec2(0.0f, 0.0f), display);
  // Half a pixel of slack: rectangles are in floats, pixels are not.
  ImRect visible_area = window->InnerClipRect;
  visible_area.Expand(0.5f);
  ImRect screen_area = screen;
  screen_area.Expand(0.5f);
  const bool visible = visible_area.Contains(item) && screen_area.Contains(item);
  recording().actions.push_back(
      {.id = std::string(id), .min = item.Min, .max = item.Max, .visible = visible});
}

const FrameLayout& last_layout() {
  return recorded();
}

void begin_layout_record(Screen screen) {
  recording() = FrameLayout{.screen = screen, .display = ImGui::GetIO().DisplaySize, .actions = {}};
}

void end_layout_record() {
  recorded() = recording();
}

std::string_view screen_name(Screen screen) {
  switch (screen) {
    case Screen::welcome:
      return "welcome";
    case Screen::register_personal:
      return "register_personal";
    case Screen::register_work:
      return "register_work";
    case Screen::register_interests:
      return "register_interests";
    case Screen::register_consent:
      return "register_consent";
    case Screen::register_review:
      return "register_review";
    case Screen::duplicate_offer:
      return "duplicate_offer";
    case Screen::register_saved:
      return "register_saved";
    case Screen::check_in:
      return "check_in";
    case Screen::check_in_done:
      return "check_in_done";
    case Screen::request_requester:
      return "request_requester";
    case Screen::request_packs:
      return "request_packs";
    case Screen::request_done:
      return "request_done";
    case Screen::staff_pin:
      return "staff_pin";
    case Screen::staff_home:
      return "staff_home";
    case Screen::staff_event:
      return "staff_event";
    case Screen::staff_today:
      return "staff_today";
    case Screen::staff_edit:
      return "staff_edit";
    case Screen::staff_distribution:
      return "staff_distribution";
    case Screen::staff_sync:
      return "staff_sync";
    case Screen::staff_export:
      return "staff_export";
    case Screen::staff_settings:
      return "staff_settings";
  }
  return "unknown";
}

namespace {
int g_field_columns = 0;  // FieldColumns tables open now (the UI thread only)
}  // namespace

bool in_field_columns() {
  return g_field_columns > 0;
}

bool two_column_form() {
  const float width = ImGui::GetMainViewport()->Size.x;
  return width >= kTwoColumnMinPixels && width >= ImGui::GetFontSize() * kTwoColumnFonts;
}

FieldColumns::FieldColumns(const char* id) {
  table_ = two_column_form() &&
           ImGui::BeginTable(id, 2, ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_PadOuterX);
  if (table_) ++g_field_columns;
}

FieldColumns::~FieldColumns() {
  if (!table_) return;
  ImGui::EndTable();
  --g_field_columns;
}

void FieldColumns::next() {
  if (table_) ImGui::TableNextColumn();
}

}  // namespace alliance::kiosk::ui
