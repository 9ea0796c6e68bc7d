// Everything the kiosk shows, as plain data: no ImGui, no database, no clock.
//
// The controller (controller.hpp) is the only writer; draw functions in
// kiosk/ui read it and emit intents. Strings meant for people are i18n keys
// (see i18n.hpp), translated at draw time, so a language switch is instant.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/model/event.hpp"
#include "common/model/member.hpp"
#include "common/model/resource.hpp"
#include "common/store/store.hpp"
#include "kiosk/core/store_health.hpp"

namespace alliance::kiosk {

using TimePoint = std::chrono::steady_clock::time_point;

enum class Screen {
  welcome,
  // Registration wizard, in order.
  register_personal,
  register_work,
  register_interests,
  register_consent,
  register_review,
  duplicate_offer,  // "Is this you?" before saving
  register_saved,   // shows the reference code
  // Check-in of a returning participant.
  check_in,
  check_in_done,
  // Resource pack request.
  request_requester,
  request_packs,
  request_done,
  // Staff mode.
  staff_pin,  // enter the PIN, or set one (first use, or changed from settings)
  staff_home,
  staff_event,  // choose or create the current event
  staff_today,  // today's registrations and check-ins; edit or void
  staff_edit,   // edit one member
  staff_distribution,
  staff_sync,
  staff_export,
  staff_settings,
};

bool is_public_screen(Screen s);
bool is_registration_step(Screen s);

// The registration form as typed: text stays text until validation, so a
// half-typed year is kept, not lost.
struct RegistrationDraft {
  model::MemberKind kind = model::MemberKind::individual;
  std::string given_name;
  std::string family_name;
  std::string organisation_name;  // for organisation members
  std::string contact_person;     // for organisation members
  std::string gender;
  std::string birth_year;
  std::string phone;
  std::string email;
  std::string country;
  std::string region;
  std::string organisation;
  std::string organisation_type;
  std::string role;
  std::string years_experience;
  std::string qualification;
  std::set<std::string> interest_groups;
  bool e_updates = false;
  bool consent = false;

  bool empty() const;
};

struct RequestDraft {
  bool for_organisation = false;  // an organisation asks, not a member
  std::string member_id;          // the requesting member, when not for an organisation
  std::string member_name;
  std::string organisation_name;
  std::string contact_name;
  std::string contact_phone;
  std::string contact_email;
  std::map<std::string, int> quantities;  // pack id -> quantity (0 = not requested)
  model::DeliveryPreference delivery = model::DeliveryPreference::pickup;
  std::string delivery_address;
};

// A member as a public screen shows them: what tells its owner "this is my
// record", and nobody else anything they had not typed themselves. Never the
// family name, organisation, contact details or the whole reference code.
struct PublicMatch {
  std::string member_id;
  std::string name;      // the given name (an organisation member: its name)
  std::string code_end;  // the last kPublicCodeEnd symbols of the reference code
};
inline constexpr std::size_t kPublicCodeEnd = 3;

// "Is this you?": a member who may be the person registering, and which of
// the facts they typed matched (phone, email, name): only what they typed
// themselves, plus the PublicMatch.
struct DuplicateOffer {
  PublicMatch match;
  std::string matched_on;  // phone, email or name
};

// What a public search (kiosk/core/member_search.hpp public_search) found.
enum class PublicSearchOutcome {
  nothing_typed,
  found,             // exactly one member: search_match
  not_found,         // nothing matches exactly (or the query is incomplete)
  several,           // more than one member matches: none is shown
  needs_birth_year,  // a name was typed: the year of birth is needed too
};

// What the agent last wrote, and the queue, for the status badge.
struct SyncBadge {
  store::SyncStatus status;
  store::QueueCounts queue;
  std::vector<store::OutboxEntry> rejected;  // shown in the staff sync panel
  store::DataUse data_use;                   // the agent's network bytes, today and this month
  bool sync_requested = false;
  // The agent has not written its status for store::kAgentSilentAfter: it is
  // not running, whatever its last status said.
  bool agent_silent = false;
};

struct Settings {
  // What the screens speak now. A participant's choice on a public screen
  // changes only this, for their own visit; staff_language is the desk's
  // saved default, back as soon as the participant's flow ends.
  std::string language = "en";
  std::string staff_language = "en";
  int idle_timeout_seconds = 90;
  bool fullscreen = false;
  bool high_contrast = false;
  float ui_scale = 1.0f;
  std::string office;  // the office this kiosk belongs to (for requests)
};

// A short message shown at the top of the screen: an i18n key and whether it
// reports a problem. Arguments fill {0}, {1} in the translated text.
struct Notice {
  std::string key;
  std::vector<std::string> args;
  bool is_error = false;
};

// What the staff PIN screen asks for (the rules: kiosk/core/staff_pin.hpp).
enum class PinStep {
  enter,            // the PIN, to open staff mode
  enrolment_code,   // no PIN yet: first the code this kiosk was enrolled with
  set_at_terminal,  // no PIN and never enrolled: `alliance-kiosk set-pin` sets the first
  choose,           // a new PIN
  confirm,          // the new PIN once more
};

struct StaffState {
  bool pin_is_set = false;
  PinStep pin_step = PinStep::enter;
  bool changing_pin = false;  // the PIN screen was opened from inside staff mode
  std::optional<std::chrono::system_clock::time_point> locked_until;
  std::string pin_entry;             // digits typed so far (never stored)
  std::string enrolment_code_entry;  // the code as typed (never stored)
};

// A field's error as the desk shows it: the i18n key, and the value it quotes
// as {0} (the phone number or e-mail address as typed, made printable).
struct FieldMessage {
  std::string key;
  std::string value;
  bool operator==(const FieldMessage&) const = default;
};

// A person as the staff desk names them: a name and a phone, never an id.
struct PersonLabel {
  std::string name;
  std::string phone;
  bool voided = false;
};

// A void on the staff Today list: a registration or a check-in, and whom it is about.
struct VoidTarget {
  enum class Kind { member, attendance };
  Kind kind = Kind::member;
  std::string id;      // the member's or the attendance's id
  std::string reason;  // why (members)
  std::string name;    // who, as staff see them
};

struct AppState {
  Screen screen = Screen::welcome;
  Settings settings;
  std::optional<model::TrainingEvent> current_event;
  std::string today;  // YYYY-MM-DD at the desk

