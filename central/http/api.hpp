// API v1 handlers: from an ApiRequest (method, path, headers, body) to a status
// and a JSON body, with no HTTP library in sight. Every failure is a value: an
// ApiResponse carrying protocol::ErrorBody. server.hpp feeds requests in.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "central/http/coding.hpp"
#include "central/store/central_store.hpp"

namespace alliance::central {

// The office console's limits (central/console/console.hpp).
struct ConsoleLimits {
  // Failed or not, sign-in attempts per window: per client address (behind a
  // reverse proxy only with --trusted-proxy) and per account name typed.
  int login_attempts_per_address = 30;
  int login_attempts_per_account = 10;
  std::chrono::seconds login_window{15 * 60};
  std::chrono::milliseconds session_idle{30 * 60 * 1000};
  std::chrono::milliseconds session_absolute{12 * 60 * 60 * 1000};
  bool secure_cookies = false;  // set by the server when it speaks TLS
  std::size_t max_form_bytes = 16 * 1024;
  // How often the console writes the keys of newly saved records
  // (catch_up_record_keys), so a page read after a busy hour starts at once.
  std::chrono::milliseconds keys_upkeep_every{5000};
};

struct ApiLimits {
  std::size_t max_body_bytes = 8 * 1024 * 1024;  // after decompression
  std::size_t max_changes = 1000;                // per push
  int default_pull_limit = 500;
  int max_pull_limit = 1000;
  // A pull may ask central to hold an empty answer until a change it may
  // see lands (API v1 `wait=S`); a larger S is served as this.
  std::chrono::seconds max_pull_wait{900};
  // Enrolment attempts per window: per client address (behind a reverse
  // proxy only with --trusted-proxy), per enrolment code and per device name.
  int enroll_attempts_per_window = 60;  // per client address
  int enroll_attempts_per_code = 5;
  int enroll_attempts_per_name = 10;
  std::chrono::seconds enroll_window{60};
  int busy_retry_after_s = 5;  // Retry-After on 503
  // Encoded records per pull page; a page always carries at least one change.
  std::size_t max_pull_bytes = kDefaultMaxPullBytes;
  // A pushed change whose clock is further ahead of the server's is applied
  // with the server's clock instead ("clock_clamped").
  std::chrono::milliseconds max_clock_ahead = kDefaultMaxClockAhead;
  ConsoleLimits console;
};

// The value of X-Alliance-Device-Time (protocol::kDeviceTimeHeader): Unix ms
// as decimal digits, above 0 and before the year 10000; nullopt when absent
// or not a clock, so a broken header records no absurd offset.
std::optional<std::int64_t> parse_device_time(std::string_view value);

// The largest queue depth central records (no kiosk holds ten million changes).
inline constexpr std::int64_t kMaxQueueDepth = 10'000'000;
// The value of X-Alliance-Queue-Depth (protocol::kQueueDepthHeader): a plain
// decimal integer from 0 to kMaxQueueDepth, blanks around it allowed;
// nullopt for anything else (a sign, an exponent, a list such as "3, 4" from
// two header lines), so a hostile value is ignored and the request goes on.
std::optional<std::int64_t> parse_queue_depth(std::string_view value);

// One HTTP request as the handlers see it, whatever server read it. The
// server fills it in two steps: the request line and headers first (for
// Api::screen), then the body, decompressed and bounded by max_body_bytes.
struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string, e.g. "/v1/sync/pull"
  std::map<std::string, std::string, std::less<>> query;    // decoded parameters
  std::map<std::string, std::string, std::less<>> headers;  // names in lower case
  std::string client_address;  // the peer, or the forwarding client behind a trusted proxy
  std::string body;            // after Content-Encoding is undone
  // Set by the server when it asks again for a pull it held: how long it
  // has held it (the device's clock has moved on as much since it sent
  // X-Alliance-Device-Time), and whether the answer may be held further.
  std::chrono::milliseconds held{0};
  bool may_hold = true;

  // The header's value, or "" when absent.
  std::string_view header(std::string_view lower_case_name) const;
  std::optional<std::string_view> param(std::string_view name) const;
};

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON (HTML for the console)
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // more fields, e.g. Set-Cookie
  int retry_after_s = 0;                                     // sent as Retry-After when > 0
  bool ask_for_token = false;                                // sent with WWW-Authenticate: Bearer
  std::string device_id;                                     // for the request log line
  // A pull that found nothing and may wait (wait=S): the server holds the
  // request up to this long and asks again when a change lands (server.cpp).
  std::chrono::milliseconds hold_for{0};
  // How hard brotli works on the body (coding.hpp).
  Compression compression = Compression::thorough;
};

// The JSON error body (protocol::ErrorBody) with its status.
ApiResponse error_response(int status, std::string code, std::string message,
                           std::vector<model::FieldError> errors = {});

// Sliding-window attempt counter per key (an address, a code, a name). Thread-safe.
// In memory per process, and (with a shared counter) also in the database, so
// every central process on one database enforces one limit together.
class RateLimiter {
 public:
  // The database's count of an attempt (count_shared_attempt): nullopt or
  // the seconds to wait.
  using SharedCounter = std::function<std::optional<int>(const std::string& key)>;

  // At most max_keys keys are remembered in memory; a new key beyond them is
  // refused (fails closed) until stale ones expire.
  RateLimiter(int max_attempts, std::chrono::seconds window, std::size_t max_keys = 100'000,
              SharedCounter shared = {});
  // Counts an attempt; if the key is over its limit, the seconds to wait.
  // When the shared counter cannot be reached the attempt is refused for a
  // few seconds (fails closed).
  std::optional<int> attempt(const std::string& key, std::chrono::steady_clock::time_point now);

 private:
  SharedCounter shared_;
  int max_attempts_;
  std::chrono::seconds window_;
  std::size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<std::chrono::steady_clock::time_point>> attempts_;
};

// The handlers and their routes. Thread-safe: the store serialises its own access.
class Console;

class Api {
 public:
  // Also opens the office console (central/console/console.hpp) on the store's file.
  Api(CentralStore& store, ApiLimits limits);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  const ApiLimits& limits() const { return limits_; }

  // Decides from the request line and headers alone (request.body is empty)
  // whether the body may be read: nullopt to go on, or the answer to send
  // without reading it (no such endpoint, wrong method or media type, a bad
  // token, a declared body over the limit). Authentication comes before any
  // byte of the body is read or inflated.
  std::optional<ApiResponse> screen(const ApiRequest& head);

  // Answers a whole request; routes by method and path.
  ApiResponse handle(const ApiRequest& request);

  // The database's change sequence (CentralLineage::server_seq): the server
  // watches it to wake held pulls, whichever process wrote the change.
  std::int64_t change_seq();

 private:
  ApiResponse health() const;
  ApiResponse enroll(const ApiRequest& request);
  ApiResponse push(const ApiRequest& request);
  ApiResponse pull(const ApiRequest& request);
  StoreResult<Device> authenticate(std::string_view authorization);

  CentralStore& store_;
  ApiLimits limits_;
  // Pushes are decoded and prepared here, below the writer's priority.
  PreparePool preparers_;
  RateLimiter enroll_limiter_;  // per client address
  RateLimiter enroll_code_limiter_;
  RateLimiter enroll_name_limiter_;
  std::unique_ptr<Console> console_;
};

// The server's version string (the project version).
std::string_view server_version();

}  // namespace alliance::central
