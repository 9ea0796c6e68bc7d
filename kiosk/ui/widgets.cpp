// Shared widgets of the kiosk's views (see widgets.hpp).
#include "kiosk/ui/widgets.hpp"

#include <imgui.h>
#include <imgui_internal.h>  // SetFocusID, ButtonBehavior, RenderFrame, tables' column order
#include <imgui_stdlib.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <unordered_map>

#include "common/model/country.hpp"
#include "common/model/country_names.hpp"
#include "common/model/text.hpp"
#include "common/util/strings.hpp"
#include "kiosk/ui/focus.hpp"
#include "kiosk/ui/layout.hpp"
#include "kiosk/ui/theme.hpp"

namespace alliance::kiosk::ui {
namespace {

// Text being typed, per widget id, between frames.
std::unordered_map<ImGuiID, std::string>& buffers() {
  static std::unordered_map<ImGuiID, std::string> map;
  return map;
}

std::string& buffer_for(const char* id) {
  return buffers()[ImGui::GetID(id)];
}

bool contains_folded(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  const auto it =
      std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                  [](char a, char b) { return util::ascii_lower(a) == util::ascii_lower(b); });
  return it != haystack.end();
}

// Splits "2026-03-01T14:32:05Z" and converts it to local broken-down time.
std::optional<std::tm> local_tm(std::string_view iso) {
  if (iso.size() < 16 || iso[4] != '-' || iso[7] != '-' || iso[13] != ':') return std::nullopt;
  const auto number = [iso](std::size_t pos, std::size_t count) {
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return -1;
      value = value * 10 + (iso[i] - '0');
    }
    return value;
  };
  std::tm utc{};
  utc.tm_year = number(0, 4) - 1900;
  utc.tm_mon = number(5, 2) - 1;
  utc.tm_mday = number(8, 2);
  utc.tm_hour = number(11, 2);
  utc.tm_min = number(14, 2);
  utc.tm_sec = iso.size() >= 19 ? number(17, 2) : 0;
  if (utc.tm_mon < 0 || utc.tm_mday < 0 || utc.tm_hour < 0 || utc.tm_min < 0 || utc.tm_sec < 0) {
    return std::nullopt;
  }
  const std::time_t t = timegm(&utc);
  std::tm local{};
  if (localtime_r(&t, &local) == nullptr) return std::nullopt;
  return local;
}

std::string two_digits(int v) {
  return v < 10 ? util::cat('0', v) : util::cat(v);
}

}  // namespace

std::string Ctx::code_label(std::string_view list, std::string_view code) const {
  return std::string(model::code_label(i18n, lang(), list, code));
}

float touch_height() {
  return ImGui::GetFontSize() * 3.0f;
}

float gap() {
  return ImGui::GetFontSize() * 0.8f;
}

void title(const std::string& words) {
  ImGui::SetWindowFontScale(1.5f);
  text(words, {.wrap = true, .colour = theme().accent});
  ImGui::SetWindowFontScale(1.0f);
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));
}

void hint(const std::string& words) {
  text(words, {.wrap = true, .colour = theme().muted});
}