  RegistrationDraft draft;
  std::map<std::string, FieldMessage> field_errors;  // field -> its message
  std::vector<DuplicateOffer> duplicate_candidates;
  std::optional<model::Member> saved_member;  // for the saved screen: the person's own record
  // "This is me" without an event: the member they said they are, as shown publicly.
  std::optional<PublicMatch> recognised_member;

  // Public search (check-in, request): at most one match, shown as PublicMatch.
  std::string search_query;
  std::string search_birth_year;  // with a full name: the second fact
  PublicSearchOutcome search_outcome = PublicSearchOutcome::nothing_typed;
  std::optional<PublicMatch> search_match;
  std::optional<PublicMatch> selected_member;
  // Staff search (staff mode only): the full search `alliance-kiosk find` runs.
  std::string staff_query;
  std::vector<store::MemberHit> staff_results;
  bool already_checked_in = false;

  RequestDraft request;
  std::vector<model::ResourcePack> catalogue;
  std::optional<model::ResourceRequest> saved_request;

  StaffState staff;
  std::vector<model::TrainingEvent> events;
  model::TrainingEvent event_draft;
  std::vector<model::Member> today_registrations;
  // Today's check-ins that count: none voided, none of a voided member.
  std::vector<model::Attendance> today_attendance;
  std::optional<model::Member> editing;
  // Requests routed to this office, then those made before any office was
  // set (their office is empty; the desk marks them).
  std::vector<model::ResourceRequest> office_requests;
  // Member id -> name and phone, for everyone the check-ins and requests name.
  std::map<std::string, PersonLabel> people;
  // A void staff asked for, waiting for them to confirm it; and the last one
  // done, which staff can undo.
  std::optional<VoidTarget> void_pending;
  std::optional<VoidTarget> last_void;
  // Participants' own updates ("This is me") for staff to look at.
  struct ReviewRow {
    store::MemberReview review;
    std::string name;   // the member's display name now
    std::string phone;  // and phone, so staff can call
  };
  std::vector<ReviewRow> member_reviews;
  std::string export_folder;
  // The export screen: removable drives found mounted (export_places.hpp),
  // and the folder browser's folder and its subfolders.
  std::vector<std::string> export_drives;
  std::string browse_folder;
  std::vector<std::string> browse_entries;

  SyncBadge sync;
  StoreHealth store;  // the database file; records are taken only while accepting()
  std::optional<Notice> notice;
  // The technical words of the last storage failure: for the staff sync
  // panel only (participants see a plain, translated message).
  std::string last_store_error;

  // Idle handling on public screens: "still there?" then clear.
  bool idle_prompt = false;
  int idle_prompt_seconds_left = 0;

  bool quit_requested = false;
  bool fullscreen_changed = false;  // the platform layer applies and clears it
  // Bumped on every change, so the frame loop knows to draw again.
  std::uint64_t version = 0;
};

}  // namespace alliance::kiosk
