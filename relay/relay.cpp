// The relay's two directions and its loop (relay.hpp).
#include "relay/relay.hpp"

#include <algorithm>
#include <thread>
#include <utility>
#include <vector>

#include "common/protocol/codec.hpp"
#include "common/util/log.hpp"
#include "common/util/strings.hpp"
#include "common/util/uuid.hpp"

namespace alliance::relay {
namespace {

constexpr int kPullPageLimit = 500;

// The hub's clock id upstream: it makes no changes of its own, but an
// enrolment binds one, and it must be a valid device node.
std::string new_hub_node() {
  return "hub-" + util::new_uuid_v7();
}

}  // namespace

std::expected<central::RelayEnrolment, std::string> enrol_upstream(central::CentralStore& hub,
                                                                   const std::string& upstream_url,
                                                                   const std::string& code,
                                                                   const std::string& name,
                                                                   const sync::HttpOptions& http) {
  sync::ApiClient client(upstream_url, http);
  if (client.url_problem()) return std::unexpected(*client.url_problem());
  const std::string node = new_hub_node();
  auto answer = client.enroll(protocol::EnrollRequest{
      .code = code, .device_name = name, .app_version = ALLIANCE_VERSION, .hlc_node = node});
  if (!answer) {
    return std::unexpected(util::cat("upstream refused the enrolment (", answer.error().code,
                                     "): ", answer.error().message));
  }
  auto saved = hub.save_relay_enrolment(central::RelayEnrolment{.upstream_url = client.base_url(),
                                                                .device_id = answer->device_id,
                                                                .token = answer->token,
                                                                .office = answer->office,
                                                                .hlc_node = node});
  if (!saved) return std::unexpected(saved.error().message);
  return *saved;
}

Relay::Relay(central::CentralStore& hub, central::RelayEnrolment enrolment, RelayOptions options,
             const std::atomic<bool>* stop)
    : hub_(hub),
      enrolment_(std::move(enrolment)),
      options_(std::move(options)),
      stop_(stop),
      push_client_(enrolment_.upstream_url, options_.http),
      pull_client_(enrolment_.upstream_url, options_.http),
      batch_changes_(std::max<std::size_t>(1, options_.batch_changes)) {
  push_client_.set_token(enrolment_.token);
  pull_client_.set_token(enrolment_.token);
}

bool Relay::upstream_went_back(const protocol::CentralLineage& lineage) {
  if (lineage.database_id.empty()) return false;  // an upstream that says nothing
  const auto known = hub_.relay_cursor().upstream;
  const bool went_back =
      !known.database_id.empty() &&
      (lineage.database_id != known.database_id || lineage.restore_epoch != known.restore_epoch ||
       lineage.server_seq < known.server_seq);
  if (went_back) {
    log::warn("relay.upstream_went_back", {{"restore_epoch", lineage.restore_epoch},
                                           {"server_seq", lineage.server_seq},
                                           {"seen_seq", known.server_seq}});
    hub_.relay_start_over(lineage);
    return true;
  }
  if (known.database_id.empty() || lineage.server_seq > known.server_seq) {
    hub_.relay_saw_upstream(lineage);
  }
  return false;
}

RelayReport Relay::push_waiting() {
  RelayReport report;
  while (!stopping()) {
    const auto waiting = hub_.relay_waiting(batch_changes_);
    if (waiting.empty()) break;
    protocol::PushRequest request;
    request.changes.reserve(waiting.size());
    for (const auto& queued : waiting) request.changes.push_back(queued.change);
    auto answer = push_client_.push(protocol::encode(request), hub_.relay_waiting_count());
    if (!answer) {
      if (answer.error().kind == sync::FailureKind::too_large && batch_changes_ > 1) {
        batch_changes_ = std::max<std::size_t>(1, batch_changes_ / 2);
        continue;
      }
      report.failure = answer.error();
      break;
    }
    if (answer->results.size() != waiting.size()) {
      report.failure = sync::ApiFailure{
          .kind = sync::FailureKind::transient,
          .code = "bad_answer",
          .message = "upstream answered a push with a different number of results"};
      break;
    }
    if (upstream_went_back(answer->central)) {
      report.started_over = true;
      continue;  // everything waits again; this answer was recorded by the old upstream's count
    }
    std::vector<std::pair<std::int64_t, std::string>> answered;
    bool held_back = false;
    for (std::size_t i = 0; i < waiting.size(); ++i) {
      const auto& result = answer->results[i];
      if (result.change_id != waiting[i].change.change_id) {
        report.failure =
            sync::ApiFailure{.kind = sync::FailureKind::transient,
                             .code = "bad_answer",
                             .message = "upstream answered a push with results in another order"};
        return report;
      }
      if (result.outcome == protocol::Outcome::rejected) {
        if (protocol::refusal_may_clear(result.code)) {
          held_back = true;  // it stays queued and goes again after a pause
          continue;
        }
        ++report.refused_upstream;
        log::warn("relay.change_refused_upstream",
                  {{"change", log::Id(result.change_id)}, {"code", log::Text(result.code)}});
      }
      answered.emplace_back(waiting[i].position,
                            util::cat(protocol::to_string(result.outcome),
                                      result.code.empty() ? "" : ":", result.code));
    }
    hub_.relay_answered(answered);
    report.relayed += static_cast<int>(answered.size());
    if (held_back) {
      report.failure = sync::ApiFailure{.kind = sync::FailureKind::transient,
                                        .code = "held",
                                        .message = "upstream asked for some changes again later"};
      break;
    }
  }
  return report;
}

RelayReport Relay::pull_all(std::chrono::seconds wait) {
  RelayReport report;
  for (bool first = true; !stopping(); first = false) {
    const std::int64_t cursor = hub_.relay_cursor().cursor;
    const std::int64_t depth = hub_.relay_waiting_count();
    auto page = first && wait.count() > 0
                    ? pull_client_.pull_waiting(cursor, kPullPageLimit, wait, depth)
                    : pull_client_.pull(cursor, kPullPageLimit, {}, depth);
    if (!page) {
      report.failure = page.error();
      break;
    }
    if (upstream_went_back(page->central)) {
      report.started_over = true;
      continue;  // the page was read from the cursor of the old upstream
    }
    const auto applied = hub_.apply_upstream_page(*page, enrolment_.office, cursor);
    if (!applied) continue;  // the cursor moved meanwhile (started over): read again
    report.pulled += static_cast<int>(page->changes.size());
    report.written += applied->written;
    report.refused += applied->refused;
    if (applied->refused > 0) {
      log::warn("relay.records_refused", {{"count", applied->refused}});
    }
    if (!page->more) break;
  }
  return report;
}

void Relay::pause(std::chrono::milliseconds delay) const {
  const auto until = std::chrono::steady_clock::now() + delay;
  while (!stopping() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(
        std::min<std::chrono::milliseconds>(std::chrono::milliseconds(100), delay));
  }
}

int Relay::run() {
  log::info("relay.started",
            {{"pull_wait_s", static_cast<std::int64_t>(options_.pull_wait.count())}});
  // Upward: as soon as a desk's change is queued. Downward: a pull held at
  // upstream until something changes there. Each has its own connection, so
  // a held pull never delays a desk's registration on its way up.
  std::thread upward([this] {
    sync::Backoff backoff(options_.backoff);
    while (!stopping()) {
      const auto report = push_waiting();
      if (report.relayed > 0) log::info("relay.pushed", {{"changes", report.relayed}});
      if (report.ok()) {
        backoff.reset();
        pause(options_.queue_poll);
      } else {
        log::warn("relay.push_failed", {{"kind", log::Text(sync::to_string(report.failure->kind))},
                                        {"code", log::Text(report.failure->code)}});
        pause(backoff.next(report.failure->retry_after));
      }
    }
  });
  sync::Backoff backoff(options_.backoff);
  while (!stopping()) {
    const auto report = pull_all(options_.pull_wait);
    if (report.written > 0) log::info("relay.pulled", {{"records", report.written}});
    if (report.ok()) {
      backoff.reset();
    } else if (!stopping()) {
      log::warn("relay.pull_failed", {{"kind", log::Text(sync::to_string(report.failure->kind))},
                                      {"code", log::Text(report.failure->code)}});
      pause(backoff.next(report.failure->retry_after));
    }
  }
  upward.join();
  log::info("relay.stopped", {});
  return 0;
}

}  // namespace alliance::relay
