// What the controller's flow files share: meta keys and small parsers.
// Internal to kiosk/core (the controller's files only).
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/model/text.hpp"
#include "common/store/store.hpp"
#include "kiosk/core/state.hpp"

namespace alliance::kiosk::detail {

inline constexpr const char* kDraftForm = "registration";

// Meta keys the kiosk keeps in the device store.
inline constexpr const char* kMetaLanguage = "kiosk.language";
inline constexpr const char* kMetaIdle = "kiosk.idle_timeout_seconds";
inline constexpr const char* kMetaFullscreen = "kiosk.fullscreen";
inline constexpr const char* kMetaHighContrast = "kiosk.high_contrast";
inline constexpr const char* kMetaUiScale = "kiosk.ui_scale";
inline constexpr const char* kMetaOffice = "kiosk.office";
inline constexpr const char* kMetaExportFolder = "kiosk.export_folder";
inline constexpr const char* kMetaCurrentEvent = "kiosk.current_event";

// A whole number as a person typed it (spaces around allowed), or nothing.
inline std::optional<int> parse_int(std::string_view s) {
  const std::string trimmed = model::collapse_whitespace(s);
  if (trimmed.empty()) return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
  if (ec != std::errc{} || end != trimmed.data() + trimmed.size()) return std::nullopt;
  return value;
}

// Who made a change at this kiosk, in a request's transitions.
inline std::string kiosk_actor(store::Store& store) {
  return "kiosk " + store.device_id();
}

// Inside staff mode, past the PIN.
inline bool staff_screen_open(const AppState& s) {
  return !is_public_screen(s.screen) && s.screen != Screen::staff_pin;
}

}  // namespace alliance::kiosk::detail
