// The one RAII wrapper over libcurl: a reused easy handle, errors as values.
//
// No other file in the project calls curl_*. A client owns one CURL easy
// handle, so consecutive requests to the same server reuse one connection
// (and one TLS session). Network failures never throw: they come back in
// HttpResponse::error. TLS is always verified; proxies come from the standard
// environment variables (http_proxy, https_proxy, no_proxy), as libcurl does
// by default. Every answer is capped (ResponseLimits), so no server can make
// the agent hold more than the caps, however it compresses or streams.
// Not thread-safe: use one client per thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alliance::sync {

struct TransportError {
  // Stable codes: "timeout", "dns", "connect", "reset", "partial", "tls",
  // "aborted" (the stop flag was raised), "too_large" (the answer passed a
  // ResponseLimits cap; the transfer was abandoned there), "other".
  std::string code;
  std::string message;  // libcurl's words; no request or response content
};

struct HttpResponse {
  long status = 0;                             // 0 when no answer arrived
  std::string body;                            // decoded (gzip/deflate undone)
  std::map<std::string, std::string> headers;  // names lower-cased; the last value wins
  std::optional<TransportError> error;
  // Bytes this request put on / took off the network: the TCP payload of
  // its connection as the kernel counts it (TCP_INFO), so TLS handshakes,
  // TLS records and retransmissions are in; IP and TCP headers are not.
  // Where the kernel cannot say, the HTTP bytes (headers and bodies as sent).
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;

  bool ok() const { return !error && status >= 200 && status < 300; }
  std::optional<std::string> header(std::string_view lower_case_name) const;
};

// Caps on one answer. Passing any of them abandons the transfer at once with
// TransportError "too_large"; nothing past the cap is kept. 0: no cap.
struct ResponseLimits {
  // Body bytes as they arrive, before gzip/deflate is undone (a body that
  // announces more in Content-Length is refused before it is read).
  std::uint64_t wire_bytes = 16 * 1024 * 1024;
  // Body bytes after decoding: what HttpResponse::body may hold. The same as
  // the largest JSON text the codec reads (protocol::kMaxJsonBytes).
  std::uint64_t body_bytes = 16 * 1024 * 1024;
  // All header lines of the answer together.
  std::uint64_t header_bytes = 64 * 1024;
};

// The tighter of two sets of caps, field by field (0 counts as no cap).
ResponseLimits tighter(const ResponseLimits& a, const ResponseLimits& b);

struct HttpOptions {
  std::string user_agent = "alliance-sync";
  std::filesystem::path ca_file;  // a private CA bundle; empty: the system's
  long connect_timeout_ms = 15'000;
  // A transfer slower than low_speed_limit bytes/s for low_speed_time_s
  // seconds is abandoned: a stalled link fails fast, a slow one may run long.
  long low_speed_limit = 32;
  long low_speed_time_s = 60;
  std::int64_t max_rate = 0;  // bytes/s each way; 0: no cap
  ResponseLimits limits;      // for every request that names no tighter ones
  // Raised (e.g. by SIGTERM) to abandon the request in flight within a second.
  const std::atomic<bool>* stop = nullptr;
};

class HttpClient {
 public:
  // Throws std::runtime_error only if libcurl cannot make a handle at all.
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // headers are whole lines, e.g. "Authorization: Bearer x". Without limits,
  // options().limits apply.
  HttpResponse get(const std::string& url, const std::vector<std::string>& headers);
  HttpResponse get(const std::string& url, const std::vector<std::string>& headers,
                   const ResponseLimits& limits);
  // A GET the server may hold up to `held` before it answers (a pull that
  // waits for a change): the low-speed limit is off, the whole exchange gets
  // held + kHeldAnswerMargin instead, the connection sends no TCP
  // keepalive probes (bytes on a metered link; the timeout notices a
  // connection that died silently), and no User-Agent is sent.
  HttpResponse get_held(const std::string& url, const std::vector<std::string>& headers,
                        std::chrono::milliseconds held);
  HttpResponse post(const std::string& url, const std::vector<std::string>& headers,
                    std::string_view body);
  HttpResponse post(const std::string& url, const std::vector<std::string>& headers,
                    std::string_view body, const ResponseLimits& limits);

  const HttpOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// How much longer than its wait a held answer may take to come.
inline constexpr std::chrono::milliseconds kHeldAnswerMargin{30'000};

// Why the agent must not use this server URL, in one line, or nothing when it
// may. Allowed: https://, and plain http:// only to this computer (127.0.0.0/8,
// [::1], localhost), where nothing crosses a network. Refused: any other
// scheme, a user or password (user:password@), a query or fragment. The URL is
// parsed by libcurl, exactly as the transfer will read it.
std::optional<std::string> server_url_problem(const std::string& url);

// "16 MiB", "64 KiB", "700 bytes": a size for messages.
std::string describe_bytes(std::uint64_t bytes);

// gzip (RFC 1952) of data, for Content-Encoding: gzip request bodies.
std::string gzip_compress(std::string_view data);

}  // namespace alliance::sync
