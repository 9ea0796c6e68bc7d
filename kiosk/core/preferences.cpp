// The controller's preferences: language, idle timeout, screen and office,
// kept in the store's meta table across restarts.
#include "kiosk/core/controller.hpp"

#include <algorithm>
#include <charconv>

#include "common/model/codes.hpp"
#include "kiosk/core/controller_shared.hpp"

namespace alliance::kiosk {

using namespace detail;
namespace {

std::int64_t to_int64(const std::string& s, std::int64_t fallback) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc{} && end == s.data() + s.size() ? value : fallback;
}

}  // namespace

void Controller::load_settings() {
  auto& s = state_.settings;
  if (auto v = store_.meta(kMetaLanguage); v && model::is_code_in(model::language_codes(), *v)) {
    s.language = *v;
  }
  s.staff_language = s.language;
  s.idle_timeout_seconds = static_cast<int>(to_int64(store_.meta(kMetaIdle).value_or("90"), 90));
  s.fullscreen = store_.meta(kMetaFullscreen).value_or("0") == "1";
  s.high_contrast = store_.meta(kMetaHighContrast).value_or("0") == "1";
  s.ui_scale =
      static_cast<float>(to_int64(store_.meta(kMetaUiScale).value_or("100"), 100)) / 100.0f;
  s.office = store_.meta(kMetaOffice).value_or("");
  state_.export_folder = store_.meta(kMetaExportFolder).value_or("");
}

void Controller::save_setting(const std::string& key, const std::string& value) {
  try {
    store::Transaction tx(store_.db());
    store_.set_meta(key, value);
    tx.commit();
  } catch (const std::exception& e) {
    store_error(e);
  }
}

void Controller::override_language(const std::string& code) {
  if (model::is_code_in(model::language_codes(), code)) {
    state_.settings.language = code;
    state_.settings.staff_language = code;
    changed();
  }
}

void Controller::override_fullscreen(bool value) {
  state_.settings.fullscreen = value;
  changed();
}

void Controller::on(const intent::SetLanguage& i) {
  if (!model::is_code_in(model::language_codes(), i.code)) return;
  state_.settings.language = i.code;
  // On a public screen the choice is this participant's, for their visit
  // only (end_participant_flow); staff choose the desk's default.
  if (!is_public_screen(state_.screen)) {
    state_.settings.staff_language = i.code;
    save_setting(kMetaLanguage, i.code);
  }
  changed();
}

void Controller::on(const intent::SetIdleTimeout& i) {
  if (!staff_screen_open(state_)) return;
  state_.settings.idle_timeout_seconds = std::clamp(i.seconds, 30, 3600);
  save_setting(kMetaIdle, std::to_string(state_.settings.idle_timeout_seconds));
  changed();
}

void Controller::on(const intent::SetFullscreen& i) {
  if (!staff_screen_open(state_)) return;
  state_.settings.fullscreen = i.value;
  state_.fullscreen_changed = true;
  save_setting(kMetaFullscreen, i.value ? "1" : "0");
  changed();
}

void Controller::on(const intent::SetHighContrast& i) {
  if (!staff_screen_open(state_)) return;
  state_.settings.high_contrast = i.value;
  save_setting(kMetaHighContrast, i.value ? "1" : "0");
  changed();
}

void Controller::on(const intent::SetUiScale& i) {
  if (!staff_screen_open(state_)) return;
  state_.settings.ui_scale = std::clamp(i.value, 0.75f, 2.5f);
  save_setting(kMetaUiScale,
               std::to_string(static_cast<int>(state_.settings.ui_scale * 100.0f + 0.5f)));
  changed();
}

void Controller::on(const intent::SetOffice& i) {
  if (!staff_screen_open(state_)) return;
  state_.settings.office = model::collapse_whitespace(i.office);
  save_setting(kMetaOffice, state_.settings.office);
  refresh_staff_lists();
}

}  // namespace alliance::kiosk