namespace {

int enter_consumed_frame = -1;

void consume_enter() {
  enter_consumed_frame = ImGui::GetFrameCount();
}

// ImGui 1.86 activates a focused button with Space only; people expect Enter.
bool enter_on_focused(bool pressed) {
  if (!pressed && ImGui::IsItemFocused() && enter_pressed() && !enter_consumed()) {
    consume_enter();
    return true;
  }
  return pressed;
}

// "label##id" shows "label".
std::string_view visible_part(std::string_view label) {
  const auto id = label.find("##");
  return id == std::string_view::npos ? label : label.substr(0, id);
}

// A frameless label on an item just drawn, at the start edge or centred.
void label_on_item(std::string_view label, float align, float inset) {
  const ImVec2 min = ImGui::GetItemRectMin();
  const ImVec2 max = ImGui::GetItemRectMax();
  draw_text_in(ImGui::GetWindowDrawList(), ImVec2(min.x + inset, min.y),
               ImVec2(max.x - inset, max.y), label, ImGui::GetColorU32(ImGuiCol_Text), align);
}

// A button with its label shaped; size.x 0 fits the label.
bool labelled_button(const std::string& label, const char* id, ImVec2 size) {
  const float padding = ImGui::GetStyle().FramePadding.x;
  if (size.x == 0.0f) size.x = text_size(label).x + padding * 2.0f;
  bool pressed = false;
  {
    const std::string imgui_id = util::cat("##", id);
    focus::item(ImGui::GetID(imgui_id.c_str()));
    PlacedItem placed(size.x);
    pressed = ImGui::Button(imgui_id.c_str(), size);
  }
  label_on_item(label, 0.5f, padding);
  return pressed;
}

// Checkbox and radio button: ImGui's, drawn with a shaped label and the
// box at the start edge (the right, right to left).
bool mark_button(std::string_view label_and_id, bool on, bool round) {
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  if (window->SkipItems) return false;
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImGuiID id = window->GetID(label_and_id.data(), label_and_id.data() + label_and_id.size());
  const std::string_view label = visible_part(label_and_id);
  const ImVec2 label_size = label.empty() ? ImVec2(0.0f, 0.0f) : text_size(label);
  const float square = ImGui::GetFrameHeight();
  const float label_width = label.empty() ? 0.0f : style.ItemInnerSpacing.x + label_size.x;
  const ImVec2 size(square + label_width,
                    std::max(square, label_size.y + style.FramePadding.y * 2.0f));
  focus::item(id);
  PlacedItem placed(size.x);
  const ImVec2 pos = window->DC.CursorPos;
  const ImRect total(pos, ImVec2(pos.x + size.x, pos.y + size.y));
  ImGui::ItemSize(total, style.FramePadding.y);
  if (!ImGui::ItemAdd(total, id)) return false;
  bool hovered = false;
  bool held = false;
  const bool pressed = ImGui::ButtonBehavior(total, id, &hovered, &held);
  if (pressed) ImGui::MarkItemEdited(id);

  const bool rtl = right_to_left();
  const float box_x = rtl ? total.Max.x - square : pos.x;
  const ImRect box(ImVec2(box_x, pos.y), ImVec2(box_x + square, pos.y + square));
  ImDrawList* draw_list = window->DrawList;
  ImGui::RenderNavHighlight(total, id);
  const ImU32 frame = ImGui::GetColorU32(held && hovered ? ImGuiCol_FrameBgActive
                                         : hovered       ? ImGuiCol_FrameBgHovered
                                                         : ImGuiCol_FrameBg);
  const ImU32 mark = ImGui::GetColorU32(ImGuiCol_CheckMark);
  const float pad = std::max(1.0f, IM_FLOOR(square / 6.0f));
  if (round) {
    const ImVec2 centre(IM_ROUND((box.Min.x + box.Max.x) * 0.5f),
                        IM_ROUND((box.Min.y + box.Max.y) * 0.5f));
    const float radius = (square - 1.0f) * 0.5f;
    draw_list->AddCircleFilled(centre, radius, frame, 16);
    if (on) draw_list->AddCircleFilled(centre, radius - pad, mark, 16);
    if (style.FrameBorderSize > 0.0f) {
      draw_list->AddCircle(ImVec2(centre.x + 1.0f, centre.y + 1.0f), radius,
                           ImGui::GetColorU32(ImGuiCol_BorderShadow), 16, style.FrameBorderSize);
      draw_list->AddCircle(centre, radius, ImGui::GetColorU32(ImGuiCol_Border), 16,
                           style.FrameBorderSize);
    }
  } else {
    ImGui::RenderFrame(box.Min, box.Max, frame, true, style.FrameRounding);
    if (on) {
      ImGui::RenderCheckMark(draw_list, ImVec2(box.Min.x + pad, box.Min.y + pad), mark,
                             square - pad * 2.0f);
    }
  }
  if (!label.empty()) {
    const float x = rtl ? pos.x : box.Max.x + style.ItemInnerSpacing.x;
    draw_text_in(draw_list, ImVec2(x, pos.y), ImVec2(x + label_size.x, total.Max.y), label,
                 ImGui::GetColorU32(ImGuiCol_Text), 0.0f);
  }
  return pressed;
}

// Tables run their columns right to left in a right-to-left layout. Display
// order can change only before the table lays out its first row.
void mirror_columns() {
  ImGuiTable* table = GImGui->CurrentTable;
  if (table == nullptr || table->IsLayoutLocked) return;
  const int count = table->ColumnsCount;
  for (int column = 0; column < count; ++column) {
    const auto order =
        static_cast<ImGuiTableColumnIdx>(right_to_left() ? count - 1 - column : column);
    table->Columns[column].DisplayOrder = order;
    table->DisplayOrderToIndex[order] = static_cast<ImGuiTableColumnIdx>(column);
  }
}

}  // namespace

