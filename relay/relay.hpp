// A venue hub's relay: alliance-central's own database seen as one device of
// an upstream central. It sends upstream, under their original change ids,
// the changes the hub's desks pushed to it (CentralStore::relay_waiting),
// and merges upstream's records into the hub field by field so its desks
// pull them (docs/ARCHITECTURE.md, "Venue hubs"). Both directions are
// idempotent, so the relay may be killed at any moment, and a hub may be
// another hub's upstream (chained hubs). The HTTP client is the agent's
// (sync::ApiClient).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>

#include "central/store/central_store.hpp"
#include "sync/api_client.hpp"
#include "sync/backoff.hpp"

namespace alliance::relay {

struct RelayOptions {
  sync::HttpOptions http;
  // How long one pull may wait at upstream for a change (API v1 wait=).
  std::chrono::seconds pull_wait{60};
  // Queued changes per push, halved while upstream answers "too large".
  std::size_t batch_changes = 500;
  // How often the hub's queue is looked at while nothing waits in it.
  std::chrono::milliseconds queue_poll{250};
  sync::BackoffPolicy backoff{.base = std::chrono::seconds(1), .cap = std::chrono::seconds(60)};
};

// What one push or pull pass did.
struct RelayReport {
  int relayed = 0;            // queued changes answered upstream
  int refused_upstream = 0;   // of them, refused for good (they stay on the hub)
  int pulled = 0;             // records pulled from upstream
  int written = 0;            // of them, written into the hub for its desks
  int refused = 0;            // of them, refused by the hub (invalid, another office)
  bool started_over = false;  // upstream went back in time: everything goes again
  std::optional<sync::ApiFailure> failure;
  bool ok() const { return !failure; }
};

// Enrols the hub upstream with a relay code (alliance-central enroll-code
// --relay) and saves the enrolment in the hub's database. Errors are
// messages a person can act on.
std::expected<central::RelayEnrolment, std::string> enrol_upstream(central::CentralStore& hub,
                                                                   const std::string& upstream_url,
                                                                   const std::string& code,
                                                                   const std::string& name,
                                                                   const sync::HttpOptions& http);

class Relay {
 public:
  Relay(central::CentralStore& hub, central::RelayEnrolment enrolment, RelayOptions options,
        const std::atomic<bool>* stop = nullptr);

  // Pushes queued changes until none waits (or a failure).
  RelayReport push_waiting();
  // Pulls upstream until it has nothing more; with `wait`, the first pull
  // may be held that long for a change.
  RelayReport pull_all(std::chrono::seconds wait = std::chrono::seconds(0));
  // Both directions until the stop flag is raised, each on its own thread
  // and connection, with backoff after failures. Returns the exit code.
  int run();

 private:
  // Whether the answer's upstream lineage says upstream went back in time;
  // then the queue and the pull start over (RelayReport::started_over).
  bool upstream_went_back(const protocol::CentralLineage& lineage);
  bool stopping() const { return stop_ != nullptr && stop_->load(); }
  // Sleeps up to `delay`, waking early when the stop flag is raised.
  void pause(std::chrono::milliseconds delay) const;

  central::CentralStore& hub_;
  central::RelayEnrolment enrolment_;
  RelayOptions options_;
  const std::atomic<bool>* stop_;
  sync::ApiClient push_client_;
  sync::ApiClient pull_client_;
  std::size_t batch_changes_;
};

}  // namespace alliance::relay
