// What the hostile-client tests share: the real alliance-central binary on a
// free port, raw sockets from chosen 127.0.0.x source addresses that send
// exactly the bytes a test wants, and the server's memory from /proc.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "../support/free_port.hpp"
#include "central/http/server.hpp"
#include "harness.hpp"

namespace alliance::test {

using SteadyClock = std::chrono::steady_clock;

inline double ms_since(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

// An owned socket descriptor.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket& operator=(Socket&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Socket() { reset(); }
  void reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  int fd() const { return fd_; }
  bool open() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// A TCP connection to 127.0.0.1:port from `source` (e.g. "127.0.0.7").
// With `blocking` false the descriptor is non-blocking and the connect may
// still be in progress. Closed socket if it fails.
inline Socket connect_from(const std::string& source, int port, bool blocking = true) {
  Socket s(socket(AF_INET, SOCK_STREAM | (blocking ? 0 : SOCK_NONBLOCK), 0));
  if (!s.open()) return s;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  if (bind(s.fd(), reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) return Socket();
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(static_cast<std::uint16_t>(port));
  remote.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int rc = connect(s.fd(), reinterpret_cast<const sockaddr*>(&remote), sizeof remote);
  if (rc != 0 && !(errno == EINPROGRESS && !blocking)) return Socket();
  return s;
}

// Sends all of `bytes` within `limit`; false if the peer closed or time ran out.
inline bool send_all(const Socket& s, std::string_view bytes,
                     std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = SteadyClock::now() + limit;
  std::size_t sent = 0;
  while (sent < bytes.size() && SteadyClock::now() < deadline) {
    pollfd p{.fd = s.fd(), .events = POLLOUT, .revents = 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const auto n = send(s.fd(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return sent == bytes.size();
}

// Reads until the peer closes, `limit` passes, or max_bytes arrived.
inline std::string read_until_closed(const Socket& s, std::chrono::milliseconds limit,
                                     std::size_t max_bytes = 1 << 20) {
  std::string got;
  const auto deadline = SteadyClock::now() + limit;
  char buffer[16384];
  while (got.size() < max_bytes && SteadyClock::now() < deadline) {
    pollfd p{.fd = s.fd(), .events = POLLIN, .revents = 0};
    if (poll(&p, 1, 20) <= 0) continue;
    const auto n = recv(s.fd(), buffer, sizeof buffer, 0);
    if (n <= 0) break;
    got.append(buffer, static_cast<std::size_t>(n));
  }
  return got;
}

// Reads one whole HTTP answer with a Content-Length (or until close), within `limit`.
inline std::string read_answer(const Socket& s, std::chrono::milliseconds limit) {
  std::string got;
  const auto deadline = SteadyClock::now() + limit;
  char buffer[16384];
  while (SteadyClock::now() < deadline) {
    const auto end = got.find("\r\n\r\n");
    if (end != std::string::npos) {
      auto lower = got.substr(0, end);
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      const auto at = lower.find("content-length:");
      if (at != std::string::npos) {
        const auto length = std::stoul(lower.substr(at + 15));
        if (got.size() >= end + 4 + length) return got.substr(0, end + 4 + length);
      }
    }
    pollfd p{.fd = s.fd(), .events = POLLIN, .revents = 0};
    if (poll(&p, 1, 20) <= 0) continue;
    const auto n = recv(s.fd(), buffer, sizeof buffer, 0);
    if (n <= 0) break;
    got.append(buffer, static_cast<std::size_t>(n));
  }
  return got;
}

// The status of an HTTP answer ("HTTP/1.1 431 ..." → 431), or 0.
inline int status_of(std::string_view answer) {
  if (!answer.starts_with("HTTP/1.") || answer.size() < 12) return 0;
  return std::atoi(std::string(answer.substr(9, 3)).c_str());
}

// True when the peer has closed (or reset) the connection: a read gives EOF
// or an error within `limit`. Data that arrives first is read and dropped.
inline bool closed_by_peer(const Socket& s, std::chrono::milliseconds limit) {
  const auto deadline = SteadyClock::now() + limit;
  char buffer[4096];
  while (SteadyClock::now() < deadline) {
    pollfd p{.fd = s.fd(), .events = POLLIN, .revents = 0};
    if (poll(&p, 1, 10) <= 0) continue;
    const auto n = recv(s.fd(), buffer, sizeof buffer, MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return true;
  }
  return false;
}

// One GET /v1/health on a new connection from 127.0.0.1; its latency in ms,
// or nullopt if it did not answer 200 within `limit`.
inline std::optional<double> health_ms(int port, std::chrono::milliseconds limit) {
  const auto start = SteadyClock::now();
  auto s = connect_from("127.0.0.1", port);
  if (!s.open()) return std::nullopt;
  if (!send_all(s, "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", limit)) {
    return std::nullopt;
  }
  const auto answer = read_answer(s, limit);
  if (status_of(answer) != 200) return std::nullopt;
  return ms_since(start);
}

struct LatencySummary {
  double p50 = 0;
  double max = 0;
  int failed = 0;
};

inline LatencySummary summarize(std::vector<double> samples, int failed) {
  LatencySummary summary{.failed = failed};
  if (samples.empty()) return summary;
  std::sort(samples.begin(), samples.end());
  summary.p50 = samples[samples.size() / 2];
  summary.max = samples.back();
  return summary;
}

// `count` health probes, one after another, `gap` apart.
inline LatencySummary probe_health(int port, int count, std::chrono::milliseconds gap) {
  std::vector<double> samples;
  int failed = 0;
  for (int i = 0; i < count; ++i) {
    if (auto ms = health_ms(port, std::chrono::seconds(5))) {
      samples.push_back(*ms);
    } else {
      ++failed;
    }
    std::this_thread::sleep_for(gap);
  }
  return summarize(std::move(samples), failed);
}

// A /proc/PID/status field in kB (VmHWM = peak resident memory), or -1.
inline long proc_status_kb(pid_t pid, const std::string& key) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(key + ":")) return std::atol(line.c_str() + key.size() + 1);
  }
  return -1;
}

// The real alliance-central binary serving a fresh database in `dir` on a
// free 127.0.0.1 port, with `extra` options for serve.
class RealCentral {
 public:
  RealCentral(const std::filesystem::path& dir, std::vector<std::string> extra = {})
      : db_(dir / "central.db") {
    {
      // Create the database (and its schema) before the server starts.
      auto store = central::CentralStore::open(db_);
    }
    for (int attempt = 0; attempt < 3 && !process_; ++attempt) {
      port_ = free_port();
      std::vector<std::string> argv = {kCentralBinary, "serve",
                                       "--db",         db_.string(),
                                       "--listen",     "127.0.0.1:" + std::to_string(port_)};
      argv.insert(argv.end(), extra.begin(), extra.end());
      process_ = std::make_unique<Process>(argv, dir);
      if (!ready(https_of(extra))) process_.reset();
    }
    if (!process_) throw std::runtime_error("alliance-central did not start");
  }
  ~RealCentral() {
    if (process_) {
      process_->signal(SIGTERM);
      process_->wait(std::chrono::seconds(20));
    }
  }
  RealCentral(const RealCentral&) = delete;
  RealCentral& operator=(const RealCentral&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return process_->pid(); }
  const std::filesystem::path& db() const { return db_; }
  std::string url(bool https = false) const {
    return (https ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_);
  }
  long peak_rss_kb() const { return proc_status_kb(pid(), "VmHWM"); }
  long rss_kb() const { return proc_status_kb(pid(), "VmRSS"); }
  // Stops the server; its exit status (0 for a clean stop on SIGTERM).
  ProcessResult stop() {
    process_->signal(SIGTERM);
    auto result = process_->wait(std::chrono::seconds(20));
    process_.reset();
    return result;
  }

 private:
  static bool https_of(const std::vector<std::string>& extra) {
    return std::find(extra.begin(), extra.end(), "--tls-cert") != extra.end();
  }
  // Listening: a TCP connect succeeds (and over HTTP, health answers).
  bool ready(bool https) const {
    for (int i = 0; i < 250; ++i) {
      if (https) {
        auto s = connect_from("127.0.0.1", port_);
        if (s.open()) return true;
      } else if (health_ms(port_, std::chrono::milliseconds(500))) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  std::filesystem::path db_;
  int port_ = 0;
  std::unique_ptr<Process> process_;
};

// Raises this test process's descriptor limit for thousands of sockets.
inline std::size_t allow_many_sockets() {
  return central::raise_open_file_limit();
}

}  // namespace alliance::test
