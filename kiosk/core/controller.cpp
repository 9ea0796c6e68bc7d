// The kiosk controller: intents in, state and saved records out.
#include "kiosk/core/controller.hpp"

// cereal's JSON header first: it makes its bundled rapidjson throw, not abort.
#include <cereal/archives/json.hpp>
#include <cereal/types/set.hpp>
#include <cereal/types/string.hpp>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <sstream>

#include "common/model/codes.hpp"
#include "common/model/text.hpp"
#include "common/util/log.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"
#include "kiosk/core/export.hpp"
#include "kiosk/core/member_search.hpp"

namespace alliance::kiosk {
namespace {

constexpr auto kRefreshEvery = std::chrono::seconds(2);
constexpr auto kDraftSaveDelay = std::chrono::milliseconds(800);
constexpr const char* kDraftForm = "registration";

// Meta keys the kiosk keeps in the device store.
constexpr const char* kMetaLanguage = "kiosk.language";
constexpr const char* kMetaIdle = "kiosk.idle_timeout_seconds";
constexpr const char* kMetaFullscreen = "kiosk.fullscreen";
constexpr const char* kMetaHighContrast = "kiosk.high_contrast";
constexpr const char* kMetaUiScale = "kiosk.ui_scale";
constexpr const char* kMetaOffice = "kiosk.office";
constexpr const char* kMetaExportFolder = "kiosk.export_folder";
constexpr const char* kMetaCurrentEvent = "kiosk.current_event";

std::optional<int> parse_int(std::string_view s) {
  const std::string trimmed = model::collapse_whitespace(s);
  if (trimmed.empty()) return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
  if (ec != std::errc{} || end != trimmed.data() + trimmed.size()) return std::nullopt;
  return value;
}

std::int64_t to_int64(const std::string& s, std::int64_t fallback) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc{} && end == s.data() + s.size() ? value : fallback;
}

// Which wizard step shows a field, so errors send the person to the right step.
Screen step_of(std::string_view field) {
  // Country comes before phone: it says how to read a national number.
  static constexpr std::string_view kPersonal[] = {
      "kind",           "given_name", "family_name", "organisation_name",
      "contact_person", "gender",     "birth_year",  "country",
      "phone",          "email"};
  static constexpr std::string_view kWork[] = {"region", "organisation",     "organisation_type",
                                               "role",   "years_experience", "qualification"};
  static constexpr std::string_view kInterests[] = {"interest_groups", "e_updates",
                                                    "preferred_language"};
  for (auto f : kPersonal) {
    if (f == field) return Screen::register_personal;
  }
  for (auto f : kWork) {
    if (f == field) return Screen::register_work;
  }
  for (auto f : kInterests) {
    if (f == field) return Screen::register_interests;
  }
  return Screen::register_consent;
}

constexpr Screen kSteps[] = {Screen::register_personal, Screen::register_work,
                             Screen::register_interests, Screen::register_consent,
                             Screen::register_review};

int step_index(Screen s) {
  for (std::size_t i = 0; i < std::size(kSteps); ++i) {
    if (kSteps[i] == s) return static_cast<int>(i);
  }
  return -1;
}

template <class Archive>
void serialize_draft(Archive& ar, RegistrationDraft& d, int& screen) {
  std::string kind(model::to_string(d.kind));
  ar(cereal::make_nvp("screen", screen), cereal::make_nvp("kind", kind),
     cereal::make_nvp("given_name", d.given_name), cereal::make_nvp("family_name", d.family_name),
     cereal::make_nvp("organisation_name", d.organisation_name),
     cereal::make_nvp("contact_person", d.contact_person), cereal::make_nvp("gender", d.gender),
     cereal::make_nvp("birth_year", d.birth_year), cereal::make_nvp("phone", d.phone),
     cereal::make_nvp("email", d.email), cereal::make_nvp("country", d.country),
     cereal::make_nvp("region", d.region), cereal::make_nvp("organisation", d.organisation),
     cereal::make_nvp("organisation_type", d.organisation_type), cereal::make_nvp("role", d.role),
     cereal::make_nvp("years_experience", d.years_experience),
     cereal::make_nvp("qualification", d.qualification),
     cereal::make_nvp("interest_groups", d.interest_groups),
     cereal::make_nvp("e_updates", d.e_updates), cereal::make_nvp("consent", d.consent));
  d.kind = model::member_kind_from(kind).value_or(model::MemberKind::individual);
}

std::string encode_draft(RegistrationDraft d, Screen screen) {
  std::ostringstream out;
  int screen_number = static_cast<int>(screen);
  {
    cereal::JSONOutputArchive ar(out, cereal::JSONOutputArchive::Options::NoIndent());
    serialize_draft(ar, d, screen_number);
  }
  return out.str();
}

std::optional<std::pair<RegistrationDraft, Screen>> decode_draft(const std::string& json) {
  try {
    std::istringstream in(json);
    cereal::JSONInputArchive ar(in);
    RegistrationDraft d;
    int screen = 0;
    serialize_draft(ar, d, screen);
    const auto s = static_cast<Screen>(screen);
    if (!is_registration_step(s)) return std::nullopt;
    return std::pair{d, s};
  } catch (const std::exception&) {
    return std::nullopt;  // a damaged draft is dropped, not fatal
  }
}

std::string* draft_field(RegistrationDraft& d, std::string_view name) {
  if (name == "given_name") return &d.given_name;
  if (name == "family_name") return &d.family_name;
  if (name == "organisation_name") return &d.organisation_name;
  if (name == "contact_person") return &d.contact_person;
  if (name == "gender") return &d.gender;
  if (name == "birth_year") return &d.birth_year;
  if (name == "phone") return &d.phone;
  if (name == "email") return &d.email;
  if (name == "country") return &d.country;
  if (name == "region") return &d.region;
  if (name == "organisation") return &d.organisation;
  if (name == "organisation_type") return &d.organisation_type;
  if (name == "role") return &d.role;
  if (name == "years_experience") return &d.years_experience;
  if (name == "qualification") return &d.qualification;
  return nullptr;
}

// Inside staff mode, past the PIN.
bool staff_screen_open(const AppState& s) {
  return !is_public_screen(s.screen) && s.screen != Screen::staff_pin;
}

std::string file_stamp(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm local{};
  localtime_r(&tt, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &local);
  return buf;
}

}  // namespace

