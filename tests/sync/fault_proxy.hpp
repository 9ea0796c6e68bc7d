// A user-space TCP proxy on 127.0.0.1 that sits between the agent and the
// server and, from a seed, delays, throttles, stalls, truncates, resets,
// black-holes, answers 500/503/429 itself, or shapes every byte like a slow
// link (rate, latency, random stalls). Used by the fault tests and the benchmark.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace alliance::test {

enum class Fault {
  none,
  delay,              // extra latency on every chunk of this connection
  throttle,           // a slow connection (a few KB/s)
  stall,              // after some bytes, nothing more passes; the socket stays open
  truncate_response,  // part of the answer, then a clean close
  reset_request,      // RST while the request is on its way
  reset_response,     // RST while the answer is on its way
  lost_response,      // the server answered (and committed); the answer is dropped with RST
  black_hole,         // accepted, read, never answered
  http_500,           // answered by the proxy itself
  http_503,           // with Retry-After: 1
  http_429,           // with Retry-After: 1
};
std::string_view to_string(Fault fault);
std::vector<Fault> all_faults();  // every fault except none

// One link that every connection through the proxy shares, as a venue's
// mobile link is: two connections at once each get about half of its rate.
struct LinkShape {
  double rate_bytes_per_s = 0;  // each direction, shared by all connections; 0: unlimited
  std::chrono::milliseconds one_way_delay{0};
  double stall_probability = 0;  // per chunk forwarded: a retransmission-timeout-like pause
  std::chrono::milliseconds stall_min{200};
  std::chrono::milliseconds stall_max{1500};
};

struct FaultPlan {
  std::uint64_t seed = 1;
  double fault_probability = 0;  // per new connection, while faults are on
  std::vector<Fault> kinds = all_faults();
  LinkShape link;  // applied to every connection, faults on or off
};

class FaultProxy {
 public:
  // Listens on 127.0.0.1 (a free port) and forwards to 127.0.0.1:upstream_port.
  FaultProxy(int upstream_port, FaultPlan plan);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void set_faults(bool on) { faults_on_ = on; }
  // The next connections get these faults, in order, whatever the plan says.
  void force(std::vector<Fault> next);
  void set_link(LinkShape link);

  // Faults that actually happened (a reset planned after more bytes than the
  // connection carried never happens and is not counted).
  std::map<Fault, int> injected() const;
  int injected_total() const;
  int connections() const { return connections_.load(); }
  std::uint64_t bytes_up() const { return bytes_up_.load(); }      // client to server
  std::uint64_t bytes_down() const { return bytes_down_.load(); }  // server to client
  void reset_counters();

  struct Connection;  // internal
  void count(Fault fault);
  // Takes `bytes` of the shared link's direction; returns when they have
  // crossed it (after everything queued before them, from any connection).
  std::chrono::steady_clock::time_point occupy_link(bool up, std::size_t bytes, double rate);
  std::atomic<std::uint64_t> bytes_up_{0};
  std::atomic<std::uint64_t> bytes_down_{0};

 private:
  void accept_loop();
  Fault choose();

  int upstream_port_;
  FaultPlan plan_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> faults_on_{true};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::mt19937_64 rng_;
  std::deque<Fault> forced_;
  std::map<Fault, int> injected_;
  LinkShape link_;
  std::mutex link_mutex_;
  std::chrono::steady_clock::time_point link_free_up_{};    // when each direction of
  std::chrono::steady_clock::time_point link_free_down_{};  // the shared link is idle again
  std::thread acceptor_;
  std::vector<std::unique_ptr<Connection>> live_;
};

}  // namespace alliance::test
