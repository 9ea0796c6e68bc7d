// API v1 as the agent calls it: enroll, push and pull over one HttpClient,
// with every failure classified so the agent knows whether to retry.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>

#include "common/protocol/wire.hpp"
#include "sync/transport/http_client.hpp"

namespace alliance::sync {

enum class FailureKind {
  transient,     // timeouts, resets, DNS, 5xx, 408, 429, unreadable answers: retry later
  unauthorized,  // 401: the token is unknown (not enrolled)
  revoked,       // 403: the device was revoked (or, for enroll, the code refused)
  too_large,     // 413: send a smaller batch
  permanent,     // any other 4xx: the request as sent will never succeed
  stopped,       // the stop flag was raised mid-request
};

struct ApiFailure {
  FailureKind kind = FailureKind::transient;
  int http_status = 0;  // 0 when no answer arrived
  std::string code;     // the server's ErrorBody code, or the transport's
  std::string message;  // for a person; never personal data
  std::optional<std::chrono::milliseconds> retry_after;
};

template <class T>
using ApiResult = std::expected<T, ApiFailure>;

struct TrafficStats {
  std::uint64_t requests = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  std::uint64_t body_bytes_raw = 0;   // push bodies before compression
  std::uint64_t body_bytes_sent = 0;  // push bodies as sent
};

class ApiClient {
 public:
  // base_url like "https://central.example.org" (a trailing '/' is ignored).
  ApiClient(std::string base_url, HttpOptions options);

  void set_token(std::string token) { token_ = std::move(token); }
  void set_gzip(bool on) { gzip_ = on; }
  const std::string& base_url() const { return base_url_; }

  ApiResult<protocol::EnrollResponse> enroll(const protocol::EnrollRequest& request);
  // body is an encoded PushRequest; it is gzip-compressed on the way out.
  ApiResult<protocol::PushResponse> push(const std::string& body);
  ApiResult<protocol::PullResponse> pull(std::int64_t cursor, int limit);

  const TrafficStats& stats() const { return stats_; }

 private:
  std::vector<std::string> auth_headers() const;
  void count(const HttpResponse& response);

  std::string base_url_;
  HttpClient http_;
  std::string token_;
  bool gzip_ = true;
  TrafficStats stats_;
};

// A short word for logs: "transient", "revoked", ...
std::string_view to_string(FailureKind kind);
// The failure a non-2xx answer or transport error stands for.
ApiFailure classify(const HttpResponse& response);

}  // namespace alliance::sync