// Every handler is declared before any is used, so they may call each other.
template <>
void Controller::on(const intent::SetLanguage&);
template <>
void Controller::on(const intent::GoTo&);
template <>
void Controller::on(const intent::DismissNotice&);
template <>
void Controller::on(const intent::StillHere&);
template <>
void Controller::on(const intent::StartRegistration&);
template <>
void Controller::on(const intent::SetMemberKind&);
template <>
void Controller::on(const intent::EditField&);
template <>
void Controller::on(const intent::ToggleInterest&);
template <>
void Controller::on(const intent::SetEUpdates&);
template <>
void Controller::on(const intent::SetConsent&);
template <>
void Controller::on(const intent::Next&);
template <>
void Controller::on(const intent::Cancel&);
template <>
void Controller::on(const intent::Back&);
template <>
void Controller::on(const intent::Save&);
template <>
void Controller::on(const intent::NotMe&);
template <>
void Controller::on(const intent::ThisIsMe&);
template <>
void Controller::on(const intent::StartCheckIn&);
template <>
void Controller::on(const intent::Search&);
template <>
void Controller::on(const intent::SelectMember&);
template <>
void Controller::on(const intent::ConfirmCheckIn&);
template <>
void Controller::on(const intent::StartRequest&);
template <>
void Controller::on(const intent::RequestForOrganisation&);
template <>
void Controller::on(const intent::EditRequestField&);
template <>
void Controller::on(const intent::SetQuantity&);
template <>
void Controller::on(const intent::SetDelivery&);
template <>
void Controller::on(const intent::SubmitRequest&);
template <>
void Controller::on(const intent::EnterStaff&);
template <>
void Controller::on(const intent::PinDigit&);
template <>
void Controller::on(const intent::PinErase&);
template <>
void Controller::on(const intent::SubmitPin&);
template <>
void Controller::on(const intent::EditEnrolmentCode&);
template <>
void Controller::on(const intent::SubmitEnrolmentCode&);
template <>
void Controller::on(const intent::ChangePin&);
template <>
void Controller::on(const intent::LeaveStaff&);
template <>
void Controller::on(const intent::ChooseEvent&);
template <>
void Controller::on(const intent::EditEventField&);
template <>
void Controller::on(const intent::CreateEvent&);
template <>
void Controller::on(const intent::EditMember&);
template <>
void Controller::on(const intent::EditMemberField&);
template <>
void Controller::on(const intent::SaveMemberEdit&);
template <>
void Controller::on(const intent::VoidMember&);
template <>
void Controller::on(const intent::VoidAttendance&);
template <>
void Controller::on(const intent::MarkRequest&);
template <>
void Controller::on(const intent::SyncNow&);
template <>
void Controller::on(const intent::SetExportFolder&);
template <>
void Controller::on(const intent::Export&);
template <>
void Controller::on(const intent::SetIdleTimeout&);
template <>
void Controller::on(const intent::SetFullscreen&);
template <>
void Controller::on(const intent::SetHighContrast&);
template <>
void Controller::on(const intent::SetUiScale&);
template <>
void Controller::on(const intent::SetOffice&);
template <>
void Controller::on(const intent::Quit&);

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
  // A form left by a crash or power cut comes back where it was.
  if (auto saved = store_.load_draft(kDraftForm)) {
    if (auto draft = decode_draft(*saved)) {
      state_.draft = draft->first;
      state_.screen = draft->second;
      notify("notice.draft_restored", false);
    }
  }
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

void Controller::load_settings() {
  auto& s = state_.settings;
  if (auto v = store_.meta(kMetaLanguage); v && model::is_code_in(model::language_codes(), *v)) {
    s.language = *v;
  }
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
    changed();
  }
}

void Controller::override_fullscreen(bool value) {
  state_.settings.fullscreen = value;
  changed();
}

