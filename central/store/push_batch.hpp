// One push batch's reads and writes, held in memory: one read per table at its start and one
// write per table before it commits, instead of a few statements per change.
//
// On PostgreSQL every statement is a round trip made while every other
// central process waits on the writers' lock, so a batch of 500 changes made
// 2,500 of them. The batch reads what its changes name with one statement
// per table (a list parameter, sql::Query::bind_list), answers every later
// question about those rows from memory, keeps what it writes in memory
// too (a later change of the same batch reads it there, as it would have
// read it from the database), and writes it all before the commit.
// Not thread-safe: it lives inside one push transaction, under the store's mutex.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "central/merge.hpp"
#include "central/store/sql_connection.hpp"
#include "common/protocol/wire.hpp"

namespace alliance::central {

// A record as central holds it, with the office whose devices wrote it.
struct StoredRecord {
  HeldRecord held;
  std::string office;
};

// What applied_changes holds for a change id.
struct AppliedChange {
  std::string payload_hash;
  std::string result_json;
};

// A row of applied_changes.
struct AppliedChangeRow {
  std::string change_id;
  std::string payload_hash;
  std::string device_id;
  std::string entity;
  std::string entity_id;
  std::string outcome;
  std::string result_json;
  std::string applied_at;
  std::optional<std::string> changed_fields;  // NULL unless a merge wrote fields
};

// A row of records; `json` is the record as protocol::encode_record writes it.
struct RecordRow {
  std::string entity;
  std::string id;
  std::string office;
  std::string json;
  std::string field_hlcs;
  std::string hlc;
  std::int64_t seq = 0;
  std::string last_device;  // '' when the server merged or wrote the row
};

// Writes (or replaces) one row of records.
void write_record_row(sql::Connection& db, const RecordRow& row);

// The record `id` of `entity` as stored, if any; throws StoreError when it cannot be decoded.
std::optional<StoredRecord> read_stored_record(sql::Connection& db, protocol::Entity entity,
                                               const std::string& id);

class PushBatch {
 public:
  // Lookups answer nullptr when the batch does not know (ask the database,
  // then remember the answer); otherwise the answer, nullopt for no row.
  const std::optional<AppliedChange>* applied(const std::string& change_id) const;
  const std::optional<StoredRecord>* record(protocol::Entity entity, const std::string& id) const;
  // The office of a record (from a full row, or read alone with read_offices):
  // nullopt when the batch does not know, else the office or nullopt for no row.
  std::optional<std::optional<std::string>> office(protocol::Entity entity,
                                                   std::string_view id) const;
  // The member `member_id` was merged into; "" when it was not.
  const std::string* kept_member(const std::string& member_id) const;

  // Reads for the keys given (duplicates allowed), one statement each (one
  // per entity for records), and remembers the keys without a row as absent.
  void read_applied(sql::Connection& db, std::vector<std::string> change_ids);
  void read_records(sql::Connection& db, protocol::Entity entity, std::vector<std::string> ids);
  void read_offices(sql::Connection& db, protocol::Entity entity, std::vector<std::string> ids);
  void read_merges(sql::Connection& db, std::vector<std::string> member_ids);

  // Answers read one by one from the database.
  void remember_applied(const std::string& change_id, std::optional<AppliedChange> stored);
  void remember_record(protocol::Entity entity, const std::string& id,
                       std::optional<StoredRecord> stored);
  void remember_merge(const std::string& member_id, std::string keep_id);

  // Writes, kept for the lookups above and for flush(). A row written twice
  // is written once, as it was last.
  void write_record(RecordRow row, StoredRecord stored);
  // `replaces_stored`: the change id has a row in the database already (a
  // refusal decided again), which flush() deletes first.
  void write_applied(AppliedChangeRow row, bool replaces_stored);

  // Writes what is pending, records then applied changes: on PostgreSQL one
  // statement per table (arrays unnested), on SQLite cached statements of
  // many rows each (in-process, so no round trip to save). Afterwards the database
  // holds everything the lookups answer; they keep answering.
  void flush(sql::Connection& db);
  bool has_pending() const { return !pending_records_.empty() || !pending_applied_.empty(); }

 private:
  using RecordKey = std::pair<protocol::Entity, std::string>;
  // Orders keys by entity then id, and finds them by a viewed id (no copy).
  struct RecordKeyLess {
    using is_transparent = void;
    using View = std::pair<protocol::Entity, std::string_view>;
    static View view(const RecordKey& key) { return {key.first, key.second}; }
    static View view(const View& key) { return key; }
    bool operator()(const auto& a, const auto& b) const { return view(a) < view(b); }
  };
  void flush_records(sql::Connection& db);
  void flush_applied(sql::Connection& db);

  std::unordered_map<std::string, std::optional<AppliedChange>> applied_;
  std::map<RecordKey, std::optional<StoredRecord>, RecordKeyLess> records_;
  // Offices read alone (read_offices); a record in records_ answers first.
  std::map<RecordKey, std::optional<std::string>, RecordKeyLess> offices_;
  std::unordered_map<std::string, std::string> merges_;
  std::map<RecordKey, RecordRow> pending_records_;
  std::map<std::string, AppliedChangeRow> pending_applied_;
  std::vector<std::string> replaced_applied_;
  // Rows already written, kept so that their memory is freed with the batch
  // (after the lock) rather than inside flush().
  std::vector<std::map<RecordKey, RecordRow>> flushed_records_;
  std::vector<std::map<std::string, AppliedChangeRow>> flushed_applied_;
};

}  // namespace alliance::central
