// The sync agent: pushes the outbox in bounded batches, pulls by cursor, and
// records what it did in the device database; `run` keeps doing so.
//
// Data safety rests on the store and the protocol: a change leaves the
// pending queue only in the transaction that records the server's answer for
// it (Store::acknowledge / Store::reject), and pulled records are applied with
// their cursor in one transaction (Store::apply_pulled). So a crash, a lost
// answer or a stop at any moment means a resend, which the server answers as
// a duplicate: never a loss, never a second copy. One Agent per thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <expected>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/store/store.hpp"
#include "sync/api_client.hpp"
#include "sync/backoff.hpp"
#include "sync/recovery.hpp"
#include "sync/transport/http_client.hpp"

namespace alliance::sync {

struct AgentOptions {
  HttpOptions http;
  std::size_t batch_max_changes = 500;
  std::size_t batch_max_bytes = 512 * 1024;  // payload bytes before compression
  int pull_limit = 500;
  // After an oversized pull answer the page is halved (down to 1 record) and
  // kept that small this long; then it may double again, once per period.
  std::chrono::milliseconds pull_shrink_hold{10 * 60'000};
  bool gzip = true;
  BackoffPolicy backoff;
  std::chrono::milliseconds poll_interval{1000};  // PRAGMA data_version check
  // run: an idle agent asks central for changes once per pull_interval. The
  // ask waits at central (API v1 wait=) up to that long, at most
  // kMaxPullWait, and is answered as soon as a change for this device lands,
  // on a connection of its own. A little under 15 minutes: a connection
  // that died silently (a mobile NAT forgetting it) is noticed and replaced
  // within 15 minutes (pull_interval + kHeldAnswerMargin).
  std::chrono::milliseconds pull_interval{840'000};
  // run: past this many network bytes in a UTC day, background pulls wait
  // for the next day; pushes and "sync now" still go. 0: no budget.
  std::uint64_t max_daily_bytes = 0;
  std::uint64_t seed = 0;  // backoff jitter; 0: random
  // A change sent back for a reason that can clear waits this long, doubling
  // with each return, up to store::kLongestHold.
  std::chrono::milliseconds hold_base{60'000};
  // Send the next push batches before the previous one's answer arrives
  // (each on a connection of its own), so a slow link or a busy central never
  // idles. Off under http.max_rate, so the cap holds for all connections.
  bool pipeline_pushes = true;
  // Batches in flight at once when pipelining (1..kMaxPushWindow). Three keep
  // a 256 kbit/s, 300 ms link busy through one connection's stall.
  std::size_t push_window = 3;
};

// Whether `next` may be pushed while the batches `in_flight` still await
// their answers: central then applies them in any order. That is safe for
// changes of different records (merges are field by field by clock, and a
// reference to a record not there yet is allowed), not for two changes of one
// record (a request's later status must not arrive before the request). A
// damaged change is never sent ahead (the agent sets it aside first); each
// change of `next` is read once for that, however many batches are in flight.
bool may_send_ahead(const std::vector<const std::vector<store::OutboxEntry>*>& in_flight,
                    const std::vector<store::OutboxEntry>& next);

// The longest wait API v1 grants a pull (central's ApiLimits::max_pull_wait).
inline constexpr std::chrono::seconds kMaxPullWait{900};

// Why a stored change cannot be sent as it is, or nothing: its payload must
// read back as a change, and be the change its row says it is.
std::optional<std::string> change_damage(const store::OutboxEntry& e);

// A change whose answers never match it is set aside after this many tries.
inline constexpr std::int64_t kMaxUnmatchedAnswers = 3;

// The most push batches in flight at once (AgentOptions::push_window).
inline constexpr std::size_t kMaxPushWindow = 8;
// Within this of the server's clock (its limit before it clamps a change),
// changes held for clock_ahead are released at once.
inline constexpr std::int64_t kClockInStepMs = 5 * 60'000;

struct SyncReport {
  std::int64_t pushed = 0;  // changes the server answered for
  std::int64_t applied = 0;
  std::int64_t duplicate = 0;
  std::int64_t conflict = 0;
  std::int64_t rejected = 0;
  std::int64_t held = 0;         // sent back for a reason that can clear; retried later
  std::int64_t quarantined = 0;  // damaged or never matched: set aside for staff
  std::int64_t pulled = 0;
  std::int64_t batches = 0;
  // Central went back in time (sync/recovery.hpp): acknowledged changes put
  // back in the queue, and whether a pull stopped to start again at cursor 0.
  std::int64_t requeued = 0;
  bool pull_restarted = false;
  std::optional<ApiFailure> failure;  // why the attempt ended early
  bool ok() const { return !failure; }
};

struct Attempt {
  SyncReport report;
  std::chrono::milliseconds retry_in{0};  // for a transient failure: the backoff's wait
};

class Agent {
 public:
  // store and *stop (which may be null) must outlive the agent.
  Agent(store::Store& store, AgentOptions options, const std::atomic<bool>* stop = nullptr);
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // Whether this database holds credentials (re-read from the file).
  bool enrolled();

  // One attempt: push until nothing waits, then pull until nothing remains
  // (without `pull`, push only). Writes the status before (syncing) and after
  // (idle, offline, ...); on a transient failure also counts a backoff step
  // and says how long to wait. Adds the bytes used to the store's data use.
  Attempt attempt(bool pull = true);

  // The parts of an attempt, without status writes (tests and benchmarks).
  SyncReport push_all();
  SyncReport pull_all();

  // The daemon: wakes on local change, on "sync now" and on the pull timer,
  // backs off after failures, stops after 401/403 until re-enrolled. Returns
  // 0 when *stop is raised; nothing is left half-done.
  int run();

  // Records central's results for changes it was sent, results[i] for
  // batch[i] (a push answer, or a USB bundle answer): acknowledgements in one
  // transaction, then refusals held (a reason that may clear) or rejected.
  // Rows no longer pending (acknowledged online meanwhile) stay as they are.
  void record_results(const std::vector<store::OutboxEntry>& batch,
                      const std::vector<protocol::ChangeResult>& results, SyncReport& report);
  // Keeps a reference-code prefix an answer brought, when it is one central
  // may hand out (the answer is checked like any input from the network).
  void adopt_code_prefix(const std::string& prefix);

  // Every request's bytes so far (call while no pull waits: not during run).
  TrafficStats traffic() const;
  // The page size the next pull asks for (AgentOptions::pull_limit unless
  // oversized answers made it smaller).
  int pull_limit() const { return pull_limit_; }

 private:
  bool reload_credentials();
  std::chrono::milliseconds hold_delay(std::int64_t attempts) const;
  // Sets aside the changes of a batch that cannot be sent as stored; true if any.
  bool quarantine_damaged(const std::vector<store::OutboxEntry>& batch, SyncReport& report);
  // After an attempt's answers: raise the device clock to the server's when
  // behind, and send changes held for clock_ahead once the clock is right.
  void after_answers(SyncReport& report);
  void write_status(const SyncReport* report, std::chrono::milliseconds retry_in);
  bool stopping() const { return stop_ != nullptr && stop_->load(); }
  // After an attempt: checkpoint the WAL (truncating it) when anything was
  // written, and keep the disk reserve (common/store/file_health.hpp).
  void tidy_disk(const SyncReport& report);
  // A push batch on its way: its changes, the connection, the answer to come.
  struct SentBatch {
    std::vector<store::OutboxEntry> batch;
    ApiClient* client = nullptr;
    std::int64_t seq_seen_when_sent = 0;  // central's sequence as known at sending
    std::future<ApiResult<protocol::PushResponse>> answer;  // waits when dropped
  };
  SentBatch send_batch(std::vector<store::OutboxEntry> batch, ApiClient& client);
  // A connection no batch in flight is using.
  ApiClient& idle_client(const std::deque<SentBatch>& in_flight);
  std::vector<const ApiClient*> all_clients() const;
  // Every push answer and pull page: what central's lineage says (recovery.hpp).
  void watch_central(const protocol::CentralLineage& lineage, std::optional<bool> acked_held,
                     SyncReport& report, std::optional<std::int64_t> seq_seen_when_sent = {});

  // The pull that waits at central for a change (run): started when
  // nothing else is to do, answered on its own connection while pushes go on
  // the others, taken in on this thread (the store stays on it).
  struct WaitingPull {
    std::future<ApiResult<protocol::PullResponse>> answer;
    std::int64_t cursor = 0;
    std::chrono::steady_clock::time_point sent_at;
  };
  void start_waiting_pull();
  // Takes in a waiting pull's answer once it came: applies its page (when
  // nothing moved the cursor meanwhile). Returns what the daemon should do.
  struct AfterWait {
    bool attempt_now = false;  // more to pull, central went back, or the pull failed
    std::chrono::steady_clock::time_point next_wait;
  };
  std::optional<AfterWait> take_waiting_pull();
  // Abandons a waiting pull (within a second) and waits for its thread.
  void abandon_waiting_pull();
  bool waiting_pull_ready() const;
  // Adds the bytes of the clients not in use on another thread to the
  // store's data use.
  void record_data_use();
  bool budget_spent();

  store::Store& store_;
  AgentOptions options_;
  const std::atomic<bool>* stop_;
  std::optional<store::DeviceCredentials> credentials_;
  std::unique_ptr<ApiClient> client_;
  std::vector<std::unique_ptr<ApiClient>> ahead_clients_;  // batches sent ahead (push_window)
  std::unique_ptr<ApiClient> wait_client_;                 // the waiting pull (run)
  std::atomic<bool> abandon_wait_{false};                  // wait_client_'s stop flag
  std::optional<WaitingPull> waiting_;
  Backoff backoff_;
  store::SyncStatus status_;
  std::size_t batch_count_;  // shrinks after 413 or a 4xx, grows back after successes
  int pull_limit_;           // shrinks after oversized answers, grows back after a hold
  std::chrono::steady_clock::time_point pull_limit_held_until_{};
  TrafficStats retired_traffic_;  // of clients replaced after re-enrolment
  CentralWatch central_watch_;
};

// Exchanges a one-time code for credentials and saves them in the store.
// A new server URL resets the pull cursor. Failures come back as values.
std::expected<store::DeviceCredentials, ApiFailure> enroll_device(store::Store& store,
                                                                  const std::string& server_url,
                                                                  const std::string& code,
                                                                  const std::string& device_name,
                                                                  const HttpOptions& http);

// What `alliance-sync status` shows: a few human lines, or one JSON object.
std::string format_status(store::Store& store, bool json);

// What `alliance-sync rejected` shows: the rejected, quarantined and held
// changes with their reasons, as lines for a person or a JSON array.
std::string format_rejected(store::Store& store, bool json);

// "device clock 3 min behind the server" for an offset of server minus device.
std::string describe_clock_offset(std::int64_t offset_ms);

// The agent's version, e.g. "0.1.0", and its User-Agent, "alliance-sync/0.1.0".
std::string_view agent_version();
std::string user_agent();

}  // namespace alliance::sync