bool checkbox(const std::string& label, bool* value) {
  const bool pressed = mark_button(label, *value, false);
  if (pressed) *value = !*value;
  return pressed;
}

bool radio_button(const std::string& label, bool active) {
  return mark_button(label, active, true);
}

bool selectable(const std::string& label, bool selected, const ImVec2& size) {
  const std::string_view shown = visible_part(label);
  const float height = std::max(size.y, shown.empty() ? 0.0f : text_size(shown).y);
  const std::string imgui_id = util::cat("##", label);
  focus::item(ImGui::GetID(imgui_id.c_str()));
  bool pressed = ImGui::Selectable(imgui_id.c_str(), selected, 0, ImVec2(size.x, height));
  label_on_item(shown, 0.0f, ImGui::GetStyle().ItemSpacing.x * 0.5f);
  // Enter picks a row as Space does; in a drop-down list it also closes it.
  if (!pressed && enter_on_focused(false)) {
    pressed = true;
    const ImGuiWindow* window = ImGui::GetCurrentWindow();
    if ((window->Flags & ImGuiWindowFlags_Popup) != 0) ImGui::CloseCurrentPopup();
  }
  return pressed;
}

bool begin_combo(const char* id, const std::string& preview, int flags) {
  const float width = ImGui::CalcItemWidth();
  std::optional<PlacedItem> placed(std::in_place, width);
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float height = ImGui::GetFrameHeight();
  const ImGuiID item_id = ImGui::GetID(id);
  focus::item(item_id);
  // Enter opens the list as Space does (ImGui 1.86 opens it with Space only),
  // in this frame, so a key that follows already finds it open. The popup's
  // id is the one ImGui::BeginCombo gives it.
  if (GImGui->NavId == item_id && GImGui->ActiveId == 0 && enter_pressed() && !enter_consumed() &&
      !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) {
    ImGui::OpenPopupEx(ImHashStr("##ComboPopup", 0, item_id));
    consume_enter();
  }
  const bool open = ImGui::BeginCombo(id, "", flags);
  placed.reset();
  // The arrow takes a square at the combo's right end.
  draw_text_in(draw_list, ImVec2(pos.x + style.FramePadding.x, pos.y),
               ImVec2(pos.x + width - height - style.FramePadding.x, pos.y + height), preview,
               ImGui::GetColorU32(ImGuiCol_Text), 0.0f);
  return open;
}

bool hint_field(const char* id, const std::string& hint_text, std::string& buffer, float width,
                bool* entered) {
  const float w = width < 0.0f ? ImGui::GetContentRegionAvail().x : width;
  const std::string before = buffer;
  {
    focus::item(ImGui::GetID(id), true);
    PlacedItem placed(w);
    ImGui::SetNextItemWidth(w);
    const bool enter = ImGui::InputText(id, &buffer, ImGuiInputTextFlags_EnterReturnsTrue);
    if (enter) consume_enter();
    if (entered != nullptr) *entered = enter;
  }
  const bool changed = buffer != before;
  if (buffer.empty()) {
    const float padding = ImGui::GetStyle().FramePadding.x;
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    draw_text_in(ImGui::GetWindowDrawList(), ImVec2(min.x + padding, min.y),
                 ImVec2(max.x - padding, max.y), hint_text,
                 ImGui::GetColorU32(ImGuiCol_TextDisabled), 0.0f);
  }
  need_glyphs(buffer);
  return changed;
}

