// The HTTP(S) server of API v1: event-driven (Boost.Beast on Boost.Asio), so
// slow or idle clients cost a socket and a few KiB each, never a thread.
// Every wait has an absolute deadline, every size a bound, and the Api's
// blocking calls run on a separate worker pool. One log line per request.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "central/http/api.hpp"

namespace alliance::central {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::filesystem::path tls_cert;  // both set: HTTPS; both empty: HTTP
  std::filesystem::path tls_key;
  ApiLimits limits;

  // Threads: the I/O threads only read and write sockets; the Api's calls
  // (which wait for SQLite) run on the workers.
  int io_threads = 2;
  int worker_threads = 8;
  // Requests waiting for a worker beyond this are answered 503 at once.
  std::size_t max_queued_requests = 512;
  // Pulls held until a change lands (API v1 wait=S) cost a socket and a
  // timer each, no thread; beyond this many a pull is answered at once.
  std::size_t max_held_pulls = 2048;
  // While pulls are held, the database's change sequence is read this often
  // (one query for all of them), so a change written by any process on the
  // database wakes them.
  std::chrono::milliseconds change_check_interval{1000};

  // Connections over a limit are closed at once (over plain HTTP after a 503
  // with Retry-After). The per-client limit counts by peer address; a trusted
  // proxy's own address is exempt (the proxy limits its clients itself).
  std::size_t max_connections = 4096;
  std::size_t max_connections_per_client = 64;
  // Reverse proxies whose X-Forwarded-For names the client: "ADDR" or
  // "ADDR/PREFIX", IPv4 or IPv6.
  std::vector<std::string> trusted_proxies;

  // Deadlines are absolute: trickling bytes does not move them.
  std::chrono::milliseconds tls_handshake_timeout{10'000};
  std::chrono::milliseconds header_timeout{10'000};      // request line + headers
  std::chrono::milliseconds keep_alive_timeout{15'000};  // idle between requests
  // A body, and an answer, get size / min_transfer_rate, within these bounds.
  std::chrono::milliseconds transfer_timeout_min{20'000};
  std::chrono::milliseconds transfer_timeout_max{300'000};
  std::size_t min_transfer_rate = 4096;  // bytes per second

  // The request line and all headers together, and how many header lines.
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_header_count = 64;
  // Bodies being received by all connections together (decoded bytes);
  // beyond it a request is answered 503 with Retry-After.
  std::size_t max_body_memory_bytes = 256 * 1024 * 1024;
};

// Raises this process's soft RLIMIT_NOFILE to its hard limit, so thousands
// of sockets fit; returns the soft limit now in force.
std::size_t raise_open_file_limit();

// Not copyable, not restartable. stop() may be called from any thread (e.g.
// a signal waiter).
class Server {
 public:
  // Throws std::runtime_error if the TLS certificate or key cannot be loaded,
  // or a trusted proxy is not an address or range.
  Server(CentralStore& store, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds options.host:options.port; false (with the reason in `error`) if it cannot.
  bool bind(std::string& error);
  // Binds options.host on a free port chosen by the system; returns it, or -1.
  int bind_to_any_port();
  // Serves on the I/O threads (this one among them) until stop(); returns
  // false if the server was not bound or failed.
  bool listen_after_bind();
  void stop();
  bool is_running() const;

 private:
  struct Impl;
  ServerOptions options_;
  Api api_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace alliance::central
