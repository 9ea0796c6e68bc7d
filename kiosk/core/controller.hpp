// The kiosk's behaviour: applies intents to AppState, saves through the store,
// and runs timeouts. No ImGui here, so all of it is tested headless.
//
// One class over one AppState, split by flow as files: controller.cpp routes
// intents and owns navigation and idle handling; registration_flow.cpp,
// check_in_flow.cpp, request_flow.cpp, staff_desk.cpp and preferences.cpp
// hold each flow's handlers.
//
// Threading: one thread (the UI thread) calls everything. Every save is one
// store transaction; the controller reports "saved" only after it returned.
// Database failures (disk full, damaged file) become an error notice and
// leave the draft in place, so nothing typed is lost.
#pragma once

#include <chrono>
#include <functional>
#include <set>
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
// The consent wording's version is a domain fact (common/model/member.hpp).
using model::kConsentTextVersion;

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
  // Intent handlers, one overload per intent, grouped by the file that holds them.
  // controller.cpp: the router (navigation between flows, notices, idle).
  void on(const intent::GoTo&);
  void on(const intent::Next&);
  void on(const intent::Back&);
  void on(const intent::Cancel&);
  void on(const intent::DismissNotice&);
  void on(const intent::StillHere&);
  // registration_flow.cpp
  void on(const intent::StartRegistration&);
  void on(const intent::SetMemberKind&);
  void on(const intent::EditField&);
  void on(const intent::ToggleInterest&);
  void on(const intent::SetEUpdates&);
  void on(const intent::SetConsent&);
  void on(const intent::Save&);
  void on(const intent::ThisIsMe&);
  void on(const intent::NotMe&);
  // check_in_flow.cpp
  void on(const intent::StartCheckIn&);
  void on(const intent::Search&);
  void on(const intent::StaffSearch&);  // staff_desk.cpp
  void on(const intent::SelectMember&);
  void on(const intent::ConfirmCheckIn&);
  // request_flow.cpp
  void on(const intent::StartRequest&);
  void on(const intent::RequestForOrganisation&);
  void on(const intent::EditRequestField&);
  void on(const intent::SetQuantity&);
  void on(const intent::SetDelivery&);
  void on(const intent::SubmitRequest&);
  // staff_desk.cpp
  void on(const intent::EnterStaff&);
  void on(const intent::PinDigit&);
  void on(const intent::PinErase&);
  void on(const intent::SubmitPin&);
  void on(const intent::EditEnrolmentCode&);
  void on(const intent::SubmitEnrolmentCode&);
  void on(const intent::ChangePin&);
  void on(const intent::LeaveStaff&);
  void on(const intent::ChooseEvent&);
  void on(const intent::EditEventField&);
  void on(const intent::CreateEvent&);
  void on(const intent::EditMember&);
  void on(const intent::EditMemberField&);
  void on(const intent::SaveMemberEdit&);
  void on(const intent::VoidMember&);
  void on(const intent::VoidAttendance&);
  void on(const intent::ConfirmVoid&);
  void on(const intent::CancelVoid&);
  void on(const intent::RestoreVoided&);
  void on(const intent::MarkRequest&);
  void on(const intent::MarkReviewed&);
  void on(const intent::SyncNow&);
  void on(const intent::SetExportFolder&);
  void on(const intent::BrowseFolder&);
  void on(const intent::Export&);
  void on(const intent::Quit&);
  // preferences.cpp
  void on(const intent::SetLanguage&);
  void on(const intent::SetIdleTimeout&);
  void on(const intent::SetFullscreen&);
  void on(const intent::SetHighContrast&);
  void on(const intent::SetUiScale&);
  void on(const intent::SetOffice&);

  // Shared by every flow (controller.cpp).
  void go(Screen screen);
  void changed() { ++state_.version; }
  void notify(std::string key, bool is_error, std::vector<std::string> args = {});
  void store_error(const std::exception& e);
  // Runs a store action; a database failure becomes an error notice and the
  // state stays as it was, so nothing typed is lost.
  template <class Action>
  void guarded(Action&& action) {
    try {
      action();
    } catch (const std::exception& e) {
      store_error(e);
    }
  }
  void show_errors(const model::FieldErrors& errors);
  model::ValidationContext validation_context() const;
  void clear_public_state();
  // A participant's visit is over (done, cancelled, left idle, staff came):
  // nothing of theirs stays, and the screens speak the staff language again.
  void end_participant_flow();
  // Whether the agent's last status write is too old (kAgentSilentAfter).
  void check_agent_alive();
  void refresh_sync();
  void refresh_store_health();

  // Registration (registration_flow.cpp).
  void restore_draft();
  model::Member member_from_draft() const;
  bool validate_step(Screen step);
  void next_registration_step();
  void previous_registration_step();
  void save_draft();
  void forget_registration();  // the form only; the stored draft stays
  void clear_registration();   // the form and its stored draft
  void save_registration();
  void offer_duplicates_while_typing();
  // "This is me" / "Not me" can be answered now (the offer is on screen).
  bool duplicate_choice_open() const;

  // Check-in (check_in_flow.cpp).
  void check_in_member(const PublicMatch& member);

  // Requests (request_flow.cpp).
  void choose_packs();  // the requester is known: on to the packs
  void refresh_catalogue();

  // Staff desk (staff_desk.cpp).
  void refresh_staff_lists();
  // Who a member id is, for the desk (cached in state_.people until the lists refresh).
  const PersonLabel& person(const std::string& member_id);
  // Copies the PIN flow's step and lockout into the state.
  void show_pin_flow();
  void apply_pin_result(const StaffPinFlow::Result& result);
  void leave_pin_screen();
  // The drives mounted now and the browser's folder (the export screen).
  void refresh_export_places();

  // Preferences (preferences.cpp).
  void load_settings();
  void save_setting(const std::string& key, const std::string& value);

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
  // Notices belong to the screen that raised them: go() drops a notice not
  // raised by the action now running (each dispatch and tick is one action).
  std::uint64_t action_serial_ = 0;
  std::uint64_t notice_raised_in_ = 0;
  // Members this person said they are not: never offered again in this registration.
  std::set<std::string> dismissed_duplicates_;
};

}  // namespace alliance::kiosk
