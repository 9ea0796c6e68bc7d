// What the dashboard and members pages read from the central database: the
// records of the account's offices decoded from their API v1 JSON, a member
// by id, and a member's history of edits. Every query is bounded (LIMIT).
//
// Indexes relied on: records' primary key (entity, id) for one record and
// for the range of one entity, records' UNIQUE seq for newest first,
// applied_changes_by_entity (schema 7) for one record's changes,
// member_merges' primary key and member_merges_by_keep, devices' primary key.
// The records table keeps each record as JSON only, so filters on fields
// (office aside) run on the decoded records, at most kMaxScannedRecords a page.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "central/store/sql_connection.hpp"
#include "common/model/event.hpp"
#include "common/model/member.hpp"
#include "common/model/resource.hpp"

namespace alliance::central::console {

// The most records of one entity a page decodes (newest first): a bound on
// one page's work, far above one office's members.
inline constexpr std::size_t kMaxScannedRecords = 100'000;

// One record with the office whose devices wrote it.
template <class T>
struct Held {
  std::string office;
  T record;
};

// Records of `office` ("" for every office), newest change first, at most `limit`.
std::vector<Held<model::Member>> members_of(sql::Connection& db, const std::string& office,
                                            std::size_t limit = kMaxScannedRecords);
std::vector<Held<model::Attendance>> attendance_of(sql::Connection& db, const std::string& office,
                                                   std::size_t limit = kMaxScannedRecords);
std::vector<Held<model::ResourceRequest>> requests_of(sql::Connection& db,
                                                      const std::string& office,
                                                      std::size_t limit = kMaxScannedRecords);
// Every event (events are shared by all offices), newest change first.
std::vector<Held<model::TrainingEvent>> events_of(sql::Connection& db,
                                                  std::size_t limit = kMaxScannedRecords);

std::optional<Held<model::Member>> find_member(sql::Connection& db, const std::string& id);

// One line of a member's history: a device's change, or a merge at central.
struct EditEntry {
  std::string at;       // ISO-8601 UTC
  std::string actor;    // "device:<id> (<name>)", or the merge's actor ("admin:<user>", ...)
  std::string kind;     // "change", "merged_from" (another member merged into this one), "merged_into"
  std::string outcome;  // a change's: applied, conflict, rejected, duplicate
  // The fields a change wrote: names joined by ',', "*" (created it), "" (none
  // won), nullopt (unknown: applied before schema 7, or refused).
  std::optional<std::string> fields;
  std::string other_member;  // a merge's other member id
};

// The newest `limit` entries of member `id`'s history, newest first.
std::vector<EditEntry> history_of(sql::Connection& db, const std::string& id, std::size_t limit);

}  // namespace alliance::central::console