void Controller::go(Screen screen) {
  if (state_.screen != screen) state_.field_errors.clear();
  state_.screen = screen;
  changed();
}

void Controller::notify(std::string key, bool is_error, std::vector<std::string> args) {
  state_.notice = Notice{std::move(key), std::move(args), is_error};
  changed();
}

void Controller::store_error(const std::exception& e) {
  // The message says what happened and what to do; the form stays as typed.
  log::error("kiosk.store_error", {{"error", log::Text(e.what())}});
  refresh_store_health();
  if (!state_.store.accepting()) {
    // The file's problem, said in the staff's language.
    notify(problem_key(state_.store.problem), true, {state_.store.file});
    return;
  }
  notify("notice.store_error", true, {e.what()});
}

template <class Action>
void Controller::guarded(Action&& action) {
  try {
    action();
  } catch (const std::exception& e) {
    store_error(e);
  }
}

void Controller::show_errors(const model::FieldErrors& errors) {
  state_.field_errors.clear();
  for (const auto& e : errors) state_.field_errors.emplace(e.field, e.key);
  changed();
}

namespace {
int year_of(std::chrono::system_clock::time_point t) {
  const auto today = util::local_date(t);
  int year = 2026;
  std::from_chars(today.data(), today.data() + 4, year);
  return year;
}
}  // namespace

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

model::Member Controller::member_from_draft() const {
  const auto& d = state_.draft;
  model::Member m;
  m.kind = d.kind;
  if (d.kind == model::MemberKind::organisation) {
    m.organisation = d.organisation_name;
    m.contact_person = d.contact_person;
  } else {
    m.given_name = d.given_name;
    m.family_name = d.family_name;
    m.gender = d.gender;
    m.birth_year = parse_int(d.birth_year);
    m.organisation = d.organisation;
  }
  m.phone = d.phone;
  m.email = d.email;
  m.country = d.country.empty() && state_.current_event ? state_.current_event->country : d.country;
  m.region = d.region;
  m.organisation_type = d.organisation_type;
  m.role = d.role;
  m.years_experience = parse_int(d.years_experience);
  m.qualification = d.qualification;
  m.interest_groups.assign(d.interest_groups.begin(), d.interest_groups.end());
  m.e_updates = d.e_updates;
  m.preferred_language = state_.settings.language;
  m.consent = {.given = d.consent, .text_version = kConsentTextVersion};
  return m;
}

// Validates the whole draft and keeps the errors that belong to `step` (all
// of them for the review step). Returns whether the step may be left.
bool Controller::validate_step(Screen step) {
  auto member = member_from_draft();
  auto errors = model::normalize_and_validate(member, validation_context());
  const auto& d = state_.draft;
  if (!model::collapse_whitespace(d.birth_year).empty() && !parse_int(d.birth_year)) {
    errors.push_back({"birth_year", "member.birth_year.invalid"});
  }
  if (!model::collapse_whitespace(d.years_experience).empty() && !parse_int(d.years_experience)) {
    errors.push_back({"years_experience", "member.years_experience.invalid"});
  }
  state_.field_errors.clear();
  std::optional<Screen> first_bad_step;
  for (auto& e : errors) {
    std::string field = e.field;
    // An organisation's own name is typed on the first step.
    if (d.kind == model::MemberKind::organisation && field == "organisation") {
      field = "organisation_name";
    }
    const Screen where = step_of(field);
    if (step == Screen::register_review || where == step) {
      state_.field_errors.emplace(field, e.key);
      if (!first_bad_step || step_index(where) < step_index(*first_bad_step))
        first_bad_step = where;
    }
  }
  changed();
  if (step == Screen::register_review && first_bad_step) {
    // Send the person to the first step with a problem, errors shown there.
    const auto errors_copy = state_.field_errors;
    go(*first_bad_step);
    state_.field_errors = errors_copy;
    return false;
  }
  return state_.field_errors.empty();
}

void Controller::save_draft() {
  draft_dirty_ = false;
  if (!is_registration_step(state_.screen) || state_.draft.empty()) return;
  guarded([&] { store_.save_draft(kDraftForm, encode_draft(state_.draft, state_.screen)); });
}

void Controller::clear_registration() {
  state_.draft = {};
  state_.field_errors.clear();
  state_.duplicate_candidates.clear();
  draft_dirty_ = false;
  guarded([&] { store_.clear_draft(kDraftForm); });
}

// Leaves nothing of the last person on screen: drafts, searches, selections.
void Controller::clear_public_state() {
  clear_registration();
  state_.saved_member.reset();
  state_.search_query.clear();
  state_.search_results.clear();
  state_.selected_member.reset();
  state_.already_checked_in = false;
  state_.request = {};
  state_.saved_request.reset();
  state_.idle_prompt = false;
  state_.notice.reset();
  changed();
}

void Controller::refresh_sync() {
  try {
    state_.sync.status = store_.sync_status();
    state_.sync.queue = store_.queue_counts();
    if (state_.screen == Screen::staff_sync) state_.sync.rejected = store_.rejected_changes();
  } catch (const std::exception& e) {
    store_error(e);
  }
  changed();
}

