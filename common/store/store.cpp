// Store: opening, device identity, the clock, meta, drafts and the outbox writer.
#include "common/store/store.hpp"

#include <chrono>

#include "common/protocol/codec.hpp"
#include "common/store/file_health.hpp"
#include "common/store/migrations.hpp"
#include "common/util/log.hpp"
#include "common/util/reference_code.hpp"
#include "common/util/time.hpp"
#include "common/util/uuid.hpp"

namespace alliance::store {

Store Store::open(const std::filesystem::path& path, const OpenOptions& options) {
  Database db = Database::open(path, options);
  if (!options.read_only) migrate(db, device_schema());
  Store store(std::move(db));
  if (!options.read_only) store.refresh_search_keys();
  return store;
}

Store::Store(Database db) : db_(std::move(db)), clock_("") {
  auto id = meta("device_id");
  if (!id && schema_version(db_) > 0) {
    Transaction tx(db_);
    // Another process may have made it between our read and our lock.
    auto q = db_.query("SELECT value FROM meta WHERE key = 'device_id'");
    if (q.step()) {
      id = q.text(0);
    } else {
      id = util::new_uuid_v7();
      db_.query("INSERT INTO meta (key, value) VALUES ('device_id', ?)").bind_all(*id).run();
    }
    tx.commit();
  }
  device_id_ = id.value_or("");
  clock_ = util::HybridClock(device_id_);
}

void Store::restore_clock() {
  if (auto last = util::parse_hlc(meta("hlc").value_or(""))) clock_.restore(*last);
}

util::Hlc Store::next_hlc() {
  // Callers hold the write transaction, so the read-modify-write of the
  // persisted clock is atomic across processes sharing the file. The
  // persisted value wins over a wall clock behind it, however far.
  restore_clock();
  const util::Hlc now = clock_.now();
  if (clock_.forward_step_refused() && !warned_forward_step_) {
    warned_forward_step_ = true;  // once per connection, not once per record
    log::warn("store.clock_step_refused",
              {{"max_days", util::HybridClock::kMaxForwardStepMs / 86'400'000}});
  }
  set_meta("hlc", now.to_string());
  return now;
}

void Store::observe_remote(std::string_view hlc) {
  if (auto parsed = util::parse_hlc(hlc)) clock_.observe(*parsed);
}

bool Store::observe_server_clock(std::int64_t server_now_ms) {
  Transaction tx(db_);
  restore_clock();
  if (!clock_.advance_to(server_now_ms)) return false;
  set_meta("hlc", clock_.last().to_string());
  tx.commit();
  return true;
}

void Store::set_wall_clock(util::HybridClock::WallClock wall_clock) {
  clock_ = util::HybridClock(device_id_, clock_.last(), std::move(wall_clock));
}

void Store::enqueue(protocol::Change change) {
  // New records stop short of a full disk, so acknowledgements still fit.
  refuse_new_records_if_disk_low(db_.path());
  change.change_id = util::new_uuid_v7();
  const std::string payload = protocol::encode(change);
  db_.query(
         "INSERT INTO outbox (change_id, entity, entity_id, op, hlc, payload, created_at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(change.change_id, protocol::to_string(change.entity), change.entity_id,
                protocol::to_string(change.op), change.hlc, payload,
                util::iso8601_utc(std::chrono::system_clock::now()))
      .run();
}

std::optional<std::string> Store::meta(std::string_view key) {
  auto q = db_.query("SELECT value FROM meta WHERE key = ?");
  q.bind_all(key);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

std::string Store::reference_code_prefix() {
  auto prefix = meta(kMetaReferenceCodePrefix).value_or("");
  // A damaged value must not stop registrations: codes then fall back to the
  // unallocated form, which is still valid and practically unique.
  return util::is_allocatable_reference_prefix(prefix) ? prefix : std::string();
}

void Store::set_reference_code_prefix(std::string_view prefix) {
  if (!prefix.empty() && !util::is_allocatable_reference_prefix(prefix)) {
    throw StoreError(0, "not a reference code prefix: three symbols of the code alphabet");
  }
  set_meta(kMetaReferenceCodePrefix, prefix);
}

void Store::set_meta(std::string_view key, std::string_view value) {
  db_.query(
         "INSERT INTO meta (key, value) VALUES (?, ?) "
         "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .bind_all(key, value)
      .run();
}

void Store::save_draft(std::string_view form, std::string_view payload) {
  db_.query(
         "INSERT INTO drafts (form, payload, updated_at) VALUES (?, ?, ?) "
         "ON CONFLICT (form) DO UPDATE SET payload = excluded.payload, "
         "updated_at = excluded.updated_at")
      .bind_all(form, payload, util::iso8601_utc(std::chrono::system_clock::now()))
      .run();
}

std::optional<std::string> Store::load_draft(std::string_view form) {
  auto q = db_.query("SELECT payload FROM drafts WHERE form = ?");
  q.bind_all(form);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

void Store::clear_draft(std::string_view form) {
  db_.query("DELETE FROM drafts WHERE form = ?").bind_all(form).run();
}

}  // namespace alliance::store
