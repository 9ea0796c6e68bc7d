// One push batch's reads and writes, held in memory between one read and one write per table.
#include "central/store/push_batch.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "common/protocol/codec.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {
namespace {

using protocol::Entity;

void sort_unique(std::vector<std::string>& keys) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
}

StoredRecord decode_stored(Entity entity, const std::string& json, const std::string& clocks,
                           std::string hlc, std::string office) {
  auto record = protocol::decode_record(entity, json);
  if (!record) {
    throw store::StoreError(0, util::cat("a stored ", protocol::to_string(entity),
                                         " record cannot be read: ", record.error().message));
  }
  FieldClocks field_clocks;
  try {
    field_clocks = decode_clocks(entity, clocks, hlc);
  } catch (const std::runtime_error& e) {
    throw store::StoreError(0, util::cat("a stored ", protocol::to_string(entity),
                                         " record's field clocks cannot be read: ", e.what()));
  }
  return StoredRecord{.held = {.record = std::move(*record),
                               .clocks = std::move(field_clocks),
                               .hlc = std::move(hlc)},
                      .office = std::move(office)};
}

// One row's values in column order (views into the row; nullopt is NULL).
template <std::size_t N>
using Values = std::array<std::optional<std::string_view>, N>;

// Inserts `rows` with one PostgreSQL statement whose ?1..?N are one array
// per column (`sql` unnests them): no bound on rows, unlike a multi-row
// VALUES with its 65,535 parameters.
template <std::size_t N>
void insert_unnested(sql::Connection& db, std::string_view sql,
                     const std::vector<Values<N>>& rows) {
  std::vector<std::vector<std::optional<std::string_view>>> columns(N);
  for (std::size_t c = 0; c < N; ++c) {
    columns[c].reserve(rows.size());
    for (const auto& row : rows) columns[c].push_back(row[c]);
  }
  auto q = db.query(sql);
  for (std::size_t c = 0; c < N; ++c) q.bind_list(static_cast<int>(c + 1), columns[c]);
  q.run();
}

constexpr std::string_view kUpsertRecordSet =
    " ON CONFLICT (entity, id) DO UPDATE SET office = excluded.office, json = excluded.json, "
    "field_hlcs = excluded.field_hlcs, hlc = excluded.hlc, seq = excluded.seq, "
    "last_device = excluded.last_device";

// SQLite steps one statement for many rows: a statement per row cost about
// as much again as writing the row (binding, reset, cursors opened and
// closed). The remainder, fewer than a chunk, goes row by row.
constexpr std::size_t kRowsPerStatement = 64;

// One INSERT of a table in its two shapes: one row, and a chunk of rows.
struct RowsInsert {
  std::size_t columns;
  std::string one;
  std::string chunk;

  // `head` is "INSERT INTO t (columns)", `tail` what follows the VALUES.
  RowsInsert(std::size_t column_count, std::string_view head, std::string_view tail)
      : columns(column_count),
        one(util::cat(head, values_clause(1, column_count), tail)),
        chunk(util::cat(head, values_clause(kRowsPerStatement, column_count), tail)) {}

  static std::string values_clause(std::size_t rows, std::size_t column_count) {
    std::string out = " VALUES ";
    std::size_t index = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      out += r == 0 ? "(" : ", (";
      for (std::size_t c = 0; c < column_count; ++c) {
        out += util::cat(c == 0 ? "?" : ", ?", ++index);
      }
      out += ')';
    }
    return out;
  }
};

// `bind_row(query, first_index, row)` binds one row's columns from first_index on.
template <typename Row, typename BindRow>
void insert_rows(sql::Connection& db, const RowsInsert& insert, std::span<const Row> rows,
                 BindRow bind_row) {
  std::size_t done = 0;
  for (; rows.size() - done >= kRowsPerStatement; done += kRowsPerStatement) {
    auto q = db.query(insert.chunk);
    for (std::size_t r = 0; r < kRowsPerStatement; ++r) {
      bind_row(q, static_cast<int>(r * insert.columns + 1), rows[done + r]);
    }
    q.run();
  }
  for (; done < rows.size(); ++done) {
    auto q = db.query(insert.one);
    bind_row(q, 1, rows[done]);
    q.run();
  }
}

const RowsInsert& record_rows_insert() {
  static const RowsInsert insert(
      8, "INSERT INTO records (entity, id, office, json, field_hlcs, hlc, seq, last_device)",
      kUpsertRecordSet);
  return insert;
}

void bind_record_row(sql::Query& q, int first, const RecordRow& row) {
  q.bind(first, row.entity)
      .bind(first + 1, row.id)
      .bind(first + 2, row.office)
      .bind(first + 3, row.json)
      .bind(first + 4, row.field_hlcs)
      .bind(first + 5, row.hlc)
      .bind(first + 6, row.seq)
      .bind(first + 7, row.last_device);
}

}  // namespace

