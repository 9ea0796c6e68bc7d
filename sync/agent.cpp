// The agent: push, pull, status, and the daemon loop around them.
#include "sync/agent.hpp"

#include <algorithm>
#include <deque>
#include <future>
#include <random>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/bundle/signing.hpp"
#include "common/model/text.hpp"
#include "common/protocol/codec.hpp"
#include "common/store/backup.hpp"
#include "common/store/file_health.hpp"
#include "common/util/log.hpp"
#include "common/util/reference_code.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

#ifndef ALLIANCE_VERSION
#define ALLIANCE_VERSION "0.0.0"
#endif

namespace alliance::sync {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string now_iso() {
  return util::iso8601_utc(std::chrono::system_clock::now());
}

std::string iso_in(milliseconds delay) {
  return util::iso8601_utc(std::chrono::system_clock::now() + delay);
}

std::uint64_t seed_or_random(std::uint64_t seed) {
  return seed != 0 ? seed : std::random_device{}();
}

ApiFailure not_enrolled() {
  return {.kind = FailureKind::unauthorized,
          .code = "not_enrolled",
          .message = "this database is not enrolled"};
}

ApiFailure store_failure(const store::StoreError& e) {
  return ApiFailure{.kind = FailureKind::transient, .code = "store", .message = e.what()};
}

std::string json_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\u00";
          out += hex[(c >> 4) & 0xf];
          out += hex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  return out;
}

// A failure in which no answer came back at all: the server is out of reach.
bool unreachable(const ApiFailure& f) {
  return f.http_status == 0 && f.code != "store" && f.code != "too_large" &&
         f.code != "record_too_large";
}

std::string refused_url_line(const ApiFailure& f) {
  return util::cat(
      "server URL refused: ", f.message,
      "; enrol again with an https:// URL (alliance-sync enroll --server https://...)");
}

// Adds a further push pass to an attempt's report; its failure ends the attempt.
void add_push(SyncReport& report, const SyncReport& again) {
  report.pushed += again.pushed;
  report.applied += again.applied;
  report.duplicate += again.duplicate;
  report.conflict += again.conflict;
  report.rejected += again.rejected;
  report.held += again.held;
  report.quarantined += again.quarantined;
  report.batches += again.batches;
  report.requeued += again.requeued;
  report.failure = again.failure;
}

// Sleeps up to `total`, waking early when *stop is raised or wake() holds.
template <class Wake>
void nap(milliseconds total, const std::atomic<bool>* stop, Wake wake) {
  const auto until = Clock::now() + total;
  while (Clock::now() < until) {
    if ((stop != nullptr && stop->load()) || wake()) return;
    std::this_thread::sleep_for(std::min<Clock::duration>(milliseconds(50), until - Clock::now()));
  }
}

}  // namespace

std::optional<std::string> change_damage(const store::OutboxEntry& e) {
  auto change = protocol::decode_change(e.payload);
  if (!change) return "the stored change cannot be read: " + change.error().message;
  if (change->change_id != e.change_id) return std::string("its change id differs from its row's");
  if (change->entity_id != e.entity_id) return std::string("its record id differs from its row's");
  if (protocol::to_string(change->entity) != e.entity) {
    return std::string("its record kind differs from its row's");
  }
  return std::nullopt;
}

std::string_view agent_version() {
  return ALLIANCE_VERSION;
}

std::string user_agent() {
  return util::cat("alliance-sync/", agent_version());
}

Agent::Agent(store::Store& store, AgentOptions options, const std::atomic<bool>* stop)
    : store_(store),
      options_(std::move(options)),
      stop_(stop),
      backoff_(options_.backoff, seed_or_random(options_.seed)),
      status_(store_.sync_status()),
      batch_count_(std::max<std::size_t>(1, options_.batch_max_changes)),
      pull_limit_(std::max(1, options_.pull_limit)),
      central_watch_(store) {
  options_.http.stop = stop_;
  if (options_.http.user_agent.empty() || options_.http.user_agent == "alliance-sync") {
    options_.http.user_agent = user_agent();
  }
  reload_credentials();
}

Agent::~Agent() {
  abandon_waiting_pull();  // else its thread would be waited for, up to a whole wait
}

bool Agent::reload_credentials() {
  auto loaded = store::load_credentials(store_);
  const bool same = loaded && credentials_ && loaded->token == credentials_->token &&
                    loaded->server_url == credentials_->server_url;
  if (same) return false;
  abandon_waiting_pull();
  record_data_use();
  for (const auto* client : all_clients()) {
    const auto& t = client->stats();
    retired_traffic_.requests += t.requests;
    retired_traffic_.bytes_sent += t.bytes_sent;
    retired_traffic_.bytes_received += t.bytes_received;
    retired_traffic_.body_bytes_raw += t.body_bytes_raw;
    retired_traffic_.body_bytes_sent += t.body_bytes_sent;
  }
  credentials_ = std::move(loaded);
  client_.reset();
  ahead_clients_.clear();
  wait_client_.reset();
  status_.clock_offset_ms.reset();  // another enrolment: measured anew
  if (credentials_) {
    const auto make_client = [&](const HttpOptions& http) {
      auto client = std::make_unique<ApiClient>(credentials_->server_url, http);
      client->set_token(credentials_->token);
      client->set_gzip(options_.gzip);
      return client;
    };
    client_ = make_client(options_.http);
    // A connection for each batch sent ahead (push_all). Not under a
    // bandwidth cap: two uploads at once would each take the whole cap.
    if (options_.pipeline_pushes && options_.http.max_rate == 0) {
      const auto window = std::clamp<std::size_t>(options_.push_window, 1, kMaxPushWindow);
      for (std::size_t i = 1; i < window; ++i) ahead_clients_.push_back(make_client(options_.http));
    }
    // The waiting pull's own connection, with its own stop flag: pushes never
    // queue behind it, and it can be abandoned alone.
    HttpOptions waiting = options_.http;
    waiting.stop = &abandon_wait_;
    wait_client_ = make_client(waiting);
  }
  return true;
}

