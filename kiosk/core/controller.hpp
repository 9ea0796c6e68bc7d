// The kiosk's behaviour: applies intents to AppState, saves through the store,
// and runs timeouts. No ImGui here, so all of it is tested headless.
//
// Threading: one thread (the UI thread) calls everything. Every save is one
// store transaction; the controller reports "saved" only after it returned.
// Database failures (disk full, damaged file) become an error notice and
// leave the draft in place, so nothing typed is lost.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/store/store.hpp"
#include "kiosk/core/intents.hpp"
#include "kiosk/core/staff_pin.hpp"
#include "kiosk/core/state.hpp"
#include "kiosk/core/store_watch.hpp"

namespace alliance::kiosk {

struct Clocks {
  std::function<std::chrono::system_clock::time_point()> wall;  // dates, lockout
  std::function<TimePoint()> steady;                            // idle timing
  static Clocks system();
};

inline constexpr int kStillTherePromptSeconds = 15;
inline constexpr const char* kConsentTextVersion = "2026-01";

// The rules the desk validates with: phone numbers read as the current
// event's country, birth years bounded by today's year. For the command-line
// tools that work on the same database as the kiosk.
model::ValidationContext validation_context_for(store::Store& store,
                                                std::chrono::system_clock::time_point now);

class Controller {
 public:
  // Restores settings, the current event and any draft left by a crash.
  Controller(store::Store& store, Clocks clocks = Clocks::system());

  const AppState& state() const { return state_; }
  void dispatch(const Intent& intent);
  // Runs timeouts (idle prompt, clearing, PIN lockout end) and refreshes the
  // sync badge and lists when the database changed (another process wrote).
  void tick();
  // Any key, click or touch: public forms stay open while someone is there.
  void note_input();
  // How long the frame loop may sleep before tick() has work to do.
  std::chrono::milliseconds next_tick_in() const;

  // Settings the command line overrides (they are not saved).
  void override_language(const std::string& code);
  void override_fullscreen(bool value);
  void acknowledge_fullscreen_change() { state_.fullscreen_changed = false; }

  // The kiosk could not use its file at start (damaged, not writable) and
  // runs on a stand-in: it takes no records and shows staff why and the fix.
  void refuse_store(StoreProblem problem, std::string file, std::string detail);

 private:
  template <class T>
  void on(const T&);

  void go(Screen screen);
  void changed() { ++state_.version; }
  void notify(std::string key, bool is_error, std::vector<std::string> args = {});
  void store_error(const std::exception& e);
  // Runs a store action; a database failure becomes an error notice and the
  // state stays as it was, so nothing typed is lost.
  template <class Action>
  void guarded(Action&& action);
  void show_errors(const model::FieldErrors& errors);
  model::ValidationContext validation_context() const;
  model::Member member_from_draft() const;
  bool validate_step(Screen step);
  void save_draft();
  void clear_registration();
  void clear_public_state();
  void refresh_sync();
  void refresh_store_health();
  void refresh_staff_lists();
  void refresh_catalogue();
  void load_settings();
  void save_setting(const std::string& key, const std::string& value);
  void save_registration();
  void check_in_member(const model::Member& member);
  // Copies the PIN flow's step and lockout into the state.
  void show_pin_flow();
  void apply_pin_result(const StaffPinFlow::Result& result);

  store::Store& store_;
  Clocks clocks_;
  StaffPinFlow pin_;
  StoreWatch watch_;
  AppState state_;
  TimePoint last_input_;
  TimePoint prompt_started_;
  TimePoint last_refresh_;
  std::int64_t data_version_ = -1;
  bool draft_dirty_ = false;
};

}  // namespace alliance::kiosk