void Controller::refresh_staff_lists() {
  try {
    state_.events = store_.list_events();
    if (state_.current_event) {
      state_.current_event = store_.find_event(state_.current_event->id);
    }
    if (state_.current_event) {
      state_.today_registrations =
          store_.members_registered(state_.current_event->id, state_.today);
      state_.today_attendance = store_.attendance_for(state_.current_event->id, state_.today);
    } else {
      state_.today_registrations.clear();
      state_.today_attendance.clear();
    }
    const std::string office = !state_.settings.office.empty() ? state_.settings.office
                               : state_.current_event          ? state_.current_event->office
                                                               : "";
    state_.office_requests = store_.requests_for_office(office);
  } catch (const std::exception& e) {
    store_error(e);
  }
  refresh_sync();
}

void Controller::refresh_catalogue() {
  try {
    state_.catalogue = store_.list_packs();
  } catch (const std::exception& e) {
    store_error(e);
  }
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
      clear_public_state();
      go(Screen::welcome);
    } else if (left != state_.idle_prompt_seconds_left) {
      state_.idle_prompt_seconds_left = left;
      changed();
    }
  }
}

void Controller::dispatch(const Intent& intent) {
  if (watch_.blocks(intent)) {
    refresh_store_health();
    notify(problem_key(state_.store.problem), true, {state_.store.file});
    return;
  }
  std::visit([this](const auto& i) { on(i); }, intent);
}

// --- public: language, navigation -------------------------------------------

template <>
void Controller::on(const intent::SetLanguage& i) {
  if (!model::is_code_in(model::language_codes(), i.code)) return;
  state_.settings.language = i.code;
  save_setting(kMetaLanguage, i.code);
  changed();
}

template <>
void Controller::on(const intent::GoTo& i) {
  const bool in_staff = !is_public_screen(state_.screen) && state_.screen != Screen::staff_pin;
  if (!is_public_screen(i.screen)) {
    // Staff screens only from inside staff mode; the PIN screen guards the way in.
    if (!in_staff || i.screen == Screen::staff_pin) return;
    go(i.screen);
    refresh_staff_lists();
    if (i.screen == Screen::staff_event) state_.event_draft = {};
    return;
  }
  if (i.screen == Screen::welcome) {
    if (in_staff) {
      on(intent::LeaveStaff{});
      return;
    }
    clear_public_state();
    go(Screen::welcome);
  }
  // Other public screens are reached through their flows, not by jumping.
}

template <>
void Controller::on(const intent::DismissNotice&) {
  state_.notice.reset();
  changed();
}

template <>
void Controller::on(const intent::StillHere&) {
  note_input();
}

// --- registration -------------------------------------------------------------

template <>
void Controller::on(const intent::StartRegistration&) {
  clear_public_state();
  if (state_.current_event) state_.draft.country = state_.current_event->country;
  go(Screen::register_personal);
}

template <>
void Controller::on(const intent::SetMemberKind& i) {
  if (!is_registration_step(state_.screen)) return;
  state_.draft.kind = i.kind;
  draft_dirty_ = true;
  changed();
}

template <>
void Controller::on(const intent::EditField& i) {
  if (!is_registration_step(state_.screen)) return;
  std::string* field = draft_field(state_.draft, i.field);
  if (field == nullptr || *field == i.value) return;
  *field = i.value;
  state_.field_errors.erase(i.field);
  draft_dirty_ = true;
  changed();
}

template <>
void Controller::on(const intent::ToggleInterest& i) {
  if (!is_registration_step(state_.screen)) return;
  if (!model::is_code_in(model::interest_group_codes(), i.code)) return;
  auto& groups = state_.draft.interest_groups;
  if (!groups.erase(i.code)) groups.insert(i.code);
  draft_dirty_ = true;
  changed();
}

template <>
void Controller::on(const intent::SetEUpdates& i) {
  if (!is_registration_step(state_.screen)) return;
  state_.draft.e_updates = i.value;
  draft_dirty_ = true;
  changed();
}

template <>
void Controller::on(const intent::SetConsent& i) {
  if (!is_registration_step(state_.screen)) return;
  state_.draft.consent = i.value;
  state_.field_errors.erase("consent");
  draft_dirty_ = true;
  changed();
}

template <>
void Controller::on(const intent::Next&) {
  const int index = step_index(state_.screen);
  if (index >= 0 && state_.screen != Screen::register_review) {
    if (!validate_step(state_.screen)) return;
    go(kSteps[index + 1]);
    save_draft();
    return;
  }
  if (state_.screen == Screen::register_review) {
    on(intent::Save{});
    return;
  }
  if (state_.screen == Screen::request_requester) {
    const auto& r = state_.request;
    state_.field_errors.clear();
    if (!r.for_organisation && r.member_id.empty()) {
      state_.field_errors.emplace("member_id", "request.requester.required");
    }
    if (r.for_organisation && model::collapse_whitespace(r.organisation_name).empty()) {
      state_.field_errors.emplace("organisation_name", "request.requester.required");
    }
    changed();
    if (!state_.field_errors.empty()) return;
    refresh_catalogue();
    go(Screen::request_packs);
    return;
  }
  if (state_.screen == Screen::request_packs) on(intent::SubmitRequest{});
  if (state_.screen == Screen::check_in) on(intent::ConfirmCheckIn{});
}

