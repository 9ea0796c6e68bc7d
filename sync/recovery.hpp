// Noticing that central went back in time (an operator restored it from a
// backup) and sending again what it may no longer hold.
//
// Every push and pull answer carries central's lineage: its database id (made
// with the database, kept by its backups), its restore count (raised by
// `alliance-central restore`) and the highest change sequence it has handed
// out, which only ever grows on one database. The device remembers the last
// lineage in sync_state. Central went back when an answer shows another
// database id, another restore count, a sequence below the highest one the
// device has seen, or (pull acked=) that it no longer holds the newest change
// it acknowledged to this device. Then every acknowledged change this device
// keeps goes back to the queue (central answers those it still holds as
// duplicates, change ids being idempotency keys) and the next pull starts at
// cursor 0: what other devices send again comes back with new sequence values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/protocol/wire.hpp"
#include "common/store/store.hpp"

namespace alliance::sync {

enum class Rollback {
  none,
  database_replaced,  // another database id at the same server URL
  restored,           // the restore count moved: alliance-central restore
  sequence_behind,    // server_seq below what this device has seen: a file copied back by hand
  acknowledged_lost,  // central no longer holds a change it acknowledged to this device
};

// "central restored from a backup", ... for status and logs (no personal data).
std::string_view describe(Rollback rollback);

// What the device remembers of the central it talks to.
struct RememberedCentral {
  std::string database_id;  // "" until a central that sends one answered
  std::int64_t restore_epoch = 0;
  std::int64_t seq_seen = 0;  // the highest server_seq of any answer
};

// Whether `answer` shows that central went back since `remembered`, and how.
// acked_held: what a pull answered for the change it named, if it named one.
Rollback judge_central(const RememberedCentral& remembered, const protocol::CentralLineage& answer,
                       std::optional<bool> acked_held);

// A rollback found and acted on.
struct RollbackFound {
  Rollback reason = Rollback::none;
  std::int64_t requeued = 0;  // acknowledged changes waiting again
};

// What `status` shows about the last rollback; empty when none was seen.
struct RollbackRecord {
  std::string detected_at;  // ISO-8601 UTC
  std::string reason;       // describe(...)
  std::int64_t resent = 0;
};

// The agent's memory of central, kept in the device database (sync_state).
// One per Agent; every call reads and writes the store it was given.
class CentralWatch {
 public:
  explicit CentralWatch(store::Store& store) : store_(store) {}

  RememberedCentral remembered();
  // The change id a pull names (API v1 acked=): the newest change central
  // acknowledged to this device since it enrolled with this server; "" if none.
  std::string acked_probe();
  // Called with every push answer and pull page. Remembers the lineage; when
  // central went back, requeues the acknowledged changes and resets the pull
  // cursor (one transaction), records it for status, and says so.
  // seq_seen_when_sent: the highest sequence seen when the request was sent,
  // if answers to other requests may have come in since (a push batch sent
  // ahead): an answer is behind only if it is behind what was known then.
  std::optional<RollbackFound> observe(const protocol::CentralLineage& answer,
                                       std::optional<bool> acked_held = std::nullopt,
                                       std::optional<std::int64_t> seq_seen_when_sent = {});

  // Enrolment with another server: its lineage is unknown, and changes this
  // device's outbox holds so far belong to the previous server.
  static void forget(store::Store& store);
  static RollbackRecord last_rollback(store::Store& store);

 private:
  store::Store& store_;
};

}  // namespace alliance::sync
