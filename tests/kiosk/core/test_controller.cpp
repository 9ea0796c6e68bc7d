// Kiosk controller without any UI: flows, validation, drafts, idle, staff mode.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "common/store/store.hpp"
#include "common/util/reference_code.hpp"
#include "common/util/secret.hpp"
#include "common/util/time.hpp"
#include "kiosk/core/controller.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;
using namespace alliance::kiosk;
using namespace std::chrono_literals;

namespace {

// A kiosk on a real temporary database with clocks the test moves by hand.
struct Desk {
  test::TempDir dir;
  store::Store store = store::Store::open(dir / "kiosk.db");
  // The store stamps records with the real time, so the desk starts at it.
  std::chrono::system_clock::time_point wall = std::chrono::system_clock::now();
  TimePoint steady{std::chrono::seconds{1000}};
  std::unique_ptr<Controller> controller = make();

  std::unique_ptr<Controller> make() {
    return std::make_unique<Controller>(store,
                                        Clocks{[this] { return wall; }, [this] { return steady; }});
  }
  const AppState& state() const { return controller->state(); }
  void send(const Intent& i) { controller->dispatch(i); }
  void type(const std::string& field, const std::string& value) {
    send(intent::EditField{field, value});
  }
  void pass(std::chrono::milliseconds d) {
    steady += d;
    wall += d;
    controller->tick();
  }
  void fill_valid_registration() {
    send(intent::StartRegistration{});
    type("given_name", "Amina");
    type("family_name", "Wanjiru");
    type("country", "KE");
    type("phone", "0712 345 678");
    type("email", "amina@example.org");
    send(intent::Next{});
    type("organisation", "Child Welfare Society");
    type("organisation_type", "ngo");
    type("role", "social_worker");
    send(intent::Next{});
    send(intent::ToggleInterest{"child_protection"});
    send(intent::SetEUpdates{true});
    send(intent::Next{});
    send(intent::SetConsent{true});
    send(intent::Next{});
  }
  model::TrainingEvent make_event() {
    auto e = store.save_event(test::sample_event());
    REQUIRE(e.has_value());
    store.set_meta("kiosk.current_event", e->id);
    controller = make();
    return *e;
  }
  // A member registered (and so checked in) at the current event today.
  model::Member register_today(int n) {
    REQUIRE(state().current_event.has_value());
    auto saved = store.register_member(test::sample_member(n), test::kenya_context(),
                                       state().current_event->id, state().today);
    REQUIRE(saved.has_value());
    return saved->member;
  }
  static constexpr const char* kPin = "246813";
  // With the default PIN, sets it first if the kiosk has none, as
  // `alliance-kiosk set-pin` would.
  void enter_staff(const std::string& pin = kPin) {
    if (pin == kPin && !staff_pin_is_set(store)) set_staff_pin(store, kPin);
    send(intent::EnterStaff{});
    type_pin(pin);
  }
  void type_pin(const std::string& pin) {
    for (char c : pin) send(intent::PinDigit{c});
    send(intent::SubmitPin{});
  }
  void enrol(const std::string& code) {
    store::save_credentials(store,
                            {.server_url = "https://central.example",
                             .device_id = "device-1",
                             .token = "token",
                             .office = "Nairobi"},
                            code);
  }
};

std::int64_t count(store::Store& s, const std::string& sql) {
  auto q = s.db().query(sql);
  q.step();
  return q.int64(0);
}

}  // namespace

TEST_CASE("the registration wizard walks its steps and saves one member with a reference code") {
  Desk d;
  d.fill_valid_registration();
  REQUIRE(d.state().screen == Screen::register_review);
  d.send(intent::Save{});
  REQUIRE(d.state().screen == Screen::register_saved);
  REQUIRE(d.state().saved_member.has_value());
  const auto& saved = *d.state().saved_member;
  CHECK(saved.phone == "+254712345678");
  CHECK(saved.interest_groups == std::vector<std::string>{"child_protection"});
  CHECK(saved.consent.text_version == kConsentTextVersion);
  // Not enrolled: no prefix yet, so "2" and eight random symbols, then the check.
  CHECK(saved.reference_code.size() == 11);
  CHECK(saved.reference_code.front() == util::kUnallocatedPrefixSymbol);
  CHECK(d.store.find_member(saved.id).has_value());
  CHECK(d.store.queue_counts().pending == 1);
  // The draft is gone once saved.
  CHECK(d.state().draft.empty());
  CHECK_FALSE(d.store.load_draft("registration").has_value());
}

TEST_CASE("Next shows every error of the current step and stays") {
  Desk d;
  d.send(intent::StartRegistration{});
  d.type("phone", "12ab");
  d.send(intent::Next{});
  CHECK(d.state().screen == Screen::register_personal);
  const auto& errors = d.state().field_errors;
  CHECK(errors.at("given_name").key == "member.given_name.required");
  CHECK(errors.at("family_name").key == "member.family_name.required");
  CHECK(errors.at("phone").key == "member.phone.not_a_number");
  CHECK(errors.at("phone").value == "12ab");  // the message quotes it
  CHECK(errors.at("country").key == "member.country.required");
  // Errors of later steps are not shown yet.
  CHECK(errors.count("role") == 0);
  CHECK(errors.count("consent") == 0);

  d.type("given_name", "Amina");
  CHECK(d.state().field_errors.count("given_name") == 0);
  d.type("family_name", "Wanjiru");
  d.type("phone", "+254712345678");
  d.type("birth_year", "19x4");
  d.send(intent::Next{});
  CHECK(d.state().screen == Screen::register_personal);
  CHECK(d.state().field_errors.at("birth_year").key == "member.birth_year.invalid");
  d.type("birth_year", "1984");
  CHECK(d.state().field_errors.at("country").key == "member.country.required");
  d.type("country", "KE");
  d.send(intent::Next{});
  CHECK(d.state().screen == Screen::register_work);
}

TEST_CASE("saving without consent sends the person back to the consent step") {
  Desk d;
  d.fill_valid_registration();
  d.send(intent::Back{});
  d.send(intent::SetConsent{false});
  CHECK(d.state().screen == Screen::register_consent);
  d.send(intent::Next{});
  CHECK(d.state().screen == Screen::register_consent);
  CHECK(d.state().field_errors.at("consent").key == "member.consent.required");
  CHECK(d.store.member_count() == 0);
}

