// API v1 as the agent calls it: enroll, push and pull over one HttpClient,
// with every failure classified so the agent knows whether to retry.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <utility>

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
  // The answer passed a ResponseLimits cap (or the codec's size limit): ask
  // for less. The server may have acted on the request.
  answer_too_large,
  // The server URL is refused (server_url_problem); nothing was sent.
  refused_url,
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

// The device clock against the server's, from one push or pull: the server's
// server_time_ms against the midpoint of the device's send and receive times.
struct ClockSample {
  std::int64_t offset_ms = 0;      // server minus device: positive when the device is behind
  std::int64_t round_trip_ms = 0;  // the uncertainty is half of this
};

// Caps on the answers of each call (sync/README.md, "Limits"): the client's
// HttpOptions::limits, tightened for enrolment and push, whose answers are
// small by nature; pull pages get the HttpOptions caps as they are.
inline constexpr ResponseLimits kEnrollAnswerLimits{
    .wire_bytes = 64 * 1024, .body_bytes = 64 * 1024, .header_bytes = 64 * 1024};
inline constexpr ResponseLimits kPushAnswerLimits{
    .wire_bytes = 4 * 1024 * 1024, .body_bytes = 4 * 1024 * 1024, .header_bytes = 64 * 1024};

struct TrafficStats {
  std::uint64_t requests = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  std::uint64_t body_bytes_raw = 0;   // push bodies before compression
  std::uint64_t body_bytes_sent = 0;  // push bodies as sent
};

// What a pull asks for besides the next changes (API v1 query parameters).
struct PullAsk {
  bool include_own = false;      // own=1: this device's own records too (after a restore)
  bool new_code_prefix = false;  // code_prefix=new: a reference-code prefix for this device
  // acked=: whether central still holds this change it acknowledged (sync/recovery.hpp)
  std::string acked_change;
};

class ApiClient {
 public:
  // base_url like "https://central.example.org" (a trailing '/' is ignored).
  // A URL that server_url_problem refuses is kept, but every call then fails
  // at once with FailureKind::refused_url and sends nothing.
  ApiClient(std::string base_url, HttpOptions options);

  void set_token(std::string token) { token_ = std::move(token); }
  void set_gzip(bool on) { gzip_ = on; }
  const std::string& base_url() const { return base_url_; }
  // Why this client will not use its URL, or nothing.
  const std::optional<std::string>& url_problem() const { return url_problem_; }

  ApiResult<protocol::EnrollResponse> enroll(const protocol::EnrollRequest& request);
  // body is an encoded PushRequest; it is gzip-compressed on the way out.
  // Push and pull send the device's wall clock (protocol::kDeviceTimeHeader)
  // and queue_depth, the changes waiting to be acknowledged as the request
  // leaves (protocol::kQueueDepthHeader; the caller counts them).
  ApiResult<protocol::PushResponse> push(const std::string& body, std::int64_t queue_depth);
  // With include_own, also the records this device changed last (own=1):
  // a device restored from a backup takes them back.
  ApiResult<protocol::PullResponse> pull(std::int64_t cursor, int limit, PullAsk ask,
                                         std::int64_t queue_depth);
  // A pull that central may hold up to `wait` (whole seconds, API v1
  // wait=) until a change this device may see lands: the idle agent's one
  // request per wait. Sends only what central reads (no Accept, no
  // User-Agent, no limit when it is the API's default 500), and takes no
  // clock sample: the hold hides the round trip.
  ApiResult<protocol::PullResponse> pull_waiting(std::int64_t cursor, int limit,
                                                 std::chrono::seconds wait,
                                                 std::int64_t queue_depth);

  const TrafficStats& stats() const { return stats_; }
  // Network bytes (sent and received) since the last call: what the agent
  // adds to the store's data use.
  std::uint64_t take_new_bytes() { return std::exchange(new_bytes_, 0); }
  // The most precise clock sample (shortest round trip) since the last
  // forget_clock(); nothing when no answer carried server_time_ms.
  const std::optional<ClockSample>& clock() const { return clock_; }
  void forget_clock() { clock_.reset(); }

 private:
  // Authorization, Accept and the queue depth: what every push and pull sends.
  std::vector<std::string> sync_headers(std::int64_t queue_depth) const;
  void count(const HttpResponse& response);
  void observe_clock(std::int64_t server_time_ms, std::int64_t sent_ms, std::int64_t received_ms);
  std::optional<ApiFailure> refusal() const;

  std::string base_url_;
  std::optional<std::string> url_problem_;
  HttpClient http_;
  std::string token_;
  bool gzip_ = true;
  TrafficStats stats_;
  std::uint64_t new_bytes_ = 0;
  std::optional<ClockSample> clock_;
};

// A short word for logs: "transient", "revoked", ...
std::string_view to_string(FailureKind kind);
// The failure a non-2xx answer or transport error stands for.
ApiFailure classify(const HttpResponse& response);

}  // namespace alliance::sync