void write_record_row(sql::Connection& db, const RecordRow& row) {
  auto q = db.query(record_rows_insert().one);
  bind_record_row(q, 1, row);
  q.run();
}

std::optional<StoredRecord> read_stored_record(sql::Connection& db, Entity entity,
                                               const std::string& id) {
  auto q =
      db.query("SELECT json, field_hlcs, hlc, office FROM records WHERE entity = ?1 AND id = ?2");
  q.bind_all(protocol::to_string(entity), id);
  if (!q.step()) return std::nullopt;
  return decode_stored(entity, q.text(0), q.text(1), q.text(2), q.text(3));
}

const std::optional<AppliedChange>* PushBatch::applied(const std::string& change_id) const {
  const auto found = applied_.find(change_id);
  return found == applied_.end() ? nullptr : &found->second;
}

const std::optional<StoredRecord>* PushBatch::record(Entity entity, const std::string& id) const {
  const auto found = records_.find(RecordKeyLess::View(entity, id));
  return found == records_.end() ? nullptr : &found->second;
}

std::optional<std::optional<std::string>> PushBatch::office(Entity entity,
                                                            std::string_view id) const {
  const RecordKeyLess::View key(entity, id);
  if (const auto found = records_.find(key); found != records_.end()) {
    if (!found->second) return std::optional<std::string>();
    return std::optional<std::string>(found->second->office);
  }
  if (const auto found = offices_.find(key); found != offices_.end()) return found->second;
  return std::nullopt;
}

const std::string* PushBatch::kept_member(const std::string& member_id) const {
  const auto found = merges_.find(member_id);
  return found == merges_.end() ? nullptr : &found->second;
}

void PushBatch::read_applied(sql::Connection& db, std::vector<std::string> change_ids) {
  sort_unique(change_ids);
  if (change_ids.empty()) return;
  auto q = db.query(
      util::cat("SELECT change_id, payload_hash, result_json FROM applied_changes WHERE change_id ",
                db.in_list(1)));
  q.bind_list(1, change_ids);
  while (q.step()) {
    applied_[q.text(0)] = AppliedChange{.payload_hash = q.text(1), .result_json = q.text(2)};
  }
  for (auto& id : change_ids) applied_.try_emplace(std::move(id));
}

void PushBatch::read_records(sql::Connection& db, Entity entity, std::vector<std::string> ids) {
  sort_unique(ids);
  if (ids.empty()) return;
  auto q = db.query(
      util::cat("SELECT id, json, field_hlcs, hlc, office FROM records WHERE entity = ?1 AND id ",
                db.in_list(2)));
  q.bind(1, protocol::to_string(entity)).bind_list(2, ids);
  while (q.step()) {
    records_.insert_or_assign(RecordKey(entity, q.text(0)),
                              decode_stored(entity, q.text(1), q.text(2), q.text(3), q.text(4)));
  }
  // The ids are in order: each absent one goes in just after the one before
  // (the hint makes that constant time instead of a walk down the tree).
  auto hint = records_.lower_bound(RecordKeyLess::View(entity, ids.front()));
  for (auto& id : ids) {
    hint = std::next(records_.try_emplace(hint, RecordKey(entity, std::move(id))));
  }
}

void PushBatch::read_offices(sql::Connection& db, Entity entity, std::vector<std::string> ids) {
  sort_unique(ids);
  std::erase_if(ids, [&](const std::string& id) { return office(entity, id).has_value(); });
  if (ids.empty()) return;
  auto q = db.query(
      util::cat("SELECT id, office FROM records WHERE entity = ?1 AND id ", db.in_list(2)));
  q.bind(1, protocol::to_string(entity)).bind_list(2, ids);
  while (q.step()) offices_[RecordKey(entity, q.text(0))] = q.text(1);
  for (auto& id : ids) offices_.try_emplace(RecordKey(entity, std::move(id)));
}

void PushBatch::read_merges(sql::Connection& db, std::vector<std::string> member_ids) {
  sort_unique(member_ids);
  if (member_ids.empty()) return;
  auto q = db.query(
      util::cat("SELECT drop_id, keep_id FROM member_merges WHERE drop_id ", db.in_list(1)));
  q.bind_list(1, member_ids);
  while (q.step()) merges_[q.text(0)] = q.text(1);
  for (auto& id : member_ids) merges_.try_emplace(std::move(id));
}

void PushBatch::remember_applied(const std::string& change_id,
                                 std::optional<AppliedChange> stored) {
  applied_[change_id] = std::move(stored);
}

void PushBatch::remember_record(Entity entity, const std::string& id,
                                std::optional<StoredRecord> stored) {
  records_.insert_or_assign(RecordKey(entity, id), std::move(stored));
}

void PushBatch::remember_merge(const std::string& member_id, std::string keep_id) {
  merges_[member_id] = std::move(keep_id);
}