void table_headers() {
  mirror_columns();
  ImGuiTable* table = GImGui->CurrentTable;
  float height = ImGui::TableGetHeaderRowHeight();
  const int columns = ImGui::TableGetColumnCount();
  for (int column = 0; column < columns; ++column) {
    height = std::max(height, text_size(visible_part(ImGui::TableGetColumnName(column))).y +
                                  ImGui::GetStyle().CellPadding.y * 2.0f);
  }
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers, height);
  for (int column = 0; column < columns; ++column) {
    if (!ImGui::TableSetColumnIndex(column)) continue;
    ImGui::PushID(table->InstanceCurrent * table->ColumnsCount + column);
    ImGui::TableHeader("##header");
    // ImGui starts a header's label where the cell's content starts.
    label_on_item(visible_part(ImGui::TableGetColumnName(column)), 0.0f,
                  ImGui::GetStyle().CellPadding.x);
    ImGui::PopID();
  }
}

bool enter_pressed() {
  return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
         ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false);
}

bool escape_pressed() {
  return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false);
}

bool enter_consumed() {
  return enter_consumed_frame == ImGui::GetFrameCount();
}

void default_focus(Ctx& c) {
  if (!c.focus_pending) return;
  c.focus_pending = false;
  ImGui::SetFocusID(ImGui::GetItemID(), ImGui::GetCurrentWindow());
  // A window that just appeared would otherwise focus its first item instead.
  GImGui->NavInitRequest = false;
  GImGui->NavInitResultId = 0;
  GImGui->NavDisableHighlight = false;  // show where the keyboard is
}

void leave_unfocused(Ctx& c) {
  if (!c.focus_pending) return;
  c.focus_pending = false;
  // Without this ImGui would focus the window's first item when it appears.
  GImGui->NavInitRequest = false;
  GImGui->NavInitResultId = 0;
  ImGui::ClearActiveID();
  GImGui->NavId = 0;
}

bool big_button(const std::string& label, const char* id, float width) {
  const float w = width < 0.0f ? ImGui::GetContentRegionAvail().x : width;
  const float text_w = text_size(label).x + ImGui::GetFontSize() * 2.0f;
  return enter_on_focused(
      labelled_button(label, id, ImVec2(width == 0.0f ? text_w : w, touch_height())));
}

bool sized_button(const std::string& label, const char* id, ImVec2 size) {
  return enter_on_focused(labelled_button(label, id, size));
}

void focus_order(const char* imgui_label, bool text_input) {
  focus::item(ImGui::GetID(imgui_label), text_input);
}

bool row_button(const std::string& label, const char* id) {
  return enter_on_focused(labelled_button(label, id, ImVec2(0.0f, ImGui::GetFrameHeight() * 1.4f)));
}

void field_error(Ctx& c, std::string_view error_field) {
  if (error_field.empty()) return;
  const auto it = c.state.field_errors.find(std::string(error_field));
  if (it == c.state.field_errors.end()) return;
  text(c.trf(it->second.key, {it->second.value}), {.wrap = true, .colour = theme().error});
}

namespace {

// The field's width, leaving room on the right for its error message (in
// two columns: the column's width, the message goes under the field).
float field_width() {
  if (in_field_columns()) return ImGui::GetContentRegionAvail().x - ImGui::GetFontSize();
  return std::min(ImGui::GetContentRegionAvail().x * 0.55f, ImGui::GetFontSize() * 30.0f);
}

bool has_error(const Ctx& c, std::string_view error_field) {
  return !error_field.empty() && c.state.field_errors.contains(std::string(error_field));
}

void error_beside(Ctx& c, std::string_view error_field) {
  if (!has_error(c, error_field)) return;
  if (!in_field_columns()) ImGui::SameLine();
  field_error(c, error_field);
}

}  // namespace

FieldResult text_field(Ctx& c, const std::string& label, const char* id, const std::string& value,
                       std::string_view error_field, int flags) {
  FieldResult result;
  text(label);
  std::string& buffer = buffer_for(id);
  const std::string before = buffer;
  if (c.focus_pending) {
    ImGui::SetKeyboardFocusHere();
    c.focus_pending = false;
  }
  const float width = field_width();
  ImGui::SetNextItemWidth(width);
  const bool errored = has_error(c, error_field);
  if (errored) ImGui::PushStyleColor(ImGuiCol_Border, theme().error);
  if (errored) ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 2.0f);
  {
    const std::string imgui_id = util::cat("##", id);
    focus::item(ImGui::GetID(imgui_id.c_str()), true);
    PlacedItem placed(width);
    result.entered =
        ImGui::InputText(imgui_id.c_str(), &buffer, flags | ImGuiInputTextFlags_EnterReturnsTrue);
  }
  if (errored) ImGui::PopStyleVar();
  if (errored) ImGui::PopStyleColor();
  const bool active = ImGui::IsItemActive();
  result.changed = buffer != before;
  result.value = buffer;
  // Someone else (a restored draft, a cleared form) changed the value: show it.
  if (!active && !result.changed && buffer != value) buffer = value;
  need_glyphs(buffer);
  error_beside(c, error_field);
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.25f));
  return result;
}

