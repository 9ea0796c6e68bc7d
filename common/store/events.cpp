// Store: training events and attendance (check-ins).
#include <chrono>
#include <set>

#include "common/model/codes.hpp"
#include "common/store/store.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"
#include "common/util/uuid.hpp"

namespace alliance::store {
namespace {

constexpr std::string_view kEventColumns =
    "id, kind, name, place, country, start_date, end_date, organiser, office, hlc, updated_at, "
    "voided";
constexpr std::string_view kAttendanceColumns =
    "id, member_id, event_id, day, checked_in_at, hlc, voided";

model::TrainingEvent read_event(const Query& q) {
  model::TrainingEvent e;
  e.id = q.text(0);
  e.kind = model::event_kind_from(q.text(1)).value_or(model::EventKind::training);
  e.name = q.text(2);
  e.place = q.text(3);
  e.country = q.text(4);
  e.start_date = q.text(5);
  e.end_date = q.text(6);
  e.organiser = q.text(7);
  e.office = q.text(8);
  e.hlc = q.text(9);
  e.updated_at = q.text(10);
  e.voided = q.integer(11) != 0;
  return e;
}

model::Attendance read_attendance(const Query& q) {
  return {.id = q.text(0),
          .member_id = q.text(1),
          .event_id = q.text(2),
          .day = q.text(3),
          .checked_in_at = q.text(4),
          .hlc = q.text(5),
          .voided = q.integer(6) != 0};
}

std::string now_iso() {
  return util::iso8601_utc(std::chrono::system_clock::now());
}

}  // namespace

void Store::write_event(const model::TrainingEvent& e, std::string_view origin) {
  db_
      .query(util::format(
          "INSERT INTO events ({}, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, "
          "place = excluded.place, country = excluded.country, start_date = excluded.start_date, "
          "end_date = excluded.end_date, organiser = excluded.organiser, office = excluded.office, "
          "hlc = excluded.hlc, updated_at = excluded.updated_at, voided = excluded.voided, "
          "origin = excluded.origin",
          kEventColumns))
      .bind_all(e.id, model::to_string(e.kind), e.name, e.place, e.country, e.start_date,
                e.end_date, e.organiser, e.office, e.hlc, e.updated_at, e.voided, origin)
      .run();
}

void Store::write_attendance(const model::Attendance& a, std::string_view origin) {
  db_.query(util::format("INSERT INTO attendance ({}, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET member_id = excluded.member_id, "
                         "event_id = excluded.event_id, day = excluded.day, "
                         "checked_in_at = excluded.checked_in_at, hlc = excluded.hlc, "
                         "voided = excluded.voided, origin = excluded.origin",
                         kAttendanceColumns))
      .bind_all(a.id, a.member_id, a.event_id, a.day, a.checked_in_at, a.hlc, a.voided, origin)
      .run();
}

Saved<model::TrainingEvent> Store::save_event(model::TrainingEvent event) {
  auto errors = model::normalize_and_validate(event);
  if (!errors.empty()) return std::unexpected(std::move(errors));
  Transaction tx(db_);
  const bool is_new = event.id.empty() || !find_event(event.id);
  if (event.id.empty()) event.id = util::new_uuid_v7();
  event.hlc = next_hlc().to_string();
  event.updated_at = now_iso();
  write_event(event, "local");
  enqueue({.entity = protocol::Entity::event,
           .entity_id = event.id,
           .op = is_new ? protocol::Operation::create : protocol::Operation::update,
           .hlc = event.hlc,
           .changed_fields =
               is_new ? std::vector<std::string>{}
                      : std::vector<std::string>{"kind", "name", "place", "country", "start_date",
                                                 "end_date", "organiser", "office", "voided"},
           .record = event});
  tx.commit();
  return event;
}

std::optional<model::TrainingEvent> Store::find_event(const std::string& id) {
  auto q = db_.query(util::format("SELECT {} FROM events WHERE id = ?", kEventColumns));
  q.bind_all(id);
  if (!q.step()) return std::nullopt;
  return read_event(q);
}

std::vector<model::TrainingEvent> Store::list_events() {
  std::vector<model::TrainingEvent> out;
  auto q = db_.query(util::format(
      "SELECT {} FROM events WHERE voided = 0 ORDER BY start_date DESC, name", kEventColumns));
  while (q.step()) out.push_back(read_event(q));
  return out;
}

std::optional<model::Attendance> Store::find_attendance(const std::string& member_id,
                                                        const std::string& event_id,
                                                        const std::string& day) {
  auto q = db_.query(
      util::format("SELECT {} FROM attendance WHERE member_id = ? AND event_id = ? AND day = ?",
                   kAttendanceColumns));
  q.bind_all(member_id, event_id, day);
  if (!q.step()) return std::nullopt;
  return read_attendance(q);
}

Saved<CheckInResult> Store::check_in(const std::string& member_id, const std::string& event_id,
                                     const std::string& day) {
  model::Attendance a{.member_id = member_id, .event_id = event_id, .day = day};
  auto errors = model::normalize_and_validate(a);
  if (!errors.empty()) return std::unexpected(std::move(errors));

  Transaction tx(db_);
  a.member_id = kept_member_id(member_id);
  if (!find_member(a.member_id)) {
    return std::unexpected(model::FieldErrors{{"member_id", "attendance.member_id.not_found"}});
  }
  if (auto existing = find_attendance(a.member_id, event_id, day)) {
    if (!existing->voided) return CheckInResult{*existing, true};
    // Checking in again after a void restores the same row.
    a = *existing;
    a.voided = false;
    a.checked_in_at = now_iso();
    a.hlc = next_hlc().to_string();
    write_attendance(a, "local");
    enqueue({.entity = protocol::Entity::attendance,
             .entity_id = a.id,
             .op = protocol::Operation::update,
             .hlc = a.hlc,
             .changed_fields = {"voided", "checked_in_at"},
             .record = a});
    tx.commit();
    return CheckInResult{a, false};
  }
  a.id = util::new_uuid_v7();
  a.checked_in_at = now_iso();
  a.hlc = next_hlc().to_string();
  write_attendance(a, "local");
  enqueue({.entity = protocol::Entity::attendance,
           .entity_id = a.id,
           .op = protocol::Operation::create,
           .hlc = a.hlc,
           .record = a});
  tx.commit();
  return CheckInResult{a, false};
}

std::optional<bool> Store::set_attendance_voided(const std::string& id, bool voided) {
  Transaction tx(db_);
  model::Attendance a;
  {
    auto q = db_.query(util::format("SELECT {} FROM attendance WHERE id = ?", kAttendanceColumns));
    q.bind_all(id);
    if (!q.step()) return std::nullopt;
    a = read_attendance(q);
  }
  if (a.voided == voided) return false;
  a.voided = voided;
  a.hlc = next_hlc().to_string();
  write_attendance(a, "local");
  enqueue({.entity = protocol::Entity::attendance,
           .entity_id = a.id,
           .op = voided ? protocol::Operation::void_record : protocol::Operation::update,
           .hlc = a.hlc,
           .changed_fields = {"voided"},
           .record = a});
  tx.commit();
  return true;
}

bool Store::void_attendance(const std::string& id) {
  return set_attendance_voided(id, true).has_value();
}

bool Store::restore_attendance(const std::string& id) {
  return set_attendance_voided(id, false).value_or(false);
}

std::vector<model::Attendance> Store::attendance_for(const std::string& event_id,
                                                     const std::string& day) {
  std::vector<model::Attendance> out;
  auto q = db_.query(
      util::format("SELECT {}, COALESCE((SELECT merged_into FROM members "
                   "WHERE members.id = attendance.member_id), '') FROM attendance "
                   "WHERE event_id = ? AND day = ? AND voided = 0 ORDER BY checked_in_at DESC",
                   kAttendanceColumns));
  q.bind_all(event_id, day);
  std::set<std::string> people;
  while (q.step()) {
    auto attendance = read_attendance(q);
    // Until central's re-pointed records arrive, a check-in made here for a
    // member merged since counts for the member kept, once.
    if (!q.text(7).empty()) attendance.member_id = kept_member_id(attendance.member_id);
    if (people.insert(attendance.member_id).second) out.push_back(std::move(attendance));
  }
  return out;
}

}  // namespace alliance::store
