// States for drawing the kiosk's screens in tests: every screen, and one
// state with something in every list so each screen draws its rows.
#pragma once

#include "../../support/fixtures.hpp"
#include "kiosk/core/state.hpp"

namespace alliance::test {

inline constexpr kiosk::Screen kAllScreens[] = {kiosk::Screen::welcome,
                                                kiosk::Screen::register_personal,
                                                kiosk::Screen::register_work,
                                                kiosk::Screen::register_interests,
                                                kiosk::Screen::register_consent,
                                                kiosk::Screen::register_review,
                                                kiosk::Screen::duplicate_offer,
                                                kiosk::Screen::register_saved,
                                                kiosk::Screen::check_in,
                                                kiosk::Screen::check_in_done,
                                                kiosk::Screen::request_requester,
                                                kiosk::Screen::request_packs,
                                                kiosk::Screen::request_done,
                                                kiosk::Screen::staff_pin,
                                                kiosk::Screen::staff_home,
                                                kiosk::Screen::staff_event,
                                                kiosk::Screen::staff_today,
                                                kiosk::Screen::staff_edit,
                                                kiosk::Screen::staff_distribution,
                                                kiosk::Screen::staff_sync,
                                                kiosk::Screen::staff_export,
                                                kiosk::Screen::staff_settings};

inline kiosk::AppState busy_ui_state() {
  kiosk::AppState s;
  s.today = "2026-11-28";
  s.settings.office = "Nairobi";
  auto event = test::sample_event();
  event.id = "event-1";
  s.current_event = event;
  s.events = {event};
  s.event_draft.name = "Webinar on supervision";

  const auto m1 = [] {
    auto m = test::sample_member(1);
    m.id = "member-1";
    m.reference_code = "K7M-42Q";
    m.phone = "+254712345678";
    return m;
  }();
  auto m2 = test::sample_member(2);
  m2.id = "member-2";
  m2.kind = model::MemberKind::organisation;
  m2.organisation = "Hope Foundation";
  m2.contact_person = "Grace Achieng";
  m2.reference_code = "P3X-77A";

  s.draft.given_name = "Amina";
  s.draft.family_name = "Wanjiru";
  s.draft.gender = "female";
  s.draft.country = "KE";
  s.draft.role = "case_manager";
  s.draft.interest_groups = {"child_protection"};
  s.field_errors = {{"phone", {"member.phone.too_few_digits", "0712 34"}},
                    {"consent", {"member.consent.required", ""}}};
  const kiosk::PublicMatch p1{.member_id = m1.id, .name = m1.given_name, .code_end = "X9K"};
  s.duplicate_candidates = {
      {.match = p1, .matched_on = "phone"},
      {.match = {.member_id = m2.id, .name = m2.given_name, .code_end = "7QM"},
       .matched_on = "name"}};
  s.saved_member = m1;
  s.search_query = "ami";
  s.search_outcome = kiosk::PublicSearchOutcome::found;
  s.search_match = p1;
  s.selected_member = p1;
  s.staff_query = "ami";
  s.staff_results = {{.member = m1, .matched_by = store::MatchKind::name},
                     {.member = m2, .matched_by = store::MatchKind::phone}};
  s.request.member_id = m1.id;
  s.request.member_name = m1.display_name();
  s.request.quantities = {{"CP-TOOLKIT-01", 2}};
  s.request.delivery = model::DeliveryPreference::delivery;

  model::ResourcePack pack;
  pack.id = "CP-TOOLKIT-01";
  pack.title = "Child protection case management toolkit";
  pack.languages = {"en", "fr"};
  pack.stock = {{.office = "Nairobi", .quantity = 40}};
  model::ResourcePack digital = pack;
  digital.id = "SUP-GUIDE-02";
  digital.title = "Supportive supervision guide";
  digital.format = model::PackFormat::digital;
  s.catalogue = {pack, digital};

  model::ResourceRequest request;
  request.id = "request-1";
  request.reference_code = "R-9KQ2";
  request.organisation_name = "Hope Foundation";
  request.lines = {{.pack_id = "CP-TOOLKIT-01", .quantity = 3}};
  request.status = model::RequestStatus::approved;
  model::ResourceRequest delivered = request;
  delivered.id = "request-2";
  delivered.status = model::RequestStatus::delivered;
  delivered.received_by = "Grace";
  s.saved_request = request;
  s.office_requests = {request, delivered};

  s.staff.pin_is_set = true;
  s.staff.pin_entry = "12";
  s.today_registrations = {m1, m2};
  model::Attendance attendance;
  attendance.id = "attendance-1";
  attendance.member_id = m1.id;
  attendance.checked_in_at = "2026-11-28T08:15:00Z";
  s.today_attendance = {attendance};
  s.people[m1.id] = {.name = m1.display_name(), .phone = m1.phone};
  s.editing = m2;
  s.export_folder = "/media/usb";

  s.sync.status.state = "offline";
  s.sync.status.last_success_at = "2026-11-28T09:10:00Z";
  s.sync.status.last_error = "could not resolve host";
  s.sync.status.clock_offset_ms = 3 * 60'000 + 5'000;  // the clock row draws "3 min behind"
  s.sync.queue = {.pending = 312, .rejected = 1, .acked = 40};
  // The data row with a budget, and the "pulls paused" line under the table.
  s.sync.data_use = {.day = "2026-11-28",
                     .today = 51'234,
                     .month = "2026-11",
                     .this_month = 1'234'567,
                     .daily_budget = 50'000};
  store::OutboxEntry rejected;
  rejected.change_id = "change-1";
  rejected.entity = "member";
  rejected.entity_id = "member-9";
  rejected.op = "upsert";
  rejected.reject_code = "member.phone.invalid";
  rejected.reject_message = "phone is not a valid number";
  s.sync.rejected = {rejected};
  s.notice = kiosk::Notice{.key = "notice.store_error", .args = {"disk full"}, .is_error = true};
  return s;
}

}  // namespace alliance::test