std::vector<const ApiClient*> Agent::all_clients() const {
  std::vector<const ApiClient*> clients;
  if (client_) clients.push_back(client_.get());
  for (const auto& client : ahead_clients_) clients.push_back(client.get());
  if (wait_client_) clients.push_back(wait_client_.get());
  return clients;
}

bool Agent::enrolled() {
  reload_credentials();
  return credentials_.has_value();
}

TrafficStats Agent::traffic() const {
  TrafficStats t = retired_traffic_;
  for (const auto* client : all_clients()) {
    const auto& c = client->stats();
    t.requests += c.requests;
    t.bytes_sent += c.bytes_sent;
    t.bytes_received += c.bytes_received;
    t.body_bytes_raw += c.body_bytes_raw;
    t.body_bytes_sent += c.body_bytes_sent;
  }
  return t;
}

SyncReport Agent::push_all() {
  SyncReport report;
  if (!client_) {
    report.failure = not_enrolled();
    return report;
  }
  // The batch whose answer is awaited first, and (in steady state) the ones
  // after it, sent before that answer comes so the link and central never
  // idle. Changes are acknowledged only from their own answer, in queue
  // order; batches sent ahead whose answers go unused (any path but success
  // below) are waited for and dropped: their changes stay pending and are
  // sent again, and central answers the replays as duplicates.
  std::deque<SentBatch> in_flight;
  const std::size_t full = std::max<std::size_t>(1, options_.batch_max_changes);
  const std::size_t window = options_.pipeline_pushes ? 1 + ahead_clients_.size() : 1;
  // Batches sent together share the link and would end together, leaving it
  // idle while their answers come back; so a window filled from empty is
  // staggered: 1/3, 2/3, then whole batches (for a window of 3).
  const auto staggered = [&](std::size_t position) {
    return std::max<std::size_t>(1, batch_count_ * (position + 1) / window);
  };
  try {
    while (true) {
      if (stopping()) {
        report.failure =
            ApiFailure{.kind = FailureKind::stopped, .code = "stopped", .message = "stopped"};
        return report;
      }
      if (in_flight.empty()) {
        auto first = store_.next_batch(batch_count_ >= full ? staggered(0) : batch_count_,
                                       options_.batch_max_bytes);
        if (first.empty()) return report;
        if (quarantine_damaged(first, report)) continue;
        in_flight.push_back(send_batch(std::move(first), *client_));
      }
      while (in_flight.size() < window && batch_count_ >= full) {
        auto next = store_.next_batch(staggered(in_flight.size()), options_.batch_max_bytes,
                                      in_flight.back().batch.back().seq);
        std::vector<const std::vector<store::OutboxEntry>*> sent;
        for (const auto& b : in_flight) sent.push_back(&b.batch);
        if (next.empty() || !may_send_ahead(sent, next)) break;
        in_flight.push_back(send_batch(std::move(next), idle_client(in_flight)));
      }
      std::optional<SentBatch> current = std::move(in_flight.front());
      in_flight.pop_front();
      // Dropped (waited for) at the end of this pass unless this answer is clean.
      std::deque<SentBatch> ahead = std::exchange(in_flight, {});
      auto batch = std::move(current->batch);
      auto answer = current->answer.get();
      const std::int64_t seq_seen_when_sent = current->seq_seen_when_sent;
      current.reset();
      if (!answer) {
        const ApiFailure& f = answer.error();
        if (f.kind == FailureKind::answer_too_large) {
          // The server may have applied the batch; its answer was too big to
          // read. A smaller batch gets a smaller answer (replays come back as
          // duplicates). A single change is never set aside for this: its
          // answer is retried later, as after a lost answer.
          if (batch.size() > 1) {
            batch_count_ = std::max<std::size_t>(1, batch.size() / 2);
            log::warn("sync.push_answer_too_large",
                      {{"changes", batch.size()}, {"next_batch", batch_count_}});
            continue;
          }
          report.failure = f;
          report.failure->kind = FailureKind::transient;
          return report;
        }
        const bool refused = f.kind == FailureKind::too_large || f.kind == FailureKind::permanent;
        if (refused && batch.size() > 1) {
          // Halve until the change the server cannot take stands alone.
          batch_count_ = std::max<std::size_t>(1, batch.size() / 2);
          log::warn(
              "sync.push_refused",
              {{"status", f.http_status}, {"changes", batch.size()}, {"next_batch", batch_count_}});
          continue;
        }
        if (refused) {
          // One change the server will not take as sent: set it aside so it
          // cannot block the rest of the queue. Too large may clear (the
          // server's limit is raised): held and sent again later; anything
          // else waits, visible, for staff.
          const auto& change = batch.front();
          if (f.kind == FailureKind::too_large || protocol::refusal_may_clear(f.code)) {
            store_.hold(change.change_id, f.code.empty() ? "too_large" : f.code, f.message,
                        hold_delay(change.attempts));
            ++report.held;
          } else {
            store_.reject(change.change_id, f.code, f.message);
            ++report.rejected;
          }
          ++report.pushed;
          log::warn("sync.change_refused", {{"change", log::Id(change.change_id)},
                                            {"status", f.http_status},
                                            {"code", log::Text(f.code)}});
          continue;
        }
        report.failure = f;
        return report;
      }
      const auto& results = answer->results;
      bool matches = results.size() == batch.size();
      for (std::size_t i = 0; matches && i < results.size(); ++i) {
        matches = results[i].change_id == batch[i].change_id;
      }
      if (!matches) {
        // Bisect: the halves whose answers match go through; the change
        // that spoils its answer ends up alone, and after a few tries is set
        // aside so the queue behind it flows.
        if (batch.size() > 1) {
          batch_count_ = std::max<std::size_t>(1, batch.size() / 2);
          log::warn("sync.push_answer_unmatched",
                    {{"changes", batch.size()}, {"next_batch", batch_count_}});
          continue;
        }
        const auto& change = batch.front();
        const std::int64_t tries = store_.count_attempt(change.change_id);
        if (tries >= kMaxUnmatchedAnswers) {
          store_.quarantine(
              change.change_id, "unmatched_answer",
              util::cat("the server's answer never matched this change (", tries,
                        " tries); it is set aside so the rest of the queue can go. Resend it "
                        "with alliance-sync resend, or discard it"));
          ++report.quarantined;
          log::warn("sync.change_quarantined",
                    {{"change", log::Id(change.change_id)}, {"reason", log::Text("unmatched")}});
          continue;
        }
        report.failure = ApiFailure{.kind = FailureKind::transient,
                                    .http_status = 200,
                                    .code = "bad_answer",
                                    .message = "the server's results do not match the batch"};
        return report;
      }
      record_results(batch, results, report);
      watch_central(answer->central, std::nullopt, report, seq_seen_when_sent);
      report.pushed += static_cast<std::int64_t>(batch.size());
      ++report.batches;
      log::info("sync.pushed", {{"changes", batch.size()},
                                {"applied", report.applied},
                                {"duplicate", report.duplicate},
                                {"conflict", report.conflict},
                                {"rejected", report.rejected}});
      batch_count_ =
          std::min(std::max<std::size_t>(1, options_.batch_max_changes), batch_count_ * 2);
      in_flight = std::move(ahead);
    }
  } catch (const store::StoreError& e) {
    report.failure = store_failure(e);
    return report;
  }
}

