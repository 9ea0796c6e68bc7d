// The one RAII wrapper over libcurl: a reused easy handle, errors as values.
//
// No other file in the project calls curl_*. A client owns one CURL easy
// handle, so consecutive requests to the same server reuse one connection
// (and one TLS session). Network failures never throw: they come back in
// HttpResponse::error. TLS is always verified; proxies come from the standard
// environment variables (http_proxy, https_proxy, no_proxy), as libcurl does
// by default. Not thread-safe: use one client per thread.
#pragma once

#include <atomic>
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
  // "aborted" (the stop flag was raised), "other".
  std::string code;
  std::string message;  // libcurl's words; no request or response content
};

struct HttpResponse {
  long status = 0;                             // 0 when no answer arrived
  std::string body;                            // decoded (gzip/deflate undone)
  std::map<std::string, std::string> headers;  // names lower-cased; the last value wins
  std::optional<TransportError> error;
  // Bytes this request put on / took off the wire (headers included, bodies as sent).
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;

  bool ok() const { return !error && status >= 200 && status < 300; }
  std::optional<std::string> header(std::string_view lower_case_name) const;
};

struct HttpOptions {
  std::string user_agent = "alliance-sync";
  std::filesystem::path ca_file;  // a private CA bundle; empty: the system's
  long connect_timeout_ms = 15'000;
  // A transfer slower than low_speed_limit bytes/s for low_speed_time_s
  // seconds is abandoned: a stalled link fails fast, a slow one may run long.
  long low_speed_limit = 32;
  long low_speed_time_s = 60;
  std::int64_t max_rate = 0;  // bytes/s each way; 0: no cap
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

  // headers are whole lines, e.g. "Authorization: Bearer x".
  HttpResponse get(const std::string& url, const std::vector<std::string>& headers);
  HttpResponse post(const std::string& url, const std::vector<std::string>& headers,
                    std::string_view body);

  const HttpOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// gzip (RFC 1952) of data, for Content-Encoding: gzip request bodies.
std::string gzip_compress(std::string_view data);

}  // namespace alliance::sync