std::optional<std::string> code_combo(Ctx& c, const std::string& label, const char* id,
                                      std::string_view list,
                                      std::span<const std::string_view> codes,
                                      const std::string& value, std::string_view error_field) {
  std::optional<std::string> chosen;
  text(label);
  ImGui::SetNextItemWidth(field_width());
  const std::string none = c.tr("ui.choose");
  const std::string preview = value.empty() ? none : c.code_label(list, value);
  if (begin_combo(util::cat("##", id).c_str(), preview, ImGuiComboFlags_HeightLarge)) {
    if (selectable(util::cat(none, "##none"), value.empty())) chosen = "";
    for (const std::string_view code : codes) {
      ImGui::PushID(code.data(), code.data() + code.size());
      const bool selected = value == code;
      if (selectable(c.code_label(list, code), selected)) chosen = std::string(code);
      if (selected) ImGui::SetItemDefaultFocus();
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  error_beside(c, error_field);
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.25f));
  if (chosen && *chosen == value) chosen.reset();
  return chosen;
}

// The countries in the order of their names in `language`, each with the
// search key of its name there and in English, so the filter ignores accents
// and case ("cote" finds Côte d'Ivoire). Built once per language.
struct CountryRow {
  const model::CountryNames* country;
  std::string label;  // "Quénia (KE)"
  std::string key;    // folded local and English names
};

const std::vector<CountryRow>& country_rows(std::string_view language) {
  static std::map<std::string, std::vector<CountryRow>, std::less<>> by_language;
  auto found = by_language.find(language);
  if (found != by_language.end()) return found->second;
  std::vector<CountryRow> rows;
  for (const model::CountryNames* country : model::countries_by_name(language)) {
    const std::string_view name = model::country_name(country->alpha2, language);
    rows.push_back(
        {.country = country,
         .label = util::cat(name, " (", country->alpha2, ")"),
         .key = util::cat(model::fold_for_search(name), " ", model::fold_for_search(country->en))});
  }
  return by_language.emplace(std::string(language), std::move(rows)).first->second;
}

std::optional<std::string> country_combo(Ctx& c, const std::string& label, const char* id,
                                         const std::string& value, std::string_view error_field) {
  std::optional<std::string> chosen;
  text(label);
  ImGui::SetNextItemWidth(field_width());
  const std::string_view current =
      value.empty() ? std::string_view{} : model::country_name(value, c.lang());
  const std::string preview = !current.empty() ? std::string(current)
                              : value.empty()  ? c.tr("ui.choose")
                                               : value;
  if (begin_combo(util::cat("##", id).c_str(), preview, ImGuiComboFlags_HeightLargest)) {
    std::string& filter = buffer_for(util::cat(id, "/filter").c_str());
    if (ImGui::IsWindowAppearing()) {
      filter.clear();
      focus::here();  // typing filters at once
    }
    bool filter_entered = false;
    hint_field("##filter", c.tr("ui.filter_countries"), filter, -1.0f, &filter_entered);
    const std::string folded_filter = model::fold_for_search(filter);
    for (const CountryRow& row : country_rows(c.lang())) {
      const std::string_view code = row.country->alpha2;
      if (!contains_folded(row.key, folded_filter) && !contains_folded(code, filter)) continue;
      // Enter in the filter picks the first country it leaves.
      if (filter_entered) {
        filter_entered = false;
        chosen = std::string(code);
        ImGui::CloseCurrentPopup();
      }
      ImGui::PushID(code.data(), code.data() + code.size());
      const bool selected = value == code;
      if (selectable(row.label, selected)) chosen = std::string(code);
      if (selected && ImGui::IsWindowAppearing()) ImGui::SetScrollHereY();
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  error_beside(c, error_field);
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.25f));
  if (chosen && *chosen == value) chosen.reset();
  return chosen;
}

