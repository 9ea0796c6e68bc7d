// Store: the outbox as the agent sees it — batches, acknowledgements, rejections.
#include <chrono>

#include "common/protocol/codec.hpp"
#include "common/store/store.hpp"
#include "common/util/time.hpp"

namespace alliance::store {
namespace {

constexpr std::string_view kOutboxColumns =
    "SELECT seq, change_id, entity, entity_id, op, hlc, payload, created_at, state, reject_code, "
    "reject_message FROM outbox ";

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
          .reject_message = q.text(10)};
}

}  // namespace

std::vector<OutboxEntry> Store::next_batch(std::size_t max_count, std::size_t max_bytes) {
  std::vector<OutboxEntry> batch;
  if (max_count == 0) return batch;
  std::size_t bytes = 0;
  auto q = db_.query(std::string(kOutboxColumns) + "WHERE state = 'pending' ORDER BY seq LIMIT ?");
  q.bind_all(static_cast<std::int64_t>(max_count));
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

QueueCounts Store::queue_counts() {
  QueueCounts counts;
  auto q = db_.query("SELECT state, count(*) FROM outbox GROUP BY state");
  while (q.step()) {
    const std::string state = q.text(0);
    if (state == "pending") counts.pending = q.int64(1);
    if (state == "rejected") counts.rejected = q.int64(1);
    if (state == "acked") counts.acked = q.int64(1);
  }
  return counts;
}

std::vector<OutboxEntry> Store::rejected_changes() {
  std::vector<OutboxEntry> out;
  auto q = db_.query(std::string(kOutboxColumns) + "WHERE state = 'rejected' ORDER BY seq");
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