void PushBatch::write_record(RecordRow row, StoredRecord stored) {
  const auto entity = protocol::entity_from(row.entity);
  if (!entity) throw store::StoreError(0, "a record of an unknown entity cannot be saved");
  RecordKey key(*entity, row.id);
  records_.insert_or_assign(key, std::move(stored));
  pending_records_.insert_or_assign(std::move(key), std::move(row));
}

void PushBatch::write_applied(AppliedChangeRow row, bool replaces_stored) {
  if (replaces_stored) replaced_applied_.push_back(row.change_id);
  applied_[row.change_id] =
      AppliedChange{.payload_hash = row.payload_hash, .result_json = row.result_json};
  std::string id = row.change_id;
  pending_applied_.insert_or_assign(std::move(id), std::move(row));
}

void PushBatch::flush(sql::Connection& db) {
  flush_records(db);
  flush_applied(db);
}

void PushBatch::flush_records(sql::Connection& db) {
  if (pending_records_.empty()) return;
  std::vector<const RecordRow*> rows;
  rows.reserve(pending_records_.size());
  for (const auto& [key, row] : pending_records_) rows.push_back(&row);
  // In sequence order, as they were written.
  std::sort(rows.begin(), rows.end(),
            [](const RecordRow* a, const RecordRow* b) { return a->seq < b->seq; });
  if (db.backend() == sql::Backend::sqlite) {
    insert_rows(
        db, record_rows_insert(), std::span<const RecordRow* const>(rows),
        [](sql::Query& q, int first, const RecordRow* row) { bind_record_row(q, first, *row); });
  } else {
    std::vector<std::string> seqs;
    seqs.reserve(rows.size());  // never reallocated: values holds views into it
    std::vector<Values<8>> values;
    values.reserve(rows.size());
    for (const RecordRow* row : rows) {
      const std::string& seq = seqs.emplace_back(std::to_string(row->seq));
      values.push_back({row->entity, row->id, row->office, row->json, row->field_hlcs, row->hlc,
                        seq, row->last_device});
    }
    static const std::string sql = util::cat(
        "INSERT INTO records (entity, id, office, json, field_hlcs, hlc, seq, last_device) "
        "SELECT * FROM unnest(CAST(?1 AS TEXT[]), CAST(?2 AS TEXT[]), CAST(?3 AS TEXT[]), "
        "CAST(?4 AS TEXT[]), CAST(?5 AS TEXT[]), CAST(?6 AS TEXT[]), CAST(?7 AS BIGINT[]), "
        "CAST(?8 AS TEXT[]))",
        kUpsertRecordSet);
    insert_unnested(db, sql, values);
  }
  // Freed with the batch, after the writer's lock is released.
  flushed_records_.push_back(std::exchange(pending_records_, {}));
}

void PushBatch::flush_applied(sql::Connection& db) {
  if (!replaced_applied_.empty()) {
    db.query(util::cat("DELETE FROM applied_changes WHERE change_id ", db.in_list(1)))
        .bind_list(1, replaced_applied_)
        .run();
    replaced_applied_.clear();
  }
  if (pending_applied_.empty()) return;
  std::vector<Values<9>> values;
  values.reserve(pending_applied_.size());
  for (const auto& [id, row] : pending_applied_) {
    values.push_back(
        {row.change_id, row.payload_hash, row.device_id, row.entity, row.entity_id, row.outcome,
         row.result_json, row.applied_at,
         row.changed_fields ? std::optional<std::string_view>(*row.changed_fields) : std::nullopt});
  }
  if (db.backend() == sql::Backend::sqlite) {
    static const RowsInsert insert(9,
                                   "INSERT INTO applied_changes (change_id, payload_hash, "
                                   "device_id, entity, entity_id, outcome, result_json, "
                                   "applied_at, changed_fields)",
                                   "");
    insert_rows(db, insert, std::span<const Values<9>>(values),
                [](sql::Query& q, int first, const Values<9>& row) {
                  for (std::size_t c = 0; c < row.size(); ++c) {
                    if (row[c]) {
                      q.bind(first + static_cast<int>(c), *row[c]);
                    } else {
                      q.bind(first + static_cast<int>(c), nullptr);
                    }
                  }
                });
  } else {
    insert_unnested(db,
                    "INSERT INTO applied_changes (change_id, payload_hash, device_id, entity, "
                    "entity_id, outcome, result_json, applied_at, changed_fields) SELECT * FROM "
                    "unnest(CAST(?1 AS TEXT[]), CAST(?2 AS TEXT[]), CAST(?3 AS TEXT[]), CAST(?4 AS "
                    "TEXT[]), CAST(?5 AS TEXT[]), CAST(?6 AS TEXT[]), CAST(?7 AS TEXT[]), CAST(?8 "
                    "AS TEXT[]), CAST(?9 AS TEXT[]))",
                    values);
  }
  flushed_applied_.push_back(std::exchange(pending_applied_, {}));
}

}  // namespace alliance::central