void Agent::record_results(const std::vector<store::OutboxEntry>& batch,
                           const std::vector<protocol::ChangeResult>& results, SyncReport& report) {
  std::vector<store::Ack> acks;
  std::vector<const protocol::ChangeResult*> refusals;
  for (const auto& r : results) {
    switch (r.outcome) {
      case protocol::Outcome::applied:
        ++report.applied;
        break;
      case protocol::Outcome::duplicate:
        ++report.duplicate;
        break;
      case protocol::Outcome::conflict:
        ++report.conflict;
        break;
      case protocol::Outcome::rejected:
        refusals.push_back(&r);
        continue;
    }
    acks.push_back({.change_id = r.change_id, .outcome = r.outcome});
  }
  // The server has these: recording that must not fail for a full disk.
  store::with_disk_reserve(store_.db().path(), [&] { store_.acknowledge(acks); });
  for (const auto* r : refusals) {
    std::string message = r->message;
    for (const auto& e : r->errors) message += util::cat(" ", e.field, "=", e.key);
    if (protocol::refusal_may_clear(r->code)) {
      const auto at = static_cast<std::size_t>(r - results.data());
      store::with_disk_reserve(store_.db().path(), [&] {
        store_.hold(r->change_id, r->code, message, hold_delay(batch[at].attempts));
      });
      ++report.held;
    } else {
      store::with_disk_reserve(store_.db().path(),
                               [&] { store_.reject(r->change_id, r->code, message); });
      ++report.rejected;
    }
  }
}

bool may_send_ahead(const std::vector<const std::vector<store::OutboxEntry>*>& in_flight,
                    const std::vector<store::OutboxEntry>& next) {
  std::unordered_set<std::string_view> records;
  for (const auto* batch : in_flight) {
    for (const auto& e : *batch) records.insert(e.entity_id);
  }
  return std::none_of(next.begin(), next.end(), [&](const store::OutboxEntry& e) {
    return records.contains(e.entity_id) || change_damage(e).has_value();
  });
}

ApiClient& Agent::idle_client(const std::deque<SentBatch>& in_flight) {
  const auto busy = [&](const ApiClient* client) {
    return std::ranges::any_of(in_flight, [&](const SentBatch& b) { return b.client == client; });
  };
  if (!busy(client_.get())) return *client_;
  for (auto& client : ahead_clients_) {
    if (!busy(client.get())) return *client;
  }
  throw std::logic_error("more push batches in flight than connections");
}

Agent::SentBatch Agent::send_batch(std::vector<store::OutboxEntry> batch, ApiClient& client) {
  std::vector<std::string_view> payloads;
  payloads.reserve(batch.size());
  for (const auto& e : batch) payloads.emplace_back(e.payload);
  auto body = protocol::encode_push_request_from_encoded(payloads);
  // Counted here, on the store's thread: this batch, any batch still in
  // flight, and the rest of the queue.
  const std::int64_t queue_depth = store_.pending_count();
  // Only the HTTP exchange runs on the other thread; the store stays on this one.
  auto answer = std::async(std::launch::async, [&client, body = std::move(body), queue_depth] {
    return client.push(body, queue_depth);
  });
  return SentBatch{.batch = std::move(batch),
                   .client = &client,
                   .seq_seen_when_sent = central_watch_.remembered().seq_seen,
                   .answer = std::move(answer)};
}

std::chrono::milliseconds Agent::hold_delay(std::int64_t attempts) const {
  const auto base = std::max(milliseconds(1), options_.hold_base);
  const int doublings = static_cast<int>(std::clamp<std::int64_t>(attempts, 0, 20));
  return std::min<milliseconds>(store::kLongestHold, base * (std::int64_t{1} << doublings));
}

bool Agent::quarantine_damaged(const std::vector<store::OutboxEntry>& batch, SyncReport& report) {
  bool any = false;
  for (const auto& e : batch) {
    const auto problem = change_damage(e);
    if (!problem) continue;
    store_.quarantine(e.change_id, "damaged_change",
                      util::cat("the stored change is damaged (", *problem,
                                "); it is set aside so the rest of the queue can go. Correct "
                                "the record at the desk and discard this change"));
    ++report.quarantined;
    any = true;
    log::warn("sync.change_quarantined",
              {{"change", log::Id(e.change_id)}, {"reason", log::Text("damaged")}});
  }
  return any;
}

