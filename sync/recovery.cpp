// Noticing that central went back in time and sending again what it may have lost.
#include "sync/recovery.hpp"

#include <algorithm>

#include <chrono>

#include "common/util/log.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::sync {
namespace {

// sync_state rows (the table the agent owns).
constexpr std::string_view kDatabaseId = "central.database_id";
constexpr std::string_view kRestoreEpoch = "central.restore_epoch";
constexpr std::string_view kSeqSeen = "central.seq_seen";
// Outbox seq at the last enrolment with another server: changes up to it
// were acknowledged by that server and are neither probed nor resent.
constexpr std::string_view kOutboxFloor = "central.outbox_floor";
constexpr std::string_view kRollbackAt = "central.rollback_at";
constexpr std::string_view kRollbackReason = "central.rollback_reason";
constexpr std::string_view kRollbackResent = "central.rollback_resent";

}  // namespace

std::string_view describe(Rollback rollback) {
  switch (rollback) {
    case Rollback::none:
      return "none";
    case Rollback::database_replaced:
      return "another central database answers at this server URL";
    case Rollback::restored:
      return "central was restored from a backup";
    case Rollback::sequence_behind:
      return "central's change sequence went back (restored by hand)";
    case Rollback::acknowledged_lost:
      return "central no longer holds a change it acknowledged";
  }
  return "unknown";
}

Rollback judge_central(const RememberedCentral& remembered, const protocol::CentralLineage& answer,
                       std::optional<bool> acked_held) {
  // A central that sends no lineage (older), or the first answer after
  // enrolment: nothing to compare with yet.
  if (answer.database_id.empty() || remembered.database_id.empty()) return Rollback::none;
  if (answer.database_id != remembered.database_id) return Rollback::database_replaced;
  if (answer.restore_epoch != remembered.restore_epoch) return Rollback::restored;
  if (answer.server_seq < remembered.seq_seen) return Rollback::sequence_behind;
  if (acked_held == false) return Rollback::acknowledged_lost;
  return Rollback::none;
}

RememberedCentral CentralWatch::remembered() {
  return {.database_id = store_.sync_value(kDatabaseId),
          .restore_epoch = store_.sync_number(kRestoreEpoch),
          .seq_seen = store_.sync_number(kSeqSeen)};
}

std::string CentralWatch::acked_probe() {
  return store_.newest_acknowledged(store_.sync_number(kOutboxFloor));
}

std::optional<RollbackFound> CentralWatch::observe(const protocol::CentralLineage& answer,
                                                   std::optional<bool> acked_held,
                                                   std::optional<std::int64_t> seq_seen_when_sent) {
  if (answer.database_id.empty()) return std::nullopt;
  const RememberedCentral before = remembered();
  RememberedCentral baseline = before;
  if (seq_seen_when_sent) baseline.seq_seen = std::min(baseline.seq_seen, *seq_seen_when_sent);
  const Rollback verdict = judge_central(baseline, answer, acked_held);
  if (verdict == Rollback::none) {
    // Only what moved is written: most answers change only the sequence.
    if (before.database_id != answer.database_id) {
      store::Transaction tx(store_.db());
      store_.set_sync_value(kDatabaseId, answer.database_id);
      store_.set_sync_value(kRestoreEpoch, util::cat(answer.restore_epoch));
      store_.set_sync_value(kSeqSeen, util::cat(answer.server_seq));
      tx.commit();
    } else if (answer.server_seq > before.seq_seen) {
      store_.set_sync_value(kSeqSeen, util::cat(answer.server_seq));
    }
    return std::nullopt;
  }
  const std::string now = util::iso8601_utc(std::chrono::system_clock::now());
  const std::int64_t floor = store_.sync_number(kOutboxFloor);
  RollbackFound found{.reason = verdict};
  found.requeued = store_.resend_acknowledged(
      floor, {{std::string(kDatabaseId), answer.database_id},
              {std::string(kRestoreEpoch), util::cat(answer.restore_epoch)},
              {std::string(kSeqSeen), util::cat(answer.server_seq)},
              {std::string(kRollbackAt), now},
              {std::string(kRollbackReason), std::string(describe(verdict))}});
  store_.set_sync_value(kRollbackResent, util::cat(found.requeued));
  log::warn("sync.central_went_back", {{"reason", log::Text(describe(verdict))},
                                       {"requeued", found.requeued},
                                       {"restore_epoch", answer.restore_epoch},
                                       {"server_seq", answer.server_seq},
                                       {"seq_seen", before.seq_seen}});
  return found;
}

void CentralWatch::forget(store::Store& store) {
  store::Transaction tx(store.db());
  store.set_sync_value(kDatabaseId, "");
  store.set_sync_value(kRestoreEpoch, "0");
  store.set_sync_value(kSeqSeen, "0");
  store.set_sync_value(kOutboxFloor, util::cat(store.last_outbox_seq()));
  tx.commit();
}

RollbackRecord CentralWatch::last_rollback(store::Store& store) {
  return {.detected_at = store.sync_value(kRollbackAt),
          .reason = store.sync_value(kRollbackReason),
          .resent = store.sync_number(kRollbackResent)};
}

}  // namespace alliance::sync
