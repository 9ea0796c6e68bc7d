// Store: the outbox as the agent sees it — batches, acknowledgements,
// rejections, holds for reasons that clear, quarantine, resend and discard.
#include <algorithm>
#include <chrono>

#include "common/protocol/codec.hpp"
#include "common/store/store.hpp"
#include "common/util/time.hpp"

namespace alliance::store {
namespace {

constexpr std::string_view kOutboxColumns =
    "SELECT seq, change_id, entity, entity_id, op, hlc, payload, created_at, state, reject_code, "
    "reject_message, attempts, retry_at, resolved_at FROM outbox ";

std::string now_iso() {
  return util::iso8601_utc(std::chrono::system_clock::now());
}

OutboxEntry read_entry(const Query& q) {
  return {.seq = q.int64(0),
          .change_id = q.text(1),
          .entity = q.text(2),
          .entity_id = q.text(3),
          .op = q.text(4),
          .hlc = q.text(5),
          .payload = q.text(6),
          .created_at = q.text(7),
          .state = q.text(8),
          .reject_code = q.text(9),
          .reject_message = q.text(10),
          .attempts = q.int64(11),
          .retry_at = q.text(12),
          .resolved_at = q.text(13)};
}

}  // namespace

std::vector<OutboxEntry> Store::next_batch(std::size_t max_count, std::size_t max_bytes,
                                           std::int64_t after_seq, bool include_held) {
  std::vector<OutboxEntry> batch;
  if (max_count == 0) return batch;
  std::size_t bytes = 0;
  // A hold further ahead than the longest hold can only come from a wall
  // clock that went back since: it is due now, not in three years.
  const auto now = std::chrono::system_clock::now();
  auto q = db_.query(std::string(kOutboxColumns) +
                     "WHERE state = 'pending' AND (? OR retry_at <= ? OR retry_at > ?) AND seq > ? "
                     "ORDER BY seq LIMIT ?");
  q.bind_all(std::int64_t{include_held ? 1 : 0}, util::iso8601_utc(now),
             util::iso8601_utc(now + kLongestHold), after_seq,
             static_cast<std::int64_t>(max_count));
  while (q.step()) {
    OutboxEntry e = read_entry(q);
    if (!batch.empty() && bytes + e.payload.size() > max_bytes) break;
    bytes += e.payload.size();
    batch.push_back(std::move(e));
  }
  return batch;
}

void Store::acknowledge(const std::vector<Ack>& acks) {
  if (acks.empty()) return;
  const std::string now = util::iso8601_utc(std::chrono::system_clock::now());
  Transaction tx(db_);
  for (const auto& ack : acks) {
    db_.query(
           "UPDATE outbox SET state = 'acked', outcome = ?, resolved_at = ? "
           "WHERE change_id = ? AND state = 'pending'")
        .bind_all(protocol::to_string(ack.outcome), now, ack.change_id)
        .run();
  }
  tx.commit();
}

void Store::reject(const std::string& change_id, const std::string& code,
                   const std::string& message) {
  const std::string now = util::iso8601_utc(std::chrono::system_clock::now());
  Transaction tx(db_);
  db_.query(
         "UPDATE outbox SET state = 'rejected', outcome = 'rejected', reject_code = ?, "
         "reject_message = ?, resolved_at = ? WHERE change_id = ? AND state = 'pending'")
      .bind_all(code, message, now, change_id)
      .run();
  tx.commit();
}

void Store::hold(const std::string& change_id, const std::string& code, const std::string& message,
                 std::chrono::milliseconds delay) {
  const auto until = std::chrono::system_clock::now() + std::min(delay, kLongestHold);
  Transaction tx(db_);
  db_.query(
         "UPDATE outbox SET reject_code = ?, reject_message = ?, attempts = attempts + 1, "
         "retry_at = ? WHERE change_id = ? AND state = 'pending'")
      .bind_all(code, message, util::iso8601_utc(until), change_id)
      .run();
  tx.commit();
}

std::int64_t Store::count_attempt(const std::string& change_id) {
  Transaction tx(db_);
  std::int64_t attempts = 0;
  {
    auto q = db_.query(
        "UPDATE outbox SET attempts = attempts + 1 WHERE change_id = ? AND state = 'pending' "
        "RETURNING attempts");
    q.bind_all(change_id);
    if (q.step()) attempts = q.int64(0);
    while (q.step()) {
    }
  }
  tx.commit();
  return attempts;
}

void Store::quarantine(const std::string& change_id, const std::string& code,
                       const std::string& message) {
  Transaction tx(db_);
  db_.query(
         "UPDATE outbox SET state = 'quarantined', reject_code = ?, reject_message = ?, "
         "retry_at = '', resolved_at = ? WHERE change_id = ? AND state = 'pending'")
      .bind_all(code, message, now_iso(), change_id)
      .run();
  tx.commit();
}

std::int64_t Store::release_holds(std::string_view code) {
  Transaction tx(db_);
  db_.query(
         "UPDATE outbox SET retry_at = '' WHERE state = 'pending' AND reject_code = ? "
         "AND retry_at <> ''")
      .bind_all(code)
      .run();
  const auto released = static_cast<std::int64_t>(db_.changes());
  tx.commit();
  return released;
}

std::optional<OutboxEntry> Store::outbox_entry(const std::string& change_id) {
  auto q = db_.query(std::string(kOutboxColumns) + "WHERE change_id = ?");
  q.bind_all(change_id);
  if (!q.step()) return std::nullopt;
  return read_entry(q);
}

bool Store::resend(const std::string& change_id) {
  Transaction tx(db_);
  db_.query(
         "UPDATE outbox SET state = 'pending', outcome = '', reject_code = '', "
         "reject_message = '', resolved_at = '', attempts = 0, retry_at = '' "
         "WHERE change_id = ? AND (state IN ('rejected', 'quarantined') OR "
         "(state = 'pending' AND reject_code <> ''))")
      .bind_all(change_id)
      .run();
  const bool changed = db_.changes() > 0;
  if (changed) {
    // A running agent takes this as "sync now".
    db_.query("INSERT INTO sync_requests (requested_at) VALUES (?)").bind_all(now_iso()).run();
  }
  tx.commit();
  return changed;
}

bool Store::discard(const std::string& change_id) {
  Transaction tx(db_);
  db_.query(
         "UPDATE outbox SET state = 'discarded', retry_at = '', resolved_at = ? "
         "WHERE change_id = ? AND (state IN ('rejected', 'quarantined') OR "
         "(state = 'pending' AND reject_code <> ''))")
      .bind_all(now_iso(), change_id)
      .run();
  const bool changed = db_.changes() > 0;
  tx.commit();
  return changed;
}

std::int64_t Store::last_outbox_seq() {
  auto q = db_.query("SELECT COALESCE(MAX(seq), 0) FROM outbox");
  q.step();
  return q.int64(0);
}

std::string Store::newest_acknowledged(std::int64_t after_seq) {
  auto q = db_.query(
      "SELECT change_id FROM outbox WHERE state = 'acked' AND seq > ? ORDER BY seq DESC LIMIT 1");
  q.bind_all(after_seq);
  return q.step() ? q.text(0) : std::string();
}

std::int64_t Store::resend_acknowledged(
    std::int64_t after_seq, const std::vector<std::pair<std::string, std::string>>& rows) {
  Transaction tx(db_);
  db_.query(
         "UPDATE outbox SET state = 'pending', outcome = '', resolved_at = '', attempts = 0, "
         "retry_at = '', reject_code = '', reject_message = '' WHERE state = 'acked' AND seq > ?")
      .bind_all(after_seq)
      .run();
  const auto requeued = static_cast<std::int64_t>(db_.changes());
  set_sync_value("pull_cursor", "0");
  for (const auto& [key, value] : rows) set_sync_value(key, value);
  tx.commit();
  return requeued;
}

QueueCounts Store::queue_counts() {
  QueueCounts counts;
  auto q = db_.query(
      "SELECT state, reject_code <> '', count(*) FROM outbox GROUP BY state, reject_code <> ''");
  while (q.step()) {
    const std::string state = q.text(0);
    const std::int64_t n = q.int64(2);
    if (state == "pending") {
      counts.pending += n;
      if (q.int64(1) != 0) counts.held += n;
    }
    if (state == "rejected") counts.rejected += n;
    if (state == "quarantined") counts.quarantined += n;
    if (state == "discarded") counts.discarded += n;
    if (state == "acked") counts.acked += n;
  }
  return counts;
}

std::int64_t Store::pending_count() {
  auto q = db_.query("SELECT count(*) FROM outbox WHERE state = 'pending'");
  q.step();
  return q.int64(0);
}

std::vector<OutboxEntry> Store::rejected_changes() {
  std::vector<OutboxEntry> out;
  auto q = db_.query(std::string(kOutboxColumns) +
                     "WHERE state IN ('rejected', 'quarantined') OR "
                     "(state = 'pending' AND reject_code <> '') ORDER BY seq");
  while (q.step()) out.push_back(read_entry(q));
  return out;
}

std::vector<OutboxEntry> Store::changes_for(const std::string& entity_id) {
  std::vector<OutboxEntry> out;
  auto q = db_.query(std::string(kOutboxColumns) + "WHERE entity_id = ? ORDER BY seq");
  q.bind_all(entity_id);
  while (q.step()) out.push_back(read_entry(q));
  return out;
}

bool Store::has_pending_change(const std::string& entity_id) {
  auto q = db_.query("SELECT 1 FROM outbox WHERE entity_id = ? AND state = 'pending' LIMIT 1");
  q.bind_all(entity_id);
  return q.step();
}

}  // namespace alliance::store
