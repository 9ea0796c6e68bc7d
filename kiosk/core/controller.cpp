// The kiosk controller's router: intents to their flow, navigation between
// flows, notices, idle handling and the look at what the agent wrote.
#include "kiosk/core/controller.hpp"

#include <algorithm>
#include <charconv>

#include "common/util/log.hpp"
#include "common/util/time.hpp"
#include "kiosk/core/controller_shared.hpp"

namespace alliance::kiosk {

using namespace detail;
namespace {

constexpr auto kRefreshEvery = std::chrono::seconds(2);
constexpr auto kDraftSaveDelay = std::chrono::milliseconds(800);

int year_of(std::chrono::system_clock::time_point t) {
  const auto today = util::local_date(t);
  int year = 2026;
  std::from_chars(today.data(), today.data() + 4, year);
  return year;
}

}  // namespace

Clocks Clocks::system() {
  return {[] { return std::chrono::system_clock::now(); },
          [] { return std::chrono::steady_clock::now(); }};
}

Controller::Controller(store::Store& store, Clocks clocks)
    : store_(store), clocks_(std::move(clocks)), pin_(store), watch_(store) {
  last_input_ = clocks_.steady();
  last_refresh_ = last_input_;
  state_.today = util::local_date(clocks_.wall());
  load_settings();
  if (auto id = store_.meta(kMetaCurrentEvent)) state_.current_event = store_.find_event(*id);
  show_pin_flow();
  restore_draft();
  refresh_sync();
  state_.store = watch_.check();
  data_version_ = store_.db().data_version();
  changed();
}

void Controller::refuse_store(StoreProblem problem, std::string file, std::string detail) {
  watch_.refuse(problem, std::move(file), std::move(detail));
  refresh_store_health();
}

void Controller::refresh_store_health() {
  const StoreHealth& health = watch_.check();
  if (health == state_.store) return;
  const bool new_problem = health.problem != state_.store.problem;
  state_.store = health;
  if (new_problem && !health.accepting()) notify(problem_key(health.problem), true, {health.file});
  changed();
}

void Controller::go(Screen screen) {
  if (state_.screen != screen) {
    state_.field_errors.clear();
    // A notice from an earlier action was about the screen being left.
    if (notice_raised_in_ != action_serial_) state_.notice.reset();
  }
  state_.screen = screen;
  changed();
}

void Controller::notify(std::string key, bool is_error, std::vector<std::string> args) {
  state_.notice = Notice{std::move(key), std::move(args), is_error};
  notice_raised_in_ = action_serial_;
  changed();
}

void Controller::store_error(const std::exception& e) {
  // The message says what happened and what to do; the form stays as typed.
  // SQLite's words name tables and columns, never the values written.
  log::error("kiosk.store_error", {{"error", log::Text(e.what())}});
  state_.last_store_error = e.what();
  refresh_store_health();
  if (!state_.store.accepting()) {
    // The file's problem, said in the staff's language.
    notify(problem_key(state_.store.problem), true, {state_.store.file});
    return;
  }
  // Participants get plain words; the technical ones are for staff only.
  if (is_public_screen(state_.screen)) {
    notify("notice.store_error_public", true);
  } else {
    notify("notice.store_error", true, {e.what()});
  }
}

void Controller::show_errors(const model::FieldErrors& errors) {
  state_.field_errors.clear();
  for (const auto& e : errors) state_.field_errors.emplace(e.field, FieldMessage{e.key, e.value});
  changed();
}

model::ValidationContext validation_context_for(store::Store& store,
                                                std::chrono::system_clock::time_point now) {
  model::ValidationContext context{.current_year = year_of(now)};
  if (auto id = store.meta(kMetaCurrentEvent)) {
    if (auto event = store.find_event(*id)) context.default_country = event->country;
  }
  return context;
}

model::ValidationContext Controller::validation_context() const {
  return {.default_country = state_.current_event ? state_.current_event->country : "",
          .current_year = year_of(clocks_.wall())};
}

// Leaves nothing of the last person on screen: drafts, searches, selections.
void Controller::clear_public_state() {
  clear_registration();
  state_.saved_member.reset();
  state_.recognised_member.reset();
  state_.search_query.clear();
  state_.search_birth_year.clear();
  state_.search_outcome = PublicSearchOutcome::nothing_typed;
  state_.search_match.reset();
  state_.selected_member.reset();
  state_.already_checked_in = false;
  state_.request = {};
  state_.saved_request.reset();
  state_.idle_prompt = false;
  state_.notice.reset();
  changed();
}

void Controller::end_participant_flow() {
  clear_public_state();
  if (state_.settings.language != state_.settings.staff_language) {
    state_.settings.language = state_.settings.staff_language;
    changed();
  }
}

void Controller::check_agent_alive() {
  const bool silent = store::agent_silent(state_.sync.status, clocks_.wall());
  if (silent == state_.sync.agent_silent) return;
  state_.sync.agent_silent = silent;
  changed();
}

void Controller::refresh_sync() {
  try {
    state_.sync.status = store_.sync_status();
    state_.sync.queue = store_.queue_counts();
    state_.sync.data_use = store_.data_use(clocks_.wall());
    if (state_.screen == Screen::staff_sync) state_.sync.rejected = store_.rejected_changes();
  } catch (const std::exception& e) {
    store_error(e);
  }
  check_agent_alive();
  changed();
}

void Controller::note_input() {
  last_input_ = clocks_.steady();
  if (state_.idle_prompt) {
    state_.idle_prompt = false;
    changed();
  }
}

std::chrono::milliseconds Controller::next_tick_in() const {
  using std::chrono::milliseconds;
  const auto now = clocks_.steady();
  auto wait = std::chrono::duration_cast<milliseconds>(kRefreshEvery);
  if (state_.idle_prompt) return milliseconds(250);
  if (draft_dirty_)
    wait = std::min(wait, std::chrono::duration_cast<milliseconds>(kDraftSaveDelay));
  if (state_.screen != Screen::welcome) {
    const auto deadline = last_input_ + std::chrono::seconds(state_.settings.idle_timeout_seconds);
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - now);
    wait = std::min(wait, std::max(left, milliseconds(0)));
  }
  return wait;
}

