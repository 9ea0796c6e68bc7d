// CentralStore: a venue hub's side of relaying (docs/ARCHITECTURE.md, "Venue
// hubs"): its upstream enrolment, the queue of its desks' changes and where
// its pull from upstream stands, all kept in the hub's own database.
#include "central/store/central_store.hpp"

#include <charconv>
#include <chrono>

#include "central/store/retrying.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::central {
namespace {

void put_meta(sql::Connection& db, std::string_view key, const std::string& value) {
  db.query(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .bind_all(std::string(key), value)
      .run();
}

std::int64_t meta_number(const std::string& text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

}  // namespace

std::optional<RelayEnrolment> CentralStore::relay_enrolment() {
  std::lock_guard lock(mutex_);
  RelayEnrolment enrolment;
  auto q = db_.query(
      "SELECT key, value FROM meta WHERE key IN ('relay_upstream_url', 'relay_device_id', "
      "'relay_token', 'relay_office', 'relay_hlc_node')");
  while (q.step()) {
    const std::string key = q.text(0);
    if (key == "relay_upstream_url") enrolment.upstream_url = q.text(1);
    if (key == "relay_device_id") enrolment.device_id = q.text(1);
    if (key == "relay_token") enrolment.token = q.text(1);
    if (key == "relay_office") enrolment.office = q.text(1);
    if (key == "relay_hlc_node") enrolment.hlc_node = q.text(1);
  }
  if (enrolment.office.empty() || enrolment.token.empty()) return std::nullopt;
  return enrolment;
}

StoreResult<RelayEnrolment> CentralStore::save_relay_enrolment(const RelayEnrolment& enrolment) {
  std::lock_guard lock(mutex_);
  sql::Transaction tx(db_, sql::TxKind::write);
  bool enrolled_before = false;
  {
    auto q = db_.query("SELECT value FROM meta WHERE key = 'relay_office'");
    enrolled_before = q.step();
    if (enrolled_before && q.text(0) != enrolment.office) {
      // Its desks and queue are that office's: upstream would refuse them.
      return std::unexpected(StoreFailure{
          "office_changed",
          util::cat("this hub relays for office ", q.text(0), "; the new enrolment is for ",
                    enrolment.office, ": use a relay code made for ", q.text(0))});
    }
  }
  if (!enrolled_before) {
    // Changes applied before the hub had an upstream were never queued, so
    // they would never leave it.
    auto q = db_.query("SELECT 1 FROM applied_changes LIMIT 1");
    if (q.step()) {
      return std::unexpected(StoreFailure{
          "desks_first",
          "this database already holds changes from devices, which would never be relayed; set "
          "up the relay on a new hub database before enrolling its desks"});
    }
  }
  put_meta(db_, "relay_upstream_url", enrolment.upstream_url);
  put_meta(db_, "relay_device_id", enrolment.device_id);
  put_meta(db_, "relay_token", enrolment.token);
  put_meta(db_, "relay_office", enrolment.office);
  put_meta(db_, "relay_hlc_node", enrolment.hlc_node);
  tx.commit();
  return enrolment;
}

std::vector<QueuedChange> CentralStore::relay_waiting(std::size_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<QueuedChange> waiting;
  auto q = db_.query(
      "SELECT position, change_json FROM relay_queue WHERE relayed_at IS NULL "
      "ORDER BY position LIMIT ?1");
  q.bind(1, static_cast<std::int64_t>(limit));
  while (q.step()) {
    auto change = protocol::decode_change(q.text(1));
    if (!change) throw store::StoreError(0, "a change queued for upstream cannot be read");
    waiting.push_back(QueuedChange{.position = q.int64(0), .change = std::move(*change)});
  }
  return waiting;
}

std::int64_t CentralStore::relay_waiting_count() {
  std::lock_guard lock(mutex_);
  auto q = db_.query("SELECT count(*) FROM relay_queue WHERE relayed_at IS NULL");
  q.step();
  return q.int64(0);
}

void CentralStore::relay_answered(
    const std::vector<std::pair<std::int64_t, std::string>>& answered) {
  if (answered.empty()) return;
  retrying("relay_answered", [&] {
    std::lock_guard lock(mutex_);
    sql::Transaction tx(db_, sql::TxKind::write);
    const std::string now = util::iso8601_utc(std::chrono::system_clock::now());
    for (const auto& [position, outcome] : answered) {
      db_.query("UPDATE relay_queue SET relayed_at = ?1, outcome = ?2 WHERE position = ?3")
          .bind_all(now, outcome, position)
          .run();
    }
    tx.commit();
  });
}

RelayCursor CentralStore::relay_cursor() {
  std::lock_guard lock(mutex_);
  RelayCursor cursor;
  auto q = db_.query(
      "SELECT key, value FROM meta WHERE key IN ('relay_cursor', 'relay_upstream_db', "
      "'relay_upstream_epoch', 'relay_upstream_seq')");
  while (q.step()) {
    const std::string key = q.text(0);
    if (key == "relay_cursor") cursor.cursor = meta_number(q.text(1));
    if (key == "relay_upstream_db") cursor.upstream.database_id = q.text(1);
    if (key == "relay_upstream_epoch") cursor.upstream.restore_epoch = meta_number(q.text(1));
    if (key == "relay_upstream_seq") cursor.upstream.server_seq = meta_number(q.text(1));
  }
  return cursor;
}

void CentralStore::relay_saw_upstream(const protocol::CentralLineage& upstream) {
  retrying("relay_saw_upstream", [&] {
    std::lock_guard lock(mutex_);
    sql::Transaction tx(db_, sql::TxKind::write);
    std::int64_t highest = 0;
    {
      auto q = db_.query("SELECT value FROM meta WHERE key = 'relay_upstream_seq'");
      if (q.step()) highest = meta_number(q.text(0));
    }
    put_meta(db_, "relay_upstream_db", upstream.database_id);
    put_meta(db_, "relay_upstream_epoch", std::to_string(upstream.restore_epoch));
    put_meta(db_, "relay_upstream_seq", std::to_string(std::max(highest, upstream.server_seq)));
    tx.commit();
  });
}

void CentralStore::relay_start_over(const protocol::CentralLineage& upstream) {
  retrying("relay_start_over", [&] {
    std::lock_guard lock(mutex_);
    sql::Transaction tx(db_, sql::TxKind::write);
    db_.exec("UPDATE relay_queue SET relayed_at = NULL, outcome = NULL");
    put_meta(db_, "relay_cursor", "0");
    put_meta(db_, "relay_upstream_db", upstream.database_id);
    put_meta(db_, "relay_upstream_epoch", std::to_string(upstream.restore_epoch));
    put_meta(db_, "relay_upstream_seq", std::to_string(upstream.server_seq));
    tx.commit();
  });
}

}  // namespace alliance::central