void notice_bar(Ctx& c, float height) {
  if (!c.state.notice) return;
  const Notice& notice = *c.state.notice;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, notice.is_error ? theme().error_bg : theme().notice_bg);
  ImGui::BeginChild("##notice", ImVec2(-1.0f, height), true,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const std::string dismiss = c.tr("ui.dismiss");
  const float button_w = text_size(dismiss).x + ImGui::GetFontSize() * 2.0f;
  ImGui::PushTextWrapPos(ImGui::GetContentRegionAvail().x - button_w);
  text(c.i18n.format(c.lang(), notice.key, notice.args));
  ImGui::PopTextWrapPos();
  ImGui::SameLine(ImGui::GetContentRegionAvail().x - button_w + ImGui::GetStyle().WindowPadding.x);
  if (row_button(dismiss, "dismiss_notice")) c.emit(intent::DismissNotice{});
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

std::string agent_silent_text(const Ctx& c) {
  const std::string& written_at = c.state.sync.status.written_at;
  if (written_at.empty()) return c.tr("sync.state.unknown");
  return c.trf("sync.agent_silent_since", {local_hh_mm(written_at)});
}

std::string sync_badge_text(const Ctx& c) {
  const SyncBadge& sync = c.state.sync;
  const auto& status = sync.status;
  const std::string state = status.state.empty() ? "unknown" : status.state;
  if (sync.agent_silent) return agent_silent_text(c);
  if (state == "not_enrolled" || state == "revoked") {
    return c.trf("sync.badge.waiting_state",
                 {util::cat(sync.queue.pending), c.tr(util::cat("sync.state.", state))});
  }
  const store::QueueCounts& queue = sync.queue;
  const std::int64_t attention = queue.need_attention();
  std::string text;
  if (queue.all_synced() && !status.last_success_at.empty()) {
    text = c.trf("sync.badge.all_synced",
                 {util::cat(queue.acked), local_hh_mm(status.last_success_at)});
  } else if (queue.all_synced()) {
    text = c.tr("sync.badge.nothing_yet");
  } else if (queue.pending == 0) {
    // Nothing waits, but something was refused: never "all synced".
    return c.trf("sync.badge.rejected", {util::cat(attention)});
  } else if ((state == "offline" || state == "backing_off") && !status.last_success_at.empty()) {
    text = c.trf("sync.badge.waiting_since",
                 {util::cat(queue.pending), local_hh_mm(status.last_success_at)});
  } else if (state == "offline" || state == "backing_off") {
    text = c.trf("sync.badge.waiting_never", {util::cat(queue.pending)});
  } else {
    text = c.trf("sync.badge.waiting", {util::cat(queue.pending)});
  }
  if (queue.held > 0) text += util::cat(" · ", c.trf("sync.badge.held", {util::cat(queue.held)}));
  if (attention > 0) text += util::cat(" · ", c.trf("sync.badge.rejected", {util::cat(attention)}));
  return text;
}

void sync_badge(Ctx& c) {
  const std::string badge = sync_badge_text(c);
  const SyncBadge& sync = c.state.sync;
  const ImVec4 colour = sync.queue.need_attention() > 0               ? theme().error
                        : sync.queue.pending > 0 || sync.agent_silent ? theme().warning
                                                                      : theme().ok;
  const float w = text_size(badge).x;
  const float x = ImGui::GetWindowContentRegionMax().x - w;
  if (x > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(x);
  text(badge, {.colour = colour});
}

void idle_modal(Ctx& c) {
  constexpr const char* kId = "##still_there";
  if (c.state.idle_prompt && !ImGui::IsPopupOpen(kId)) ImGui::OpenPopup(kId);
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(viewport->Size.x * 0.5f, 0.0f));
  if (ImGui::BeginPopupModal(kId, nullptr,
                             ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings)) {
    if (!c.state.idle_prompt) {
      ImGui::CloseCurrentPopup();
    } else {
      title(c.tr("idle.title"));
      text(c.trf("idle.countdown", {util::cat(c.state.idle_prompt_seconds_left)}), {.wrap = true});
      ImGui::Dummy(ImVec2(0.0f, gap()));
      if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
      if (big_button(c.tr("idle.still_here"), "still_here", -1.0f) || enter_pressed() ||
          escape_pressed()) {
        c.emit(intent::StillHere{});
      }
    }
    ImGui::EndPopup();
  }
}

bool primary_button(const std::string& label, const char* id, bool enabled) {
  const float w =
      std::max(text_size(label).x + ImGui::GetFontSize() * 3.0f, ImGui::GetFontSize() * 12.0f);
  const float x = ImGui::GetWindowContentRegionMax().x - w;
  if (x > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(x);
  ImGui::BeginDisabled(!enabled);
  ImGui::PushStyleColor(ImGuiCol_Button, theme().primary);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme().primary_hovered);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, theme().primary_active);
  ImGui::PushStyleColor(ImGuiCol_Text, theme().on_primary);
  const bool pressed = big_button(label, id, w);
  note_primary_action(id);
  ImGui::PopStyleColor(4);
  ImGui::EndDisabled();
  return pressed && enabled;
}