void Agent::after_answers(SyncReport& report) {
  if (!client_ || !client_->clock()) return;
  const std::int64_t offset = client_->clock()->offset_ms;
  try {
    // This device is behind the server: write after what the server has seen.
    if (offset > 1000) {
      store_.observe_server_clock(util::to_unix_ms(std::chrono::system_clock::now()) + offset);
    }
    // The clock is right again: what a server refused for it goes at once.
    const std::int64_t magnitude = offset < 0 ? -offset : offset;
    if (magnitude <= kClockInStepMs && store_.release_holds("clock_ahead") > 0 && report.ok()) {
      add_push(report, push_all());
    }
  } catch (const store::StoreError& e) {
    log::warn("sync.clock_not_recorded", {{"reason", log::Text(e.what())}});
  }
}

SyncReport Agent::pull_all() {
  SyncReport report;
  if (!client_) {
    report.failure = not_enrolled();
    return report;
  }
  try {
    std::int64_t cursor = store_.pull_cursor();
    // Set by alliance-sync restore: this device's own records made after the
    // backup exist only on the server; pull everything once, them included.
    const bool include_own = store_.meta(store::kMetaPullOwnRecords) == "1";
    // Enrolled before central handed out reference-code prefixes, or
    // restored from a backup: the first page brings one.
    bool new_code_prefix = store_.reference_code_prefix().empty();
    // Asked once per pass: does central still hold the newest change it
    // acknowledged to this device?
    std::string acked_probe = central_watch_.acked_probe();
    const int full_page = std::max(1, options_.pull_limit);
    if (pull_limit_ < full_page && Clock::now() >= pull_limit_held_until_) {
      // Held long enough: try a larger page again, one step per hold period.
      pull_limit_ = std::min(full_page, pull_limit_ * 2);
      pull_limit_held_until_ = Clock::now() + options_.pull_shrink_hold;
    }
    while (true) {
      if (stopping()) {
        report.failure =
            ApiFailure{.kind = FailureKind::stopped, .code = "stopped", .message = "stopped"};
        return report;
      }
      auto page = client_->pull(cursor, pull_limit_,
                                {.include_own = include_own,
                                 .new_code_prefix = new_code_prefix,
                                 .acked_change = acked_probe},
                                store_.pending_count());
      if (!page) {
        const ApiFailure& f = page.error();
        const bool oversized =
            f.kind == FailureKind::answer_too_large || f.kind == FailureKind::too_large;
        if (oversized && pull_limit_ > 1) {
          // Ask again from the same cursor for half as many records; the
          // page size stays down for a while so the next pulls do not pay
          // for an oversized answer again.
          pull_limit_ = std::max(1, pull_limit_ / 2);
          pull_limit_held_until_ = Clock::now() + options_.pull_shrink_hold;
          log::warn("sync.pull_page_shrunk", {{"status", f.http_status},
                                              {"code", log::Text(f.code)},
                                              {"cursor", cursor},
                                              {"next_limit", pull_limit_}});
          continue;
        }
        if (oversized) {
          // One record is too large even alone: say so, and retry only
          // after the backoff (the rest of the sequence waits behind it).
          report.failure = ApiFailure{
              .kind = FailureKind::transient,
              .http_status = f.http_status,
              .code = "record_too_large",
              .message = util::cat("the server's next change after pull cursor ", cursor,
                                   " is too large to receive even alone (", f.message,
                                   "); pulling retries after a pause, and the server's later "
                                   "changes wait behind it"),
              .retry_after = f.retry_after};
          return report;
        }
        report.failure = f;
        // A pull the server refuses as asked is still worth retrying later.
        if (report.failure->kind == FailureKind::permanent ||
            report.failure->kind == FailureKind::too_large) {
          report.failure->kind = FailureKind::transient;
        }
        return report;
      }
      const std::optional<bool> acked_held = acked_probe.empty() ? std::nullopt : page->acked_held;
      acked_probe.clear();
      watch_central(page->central, acked_held, report);
      if (report.pull_restarted) {
        // The page's cursor belongs to a sequence central no longer holds:
        // the attempt sends the requeued changes and pulls again from 0.
        return report;
      }
      if (new_code_prefix) {
        new_code_prefix = false;  // asked once per pass: each answer spends a prefix
        adopt_code_prefix(page->code_prefix);
      }
      store_.apply_pulled(page->changes, page->next_cursor);
      report.pulled += static_cast<std::int64_t>(page->changes.size());
      const bool advanced = page->next_cursor > cursor;
      cursor = page->next_cursor;
      if (!page->changes.empty()) {
        log::info("sync.pulled", {{"changes", page->changes.size()}, {"cursor", cursor}});
      }
      if (!page->more || !advanced) {
        if (include_own) {
          store::Transaction tx(store_.db());
          store_.set_meta(store::kMetaPullOwnRecords, "0");
          tx.commit();
        }
        return report;
      }
    }
  } catch (const store::StoreError& e) {
    report.failure = store_failure(e);
    return report;
  }
}

void Agent::watch_central(const protocol::CentralLineage& lineage, std::optional<bool> acked_held,
                          SyncReport& report, std::optional<std::int64_t> seq_seen_when_sent) {
  std::optional<RollbackFound> found;
  store::with_disk_reserve(store_.db().path(), [&] {
    found = central_watch_.observe(lineage, acked_held, seq_seen_when_sent);
  });
  // Central's bundle-answer key, for enrolments older than it or a key that
  // changed (a central database put in another's place): the answer came
  // over the authenticated connection, so it is the key to trust.
  if (credentials_ && lineage.signing_key != credentials_->central_key &&
      bundle::is_public_key(lineage.signing_key)) {
    store::with_disk_reserve(store_.db().path(),
                             [&] { store::save_central_key(store_, lineage.signing_key); });
    credentials_->central_key = lineage.signing_key;
  }
  if (!found) return;
  report.requeued += found->requeued;
  report.pull_restarted = true;
}

void Agent::adopt_code_prefix(const std::string& prefix) {
  if (prefix.empty()) {
    log::info("sync.no_code_prefix", {{"reason", log::Text("the server handed out none")}});
    return;
  }
  if (!util::is_allocatable_reference_prefix(prefix)) {
    log::warn("sync.code_prefix_refused",
              {{"reason", log::Text("not a prefix central hands out")}});
    return;
  }
  store::Transaction tx(store_.db());
  store_.set_reference_code_prefix(prefix);
  tx.commit();
  log::info("sync.code_prefix_received", {{"prefix", log::Text(prefix)}});
}