void Controller::tick() {
  const auto now = clocks_.steady();
  ++action_serial_;

  if (draft_dirty_ && now - last_input_ >= kDraftSaveDelay) save_draft();

  // The day rolls over at midnight at the desk.
  if (auto today = util::local_date(clocks_.wall()); today != state_.today) {
    state_.today = std::move(today);
    changed();
  }

  guarded([&] {
    if (pin_.tick(clocks_.wall())) show_pin_flow();
  });

  // Another process (the agent) wrote: refresh what is on screen.
  if (now - last_refresh_ >= std::chrono::seconds(1)) {
    last_refresh_ = now;
    refresh_store_health();
    check_agent_alive();  // a stopped agent writes nothing: only the clock tells
    if (state_.screen == Screen::staff_export) refresh_export_places();  // a drive plugged in
    try {
      const auto version = store_.db().data_version();
      if (version != data_version_) {
        data_version_ = version;
        refresh_sync();
        if (!is_public_screen(state_.screen)) refresh_staff_lists();
        if (state_.screen == Screen::request_packs) refresh_catalogue();
      }
    } catch (const std::exception& e) {
      store_error(e);
    }
  }

  if (state_.screen == Screen::welcome) return;
  const auto idle_for = now - last_input_;
  const auto timeout = std::chrono::seconds(state_.settings.idle_timeout_seconds);
  if (!is_public_screen(state_.screen)) {
    // Staff mode left unattended locks itself: back to the public welcome.
    if (idle_for >= timeout) {
      on(intent::LeaveStaff{});
    }
    return;
  }
  if (!state_.idle_prompt && idle_for >= timeout) {
    state_.idle_prompt = true;
    prompt_started_ = now;
    state_.idle_prompt_seconds_left = kStillTherePromptSeconds;
    changed();
    return;
  }
  if (state_.idle_prompt) {
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(now - prompt_started_).count();
    const int left = kStillTherePromptSeconds - static_cast<int>(elapsed);
    if (left <= 0) {
      // Nobody answered: the form clears itself, draft included.
      end_participant_flow();
      go(Screen::welcome);
    } else if (left != state_.idle_prompt_seconds_left) {
      state_.idle_prompt_seconds_left = left;
      changed();
    }
  }
}

void Controller::dispatch(const Intent& intent) {
  ++action_serial_;
  if (watch_.blocks(intent)) {
    refresh_store_health();
    notify(problem_key(state_.store.problem), true, {state_.store.file});
    return;
  }
  std::visit([this](const auto& i) { on(i); }, intent);
}

void Controller::on(const intent::GoTo& i) {
  const bool in_staff = !is_public_screen(state_.screen) && state_.screen != Screen::staff_pin;
  if (!is_public_screen(i.screen)) {
    // Staff screens only from inside staff mode; the PIN screen guards the way in.
    if (!in_staff || i.screen == Screen::staff_pin) return;
    go(i.screen);
    refresh_staff_lists();
    if (i.screen == Screen::staff_event) state_.event_draft = {};
    if (i.screen == Screen::staff_export) refresh_export_places();
    return;
  }
  if (i.screen == Screen::welcome) {
    if (in_staff) {
      on(intent::LeaveStaff{});
      return;
    }
    end_participant_flow();
    go(Screen::welcome);
  }
  // Other public screens are reached through their flows, not by jumping.
}

void Controller::on(const intent::Next&) {
  if (is_registration_step(state_.screen)) {
    next_registration_step();
  } else if (state_.screen == Screen::request_requester) {
    choose_packs();
  } else if (state_.screen == Screen::request_packs) {
    on(intent::SubmitRequest{});
  } else if (state_.screen == Screen::check_in) {
    on(intent::ConfirmCheckIn{});
  }
}

void Controller::on(const intent::Cancel&) {
  if (!is_public_screen(state_.screen)) {
    on(intent::LeaveStaff{});
    return;
  }
  end_participant_flow();
  go(Screen::welcome);
}

void Controller::on(const intent::Back&) {
  switch (state_.screen) {
    case Screen::register_personal:
    case Screen::check_in:
    case Screen::request_requester:
    case Screen::register_saved:
    case Screen::check_in_done:
    case Screen::request_done:
      on(intent::Cancel{});
      return;
    case Screen::register_work:
    case Screen::register_interests:
    case Screen::register_consent:
    case Screen::register_review:
      previous_registration_step();
      return;
    case Screen::duplicate_offer:
      go(Screen::register_review);
      return;
    case Screen::request_packs:
      go(Screen::request_requester);
      return;
    case Screen::staff_pin:
      leave_pin_screen();
      return;
    case Screen::staff_home:
      on(intent::LeaveStaff{});
      return;
    case Screen::staff_edit:
      state_.editing.reset();
      go(Screen::staff_today);
      return;
    case Screen::welcome:
      return;
    default:
      go(Screen::staff_home);
      return;
  }
}

void Controller::on(const intent::DismissNotice&) {
  state_.notice.reset();
  changed();
}

void Controller::on(const intent::StillHere&) {
  note_input();
}

}  // namespace alliance::kiosk
