// Shared widgets of the kiosk's views (see widgets.hpp).
#include "kiosk/ui/widgets.hpp"

#include <imgui.h>
#include <imgui_internal.h>  // SetFocusID: 1.86 has no public "focus this button"
#include <imgui_stdlib.h>

#include <algorithm>
#include <ctime>
#include <unordered_map>

#include "common/model/country.hpp"
#include "common/util/strings.hpp"
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
  return tr(util::cat("code.", list, ".", code));
}

float touch_height() {
  return ImGui::GetFontSize() * 3.0f;
}

float gap() {
  return ImGui::GetFontSize() * 0.8f;
}

void title(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, theme().accent);
  ImGui::SetWindowFontScale(1.5f);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::SetWindowFontScale(1.0f);
  ImGui::PopStyleColor();
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));
}

void hint(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, theme().muted);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

bool enter_pressed() {
  return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
         ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false);
}

bool escape_pressed() {
  return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false);
}

namespace {
int enter_consumed_frame = -1;

// ImGui 1.86 activates a focused button with Space only; people expect Enter.
bool enter_on_focused(bool pressed) {
  if (!pressed && ImGui::IsItemFocused() && enter_pressed()) {
    enter_consumed_frame = ImGui::GetFrameCount();
    return true;
  }
  return pressed;
}
}  // namespace

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

bool big_button(const std::string& label, const char* id, float width) {
  const std::string full = util::cat(label, "##", id);
  const float w = width < 0.0f ? ImGui::GetContentRegionAvail().x : width;
  const float text_w = ImGui::CalcTextSize(label.c_str()).x + ImGui::GetFontSize() * 2.0f;
  return enter_on_focused(
      ImGui::Button(full.c_str(), ImVec2(width == 0.0f ? text_w : w, touch_height())));
}

bool row_button(const std::string& label, const char* id) {
  const std::string full = util::cat(label, "##", id);
  return enter_on_focused(
      ImGui::Button(full.c_str(), ImVec2(0.0f, ImGui::GetFrameHeight() * 1.4f)));
}

void field_error(Ctx& c, std::string_view error_field) {
  if (error_field.empty()) return;
  const auto it = c.state.field_errors.find(std::string(error_field));
  if (it == c.state.field_errors.end()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, theme().error);
  ImGui::TextWrapped("%s", c.tr(it->second).c_str());
  ImGui::PopStyleColor();
}

namespace {

// The field's width, leaving room on the right for its error message.
float field_width() {
  return std::min(ImGui::GetContentRegionAvail().x * 0.55f, ImGui::GetFontSize() * 30.0f);
}

bool has_error(const Ctx& c, std::string_view error_field) {
  return !error_field.empty() && c.state.field_errors.contains(std::string(error_field));
}

void error_beside(Ctx& c, std::string_view error_field) {
  if (!has_error(c, error_field)) return;
  ImGui::SameLine();
  field_error(c, error_field);
}

}  // namespace

FieldResult text_field(Ctx& c, const std::string& label, const char* id, const std::string& value,
                       std::string_view error_field, int flags) {
  FieldResult result;
  ImGui::TextUnformatted(label.c_str());
  std::string& buffer = buffer_for(id);
  const std::string before = buffer;
  if (c.focus_pending) {
    ImGui::SetKeyboardFocusHere();
    c.focus_pending = false;
  }
  ImGui::SetNextItemWidth(field_width());
  const bool errored = has_error(c, error_field);
  if (errored) ImGui::PushStyleColor(ImGuiCol_Border, theme().error);
  if (errored) ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 2.0f);
  result.entered = ImGui::InputText(util::cat("##", id).c_str(), &buffer,
                                    flags | ImGuiInputTextFlags_EnterReturnsTrue);
  if (errored) ImGui::PopStyleVar();
  if (errored) ImGui::PopStyleColor();
  const bool active = ImGui::IsItemActive();
  result.changed = buffer != before;
  result.value = buffer;
  // Someone else (a restored draft, a cleared form) changed the value: show it.
  if (!active && !result.changed && buffer != value) buffer = value;
  error_beside(c, error_field);
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.25f));
  return result;
}