void Agent::write_status(const SyncReport* report, milliseconds retry_in) {
  status_.server_url = credentials_ ? credentials_->server_url : "";
  if (client_ && client_->clock()) status_.clock_offset_ms = client_->clock()->offset_ms;
  if (report == nullptr) {
    status_.state = "syncing";
    status_.last_attempt_at = now_iso();
  } else if (report->ok()) {
    status_.state = "idle";
    status_.last_success_at = now_iso();
    status_.last_error.clear();
    status_.next_retry_at.clear();
    status_.last_pushed = report->pushed;
    status_.last_pulled = report->pulled;
  } else {
    const ApiFailure& f = *report->failure;
    status_.last_pushed = report->pushed;
    status_.last_pulled = report->pulled;
    status_.next_retry_at.clear();
    switch (f.kind) {
      case FailureKind::unauthorized:
        status_.state = "not_enrolled";
        status_.last_error = "device not enrolled or revoked: " + f.message;
        break;
      case FailureKind::revoked:
        status_.state = "revoked";
        status_.last_error = "device not enrolled or revoked: " + f.message;
        break;
      case FailureKind::stopped:
        status_.state = "idle";
        status_.last_error = "stopped before finishing; the rest waits for the next start";
        break;
      case FailureKind::refused_url:
        status_.state = "not_enrolled";
        status_.last_error = refused_url_line(f);
        break;
      default:
        status_.state = unreachable(f) ? "offline" : "backing_off";
        // "HTTP 200" says nothing when the trouble was the answer itself.
        status_.last_error = f.http_status != 0 && f.http_status != 200
                                 ? util::cat("HTTP ", f.http_status, " ", f.code, ": ", f.message)
                                 : util::cat(f.code, ": ", f.message);
        status_.next_retry_at = iso_in(retry_in);
    }
  }
  try {
    store_.write_sync_status(status_);
  } catch (const store::StoreError& e) {
    log::warn("sync.status_not_written", {{"reason", log::Text(e.what())}});
  }
}

Attempt Agent::attempt(bool pull) {
  Attempt result;
  reload_credentials();
  if (!client_) {
    result.report.failure =
        ApiFailure{.kind = FailureKind::unauthorized,
                   .code = "not_enrolled",
                   .message = "this database is not enrolled; run alliance-sync enroll"};
    write_status(&result.report, {});
    return result;
  }
  if (const auto& problem = client_->url_problem()) {
    // Stored by an older version, which accepted any http:// URL: nothing
    // is sent until an operator enrols again.
    result.report.failure =
        ApiFailure{.kind = FailureKind::refused_url, .code = "refused_url", .message = *problem};
    write_status(&result.report, {});
    log::warn("sync.server_url_refused", {{"reason", log::Text(*problem)}});
    return result;
  }
  client_->forget_clock();
  write_status(nullptr, {});
  SyncReport pushed = push_all();
  result.report = pushed;
  // A pull that finds central went back stops, requeues and resets its
  // cursor; the requeued changes go first, then the pull starts again from 0.
  // Once is enough: the new lineage is remembered, so it cannot repeat at once.
  for (int pass = 0; pull && pass < 2 && result.report.ok(); ++pass) {
    SyncReport pulled = pull_all();
    result.report.pulled += pulled.pulled;
    result.report.requeued += pulled.requeued;
    result.report.failure = pulled.failure;
    if (!pulled.pull_restarted || !pulled.ok()) break;
    add_push(result.report, push_all());
  }
  after_answers(result.report);
  tidy_disk(result.report);
  record_data_use();
  const auto& failure = result.report.failure;
  if (!failure) {
    backoff_.reset();
  } else if (failure->kind == FailureKind::transient) {
    result.retry_in = backoff_.next(failure->retry_after);
  }
  write_status(&result.report, result.retry_in);
  if (failure) {
    log::warn("sync.attempt_failed", {{"kind", log::Text(to_string(failure->kind))},
                                      {"status", failure->http_status},
                                      {"code", log::Text(failure->code)},
                                      {"retry_ms", result.retry_in.count()},
                                      {"pushed", result.report.pushed},
                                      {"pulled", result.report.pulled}});
  } else {
    log::info("sync.attempt_done",
              {{"pushed", result.report.pushed}, {"pulled", result.report.pulled}});
  }
  return result;
}

void Agent::tidy_disk(const SyncReport& report) {
  try {
    // Written batches leave their pages in the WAL: give the space back.
    if (report.pushed > 0 || report.pulled > 0) store_.db().checkpoint();
  } catch (const store::StoreError& e) {
    log::warn("sync.checkpoint_failed", {{"reason", log::Text(e.what())}});
  }
  store::keep_disk_reserve(store_.db().path());
}

void Agent::record_data_use() {
  std::uint64_t bytes = 0;
  if (client_) bytes += client_->take_new_bytes();
  for (auto& client : ahead_clients_) bytes += client->take_new_bytes();
  // The waiting pull's client is its thread's until its answer is taken in.
  if (wait_client_ && !waiting_) bytes += wait_client_->take_new_bytes();
  if (bytes == 0) return;
  try {
    store_.add_data_use(bytes, std::chrono::system_clock::now());
  } catch (const store::StoreError& e) {
    log::warn("sync.data_use_not_recorded", {{"reason", log::Text(e.what())}});
  }
}

bool Agent::budget_spent() {
  if (options_.max_daily_bytes == 0) return false;
  try {
    return store_.data_use(std::chrono::system_clock::now()).today >= options_.max_daily_bytes;
  } catch (const store::StoreError&) {
    return false;  // unreadable for a moment: the next look decides
  }
}