TEST_CASE("a likely duplicate is offered and This is me checks them in instead") {
  Desk d;
  const auto event = d.make_event();
  auto existing = test::sample_member(7);
  existing.given_name = "Amina";  // the person typing: same name and phone
  existing.phone = "+254712345678";
  auto saved = d.store.register_member(existing, test::kenya_context());
  REQUIRE(saved.has_value());
  const auto before = d.store.member_count();

  d.fill_valid_registration();
  d.send(intent::Save{});
  REQUIRE(d.state().screen == Screen::duplicate_offer);
  REQUIRE(d.state().duplicate_candidates.size() == 1);
  CHECK(d.state().duplicate_candidates[0].match.member_id == saved->member.id);
  CHECK(d.state().duplicate_candidates[0].matched_on == "phone");

  d.send(intent::ThisIsMe{saved->member.id});
  CHECK(d.state().screen == Screen::check_in_done);
  CHECK(d.store.member_count() == before);
  CHECK(d.store.attendance_for(event.id, d.state().today).size() == 1);
}

TEST_CASE("a household member who shares the phone is not offered on the public desk") {
  Desk d;
  auto relative = test::sample_member(7);  // Kofi Wanjiru
  relative.phone = "+254712345678";        // the phone Amina Wanjiru types
  REQUIRE(d.store.register_member(relative, test::kenya_context()).has_value());
  d.fill_valid_registration();
  CHECK(d.state().duplicate_candidates.empty());
  d.send(intent::Save{});
  CHECK(d.state().screen == Screen::register_saved);
  CHECK(d.store.member_count() == 2);
}

TEST_CASE("Not me registers anyway, and a same-name member elsewhere is no duplicate") {
  Desk d;
  auto same_name = test::sample_member(8);
  same_name.given_name = "Amina";
  same_name.family_name = "Wanjiru";
  same_name.organisation = "Another organisation";
  REQUIRE(d.store.register_member(same_name, test::kenya_context()).has_value());
  d.fill_valid_registration();
  d.send(intent::Save{});
  // Same name, other organisation, other phone and e-mail: saved straight away.
  CHECK(d.state().screen == Screen::register_saved);

  d.fill_valid_registration();
  d.send(intent::Save{});
  REQUIRE(d.state().screen == Screen::duplicate_offer);
  d.send(intent::NotMe{});
  CHECK(d.state().screen == Screen::register_saved);
  CHECK(d.store.member_count() == 3);
}

TEST_CASE("a draft survives a crash and comes back on the step it was on") {
  Desk d;
  d.send(intent::StartRegistration{});
  d.type("given_name", "Olga");
  d.type("family_name", "Ivanova");
  d.type("country", "KE");
  d.type("phone", "+254700111222");
  d.send(intent::Next{});  // moving on saves the draft at once
  d.type("region", "Kisu");
  d.pass(1s);  // a pause in typing saves it too
  // The process dies here; a new one opens the same file.
  d.controller.reset();
  auto reopened = store::Store::open(d.dir / "kiosk.db");
  Controller after(reopened, Clocks{[&] { return d.wall; }, [&] { return d.steady; }});
  CHECK(after.state().screen == Screen::register_work);
  CHECK(after.state().draft.given_name == "Olga");
  CHECK(after.state().draft.region == "Kisu");
  REQUIRE(after.state().notice.has_value());
  CHECK(after.state().notice->key == "notice.draft_restored");
}

TEST_CASE("an idle public form asks if someone is there, then clears itself") {
  Desk d;
  d.send(intent::StartRegistration{});
  d.type("given_name", "Kofi");
  d.send(intent::Next{});
  d.pass(89s);
  CHECK_FALSE(d.state().idle_prompt);
  d.pass(2s);
  REQUIRE(d.state().idle_prompt);
  CHECK(d.state().idle_prompt_seconds_left == kStillTherePromptSeconds);

  // Someone answers: the form stays.
  d.controller->note_input();
  CHECK_FALSE(d.state().idle_prompt);
  CHECK(d.state().draft.given_name == "Kofi");

  d.pass(91s);
  REQUIRE(d.state().idle_prompt);
  d.pass(5s);
  CHECK(d.state().idle_prompt_seconds_left == kStillTherePromptSeconds - 5);
  d.pass(11s);
  CHECK(d.state().screen == Screen::welcome);
  CHECK(d.state().draft.empty());
  CHECK_FALSE(d.store.load_draft("registration").has_value());
}

TEST_CASE("check-in finds a returning member by an exact fact and records today once") {
  Desk d;
  const auto event = d.make_event();
  auto saved = d.store.register_member(test::sample_member(3), test::kenya_context());
  REQUIRE(saved.has_value());
  d.send(intent::StartCheckIn{});
  // Part of a code finds nobody; the whole code (typed loosely) finds them.
  d.send(intent::Search{saved->member.reference_code.substr(0, 4)});
  CHECK(d.state().search_outcome != PublicSearchOutcome::found);
  CHECK_FALSE(d.state().search_match.has_value());
  std::string loose = saved->member.reference_code;
  std::erase(loose, '-');
  for (auto& ch : loose) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  d.send(intent::Search{loose});
  REQUIRE(d.state().search_outcome == PublicSearchOutcome::found);
  d.send(intent::SelectMember{saved->member.id});
  d.send(intent::ConfirmCheckIn{});
  CHECK(d.state().screen == Screen::check_in_done);
  CHECK_FALSE(d.state().already_checked_in);

  d.send(intent::StartCheckIn{});
  d.send(intent::Search{saved->member.email});
  d.send(intent::SelectMember{saved->member.id});
  d.send(intent::ConfirmCheckIn{});
  CHECK(d.state().already_checked_in);
  CHECK(d.store.attendance_for(event.id, d.state().today).size() == 1);
}

