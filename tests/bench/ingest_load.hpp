// The ingest load of the central benchmarks: clients each pushing batches of new members from
// their own device, timed; one definition, so bench_central's and bench_central_postgres's
// figures compare.
#pragma once

#include <httplib.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/cpu_time.hpp"
#include "central/server_fixture.hpp"

namespace alliance::bench {

struct IngestShape {
  int clients = 4;
  int batch_size = 500;
  int batches_per_client = 10;
  long total() const { return static_cast<long>(clients) * batches_per_client * batch_size; }
};

// Where one client pushes, as which device (its token and clock id).
struct IngestClient {
  int port = 0;
  std::string token;
  std::string hlc_node;
};

struct IngestRun {
  double seconds = 0;
  // User plus system CPU of this process during the load (the clients, and
  // a server running in this process).
  double own_cpu_seconds = 0;
  int failed_requests = 0;
  // Outcomes in the answers: applied, and anything else (duplicate, rejected...).
  long applied = 0;
  long not_applied = 0;
};

class IngestLoad {
 public:
  // Encodes every batch now, so the timed run only sends: every change
  // creates a new member, with distinct increasing clock readings.
  IngestLoad(IngestShape shape, std::vector<IngestClient> clients)
      : shape_(shape), clients_(std::move(clients)), bodies_(clients_.size()) {
    if (clients_.size() != static_cast<std::size_t>(shape_.clients)) {
      throw std::invalid_argument("IngestLoad: one client per IngestShape::clients");
    }
    for (std::size_t c = 0; c < clients_.size(); ++c) {
      for (int b = 0; b < shape_.batches_per_client; ++b) {
        std::vector<protocol::Change> changes;
        for (int i = 0; i < shape_.batch_size; ++i) {
          const int n =
              (static_cast<int>(c) * shape_.batches_per_client + b) * shape_.batch_size + i;
          changes.push_back(test::change_of(test::member_with_id(n),
                                            test::hlc_at(1000 + n, clients_[c].hlc_node)));
        }
        bodies_[c].push_back(test::push_body(changes));
      }
    }
  }

  // Each client on its own thread and keep-alive connection sends its
  // batches one after another, each after the answer to the one before.
  IngestRun run() const {
    std::vector<std::vector<std::string>> answers(clients_.size());
    std::vector<int> failures(clients_.size(), 0);
    std::vector<std::thread> threads;
    const double cpu_before = own_cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t c = 0; c < clients_.size(); ++c) {
      threads.emplace_back([&, c] {
        httplib::Client client("127.0.0.1", clients_[c].port);
        client.set_connection_timeout(5, 0);
        client.set_read_timeout(60, 0);
        client.set_write_timeout(60, 0);
        for (const auto& body : bodies_[c]) {
          auto res = client.Post("/v1/sync/push", test::bearer(clients_[c].token), body,
                                 "application/json");
          if (res && res->status == 200) {
            answers[c].push_back(std::move(res->body));
          } else {
            ++failures[c];
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    IngestRun result;
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.own_cpu_seconds = own_cpu_seconds() - cpu_before;
    for (std::size_t c = 0; c < clients_.size(); ++c) {
      result.failed_requests += failures[c];
      for (const auto& answer : answers[c]) {
        const auto decoded = protocol::decode_push_response(answer);
        if (!decoded) {
          ++result.failed_requests;
          continue;
        }
        for (const auto& r : decoded->results) {
          (r.outcome == protocol::Outcome::applied ? result.applied : result.not_applied) += 1;
        }
      }
    }
    return result;
  }

 private:
  IngestShape shape_;
  std::vector<IngestClient> clients_;
  std::vector<std::vector<std::string>> bodies_;
};

}  // namespace alliance::bench
