// What the dashboard and members pages read from the central database, in
// bounded queries (every one has a LIMIT) on the console's keys (table
// record_keys, schema 7, central/store/record_keys.hpp) and the records'
// primary key. `office` is the account's office, "" for every office (admins).
//
// Indexes relied on: record_keys_by_office_day (counts per day and per
// office), record_keys_by_office_name (members in name order, names searched
// inside an office), record_keys_by_member (a member's check-ins and requests,
// the event filter), record_keys_by_phone / _by_email / _by_code (prefix
// search), records' primary key (entity, id), applied_changes_by_entity (a
// member's history), member_merges' primary key and member_merges_by_keep.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "central/store/sql_connection.hpp"
#include "common/model/event.hpp"
#include "common/model/member.hpp"
#include "common/model/resource.hpp"

namespace alliance::central::console {

// Counts stop here: a page never walks more rows than this for a number.
inline constexpr std::int64_t kMaxCounted = 10'000'000;

// One record with the office whose devices wrote it.
template <class T>
struct Held {
  std::string office;
  T record;
};

// --- dashboard ---
struct Count {
  std::string key;  // a day, an event id, a status
  std::int64_t count = 0;
};
struct EventDayCount {
  std::string day;
  std::string event_id;
  std::int64_t count = 0;
};
// Visible (not voided, not merged away) members, check-ins and requests.
std::int64_t count_members(sql::Connection& db, const std::string& office);
std::int64_t count_check_ins(sql::Connection& db, const std::string& office);
std::int64_t count_requests(sql::Connection& db, const std::string& office);
// Members registered on each day from `since` (YYYY-MM-DD) on.
std::vector<Count> registrations_per_day(sql::Connection& db, const std::string& office,
                                         const std::string& since);
// The `limit` events with the most members registered there, most first.
std::vector<Count> registrations_per_event(sql::Connection& db, const std::string& office,
                                           std::size_t limit);
// Check-ins per event and day: the latest `limit` event days.
std::vector<EventDayCount> check_ins_per_event_day(sql::Connection& db, const std::string& office,
                                                   std::size_t limit);
std::vector<Count> requests_per_status(sql::Connection& db, const std::string& office);

// Event id -> name for `ids` (the unknown ones left out).
std::map<std::string, std::string, std::less<>> event_names(sql::Connection& db,
                                                            const std::vector<std::string>& ids);
// Events of `office` (every event for ""), latest start first, at most `limit`.
std::vector<model::TrainingEvent> events_of_office(sql::Connection& db, const std::string& office,
                                                   std::size_t limit);

// --- members ---
struct MemberSearch {
  std::string office;
  std::string query;  // a name, phone, e-mail or reference code, as typed
  std::string country;
  std::string event_id;  // checked in there, or registered there
  std::string role;
};
struct MemberPage {
  std::vector<Held<model::Member>> members;  // in name order
  std::int64_t total = 0;                    // at most kMaxCounted
};
// Visible members that match, `limit` from `offset` in name order.
MemberPage find_members(sql::Connection& db, const MemberSearch& search, std::size_t offset,
                        std::size_t limit);
// The countries of the office's visible members, at most `limit`.
std::vector<std::string> member_countries(sql::Connection& db, const std::string& office,
                                          std::size_t limit);

std::optional<Held<model::Member>> find_member(sql::Connection& db, const std::string& id);
// A member's check-ins (latest day first) and requests (newest first), at most `limit` each.
std::vector<model::Attendance> attendance_of_member(sql::Connection& db, const std::string& id,
                                                    std::size_t limit);
std::vector<model::ResourceRequest> requests_of_member(sql::Connection& db, const std::string& id,
                                                       std::size_t limit);

// One line of a member's history: a device's change, or a merge at central.
struct EditEntry {
  std::string at;     // ISO-8601 UTC
  std::string actor;  // "device:<id> (<name>)", or the merge's actor ("admin:<user>", ...)
  std::string kind;  // "change", "merged_from" (another member merged into this one), "merged_into"
  std::string outcome;  // a change's: applied, conflict, rejected, duplicate
  // The fields a change wrote: names joined by ',', "*" (created it), "" (none
  // won), nullopt (unknown: applied before schema 7, or refused).
  std::optional<std::string> fields;
  std::string other_member;  // a merge's other member id
};
// The newest `limit` entries of member `id`'s history, newest first.
std::vector<EditEntry> history_of(sql::Connection& db, const std::string& id, std::size_t limit);

}  // namespace alliance::central::console
