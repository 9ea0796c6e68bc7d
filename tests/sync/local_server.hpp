// A small HTTP/1.1 server on 127.0.0.1 for answers the real alliance-central
// never gives: gzip bombs, endless bodies, refused page sizes, a clock ten
// minutes ahead. Tests give it a handler; it records every request it reads.
//
// One thread accepts and serves one connection at a time (the agent makes one
// request at a time), answers with "Connection: close", and bounds everything:
// request size, time per connection and the bytes one answer may send.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace alliance::test {

struct LocalRequest {
  std::string method;
  std::string target;  // path and query, as sent
  std::string path;
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;                            // gzip undone when the client sent it
  std::optional<std::string> header(const std::string& lower_case_name) const;
  // ?name=... as a whole number, or nothing.
  std::optional<std::int64_t> query_int(const std::string& name) const;
};

// What a handler writes to the client. send() is false once the client has
// gone, the answer's byte budget is spent, or the server is stopping.
class LocalAnswer {
 public:
  LocalAnswer(int fd, std::uint64_t budget, const std::atomic<bool>& stop,
              std::chrono::steady_clock::time_point deadline)
      : fd_(fd), budget_(budget), stop_(stop), deadline_(deadline) {}
  bool send(std::string_view bytes);
  // head, then `repeated` again and again until send() is false: an endless
  // body, bounded by the budget and the connection's time.
  void send_endless(std::string_view head, std::string_view repeated);
  std::uint64_t sent() const { return sent_; }

 private:
  int fd_;
  std::uint64_t budget_;
  const std::atomic<bool>& stop_;
  std::chrono::steady_clock::time_point deadline_;
  std::uint64_t sent_ = 0;
};

using LocalHandler = std::function<void(const LocalRequest&, LocalAnswer&)>;

class LocalServer {
 public:
  // answer_budget: the most one answer may send (a bound on endless bodies);
  // time_per_connection: the longest one connection is served.
  explicit LocalServer(LocalHandler handler, std::uint64_t answer_budget = 512ull << 20,
                       std::chrono::milliseconds time_per_connection = std::chrono::seconds(60));
  ~LocalServer();
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<LocalRequest> requests() const;
  int request_count() const;
  // Bytes the largest answer so far put on the wire.
  std::uint64_t largest_answer() const { return largest_answer_.load(); }

 private:
  void serve();
  void serve_one(int fd);

  LocalHandler handler_;
  std::uint64_t answer_budget_;
  std::chrono::milliseconds time_per_connection_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> largest_answer_{0};
  mutable std::mutex mutex_;
  std::vector<LocalRequest> requests_;
  std::thread thread_;
};

// A whole answer: status line, Content-Length, Connection: close, the extra
// header lines given ("Name: value"), then body.
std::string http_answer(int status, std::string_view body,
                        const std::vector<std::string>& headers = {});
std::string json_answer(int status, std::string_view json);

// gzip (RFC 1952) of `size` zero bytes, compressed as hard as zlib can
// (about 1,000 to 1): a gzip bomb built without holding what it expands to.
std::string gzip_of_zeros(std::uint64_t size);
// A gzip stream's header followed by `blocks` empty stored deflate blocks:
// bytes on the wire that decode to nothing at all.
std::string gzip_header();
std::string empty_deflate_blocks(std::size_t blocks);
// One chunk of a chunked body.
std::string http_chunk(std::string_view data);

// VmHWM (peak resident set) of a live process in KiB, or -1 if unreadable.
long peak_rss_kib(int pid);

}  // namespace alliance::test