template <>
void Controller::on(const intent::Cancel&) {
  if (!is_public_screen(state_.screen)) {
    on(intent::LeaveStaff{});
    return;
  }
  clear_public_state();
  go(Screen::welcome);
}

template <>
void Controller::on(const intent::Back&) {
  const int index = step_index(state_.screen);
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
      go(kSteps[index - 1]);
      save_draft();
      return;
    case Screen::duplicate_offer:
      go(Screen::register_review);
      return;
    case Screen::request_packs:
      go(Screen::request_requester);
      return;
    case Screen::staff_pin:
      if (state_.staff.changing_pin) {
        // Changing the PIN was started from inside staff mode: back to settings.
        guarded([&] { pin_.begin(clocks_.wall()); });
        show_pin_flow();
        state_.staff.pin_entry.clear();
        go(Screen::staff_settings);
        return;
      }
      on(intent::LeaveStaff{});
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

void Controller::save_registration() {
  const bool at_event = state_.current_event.has_value();
  try {
    auto saved = store_.register_member(member_from_draft(), validation_context(),
                                        at_event ? state_.current_event->id : "",
                                        at_event ? state_.today : "");
    if (!saved) {
      go(step_of(saved.error().front().field));
      show_errors(saved.error());
      return;
    }
    log::info("kiosk.member_registered", {{"member", log::Id(saved->member.id)}});
    clear_registration();
    state_.saved_member = saved->member;
    go(Screen::register_saved);
    notify("notice.saved", false);
  } catch (const std::exception& e) {
    store_error(e);  // nothing was saved; the draft stays for another try
  }
}

template <>
void Controller::on(const intent::Save&) {
  if (state_.screen != Screen::register_review) return;
  if (!validate_step(Screen::register_review)) return;
  // "Is this you?": same phone or e-mail, or the same name in the same organisation.
  const auto candidate = member_from_draft();
  auto normalised = candidate;
  model::normalize_and_validate(normalised, validation_context());
  std::vector<model::Member> matches;
  auto add = [&](const model::Member& m) {
    if (std::none_of(matches.begin(), matches.end(),
                     [&](const model::Member& x) { return x.id == m.id; })) {
      matches.push_back(m);
    }
  };
  try {
    const std::string country = validation_context().default_country;
    if (!normalised.phone.empty()) {
      for (auto& hit : store_.search_members(normalised.phone, 5, country)) {
        if (hit.member.phone == normalised.phone) add(hit.member);
      }
    }
    if (!normalised.email.empty()) {
      for (auto& hit : store_.search_members(normalised.email, 5, country)) {
        if (hit.member.email == normalised.email) add(hit.member);
      }
    }
    const std::string name = normalised.display_name();
    if (!name.empty()) {
      const std::string folded_name = model::fold_for_search(name);
      const std::string folded_org = model::fold_for_search(normalised.organisation);
      for (auto& hit : store_.search_members(name, 10, country)) {
        if (model::fold_for_search(hit.member.display_name()) == folded_name &&
            model::fold_for_search(hit.member.organisation) == folded_org) {
          add(hit.member);
        }
      }
    }
  } catch (const std::exception& e) {
    store_error(e);
    return;
  }
  if (!matches.empty()) {
    state_.duplicate_candidates = std::move(matches);
    go(Screen::duplicate_offer);
    return;
  }
  save_registration();
}

template <>
void Controller::on(const intent::NotMe&) {
  if (state_.screen != Screen::duplicate_offer) return;
  state_.duplicate_candidates.clear();
  save_registration();
}

void Controller::check_in_member(const model::Member& member) {
  state_.selected_member = member;
  if (!state_.current_event) {
    notify("notice.no_event", true);
    return;
  }
  try {
    auto result = store_.check_in(member.id, state_.current_event->id, state_.today);
    if (!result) {
      notify(result.error().front().key, true);
      return;
    }
    state_.already_checked_in = result->already_checked_in;
    go(Screen::check_in_done);
    notify(result->already_checked_in ? "notice.already_checked_in" : "notice.checked_in", false);
  } catch (const std::exception& e) {
    store_error(e);
  }
}

template <>
void Controller::on(const intent::ThisIsMe& i) {
  if (state_.screen != Screen::duplicate_offer) return;
  const auto it =
      std::find_if(state_.duplicate_candidates.begin(), state_.duplicate_candidates.end(),
                   [&](const model::Member& m) { return m.id == i.member_id; });
  if (it == state_.duplicate_candidates.end()) return;
  const model::Member member = *it;
  // They are already a member: nothing new is registered, the draft goes.
  clear_registration();
  if (state_.current_event) {
    check_in_member(member);
  } else {
    state_.saved_member = member;
    go(Screen::register_saved);
  }
}

// --- check-in -------------------------------------------------------------------

template <>
void Controller::on(const intent::StartCheckIn&) {
  clear_public_state();
  go(Screen::check_in);
  if (!state_.current_event) notify("notice.no_event", true);
}

template <>
void Controller::on(const intent::Search& i) {
  if (state_.screen != Screen::check_in && state_.screen != Screen::request_requester) return;
  state_.search_query = i.query;
  try {
    const std::string country = state_.current_event ? state_.current_event->country : "";
    state_.search_results = staff_search(store_, i.query, country);
  } catch (const std::exception& e) {
    store_error(e);
  }
  changed();
}

template <>
void Controller::on(const intent::SelectMember& i) {
  const auto it =
      std::find_if(state_.search_results.begin(), state_.search_results.end(),
                   [&](const store::MemberHit& h) { return h.member.id == i.member_id; });
  if (it == state_.search_results.end()) return;
  if (state_.screen == Screen::check_in) {
    state_.selected_member = it->member;
  } else if (state_.screen == Screen::request_requester) {
    state_.request.for_organisation = false;
    state_.request.member_id = it->member.id;
    state_.request.member_name = it->member.display_name();
    state_.field_errors.erase("member_id");
  }
  changed();
}

template <>
void Controller::on(const intent::ConfirmCheckIn&) {
  if (state_.screen != Screen::check_in || !state_.selected_member) return;
  check_in_member(*state_.selected_member);
}

// --- resource requests -------------------------------------------------------------

template <>
void Controller::on(const intent::StartRequest&) {
  clear_public_state();
  refresh_catalogue();
  go(Screen::request_requester);
}

template <>
void Controller::on(const intent::RequestForOrganisation&) {
  if (state_.screen != Screen::request_requester) return;
  state_.request.for_organisation = true;
  state_.request.member_id.clear();
  state_.request.member_name.clear();
  changed();
}

template <>
void Controller::on(const intent::EditRequestField& i) {
  if (state_.screen != Screen::request_requester && state_.screen != Screen::request_packs) return;
  auto& r = state_.request;
  std::string* field = i.field == "organisation_name"  ? &r.organisation_name
                       : i.field == "contact_name"     ? &r.contact_name
                       : i.field == "contact_phone"    ? &r.contact_phone
                       : i.field == "contact_email"    ? &r.contact_email
                       : i.field == "delivery_address" ? &r.delivery_address
                                                       : nullptr;
  if (field == nullptr) return;
  *field = i.value;
  state_.field_errors.erase(i.field);
  changed();
}

template <>
void Controller::on(const intent::SetQuantity& i) {
  if (state_.screen != Screen::request_packs) return;
  const int quantity = std::clamp(i.quantity, 0, 1000);
  if (quantity == 0) {
    state_.request.quantities.erase(i.pack_id);
  } else {
    state_.request.quantities[i.pack_id] = quantity;
  }
  changed();
}

template <>
void Controller::on(const intent::SetDelivery& i) {
  if (state_.screen != Screen::request_packs) return;
  state_.request.delivery = i.delivery;
  changed();
}

template <>
void Controller::on(const intent::SubmitRequest&) {
  if (state_.screen != Screen::request_packs) return;
  const auto& r = state_.request;
  model::ResourceRequest draft;
  draft.member_id = r.for_organisation ? "" : r.member_id;
  draft.organisation_name = r.for_organisation ? r.organisation_name : "";
  draft.contact_name = r.contact_name;
  draft.contact_phone = r.contact_phone;
  draft.contact_email = r.contact_email;
  draft.delivery = r.delivery;
  draft.delivery_address = r.delivery_address;
  for (const auto& [pack, quantity] : r.quantities) draft.lines.push_back({pack, quantity});
  if (draft.lines.empty()) {
    notify("notice.request_empty", true);
    return;
  }
  draft.office = !state_.settings.office.empty() ? state_.settings.office
                 : state_.current_event          ? state_.current_event->office
                                                 : "";
  draft.event_id = state_.current_event ? state_.current_event->id : "";
  try {
    auto saved = store_.create_request(draft, validation_context(), "kiosk " + store_.device_id());
    if (!saved) {
      show_errors(saved.error());
      notify(saved.error().front().key, true);
      return;
    }
    log::info("kiosk.request_created", {{"request", log::Id(saved->id)}});
    state_.request = {};
    state_.saved_request = *saved;
    go(Screen::request_done);
    notify("notice.request_saved", false);
  } catch (const std::exception& e) {
    store_error(e);
  }
}

// --- staff mode ------------------------------------------------------------------------

template <>
void Controller::on(const intent::EnterStaff&) {
  if (!is_public_screen(state_.screen)) return;
  clear_public_state();
  state_.staff.pin_entry.clear();
  state_.staff.enrolment_code_entry.clear();
  guarded([&] { pin_.begin(clocks_.wall()); });
  show_pin_flow();
  go(Screen::staff_pin);
}

template <>
void Controller::on(const intent::PinDigit& i) {
  if (state_.screen != Screen::staff_pin || i.digit < '0' || i.digit > '9') return;
  if (state_.staff.pin_entry.size() < kMaxPinLength) state_.staff.pin_entry.push_back(i.digit);
  changed();
}

template <>
void Controller::on(const intent::PinErase&) {
  if (state_.screen != Screen::staff_pin || state_.staff.pin_entry.empty()) return;
  state_.staff.pin_entry.pop_back();
  changed();
}

template <>
void Controller::on(const intent::SubmitPin&) {
  if (state_.screen != Screen::staff_pin) return;
  const std::string pin = std::exchange(state_.staff.pin_entry, {});
  guarded([&] { apply_pin_result(pin_.submit_pin(pin, clocks_.wall())); });
  changed();
}

template <>
void Controller::on(const intent::EditEnrolmentCode& i) {
  if (state_.screen != Screen::staff_pin || state_.staff.pin_step != PinStep::enrolment_code) {
    return;
  }
  constexpr std::size_t kLongestCode = 64;  // codes are 14 characters; room for spaces
  state_.staff.enrolment_code_entry = i.value.substr(0, kLongestCode);
  changed();
}

template <>
void Controller::on(const intent::SubmitEnrolmentCode&) {
  if (state_.screen != Screen::staff_pin) return;
  const std::string code = std::exchange(state_.staff.enrolment_code_entry, {});
  guarded([&] { apply_pin_result(pin_.submit_enrolment_code(code, clocks_.wall())); });
  changed();
}

template <>
void Controller::on(const intent::ChangePin&) {
  if (!staff_screen_open(state_)) return;
  pin_.begin_change();
  state_.staff.pin_entry.clear();
  show_pin_flow();
  go(Screen::staff_pin);
}

void Controller::show_pin_flow() {
  StaffState& staff = state_.staff;
  staff.pin_is_set = pin_.pin_is_set();
  staff.pin_step = pin_.step();
  staff.changing_pin = pin_.changing();
  staff.locked_until = pin_.locked_until();
  changed();
}

void Controller::apply_pin_result(const StaffPinFlow::Result& result) {
  show_pin_flow();
  if (result.notice) {
    state_.notice = *result.notice;
  } else if (result.open_staff) {
    state_.notice.reset();
  }
  if (result.open_staff) {
    go(Screen::staff_home);
    refresh_staff_lists();
  }
}

template <>
void Controller::on(const intent::LeaveStaff&) {
  if (is_public_screen(state_.screen)) return;
  state_.staff.pin_entry.clear();
  state_.staff.enrolment_code_entry.clear();
  guarded([&] { pin_.begin(clocks_.wall()); });  // a PIN change left half-way is dropped
  show_pin_flow();
  state_.today_registrations.clear();
  state_.today_attendance.clear();
  state_.office_requests.clear();
  state_.editing.reset();
  state_.sync.rejected.clear();
  clear_public_state();
  go(Screen::welcome);
}

template <>
void Controller::on(const intent::ChooseEvent& i) {
  if (!staff_screen_open(state_)) return;
  guarded([&] {
    auto event = store_.find_event(i.event_id);
    if (!event) return;
    save_setting(kMetaCurrentEvent, event->id);
    state_.current_event = std::move(event);
    notify("notice.event_saved", false);
    refresh_staff_lists();
  });
}

template <>
void Controller::on(const intent::EditEventField& i) {
  if (!staff_screen_open(state_)) return;
  auto& e = state_.event_draft;
  if (i.field == "kind") {
    e.kind = model::event_kind_from(i.value).value_or(e.kind);
  } else if (std::string* f = i.field == "name"         ? &e.name
                              : i.field == "place"      ? &e.place
                              : i.field == "country"    ? &e.country
                              : i.field == "start_date" ? &e.start_date
                              : i.field == "end_date"   ? &e.end_date
                              : i.field == "organiser"  ? &e.organiser
                              : i.field == "office"     ? &e.office
                                                        : nullptr) {
    *f = i.value;
  } else {
    return;
  }
  state_.field_errors.erase(i.field);
  changed();
}

template <>
void Controller::on(const intent::CreateEvent&) {
  if (!staff_screen_open(state_)) return;
  guarded([&] {
    auto saved = store_.save_event(state_.event_draft);
    if (!saved) {
      show_errors(saved.error());
      changed();
      return;
    }
    save_setting(kMetaCurrentEvent, saved->id);
    state_.current_event = *saved;
    state_.event_draft = {};
    notify("notice.event_saved", false);
    refresh_staff_lists();
  });
}

template <>
void Controller::on(const intent::EditMember& i) {
  if (!staff_screen_open(state_)) return;
  try {
    state_.editing = store_.find_member(i.member_id);
  } catch (const std::exception& e) {
    store_error(e);
    return;
  }
  if (state_.editing) go(Screen::staff_edit);
}

template <>
void Controller::on(const intent::EditMemberField& i) {
  if (state_.screen != Screen::staff_edit || !state_.editing) return;
  auto& m = *state_.editing;
  if (i.field == "birth_year") {
    m.birth_year = parse_int(i.value);
  } else if (i.field == "years_experience") {
    m.years_experience = parse_int(i.value);
  } else if (std::string* f = i.field == "given_name"          ? &m.given_name
                              : i.field == "family_name"       ? &m.family_name
                              : i.field == "contact_person"    ? &m.contact_person
                              : i.field == "gender"            ? &m.gender
                              : i.field == "phone"             ? &m.phone
                              : i.field == "email"             ? &m.email
                              : i.field == "country"           ? &m.country
                              : i.field == "region"            ? &m.region
                              : i.field == "organisation"      ? &m.organisation
                              : i.field == "organisation_type" ? &m.organisation_type
                              : i.field == "role"              ? &m.role
                              : i.field == "qualification"     ? &m.qualification
                                                               : nullptr) {
    *f = i.value;
  } else {
    return;
  }
  state_.field_errors.erase(i.field);
  changed();
}

template <>
void Controller::on(const intent::SaveMemberEdit&) {
  if (state_.screen != Screen::staff_edit || !state_.editing) return;
  try {
    auto saved = store_.update_member(*state_.editing, validation_context());
    if (!saved) {
      show_errors(saved.error());
      changed();
      return;
    }
    state_.editing.reset();
    notify("notice.member_updated", false);
    go(Screen::staff_today);
    refresh_staff_lists();
  } catch (const std::exception& e) {
    store_error(e);
  }
}

template <>
void Controller::on(const intent::VoidMember& i) {
  if (!staff_screen_open(state_)) return;
  guarded([&] {
    if (store_.void_member(i.member_id, i.reason)) notify("notice.member_voided", false);
    refresh_staff_lists();
  });
}

template <>
void Controller::on(const intent::VoidAttendance& i) {
  if (!staff_screen_open(state_)) return;
  guarded([&] {
    if (store_.void_attendance(i.attendance_id)) notify("notice.member_voided", false);
    refresh_staff_lists();
  });
}

template <>
void Controller::on(const intent::MarkRequest& i) {
  if (!staff_screen_open(state_)) return;
  guarded([&] {
    auto saved = store_.transition_request(i.request_id, i.status,
                                           "kiosk staff " + store_.device_id(), i.received_by);
    if (!saved) {
      notify(saved.error().front().key, true);
      return;
    }
    notify("notice.status_changed", false);
    refresh_staff_lists();
  });
}

template <>
void Controller::on(const intent::SyncNow&) {
  guarded([&] {
    store_.request_sync();
    state_.sync.sync_requested = true;
    notify("notice.sync_requested", false);
  });
}

template <>
void Controller::on(const intent::SetExportFolder& i) {
  if (!staff_screen_open(state_)) return;
  state_.export_folder = i.folder;
  save_setting(kMetaExportFolder, i.folder);
  changed();
}

template <>
void Controller::on(const intent::Export& i) {
  if (!staff_screen_open(state_)) return;
  if (!protocol::export_entity(i.what)) return;
  const std::filesystem::path folder = state_.export_folder.empty()
                                           ? std::filesystem::path(".")
                                           : std::filesystem::path(state_.export_folder);
  try {
    if (!std::filesystem::is_directory(folder)) {
      notify("notice.export_failed", true, {"not a folder: " + folder.string()});
      return;
    }
    // Exports hold personal data: a new owner-only file, never written
    // through a link or over another file.
    auto written = export_to_folder(store_, i.what, folder, file_stamp(clocks_.wall()));
    if (!written) {
      notify("notice.export_failed", true, {written.error()});
      return;
    }
    notify("notice.export_done", false, {written->string()});
  } catch (const std::exception& e) {
    notify("notice.export_failed", true, {e.what()});
  }
}

template <>
void Controller::on(const intent::SetIdleTimeout& i) {
  if (!staff_screen_open(state_)) return;
  state_.settings.idle_timeout_seconds = std::clamp(i.seconds, 30, 3600);
  save_setting(kMetaIdle, std::to_string(state_.settings.idle_timeout_seconds));
  changed();
}

template <>
void Controller::on(const intent::SetFullscreen& i) {
  if (!staff_screen_open(state_)) return;
  state_.settings.fullscreen = i.value;
  state_.fullscreen_changed = true;
  save_setting(kMetaFullscreen, i.value ? "1" : "0");
  changed();
}

template <>
void Controller::on(const intent::SetHighContrast& i) {
  if (!staff_screen_open(state_)) return;
  state_.settings.high_contrast = i.value;
  save_setting(kMetaHighContrast, i.value ? "1" : "0");
  changed();
}

template <>
void Controller::on(const intent::SetUiScale& i) {
  if (!staff_screen_open(state_)) return;
  state_.settings.ui_scale = std::clamp(i.value, 0.75f, 2.5f);
  save_setting(kMetaUiScale,
               std::to_string(static_cast<int>(state_.settings.ui_scale * 100.0f + 0.5f)));
  changed();
}

template <>
void Controller::on(const intent::SetOffice& i) {
  if (!staff_screen_open(state_)) return;
  state_.settings.office = model::collapse_whitespace(i.office);
  save_setting(kMetaOffice, state_.settings.office);
  refresh_staff_lists();
}

template <>
void Controller::on(const intent::Quit&) {
  // The kiosk is left only from staff mode.
  if (!staff_screen_open(state_)) return;
  state_.quit_requested = true;
  changed();
}

}  // namespace alliance::kiosk