bool Agent::waiting_pull_ready() const {
  return waiting_ &&
         waiting_->answer.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

void Agent::start_waiting_pull() {
  const std::int64_t cursor = store_.pull_cursor();
  const std::int64_t queue_depth = store_.pending_count();
  const auto wait =
      std::clamp(std::chrono::duration_cast<std::chrono::seconds>(options_.pull_interval),
                 std::chrono::seconds(1), kMaxPullWait);
  ApiClient* client = wait_client_.get();
  const int limit = pull_limit_;
  waiting_ = WaitingPull{.answer = std::async(std::launch::async,
                                              [client, cursor, limit, wait, queue_depth] {
                                                return client->pull_waiting(cursor, limit, wait,
                                                                            queue_depth);
                                              }),
                         .cursor = cursor,
                         .sent_at = Clock::now()};
}

void Agent::abandon_waiting_pull() {
  if (!waiting_) return;
  abandon_wait_ = true;  // libcurl's progress callback sees it within a second
  waiting_->answer.wait();
  waiting_.reset();
  abandon_wait_ = false;
}

std::optional<Agent::AfterWait> Agent::take_waiting_pull() {
  if (!waiting_pull_ready()) return std::nullopt;
  auto answer = waiting_->answer.get();
  const WaitingPull sent = std::move(*waiting_);
  waiting_.reset();
  record_data_use();
  const auto now = Clock::now();
  AfterWait next{.next_wait = now};
  if (!answer) {
    // An ordinary attempt finds out what is wrong, says so in the status
    // and backs off.
    if (answer.error().kind != FailureKind::stopped) {
      log::info("sync.waiting_pull_failed", {{"code", log::Text(answer.error().code)}});
      next.attempt_now = true;
    }
    return next;
  }
  try {
    if (store_.pull_cursor() != sent.cursor) {
      // An attempt pulled meanwhile: this page may be behind it.
      next.attempt_now = !answer->changes.empty() || answer->more;
      return next;
    }
    SyncReport report;
    watch_central(answer->central, std::nullopt, report);
    if (report.pull_restarted) {
      next.attempt_now = true;  // the attempt sends the requeued changes and pulls from 0
      return next;
    }
    if (!answer->changes.empty() || answer->next_cursor != sent.cursor) {
      store_.apply_pulled(answer->changes, answer->next_cursor);
    }
    if (!answer->changes.empty()) {
      report.pulled = static_cast<std::int64_t>(answer->changes.size());
      log::info("sync.pulled",
                {{"changes", answer->changes.size()}, {"cursor", answer->next_cursor}});
      write_status(&report, {});
      tidy_disk(report);
    }
    next.attempt_now = answer->more;
    // Answered early with nothing (a central that does not wait, or one
    // holding as many pulls as it allows): ask again a pull interval after
    // this one was sent, not at once.
    if (answer->changes.empty() && !answer->more) {
      next.next_wait = std::max(now, sent.sent_at + options_.pull_interval);
    }
  } catch (const store::StoreError& e) {
    log::warn("sync.store_busy", {{"reason", log::Text(e.what())}});
    next.attempt_now = true;
  }
  return next;
}

int Agent::run() {
  log::info("sync.started", {{"enrolled", credentials_.has_value()}});
  store::keep_disk_reserve(store_.db().path());
  try {
    store_.set_daily_budget(options_.max_daily_bytes);
  } catch (const store::StoreError& e) {
    log::warn("sync.status_not_written", {{"reason", log::Text(e.what())}});
  }
  std::int64_t seen_version = -1;
  bool dirty = true;  // work may be waiting: try at the next chance
  // The next attempt pulls too: at start, after "sync now", a failure, or
  // a waiting pull that asks for it. A local change alone is only pushed:
  // the waiting pull brings what central makes of it.
  bool pull_next = true;
  bool asked = false;         // a person asked ("sync now"): pull even over the budget
  bool auth_blocked = false;  // 401/403: wait for a new enrolment
  auto next_attempt = Clock::now();
  auto next_wait = Clock::now();  // when the next waiting pull may start
  auto next_heartbeat = Clock::now();
  if (!credentials_) {
    SyncReport r;
    r.failure = ApiFailure{.kind = FailureKind::unauthorized,
                           .code = "not_enrolled",
                           .message = "this database is not enrolled; run alliance-sync enroll"};
    write_status(&r, {});
  }
  while (!stopping()) {
    const auto now = Clock::now();
    try {
      const std::int64_t version = store_.db().data_version();
      if (version != seen_version) {
        seen_version = version;
        dirty = true;  // the kiosk (or an enrolment) wrote something
        if (reload_credentials()) {
          auth_blocked = false;
          backoff_.reset();
          next_attempt = now;
          log::info("sync.credentials_loaded", {{"enrolled", credentials_.has_value()}});
        }
        if (store_.take_sync_request()) {
          log::info("sync.requested");
          next_attempt = now;  // a person asked: skip the rest of the backoff
          asked = true;
          pull_next = true;
        }
      }
    } catch (const store::StoreError& e) {
      log::warn("sync.store_busy", {{"reason", log::Text(e.what())}});
    }
    if (now >= next_heartbeat) {
      // The kiosk tells staff when this stops (store::kAgentSilentAfter),
      // also while the agent only waits: not enrolled, or a long retry.
      next_heartbeat = now + store::kAgentHeartbeat;
      try {
        store_.note_agent_alive();
      } catch (const store::StoreError& e) {
        log::warn("sync.status_not_written", {{"reason", log::Text(e.what())}});
      }
    }
    if (auto after = take_waiting_pull()) {
      next_wait = after->next_wait;
      if (after->attempt_now) dirty = pull_next = true;
    }
    if (dirty && credentials_ && !auth_blocked && now >= next_attempt) {
      // Over the daily budget a local change is pushed, and nothing pulled
      // unless a person asked.
      const bool pull = pull_next && (asked || !budget_spent());
      Attempt a = attempt(pull);
      asked = false;
      if (stopping()) break;
      if (a.report.ok()) {
        dirty = false;
        if (pull) pull_next = false;
        next_wait = Clock::now();
      } else if (a.report.failure->kind == FailureKind::unauthorized ||
                 a.report.failure->kind == FailureKind::revoked ||
                 a.report.failure->kind == FailureKind::refused_url) {
        auth_blocked = true;
      } else {
        next_attempt = Clock::now() + a.retry_in;
        pull_next = true;
      }
      continue;  // look for more work at once: records may have arrived meanwhile
    }
    // Nothing else to do: wait at central for a change, unless the day's
    // budget is spent (looked at again a minute later).
    // (The clock read anew: an answer just taken in asks again at once, on
    // the connection it came on, long before central closes it.)
    if (!waiting_ && !dirty && credentials_ && !auth_blocked && Clock::now() >= next_wait) {
      if (budget_spent()) {
        next_wait = now + std::chrono::minutes(1);
      } else {
        try {
          start_waiting_pull();
        } catch (const store::StoreError& e) {
          log::warn("sync.store_busy", {{"reason", log::Text(e.what())}});
          next_wait = now + options_.poll_interval;
        }
      }
    }
    nap(options_.poll_interval, stop_, [this] { return waiting_pull_ready(); });
  }
  abandon_waiting_pull();
  record_data_use();
  log::info("sync.stopped");
  return 0;
}

std::expected<store::DeviceCredentials, ApiFailure> enroll_device(store::Store& store,
                                                                  const std::string& server_url,
                                                                  const std::string& code,
                                                                  const std::string& device_name,
                                                                  const HttpOptions& http) {
  HttpOptions options = http;
  if (options.user_agent.empty() || options.user_agent == "alliance-sync") {
    options.user_agent = user_agent();
  }
  ApiClient client(server_url, options);
  // A new key pair per enrolment: central registers the public half for this
  // device id and verifies the device's USB bundles with it.
  const bundle::SigningKeyPair keys = bundle::new_signing_key_pair();
  // hlc_node: the node in this database's clock values (Store::device_id), so
  // the server can bind this device's changes to the identity it enrols.
  auto answer = client.enroll(protocol::EnrollRequest{.code = code,
                                                      .device_name = device_name,
                                                      .app_version = std::string(agent_version()),
                                                      .hlc_node = store.device_id(),
                                                      .signing_key = keys.public_key});
  if (!answer) return std::unexpected(answer.error());
  store::DeviceCredentials credentials{
      .server_url = client.base_url(),
      .device_id = answer->device_id,
      .token = answer->token,
      .office = answer->office,
      .signing_key = keys.secret_key,
      .central_key = bundle::is_public_key(answer->signing_key) ? answer->signing_key : ""};
  if (util::is_allocatable_reference_prefix(answer->code_prefix)) {
    credentials.code_prefix = answer->code_prefix;
  } else if (!answer->code_prefix.empty()) {
    log::warn("sync.code_prefix_refused",
              {{"reason", log::Text("not a prefix central hands out")}});
  }
  try {
    auto previous = store::load_credentials(store);
    if (previous && previous->server_url != credentials.server_url) {
      store.apply_pulled({}, 0);    // another server's sequence: start from its beginning
      CentralWatch::forget(store);  // and another database: nothing to compare with yet
    }
    store::save_credentials(store, credentials, code);  // its hash lets staff set the first PIN
    store::SyncStatus status = store.sync_status();
    status.state = "idle";
    status.server_url = credentials.server_url;
    status.last_error.clear();
    status.next_retry_at.clear();
    status.clock_offset_ms.reset();  // measured anew against this server
    store.write_sync_status(status);
  } catch (const store::StoreError& e) {
    return std::unexpected(store_failure(e));
  }
  log::info("sync.enrolled", {{"device", log::Id(credentials.device_id)}});
  return credentials;
}

std::string format_status(store::Store& store, bool json) {
  const auto counts = store.queue_counts();
  auto status = store.sync_status();
  const auto credentials = store::load_credentials(store);
  if (!credentials) status.state = "not_enrolled";
  if (status.state.empty()) status.state = "idle";
  const auto url_problem =
      credentials ? server_url_problem(credentials->server_url) : std::optional<std::string>();
  std::string headline;
  if (url_problem) {
    headline = "server URL refused; enrol again with https://";
    status.state = "not_enrolled";
    status.last_error = refused_url_line(ApiFailure{.message = *url_problem});
  } else if (status.state == "not_enrolled" || status.state == "revoked") {
    headline = "device not enrolled or revoked";
  } else if (status.state == "offline") {
    headline = "offline";
  } else if (status.state == "backing_off") {
    headline = "waiting to retry";
  } else if (status.state == "syncing") {
    headline = "syncing";
  } else if (counts.all_synced()) {
    headline = "all records synced";
  } else if (counts.pending > 0) {
    headline = "records waiting";
  }
  // Whatever the agent last did, nothing is "synced" while a change is held,
  // refused or set aside: say what waits for whom.
  const auto add = [&](const std::string& part) {
    headline += headline.empty() ? part : "; " + part;
  };
  if (counts.held > 0) add(util::cat(counts.held, " changes held to be sent again"));
  if (counts.need_attention() > 0) {
    add(util::cat(counts.need_attention(), " changes need attention (alliance-sync rejected)"));
  }
  const auto& offset = status.clock_offset_ms;
  const std::string clock = offset ? describe_clock_offset(*offset) : "";
  const RollbackRecord rollback = CentralWatch::last_rollback(store);
  const store::DataUse data = store.data_use(std::chrono::system_clock::now());
  if (data.budget_spent()) add("background pulls paused (daily data budget spent)");
  if (json) {
    const std::string json_offset = offset ? util::cat(*offset) : "null";
    const std::string json_clock = offset ? util::cat("\"", json_escape(clock), "\"") : "null";
    return util::format(
        "{\"state\":\"{}\",\"summary\":\"{}\",\"all_synced\":{},\"queue_depth\":{},"
        "\"held\":{},\"rejected\":{},\"quarantined\":{},\"discarded\":{},"
        "\"acknowledged\":{},\"last_attempt_at\":\"{}\",\"last_success_at\":\"{}\","
        "\"last_error\":\"{}\",\"next_retry_at\":\"{}\",\"server_url\":\"{}\","
        "\"device_id\":\"{}\",\"last_pushed\":{},\"last_pulled\":{},"
        "\"clock_offset_ms\":{},\"clock\":{},\"central_rollback\":{},"
        "\"data_today_bytes\":{},\"data_month_bytes\":{},\"daily_budget_bytes\":{},"
        "\"background_pulls_paused\":{}}\n",
        json_escape(status.state), json_escape(headline), counts.all_synced() ? "true" : "false",
        counts.pending, counts.held, counts.rejected, counts.quarantined, counts.discarded,
        counts.acked, json_escape(status.last_attempt_at), json_escape(status.last_success_at),
        json_escape(status.last_error), json_escape(status.next_retry_at),
        json_escape(credentials ? credentials->server_url : status.server_url),
        json_escape(credentials ? credentials->device_id : ""), status.last_pushed,
        status.last_pulled, json_offset, json_clock,
        rollback.detected_at.empty()
            ? std::string("null")
            : util::format("{\"detected_at\":\"{}\",\"reason\":\"{}\",\"resent\":{}}",
                           json_escape(rollback.detected_at), json_escape(rollback.reason),
                           rollback.resent),
        data.today, data.this_month, data.daily_budget, data.budget_spent() ? "true" : "false");
  }
  auto or_never = [](const std::string& s) { return s.empty() ? std::string("never") : s; };
  std::string out = util::cat("state:         ", status.state, " (", headline, ")\n");
  out += util::cat("queue depth:   ", counts.pending, " waiting");
  if (counts.held > 0) out += util::cat(" (", counts.held, " held to be sent again)");
  out += "\n";
  out += util::cat("rejected:      ", counts.rejected, "\n");
  out += util::cat("quarantined:   ", counts.quarantined, "\n");
  if (counts.discarded > 0) out += util::cat("discarded:     ", counts.discarded, "\n");
  out += util::cat("acknowledged:  ", counts.acked, "\n");
  out += util::cat("last attempt:  ", or_never(status.last_attempt_at), "\n");
  out += util::cat("last success:  ", or_never(status.last_success_at), "\n");
  out += util::cat("last error:    ", status.last_error.empty() ? "none" : status.last_error, "\n");
  out +=
      util::cat("next retry:    ", status.next_retry_at.empty() ? "-" : status.next_retry_at, "\n");
  out += util::cat(
      "server:        ",
      credentials ? credentials->server_url : (status.server_url.empty() ? "-" : status.server_url),
      "\n");
  if (offset) out += util::cat("clock:         ", clock, "\n");
  out += util::cat("data used:     ", util::data_amount(data.today), " today, ",
                   util::data_amount(data.this_month), " this month (UTC)");
  if (data.daily_budget > 0) {
    out += util::cat("; daily budget ", util::data_amount(data.daily_budget));
  }
  out += "\n";
  if (data.budget_spent()) {
    out +=
        "background pulls paused until 00:00 UTC: the daily data budget is spent (pushes and "
        "sync now still go)\n";
  }
  if (!rollback.detected_at.empty()) {
    out += util::cat("central rollback: ", rollback.detected_at, " (", rollback.reason, "); ",
                     rollback.resent, " acknowledged changes sent again\n");
  }
  return out;
}

namespace {

// Where a change stands, in one word: held, rejected or quarantined.
std::string_view standing(const store::OutboxEntry& e) {
  if (e.held()) return "held";
  return e.state;
}

}  // namespace

std::string format_rejected(store::Store& store, bool json) {
  const auto changes = store.rejected_changes();
  std::string out;
  if (json) {
    out = "[";
    for (const auto& e : changes) {
      out += util::format(
          "{}\n  {\"change_id\":\"{}\",\"state\":\"{}\",\"entity\":\"{}\","
          "\"entity_id\":\"{}\",\"op\":\"{}\",\"created_at\":\"{}\",\"code\":\"{}\","
          "\"reason\":\"{}\",\"attempts\":{},\"retry_at\":\"{}\"}",
          out.size() > 1 ? "," : "", json_escape(e.change_id), standing(e), json_escape(e.entity),
          json_escape(e.entity_id), json_escape(e.op), json_escape(e.created_at),
          json_escape(e.reject_code), json_escape(e.reject_message), e.attempts,
          json_escape(e.retry_at));
    }
    out += changes.empty() ? "]\n" : "\n]\n";
    return out;
  }
  if (changes.empty()) return "no rejected, quarantined or held changes\n";
  for (const auto& e : changes) {
    out += util::cat(e.change_id, "  ", standing(e), "  ", e.op, " ", e.entity, " ", e.entity_id,
                     "  made ", e.created_at, "\n    ", e.reject_code, ": ", e.reject_message);
    if (e.held()) {
      out += util::cat("\n    sent again ", e.retry_at.empty() ? std::string("at the next sync")
                                                               : "after " + e.retry_at);
    }
    out += "\n";
  }
  out +=
      "resend: alliance-sync resend --db FILE CHANGE_ID   discard: alliance-sync discard --db "
      "FILE CHANGE_ID\n";
  // The reasons come from the server: nothing in them may drive the terminal.
  return model::escape_for_terminal(out);
}

std::string describe_clock_offset(std::int64_t offset_ms) {
  const std::int64_t magnitude = offset_ms < 0 ? -offset_ms : offset_ms;
  if (magnitude < 1000) return "device clock in step with the server";
  // Rounded to the unit a person would say: seconds, minutes, hours, days.
  auto rounded = [&](std::int64_t unit) { return (magnitude + unit / 2) / unit; };
  std::string amount;
  if (magnitude < 90'000) {
    amount = util::cat(rounded(1000), " s");
  } else if (magnitude < 90 * 60'000) {
    amount = util::cat(rounded(60'000), " min");
  } else if (magnitude < 48 * 3'600'000) {
    amount = util::cat(rounded(3'600'000), " h");
  } else {
    amount = util::cat(rounded(86'400'000), " days");
  }
  return util::cat("device clock ", amount, offset_ms > 0 ? " behind" : " ahead of", " the server");
}

}  // namespace alliance::sync