bool nav_row(Ctx& c, const std::string& primary_label, bool show_back, bool primary_enabled) {
  begin_action_bar(c);
  if (show_back) {
    if (big_button(c.tr("ui.back"), "nav_back")) c.emit(intent::Back{});
    note_primary_action("nav_back");
    ImGui::SameLine();
  }
  if (big_button(c.tr("ui.cancel"), "nav_cancel")) c.emit(intent::Cancel{});
  note_primary_action("nav_cancel");
  if (primary_label.empty()) return false;
  ImGui::SameLine();
  return primary_button(primary_label, "nav_primary", primary_enabled);
}

bool staff_back(Ctx& c, Screen to, const std::string& primary_label) {
  begin_action_bar(c);
  if (big_button(c.tr("ui.back"), "staff_back")) c.emit(intent::GoTo{to});
  note_primary_action("staff_back");
  if (primary_label.empty()) return false;
  ImGui::SameLine();
  return primary_button(primary_label, "staff_primary", true);
}

bool done_bar(Ctx& c) {
  begin_action_bar(c);
  const bool done = primary_button(c.tr("ui.done"), "done", true);
  if (done) c.emit(intent::GoTo{Screen::welcome});
  return done;
}

std::string masked_phone(std::string_view e164, std::string_view country) {
  if (e164.size() < 4) return "***";
  const std::string_view last3 = e164.substr(e164.size() - 3);
  std::string calling = model::calling_code(country);
  if (!e164.starts_with('+') || !e164.substr(1).starts_with(calling)) calling.clear();
  if (calling.empty()) return util::cat("*** ** ", last3);
  return util::cat("+", calling, " *** ** ", last3);
}

std::string local_hh_mm(std::string_view iso_utc) {
  const auto tm = local_tm(iso_utc);
  if (!tm) return std::string(iso_utc);
  return util::cat(two_digits(tm->tm_hour), ":", two_digits(tm->tm_min));
}

std::string local_date_time(std::string_view iso_utc) {
  const auto tm = local_tm(iso_utc);
  if (!tm) return std::string(iso_utc);
  return util::cat(tm->tm_year + 1900, "-", two_digits(tm->tm_mon + 1), "-",
                   two_digits(tm->tm_mday), " ", two_digits(tm->tm_hour), ":",
                   two_digits(tm->tm_min));
}

void reference_code_text(const std::string& code) {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  if (atlas->Fonts.Size > 1) {
    ImGui::PushFont(atlas->Fonts[1]);
    text(code, {.colour = theme().accent});
    ImGui::PopFont();
  } else {
    ImGui::SetWindowFontScale(3.0f);
    text(code, {.colour = theme().accent});
    ImGui::SetWindowFontScale(1.0f);
  }
}

void label_value_row(const std::string& label, const std::string& value) {
  mirror_columns();
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  text(label, {.wrap = true, .colour = theme().muted});
  ImGui::TableNextColumn();
  text(value.empty() ? "—" : value, {.wrap = true});
}

}  // namespace alliance::kiosk::ui