std::optional<std::string> code_combo(Ctx& c, const std::string& label, const char* id,
                                      std::string_view list,
                                      std::span<const std::string_view> codes,
                                      const std::string& value, std::string_view error_field) {
  std::optional<std::string> chosen;
  ImGui::TextUnformatted(label.c_str());
  ImGui::SetNextItemWidth(field_width());
  const std::string none = c.tr("ui.choose");
  const std::string preview = value.empty() ? none : c.code_label(list, value);
  if (ImGui::BeginCombo(util::cat("##", id).c_str(), preview.c_str(),
                        ImGuiComboFlags_HeightLarge)) {
    if (ImGui::Selectable(util::cat(none, "##none").c_str(), value.empty())) chosen = "";
    for (const std::string_view code : codes) {
      ImGui::PushID(code.data(), code.data() + code.size());
      const bool selected = value == code;
      if (ImGui::Selectable(c.code_label(list, code).c_str(), selected)) chosen = std::string(code);
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

std::optional<std::string> country_combo(Ctx& c, const std::string& label, const char* id,
                                         const std::string& value, std::string_view error_field) {
  std::optional<std::string> chosen;
  ImGui::TextUnformatted(label.c_str());
  ImGui::SetNextItemWidth(field_width());
  const model::Country* current = value.empty() ? nullptr : model::find_country(value);
  const std::string preview = current != nullptr ? std::string(current->name)
                              : value.empty()    ? c.tr("ui.choose")
                                                 : value;
  if (ImGui::BeginCombo(util::cat("##", id).c_str(), preview.c_str(),
                        ImGuiComboFlags_HeightLargest)) {
    std::string& filter = buffer_for(util::cat(id, "/filter").c_str());
    if (ImGui::IsWindowAppearing()) {
      filter.clear();
      ImGui::SetKeyboardFocusHere();
    }
    ImGui::SetNextItemWidth(-1.0f);
    ImGui::InputTextWithHint("##filter", c.tr("ui.filter_countries").c_str(), &filter);
    for (const model::Country& country : model::all_countries()) {
      if (!contains_folded(country.name, filter) && !contains_folded(country.code, filter)) {
        continue;
      }
      ImGui::PushID(country.code.data(), country.code.data() + country.code.size());
      const bool selected = value == country.code;
      const std::string row = util::cat(country.name, " (", country.code, ")");
      if (ImGui::Selectable(row.c_str(), selected)) chosen = std::string(country.code);
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

void notice_bar(Ctx& c) {
  if (!c.state.notice) return;
  const Notice& notice = *c.state.notice;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, notice.is_error ? theme().error_bg : theme().notice_bg);
  ImGui::BeginChild("##notice", ImVec2(-1.0f, touch_height() * 1.2f), true,
                    ImGuiWindowFlags_NoScrollbar);
  const std::string dismiss = c.tr("ui.dismiss");
  const float button_w = ImGui::CalcTextSize(dismiss.c_str()).x + ImGui::GetFontSize() * 2.0f;
  ImGui::PushTextWrapPos(ImGui::GetContentRegionAvail().x - button_w);
  ImGui::TextUnformatted(c.i18n.format(c.lang(), notice.key, notice.args).c_str());
  ImGui::PopTextWrapPos();
  ImGui::SameLine(ImGui::GetContentRegionAvail().x - button_w + ImGui::GetStyle().WindowPadding.x);
  if (row_button(dismiss, "dismiss_notice")) c.emit(intent::DismissNotice{});
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

std::string sync_badge_text(const Ctx& c) {
  const SyncBadge& sync = c.state.sync;
  const auto& status = sync.status;
  const std::string state = status.state.empty() ? "unknown" : status.state;
  if (state == "not_enrolled" || state == "revoked") {
    return c.trf("sync.badge.waiting_state",
                 {util::cat(sync.queue.pending), c.tr(util::cat("sync.state.", state))});
  }
  std::string text;
  if (sync.queue.pending == 0 && !status.last_success_at.empty()) {
    text = c.trf("sync.badge.all_synced",
                 {util::cat(sync.queue.acked), local_hh_mm(status.last_success_at)});
  } else if (sync.queue.pending == 0) {
    text = c.tr("sync.badge.nothing_yet");
  } else if ((state == "offline" || state == "backing_off") && !status.last_success_at.empty()) {
    text = c.trf("sync.badge.waiting_since",
                 {util::cat(sync.queue.pending), local_hh_mm(status.last_success_at)});
  } else if (state == "offline" || state == "backing_off") {
    text = c.trf("sync.badge.waiting_never", {util::cat(sync.queue.pending)});
  } else {
    text = c.trf("sync.badge.waiting", {util::cat(sync.queue.pending)});
  }
  if (sync.queue.rejected > 0) {
    text += util::cat(" · ", c.trf("sync.badge.rejected", {util::cat(sync.queue.rejected)}));
  }
  return text;
}

void sync_badge(Ctx& c) {
  const std::string text = sync_badge_text(c);
  const SyncBadge& sync = c.state.sync;
  const ImVec4 colour = sync.queue.rejected > 0  ? theme().error
                        : sync.queue.pending > 0 ? theme().warning
                                                 : theme().ok;
  const float w = ImGui::CalcTextSize(text.c_str()).x;
  const float x = ImGui::GetWindowContentRegionMax().x - w;
  if (x > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(x);
  ImGui::TextColored(colour, "%s", text.c_str());
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
      ImGui::TextWrapped(
          "%s", c.trf("idle.countdown", {util::cat(c.state.idle_prompt_seconds_left)}).c_str());
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

bool nav_row(Ctx& c, const std::string& primary_label, bool show_back, bool primary_enabled) {
  ImGui::Dummy(ImVec2(0.0f, gap()));
  ImGui::Separator();
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));
  if (show_back) {
    if (big_button(c.tr("ui.back"), "nav_back")) c.emit(intent::Back{});
    ImGui::SameLine();
  }
  if (big_button(c.tr("ui.cancel"), "nav_cancel")) c.emit(intent::Cancel{});
  if (primary_label.empty()) return false;
  ImGui::SameLine();
  const float w =
      std::max(ImGui::CalcTextSize(primary_label.c_str()).x + ImGui::GetFontSize() * 3.0f,
               ImGui::GetFontSize() * 12.0f);
  const float x = ImGui::GetWindowContentRegionMax().x - w;
  if (x > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(x);
  ImGui::BeginDisabled(!primary_enabled);
  ImGui::PushStyleColor(ImGuiCol_Button, theme().primary);
  const bool pressed = big_button(primary_label, "nav_primary", w);
  ImGui::PopStyleColor();
  ImGui::EndDisabled();
  return pressed && primary_enabled;
}

void staff_back(Ctx& c, Screen to) {
  ImGui::Dummy(ImVec2(0.0f, gap()));
  ImGui::Separator();
  if (big_button(c.tr("ui.back"), "staff_back")) c.emit(intent::GoTo{to});
}

std::string masked_phone(std::string_view e164, std::string_view country) {
  if (e164.size() < 4) return "***";
  const std::string_view last3 = e164.substr(e164.size() - 3);
  std::string_view calling;
  if (const model::Country* found = model::find_country(country);
      found != nullptr && e164.starts_with('+') &&
      e164.substr(1).starts_with(found->calling_code)) {
    calling = found->calling_code;
  }
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
  ImGui::PushStyleColor(ImGuiCol_Text, theme().accent);
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  if (atlas->Fonts.Size > 1) {
    ImGui::PushFont(atlas->Fonts[1]);
    ImGui::TextUnformatted(code.c_str());
    ImGui::PopFont();
  } else {
    ImGui::SetWindowFontScale(3.0f);
    ImGui::TextUnformatted(code.c_str());
    ImGui::SetWindowFontScale(1.0f);
  }
  ImGui::PopStyleColor();
}

void label_value_row(const std::string& label, const std::string& value) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::PushStyleColor(ImGuiCol_Text, theme().muted);
  ImGui::TextWrapped("%s", label.c_str());
  ImGui::PopStyleColor();
  ImGui::TableNextColumn();
  ImGui::TextWrapped("%s", value.empty() ? "—" : value.c_str());
}

}  // namespace alliance::kiosk::ui