TEST_CASE("check-in without a current event says so and records nothing") {
  Desk d;
  auto saved = d.store.register_member(test::sample_member(4), test::kenya_context());
  REQUIRE(saved.has_value());
  d.send(intent::StartCheckIn{});
  REQUIRE(d.state().notice.has_value());
  CHECK(d.state().notice->key == "notice.no_event");
  d.send(intent::Search{saved->member.email});
  d.send(intent::SelectMember{saved->member.id});
  d.send(intent::ConfirmCheckIn{});
  CHECK(d.state().screen == Screen::check_in);
  CHECK(count(d.store, "SELECT count(*) FROM attendance") == 0);
}

TEST_CASE("a resource request for a member is saved with its reference") {
  Desk d;
  d.make_event();
  auto member = d.store.register_member(test::sample_member(5), test::kenya_context());
  REQUIRE(member.has_value());
  REQUIRE(
      d.store
          .save_pack(
              {.id = "CP-01", .title = "Toolkit", .languages = {"en"}, .stock = {{"Nairobi", 10}}})
          .has_value());
  d.send(intent::StartRequest{});
  d.send(intent::Next{});
  CHECK(d.state().field_errors.at("member_id").key == "request.requester.required");
  d.send(intent::Search{member->member.email});
  d.send(intent::SelectMember{member->member.id});
  d.send(intent::Next{});
  REQUIRE(d.state().screen == Screen::request_packs);
  REQUIRE(d.state().catalogue.size() == 1);
  d.send(intent::SubmitRequest{});
  CHECK(d.state().notice->key == "notice.request_empty");
  d.send(intent::SetQuantity{"CP-01", 3});
  d.send(intent::SubmitRequest{});
  REQUIRE(d.state().screen == Screen::request_done);
  REQUIRE(d.state().saved_request.has_value());
  CHECK(d.state().saved_request->office == "Nairobi");
  CHECK(d.state().saved_request->lines.at(0).quantity == 3);
}

TEST_CASE("staff mode on a kiosk never enrolled: the first PIN is set only at a terminal") {
  Desk d;
  d.send(intent::EnterStaff{});
  REQUIRE(d.state().screen == Screen::staff_pin);
  CHECK_FALSE(d.state().staff.pin_is_set);
  CHECK(d.state().staff.pin_step == PinStep::set_at_terminal);
  // Whoever taps Staff first cannot choose the PIN.
  d.type_pin("246813");
  d.type_pin("246813");
  CHECK(d.state().screen == Screen::staff_pin);
  CHECK_FALSE(staff_pin_is_set(d.store));
  d.send(intent::EditEnrolmentCode{"ABCD-EFGH-JKLM"});
  d.send(intent::SubmitEnrolmentCode{});
  CHECK(d.state().staff.pin_step == PinStep::set_at_terminal);

  // `alliance-kiosk set-pin` sets it; the screen asks for it the next time.
  set_staff_pin(d.store, "246813");
  d.send(intent::LeaveStaff{});
  d.enter_staff("246813");
  CHECK(d.state().screen == Screen::staff_home);
}

TEST_CASE("staff mode on an enrolled kiosk: its enrolment code, then a new PIN typed twice") {
  Desk d;
  d.enrol("K7QM-2XPD-9HRT");
  d.send(intent::EnterStaff{});
  REQUIRE(d.state().staff.pin_step == PinStep::enrolment_code);
  d.type_pin("246813");  // no keypad on this step
  CHECK(d.state().staff.pin_step == PinStep::enrolment_code);

  d.send(intent::EditEnrolmentCode{"K7QM-2XPD-0000"});
  d.send(intent::SubmitEnrolmentCode{});
  CHECK(d.state().notice->key == "notice.code_wrong");
  CHECK(d.state().notice->args == std::vector<std::string>{"4"});
  CHECK(d.state().staff.enrolment_code_entry.empty());
  CHECK(d.state().staff.pin_step == PinStep::enrolment_code);

  // Case, spaces and dashes do not matter, as at enrolment.
  d.send(intent::EditEnrolmentCode{"k7qm 2xpd 9hrt"});
  d.send(intent::SubmitEnrolmentCode{});
  REQUIRE(d.state().staff.pin_step == PinStep::choose);
  CHECK(d.state().notice->key == "notice.code_accepted");

  d.type_pin("2468");
  CHECK(d.state().notice->key == "notice.pin_too_short");
  d.type_pin("123456");
  CHECK(d.state().notice->key == "notice.pin_too_simple");
  CHECK(d.state().staff.pin_step == PinStep::choose);
  d.type_pin("246813");
  REQUIRE(d.state().staff.pin_step == PinStep::confirm);
  CHECK(d.state().notice->key == "notice.pin_again");
  // A different second entry starts again, and nothing is saved.
  d.type_pin("246812");
  CHECK(d.state().notice->key == "notice.pin_mismatch");
  CHECK(d.state().notice->is_error);
  CHECK(d.state().staff.pin_step == PinStep::choose);
  CHECK_FALSE(staff_pin_is_set(d.store));
  d.type_pin("246813");
  d.type_pin("246813");
  REQUIRE(d.state().screen == Screen::staff_home);
  CHECK(d.state().notice->key == "notice.pin_set");
  const auto stored = d.store.meta("kiosk.staff_pin");
  REQUIRE(stored.has_value());
  CHECK(stored->find("246813") == std::string::npos);
  // The code's hash is kept, never the code.
  CHECK(d.store.meta("sync.enrolment_code_hash")->find("K7QM") == std::string::npos);

  // From now on the PIN is asked for, not the code.
  d.send(intent::LeaveStaff{});
  d.send(intent::EnterStaff{});
  CHECK(d.state().staff.pin_step == PinStep::enter);
  d.type_pin("246813");
  CHECK(d.state().screen == Screen::staff_home);
}

TEST_CASE("staff mode: wrong PINs lock it, each lockout twice as long, across restarts") {
  Desk d;
  d.enter_staff();
  REQUIRE(d.state().screen == Screen::staff_home);
  d.send(intent::LeaveStaff{});

  const auto five_wrong = [&] {
    for (int i = 1; i <= kPinTriesPerLockout; ++i) {
      d.enter_staff("000000");
      CHECK(d.state().screen == Screen::staff_pin);
    }
  };
  five_wrong();
  CHECK(d.state().notice->key == "notice.pin_locked");
  CHECK(d.state().notice->args == std::vector<std::string>{"5"});
  // Even the right PIN is refused while locked, also after a restart.
  d.controller = d.make();
  d.enter_staff();
  CHECK(d.state().screen == Screen::staff_pin);
  CHECK(d.state().notice->key == "notice.pin_locked");
  d.pass(5min + 1s);
  CHECK_FALSE(d.state().staff.locked_until.has_value());

  // Five more wrong tries without a right one: ten minutes this time.
  d.send(intent::LeaveStaff{});
  five_wrong();
  CHECK(d.state().notice->args == std::vector<std::string>{"10"});
  d.controller = d.make();
  d.pass(5min + 1s);
  d.enter_staff();
  CHECK(d.state().screen == Screen::staff_pin);
  d.pass(5min);
  d.enter_staff();
  REQUIRE(d.state().screen == Screen::staff_home);

  // The right PIN reset the count: the next lockout is five minutes again.
  d.send(intent::LeaveStaff{});
  five_wrong();
  CHECK(d.state().notice->args == std::vector<std::string>{"5"});
}

TEST_CASE("a 4-digit PIN from an older version opens staff mode until staff change it") {
  Desk d;
  d.store.set_meta("kiosk.staff_pin", util::hash_secret("2468"));
  d.controller = d.make();
  d.enter_staff("2468");
  REQUIRE(d.state().screen == Screen::staff_home);
  CHECK(d.state().notice->key == "notice.pin_short_change");
  CHECK_FALSE(d.state().notice->is_error);

  // Settings > Change staff PIN, and back out of it: nothing changes.
  d.send(intent::GoTo{Screen::staff_settings});
  d.send(intent::ChangePin{});
  REQUIRE(d.state().screen == Screen::staff_pin);
  CHECK(d.state().staff.pin_step == PinStep::choose);
  CHECK(d.state().staff.changing_pin);
  d.send(intent::Back{});
  CHECK(d.state().screen == Screen::staff_settings);

  d.send(intent::ChangePin{});
  d.type_pin("975310");
  d.type_pin("975310");
  REQUIRE(d.state().screen == Screen::staff_home);
  CHECK(d.state().notice->key == "notice.pin_set");
  d.send(intent::LeaveStaff{});
  d.enter_staff("2468");
  CHECK(d.state().screen == Screen::staff_pin);
  CHECK(d.state().notice->key == "notice.pin_wrong");
  d.enter_staff("975310");
  CHECK(d.state().screen == Screen::staff_home);
}

TEST_CASE("changing the PIN is only reachable from inside staff mode") {
  Desk d;
  d.enter_staff();
  d.send(intent::LeaveStaff{});
  d.send(intent::ChangePin{});
  CHECK(d.state().screen == Screen::welcome);
  d.send(intent::EnterStaff{});
  d.send(intent::ChangePin{});
  CHECK(d.state().staff.pin_step == PinStep::enter);
  CHECK_FALSE(d.state().staff.changing_pin);
}

TEST_CASE("staff screens cannot be reached without the PIN") {
  Desk d;
  d.send(intent::GoTo{Screen::staff_sync});
  CHECK(d.state().screen == Screen::welcome);
  d.send(intent::Quit{});
  CHECK_FALSE(d.state().quit_requested);
  d.send(intent::EnterStaff{});
  d.send(intent::GoTo{Screen::staff_export});
  CHECK(d.state().screen == Screen::staff_pin);
}

TEST_CASE("staff void an entry as a change that syncs, and it leaves today's list") {
  Desk d;
  const auto event = d.make_event();
  auto saved = d.store.register_member(test::sample_member(6), test::kenya_context(), event.id,
                                       d.state().today);
  REQUIRE(saved.has_value());
  d.enter_staff();
  d.send(intent::GoTo{Screen::staff_today});
  REQUIRE(d.state().today_registrations.size() == 1);
  d.send(intent::VoidMember{saved->member.id, "registered twice"});
  d.send(intent::ConfirmVoid{});
  CHECK(d.state().today_registrations.size() == 1);  // listed, marked voided
  CHECK(d.state().today_registrations[0].voided);
  const auto changes = d.store.changes_for(saved->member.id);
  REQUIRE(changes.size() == 2);
  CHECK(changes[1].op == "void");
  CHECK(d.store.find_member(saved->member.id).has_value());
}

TEST_CASE("staff edit a member and mark a request ready then delivered") {
  Desk d;
  const auto event = d.make_event();
  auto member = d.store.register_member(test::sample_member(9), test::kenya_context(), event.id,
                                        d.state().today);
  REQUIRE(member.has_value());
  model::ResourceRequest r;
  r.member_id = member->member.id;
  r.lines = {{"CP-01", 1}};
  r.office = "Nairobi";
  auto request = d.store.create_request(r, test::kenya_context(), "test");
  REQUIRE(request.has_value());

  d.enter_staff();
  d.send(intent::GoTo{Screen::staff_today});
  d.send(intent::EditMember{member->member.id});
  REQUIRE(d.state().screen == Screen::staff_edit);
  d.send(intent::EditMemberField{"region", "Kisumu"});
  d.send(intent::EditMemberField{"email", "not-an-email"});
  d.send(intent::SaveMemberEdit{});
  CHECK(d.state().field_errors.at("email").key == "member.email.invalid");
  CHECK(d.state().field_errors.at("email").value == "not-an-email");
  d.send(intent::EditMemberField{"email", "new@example.org"});
  d.send(intent::SaveMemberEdit{});
  CHECK(d.state().screen == Screen::staff_today);
  CHECK(d.store.find_member(member->member.id)->region == "Kisumu");

  d.send(intent::GoTo{Screen::staff_distribution});
  REQUIRE(d.state().office_requests.size() == 1);
  // Approving is the regional office's decision, made centrally, not the desk's.
  d.send(intent::MarkRequest{request->id, model::RequestStatus::approved, ""});
  CHECK(d.state().notice->key == "request.status.not_allowed");
  CHECK(d.store.find_request(request->id)->status == model::RequestStatus::requested);
  d.send(intent::MarkRequest{request->id, model::RequestStatus::delivered, "Amina W."});
  const auto delivered = d.store.find_request(request->id);
  CHECK(delivered->status == model::RequestStatus::delivered);
  CHECK(delivered->received_by == "Amina W.");
  CHECK(d.state().office_requests.empty());
}

TEST_CASE("sync now is a row for the agent and the badge reads what the agent wrote") {
  Desk d;
  // The agent is another process with its own connection to the file.
  auto agent = store::Store::open(d.dir / "kiosk.db");
  agent.write_sync_status({.state = "offline", .last_error = "could not connect"});
  d.pass(2s);
  CHECK(d.state().sync.status.state == "offline");
  d.send(intent::SyncNow{});
  CHECK(d.state().sync.sync_requested);
  CHECK(agent.take_sync_request());
}

TEST_CASE("the sync panel's state holds the bytes the agent used today and this month") {
  Desk d;
  auto agent = store::Store::open(d.dir / "kiosk.db");
  agent.add_data_use(12'345, d.wall);
  agent.set_daily_budget(10'000);
  d.pass(2s);
  CHECK(d.state().sync.data_use.today == 12'345);
  CHECK(d.state().sync.data_use.this_month == 12'345);
  CHECK(d.state().sync.data_use.budget_spent());
  // The next UTC day counts from 0 again.
  d.wall += std::chrono::hours(24);
  agent.add_data_use(1, d.wall);
  d.pass(2s);
  CHECK(d.state().sync.data_use.today == 1);
  CHECK_FALSE(d.state().sync.data_use.budget_spent());
}

TEST_CASE("settings persist across restarts and are clamped") {
  Desk d;
  d.enter_staff();
  d.send(intent::GoTo{Screen::staff_settings});
  d.send(intent::SetLanguage{"fr"});
  d.send(intent::SetLanguage{"xx"});
  d.send(intent::SetIdleTimeout{5});
  d.send(intent::SetUiScale{1.5f});
  d.send(intent::SetOffice{"  Nairobi  "});
  d.controller = d.make();
  CHECK(d.state().settings.language == "fr");
  CHECK(d.state().settings.idle_timeout_seconds == 30);
  CHECK(d.state().settings.ui_scale == doctest::Approx(1.5));
  CHECK(d.state().settings.office == "Nairobi");
}

namespace {

// Everything a public screen's state holds about people, as one string.
std::string public_screen_text(const AppState& s) {
  std::string all;
  auto add = [&](const PublicMatch& m) {
    all += m.member_id + "|" + m.name + "|" + m.code_end + "|";
  };
  if (s.search_match) add(*s.search_match);
  if (s.selected_member) add(*s.selected_member);
  for (const auto& offer : s.duplicate_candidates) add(offer.match);
  if (s.recognised_member) add(*s.recognised_member);
  all += s.request.member_name;
  return all;
}

}  // namespace

TEST_CASE("public search: exact code, phone or e-mail, or full name with year of birth") {
  Desk d;
  d.make_event();
  auto member = test::sample_member(9);  // José Núñez, +254710000009
  member.birth_year = 1990;
  member.organisation = "Hidden Organisation";
  auto saved = d.store.register_member(member, test::kenya_context());
  REQUIRE(saved.has_value());
  const auto& m = saved->member;
  d.send(intent::StartCheckIn{});

  auto finds_her = [&](const std::string& query, const std::string& year = {}) {
    d.send(intent::Search{query, year});
    return d.state().search_outcome == PublicSearchOutcome::found && d.state().search_match &&
           d.state().search_match->member_id == m.id;
  };
  CHECK(finds_her(m.reference_code));
  CHECK(finds_her(m.phone));
  CHECK(finds_her("0710 000 009"));  // national form, the event's country (KE)
  CHECK(finds_her("MEMBER9@Example.org"));
  CHECK(finds_her("nunez JOSE", "1990"));  // any order, accents folded

  // What is shown: the given name and the code's last three symbols only.
  REQUIRE(finds_her(m.phone));
  CHECK(d.state().search_match->name == "José");
  CHECK(d.state().search_match->code_end == m.reference_code.substr(m.reference_code.size() - 3));
  const std::string shown = public_screen_text(d.state());
  CHECK(shown.find("Núñez") == std::string::npos);
  CHECK(shown.find("Hidden") == std::string::npos);
  CHECK(shown.find(m.phone) == std::string::npos);
  CHECK(shown.find(m.reference_code) == std::string::npos);

  // Prefixes and partial facts find nobody.
  for (const std::string& partial :
       {std::string("+254"), std::string("0710"), m.phone.substr(0, 9), std::string("member9@"),
        std::string("example.org"), m.reference_code.substr(0, 6), std::string("José")}) {
    CAPTURE(partial);
    d.send(intent::Search{partial});
    CHECK(d.state().search_outcome != PublicSearchOutcome::found);
    CHECK_FALSE(d.state().search_match.has_value());
  }
  // A name alone asks for the year; a wrong year or half a name finds nobody.
  d.send(intent::Search{"José Núñez"});
  CHECK(d.state().search_outcome == PublicSearchOutcome::needs_birth_year);
  d.send(intent::Search{"José Núñez", "1991"});
  CHECK(d.state().search_outcome == PublicSearchOutcome::not_found);
  d.send(intent::Search{"José", "1990"});
  CHECK(d.state().search_outcome == PublicSearchOutcome::not_found);
}

TEST_CASE("public search shows nobody when a phone is shared, and never a voided member") {
  Desk d;
  d.make_event();
  auto first = test::sample_member(10);
  auto second = test::sample_member(11);
  second.phone = first.phone;  // a family phone
  auto a = d.store.register_member(first, test::kenya_context());
  auto b = d.store.register_member(second, test::kenya_context());
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  d.send(intent::StartCheckIn{});
  d.send(intent::Search{a->member.phone});
  CHECK(d.state().search_outcome == PublicSearchOutcome::several);
  CHECK_FALSE(d.state().search_match.has_value());
  // Choosing by id what the screen does not show does nothing.
  d.send(intent::SelectMember{a->member.id});
  CHECK_FALSE(d.state().selected_member.has_value());

  REQUIRE(d.store.void_member(b->member.id, "duplicate"));
  d.send(intent::Search{a->member.phone});
  REQUIRE(d.state().search_outcome == PublicSearchOutcome::found);
  CHECK(d.state().search_match->member_id == a->member.id);
  d.send(intent::Search{b->member.reference_code});
  CHECK(d.state().search_outcome == PublicSearchOutcome::not_found);
}

TEST_CASE("a new search clears the person chosen before") {
  Desk d;
  d.make_event();
  auto saved = d.store.register_member(test::sample_member(12), test::kenya_context());
  REQUIRE(saved.has_value());
  d.send(intent::StartCheckIn{});
  d.send(intent::Search{saved->member.email});
  d.send(intent::SelectMember{saved->member.id});
  REQUIRE(d.state().selected_member.has_value());
  d.send(intent::Search{saved->member.email + "x"});
  CHECK_FALSE(d.state().selected_member.has_value());
  d.send(intent::ConfirmCheckIn{});
  CHECK(d.state().screen == Screen::check_in);
}

TEST_CASE("the request screen names the requester by given name and code end only") {
  Desk d;
  d.make_event();
  auto saved = d.store.register_member(test::sample_member(13), test::kenya_context());
  REQUIRE(saved.has_value());
  d.send(intent::StartRequest{});
  d.send(intent::Search{saved->member.phone});
  d.send(intent::SelectMember{saved->member.id});
  CHECK(d.state().request.member_id == saved->member.id);
  CHECK(d.state().request.member_name.find(saved->member.given_name) == 0);
  CHECK(d.state().request.member_name.find(saved->member.family_name) == std::string::npos);
}

TEST_CASE("the duplicate offer and This is me show no one else's details") {
  Desk d;  // no event: This is me shows the recognised member
  auto existing = test::sample_member(7);
  existing.given_name = "Amina";  // the person typing: same name and phone
  existing.phone = "+254712345678";
  existing.organisation = "Hidden Organisation";
  auto saved = d.store.register_member(existing, test::kenya_context());
  REQUIRE(saved.has_value());
  d.fill_valid_registration();
  d.send(intent::Save{});
  REQUIRE(d.state().screen == Screen::duplicate_offer);
  const std::string shown = public_screen_text(d.state());
  CHECK(shown.find("Hidden") == std::string::npos);
  CHECK(shown.find(saved->member.family_name) == std::string::npos);
  CHECK(shown.find(saved->member.reference_code) == std::string::npos);
  d.send(intent::ThisIsMe{saved->member.id});
  CHECK(d.state().screen == Screen::register_saved);
  CHECK_FALSE(d.state().saved_member.has_value());
  REQUIRE(d.state().recognised_member.has_value());
  CHECK(d.state().recognised_member->name == saved->member.given_name);
}

TEST_CASE("staff mode keeps the full search") {
  Desk d;
  auto saved = d.store.register_member(test::sample_member(14), test::kenya_context());
  REQUIRE(saved.has_value());
  d.send(intent::StaffSearch{"Ana"});  // not in staff mode: ignored
  CHECK(d.state().staff_results.empty());
  d.enter_staff();
  d.send(intent::GoTo{Screen::staff_today});
  d.send(intent::StaffSearch{saved->member.given_name.substr(0, 2)});
  REQUIRE_FALSE(d.state().staff_results.empty());
  CHECK(d.state().staff_results[0].member.id == saved->member.id);
  d.send(intent::LeaveStaff{});
  CHECK(d.state().staff_results.empty());
}

TEST_CASE("possible duplicates are offered on the first step once name and phone are typed") {
  Desk d;
  auto existing = test::sample_member(7);
  existing.given_name = "Amina";  // the person typing: same name and phone
  existing.phone = "+254712345678";
  auto saved = d.store.register_member(existing, test::kenya_context());
  REQUIRE(saved.has_value());
  d.send(intent::StartRegistration{});
  d.type("given_name", "Amina");
  d.type("country", "KE");
  d.type("phone", "0712 345 678");
  CHECK(d.state().duplicate_candidates.empty());  // no family name yet
  d.type("family_name", "Wanjiru");
  REQUIRE(d.state().duplicate_candidates.size() == 1);
  CHECK(d.state().screen == Screen::register_personal);
  CHECK(d.state().duplicate_candidates[0].match.member_id == saved->member.id);
  CHECK(d.state().duplicate_candidates[0].matched_on == "phone");

  // Not me: the offer goes, is not made again, and Save saves straight away.
  d.send(intent::NotMe{});
  CHECK(d.state().duplicate_candidates.empty());
  CHECK(d.state().screen == Screen::register_personal);
  d.type("email", "amina@example.org");
  CHECK(d.state().duplicate_candidates.empty());
  d.send(intent::Next{});
  d.type("organisation", "Child Welfare Society");
  d.type("organisation_type", "ngo");
  d.type("role", "social_worker");
  d.send(intent::Next{});
  d.send(intent::Next{});
  d.send(intent::SetConsent{true});
  d.send(intent::Next{});
  d.send(intent::Save{});
  CHECK(d.state().screen == Screen::register_saved);
  CHECK(d.store.member_count() == 2);
}

TEST_CASE("a stray Next or Enter on a step with an offer chooses nothing") {
  Desk d;
  auto existing = test::sample_member(7);
  existing.given_name = "Amina";  // the person typing: same name and phone
  existing.phone = "+254712345678";
  REQUIRE(d.store.register_member(existing, test::kenya_context()).has_value());
  d.fill_valid_registration();  // Next through every step, offer on screen
  CHECK(d.store.member_count() == 1);
  d.send(intent::Save{});
  CHECK(d.state().screen == Screen::duplicate_offer);
  CHECK(d.store.member_count() == 1);
  // Offer intents for someone not offered do nothing.
  d.send(intent::ThisIsMe{"not-offered"});
  CHECK(d.state().screen == Screen::duplicate_offer);
}

TEST_CASE("This is me keeps what was typed as an update to that member, for staff to review") {
  Desk d;
  const auto event = d.make_event();
  auto existing = test::sample_member(7);
  existing.given_name = "Amina";  // the person typing: same name and phone
  existing.phone = "+254712345678";
  existing.email = "old@example.org";
  existing.region = "Mombasa";
  auto saved = d.store.register_member(existing, test::kenya_context());
  REQUIRE(saved.has_value());
  d.send(intent::StartRegistration{});
  d.type("given_name", saved->member.given_name);
  d.type("family_name", saved->member.family_name);
  d.type("phone", "0712 345 678");
  d.type("email", "New@Example.org");
  REQUIRE(d.state().duplicate_candidates.size() == 1);
  d.send(intent::ThisIsMe{saved->member.id});
  CHECK(d.state().screen == Screen::check_in_done);
  CHECK(d.store.member_count() == 1);
  CHECK(d.store.attendance_for(event.id, d.state().today).size() == 1);
  CHECK_FALSE(d.store.load_draft("registration").has_value());

  const auto updated = d.store.find_member(saved->member.id);
  REQUIRE(updated.has_value());
  CHECK(updated->email == "new@example.org");  // newly typed: kept
  CHECK(updated->region == "Mombasa");         // not typed: unchanged
  const auto reviews = d.store.member_reviews();
  REQUIRE(reviews.size() == 1);
  CHECK(reviews[0].member_id == saved->member.id);
  CHECK(std::find(reviews[0].fields.begin(), reviews[0].fields.end(), "email") !=
        reviews[0].fields.end());

  // Staff see it by name and phone, and mark it checked.
  d.enter_staff();
  d.send(intent::GoTo{Screen::staff_today});
  REQUIRE(d.state().member_reviews.size() == 1);
  CHECK(d.state().member_reviews[0].name == updated->display_name());
  CHECK(d.state().member_reviews[0].phone == "+254712345678");
  d.send(intent::MarkReviewed{saved->member.id});
  CHECK(d.state().member_reviews.empty());
  CHECK(d.store.member_reviews().empty());
}

TEST_CASE(
    "the staff desk names people by name and phone, and lists requests made before the office") {
  Desk d;
  const auto event = d.make_event();
  // Imported earlier (no event), checked in today: the Today list names them.
  auto imported = d.store.register_members({test::sample_member(11)}, test::kenya_context());
  REQUIRE(imported.has_value());
  const model::Member& member = imported->at(0);
  REQUIRE(d.store.check_in(member.id, event.id, d.state().today).has_value());
  // Made at this kiosk before its office was set: routed to the event's office.
  model::ResourceRequest early;
  early.member_id = member.id;
  early.lines = {{"CP-01", 2}};
  early.office = "Nairobi Regional";
  auto request =
      d.store.create_request(early, test::kenya_context(), "kiosk " + d.store.device_id());
  REQUIRE(request.has_value());
  // Another kiosk's request for another office is not this desk's.
  early.office = "Mombasa";
  REQUIRE(d.store.create_request(early, test::kenya_context(), "kiosk other").has_value());

  d.enter_staff();
  d.send(intent::SetOffice{"Nairobi"});
  d.send(intent::GoTo{Screen::staff_today});
  REQUIRE(d.state().today_attendance.size() == 1);
  const auto& people = d.state().people;
  REQUIRE(people.contains(member.id));
  CHECK(people.at(member.id).name == member.display_name());
  CHECK(people.at(member.id).phone == member.phone);

  d.send(intent::GoTo{Screen::staff_distribution});
  REQUIRE(d.state().office_requests.size() == 1);
  CHECK(d.state().office_requests[0].id == request->id);
  CHECK(d.state().office_requests[0].office == "Nairobi Regional");  // the desk marks it
  REQUIRE(d.state().people.contains(member.id));
  CHECK(d.state().people.at(member.id).name == member.display_name());
}

TEST_CASE("a void asks first, can be undone, and a voided person's check-in stops counting") {
  Desk d;
  d.make_event();
  const model::Member member = d.register_today(12);
  const std::string id = member.id;
  d.enter_staff();
  d.send(intent::GoTo{Screen::staff_today});
  REQUIRE(d.state().today_attendance.size() == 1);

  // Asking is not doing: nothing changes until staff confirm.
  d.send(intent::VoidMember{id, "registered twice"});
  REQUIRE(d.state().void_pending.has_value());
  CHECK(d.state().void_pending->name == member.display_name());
  CHECK_FALSE(d.store.find_member(id)->voided);
  d.send(intent::CancelVoid{});
  CHECK_FALSE(d.state().void_pending.has_value());
  CHECK_FALSE(d.store.find_member(id)->voided);
  d.send(intent::VoidMember{id, "   "});  // no reason, no void
  CHECK_FALSE(d.state().void_pending.has_value());

  d.send(intent::VoidMember{id, "registered twice"});
  d.send(intent::ConfirmVoid{});
  CHECK(d.store.find_member(id)->voided);
  CHECK(d.state().today_attendance.empty());  // their check-in no longer counts
  REQUIRE(d.state().last_void.has_value());
  CHECK(d.state().last_void->id == id);

  // Undo: the member and their check-in count again, as a change that syncs.
  d.send(intent::RestoreVoided{d.state().last_void->kind, d.state().last_void->id});
  CHECK_FALSE(d.store.find_member(id)->voided);
  CHECK(d.store.find_member(id)->void_reason.empty());
  CHECK_FALSE(d.state().last_void.has_value());
  CHECK(d.state().today_attendance.size() == 1);
  const auto changes = d.store.changes_for(id);
  REQUIRE(changes.size() == 3);
  CHECK(changes[1].op == "void");
  CHECK(changes[2].op == "update");

  // A check-in on its own: voided after confirming, and restored.
  const std::string attendance = d.state().today_attendance.at(0).id;
  d.send(intent::VoidAttendance{attendance});
  CHECK(d.state().today_attendance.size() == 1);
  d.send(intent::ConfirmVoid{});
  CHECK(d.state().today_attendance.empty());
  d.send(intent::RestoreVoided{VoidTarget::Kind::attendance, attendance});
  CHECK(d.state().today_attendance.size() == 1);
}

TEST_CASE("a participant's language lasts for their visit only") {
  Desk d;
  d.enter_staff();
  d.send(intent::GoTo{Screen::staff_settings});
  d.send(intent::SetLanguage{"es"});  // the desk's default
  d.send(intent::LeaveStaff{});
  CHECK(d.state().settings.language == "es");

  // Chosen on the welcome screen: kept through the registration, not saved.
  d.send(intent::SetLanguage{"fr"});
  d.send(intent::StartRegistration{});
  CHECK(d.state().settings.language == "fr");
  CHECK(d.store.meta("kiosk.language") == "es");
  d.send(intent::Cancel{});
  CHECK(d.state().settings.language == "es");

  // Left idle: the privacy clear brings the default back too.
  d.send(intent::SetLanguage{"pt"});
  d.send(intent::StartCheckIn{});
  d.pass(std::chrono::seconds(d.state().settings.idle_timeout_seconds + 1));
  REQUIRE(d.state().idle_prompt);
  d.pass(std::chrono::seconds(kStillTherePromptSeconds + 1));
  CHECK(d.state().screen == Screen::welcome);
  CHECK(d.state().settings.language == "es");

  // After a save, the done screen keeps the participant's language until they leave.
  d.send(intent::SetLanguage{"fr"});
  d.fill_valid_registration();
  d.send(intent::Save{});
  REQUIRE(d.state().screen == Screen::register_saved);
  CHECK(d.state().settings.language == "fr");
  d.send(intent::GoTo{Screen::welcome});
  CHECK(d.state().settings.language == "es");
  d.controller = d.make();
  CHECK(d.state().settings.language == "es");
}

TEST_CASE("a notice belongs to the screen that raised it") {
  Desk d;
  d.make_event();
  const model::Member first = d.register_today(13);
  const model::Member second = d.register_today(14);
  d.enter_staff();
  d.send(intent::GoTo{Screen::staff_today});
  d.send(intent::VoidMember{first.id, "registered twice"});
  d.send(intent::ConfirmVoid{});
  REQUIRE(d.state().notice.has_value());
  CHECK(d.state().notice->key == "notice.member_voided");
  d.send(intent::EditMember{second.id});
  REQUIRE(d.state().screen == Screen::staff_edit);
  CHECK_FALSE(d.state().notice.has_value());

  // A notice raised by the action that moves on is shown where it lands.
  d.send(intent::EditMemberField{"region", "Kisumu"});
  d.send(intent::SaveMemberEdit{});
  REQUIRE(d.state().screen == Screen::staff_today);
  REQUIRE(d.state().notice.has_value());
  CHECK(d.state().notice->key == "notice.member_updated");
  d.send(intent::GoTo{Screen::staff_sync});
  CHECK_FALSE(d.state().notice.has_value());
}

TEST_CASE("the sync panel says when the agent stopped writing its status") {
  Desk d;
  CHECK(d.state().sync.agent_silent);  // never ran on this database
  auto agent = store::Store::open(d.dir / "kiosk.db");
  agent.write_sync_status({.state = "idle"});
  d.pass(2s);
  CHECK_FALSE(d.state().sync.agent_silent);
  CHECK_FALSE(d.state().sync.status.written_at.empty());
  // Heartbeats keep it alive while the agent waits; then they stop.
  d.pass(std::chrono::duration_cast<std::chrono::milliseconds>(store::kAgentSilentAfter) - 5s);
  agent.note_agent_alive();
  d.pass(2s);
  CHECK_FALSE(d.state().sync.agent_silent);
  d.wall += store::kAgentSilentAfter;
  d.pass(2s);
  CHECK(d.state().sync.agent_silent);
}

TEST_CASE("agent_silent judges the last status write against kAgentSilentAfter") {
  const auto now = std::chrono::system_clock::now();
  store::SyncStatus status;
  CHECK(store::agent_silent(status, now));
  status.written_at = util::iso8601_utc(now - store::kAgentSilentAfter + 1s);
  CHECK_FALSE(store::agent_silent(status, now));
  status.written_at = util::iso8601_utc(now - store::kAgentSilentAfter - 1s);
  CHECK(store::agent_silent(status, now));
  CHECK(store::kAgentSilentAfter >= 3 * store::kAgentHeartbeat);
}

TEST_CASE("a storage error reaches a participant in plain words, and staff in full") {
  Desk d;
  d.make_event();
  auto member = d.store.register_member(test::sample_member(15), test::kenya_context());
  REQUIRE(member.has_value());
  // The attendance table is gone: the check-in's write fails, the file stays writable.
  d.store.db().exec("DROP TABLE attendance");
  d.send(intent::StartCheckIn{});
  d.send(intent::Search{member->member.email});
  d.send(intent::SelectMember{member->member.id});
  d.send(intent::ConfirmCheckIn{});
  REQUIRE(d.state().notice.has_value());
  CHECK(d.state().notice->key == "notice.store_error_public");
  CHECK(d.state().notice->args.empty());  // no technical words on a public screen
  CHECK(d.state().last_store_error.find("attendance") != std::string::npos);
  CHECK(d.state().screen == Screen::check_in);
}

TEST_CASE("staff choose the export folder in the browser, and the CSV starts with a BOM") {
  Desk d;
  REQUIRE(d.store.register_member(test::sample_member(16), test::kenya_context()).has_value());
  std::filesystem::create_directories(d.dir / "stick" / "exports");
  d.send(intent::BrowseFolder{(d.dir / "stick").string()});  // not in staff mode: ignored
  CHECK(d.state().browse_folder.empty());
  d.enter_staff();
  d.send(intent::GoTo{Screen::staff_export});
  CHECK_FALSE(d.state().browse_folder.empty());  // opens somewhere real
  d.send(intent::BrowseFolder{(d.dir / "stick").string()});
  CHECK(d.state().browse_folder == (d.dir / "stick").string());
  CHECK(d.state().browse_entries == std::vector<std::string>{"exports"});
  d.send(intent::BrowseFolder{"relative/path"});  // only whole paths
  CHECK(d.state().browse_folder == (d.dir / "stick").string());
  d.send(intent::BrowseFolder{(d.dir / "stick" / "exports").string()});
  d.send(intent::SetExportFolder{d.state().browse_folder});
  d.send(intent::Export{"members"});
  REQUIRE(d.state().notice.has_value());
  CHECK(d.state().notice->key == "notice.export_done");
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(d.dir / "stick" / "exports")) {
    files.push_back(e.path());
  }
  REQUIRE(files.size() == 1);
  std::ifstream csv(files[0], std::ios::binary);
  std::string head(3, '\0');
  csv.read(head.data(), 3);
  CHECK(head == "\xEF\xBB\xBF");
}
