// API v1 handlers: check, decode, call the store, encode. No HTTP library here.
#include "central/http/api.hpp"

#include <algorithm>
#include <charconv>
#include <exception>
#include <thread>
#include <utility>

#include "central/console/console.hpp"
#include "common/bundle/signing.hpp"
#include "common/model/text.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/strings.hpp"
#include "common/util/uuid.hpp"

#ifndef ALLIANCE_VERSION
#define ALLIANCE_VERSION "0.0.0"
#endif

namespace alliance::central {
namespace {

using util::ascii_lower;
using util::trim_blanks;

bool is_json(std::string_view content_type) {
  return ascii_lower(trim_blanks(content_type.substr(0, content_type.find(';')))) ==
         "application/json";
}

ApiResponse unsupported_media_type() {
  return error_response(415, "unsupported_media_type", "the body must be application/json");
}

ApiResponse decode_failure(const protocol::DecodeError& error) {
  return error_response(error.code == "too_large" ? 413 : 400, error.code, error.message);
}

ApiResponse failure_response(const StoreFailure& failure) {
  int status = 400;
  if (failure.code == "unauthorized") status = 401;
  if (failure.code == "device_revoked" || failure.code == "invalid_code" ||
      failure.code == "code_expired" || failure.code == "code_used" ||
      failure.code == "hlc_node_in_use") {
    status = 403;
  }
  auto response = error_response(status, failure.code, failure.message, failure.errors);
  response.ask_for_token = status == 401;
  return response;
}

std::optional<std::int64_t> parse_non_negative(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// Runs a handler body, turning store exceptions into 503 (retry later) and
// anything else into 500, so no exception reaches the HTTP library. Fn returns
// an ApiResponse or an optional one.
template <class Fn>
auto guarded(int retry_after_s, Fn&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const store::StoreError&) {
    auto response = error_response(503, "unavailable",
                                   "the server's database is busy or unavailable; retry later");
    response.retry_after_s = retry_after_s;
    return response;
  } catch (const std::exception&) {
    return error_response(500, "internal_error", "the server could not handle this request");
  }
}

// ApiRequest keeps header names in lower case.
const std::string& device_time_header() {
  static const std::string name = ascii_lower(protocol::kDeviceTimeHeader);
  return name;
}
const std::string& queue_depth_header() {
  static const std::string name = ascii_lower(protocol::kQueueDepthHeader);
  return name;
}

}  // namespace

std::optional<std::int64_t> parse_device_time(std::string_view value) {
  // A device whose clock fell back to 1970 is worth showing; one past the
  // year 9999 (or at 0, or not a number) is not a clock.
  constexpr std::int64_t kEarliest = 1;
  constexpr std::int64_t kLatest = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z
  const auto parsed = parse_non_negative(trim_blanks(value));
  if (!parsed || *parsed < kEarliest || *parsed > kLatest) return std::nullopt;
  return parsed;
}

std::optional<std::int64_t> parse_queue_depth(std::string_view value) {
  const std::string_view digits = trim_blanks(value);
  constexpr std::size_t kMaxDigits = 8;  // kMaxQueueDepth has 8
  if (digits.empty() || digits.size() > kMaxDigits ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const auto parsed = parse_non_negative(digits);
  if (!parsed || *parsed > kMaxQueueDepth) return std::nullopt;
  return parsed;
}

std::string_view server_version() {
  return ALLIANCE_VERSION;
}

ApiResponse error_response(int status, std::string code, std::string message,
                           std::vector<model::FieldError> errors) {
  return ApiResponse{
      .status = status,
      .body = protocol::encode(protocol::ErrorBody{
          .code = std::move(code), .message = std::move(message), .errors = std::move(errors)})};
}

RateLimiter::RateLimiter(int max_attempts, std::chrono::seconds window, std::size_t max_keys,
                         SharedCounter shared)
    : shared_(std::move(shared)),
      max_attempts_(max_attempts),
      window_(window),
      max_keys_(max_keys) {}

std::optional<int> RateLimiter::attempt(const std::string& key,
                                        std::chrono::steady_clock::time_point now) {
  {
    std::lock_guard lock(mutex_);
    // Bounded memory under a flood of addresses: forget everyone's stale attempts.
    if (attempts_.size() > 10'000) {
      std::erase_if(attempts_, [&](const auto& entry) {
        return entry.second.empty() || entry.second.back() + window_ <= now;
      });
    }
    if (attempts_.size() >= max_keys_ && !attempts_.contains(key)) {
      return std::max(1, static_cast<int>(window_.count()));
    }
    auto& times = attempts_[key];
    while (!times.empty() && times.front() + window_ <= now) times.pop_front();
    if (static_cast<int>(times.size()) >= max_attempts_) {
      const auto wait = std::chrono::ceil<std::chrono::seconds>(times.front() + window_ - now);
      return std::max(1, static_cast<int>(wait.count()));
    }
    times.push_back(now);
  }
  if (!shared_) return std::nullopt;
  try {
    return shared_(key);  // outside the lock: a database round trip
  } catch (const std::exception&) {
    return 5;  // the shared count is unknown: refuse briefly rather than allow unlimited
  }
}

namespace {

RateLimiter::SharedCounter shared_counter(CentralStore& store, std::string scope, int max_attempts,
                                          std::chrono::seconds window) {
  return [&store, scope = std::move(scope), max_attempts, window](const std::string& key) {
    return store.count_attempt(scope, key, max_attempts, window);
  };
}

}  // namespace

Api::Api(CentralStore& store, ApiLimits limits)
    : store_(store),
      limits_(limits),
      // As many as cores: the writer is the one thread above them.
      preparers_(static_cast<int>(std::max(1U, std::thread::hardware_concurrency())),
                 kYieldingNice),
      enroll_limiter_(limits.enroll_attempts_per_window, limits.enroll_window, 100'000,
                      shared_counter(store, "enroll.address", limits.enroll_attempts_per_window,
                                     limits.enroll_window)),
      enroll_code_limiter_(limits.enroll_attempts_per_code, limits.enroll_window, 100'000,
                           shared_counter(store, "enroll.code", limits.enroll_attempts_per_code,
                                          limits.enroll_window)),
      enroll_name_limiter_(limits.enroll_attempts_per_name, limits.enroll_window, 100'000,
                           shared_counter(store, "enroll.name", limits.enroll_attempts_per_name,
                                          limits.enroll_window)),
      console_(std::make_unique<Console>(store, limits.console)) {}

Api::~Api() = default;

std::string_view ApiRequest::header(std::string_view lower_case_name) const {
  const auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<std::string_view> ApiRequest::param(std::string_view name) const {
  const auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return std::string_view(it->second);
}

namespace {

enum class Route { health, enroll, push, pull };

struct RouteSpec {
  std::string_view path;
  std::string_view method;
  Route route;
  bool has_body;
  bool needs_token;
};

constexpr RouteSpec kRoutes[] = {
    {"/v1/health", "GET", Route::health, false, false},
    {"/v1/devices/enroll", "POST", Route::enroll, true, false},
    {"/v1/sync/push", "POST", Route::push, true, true},
    {"/v1/sync/pull", "GET", Route::pull, false, true},
};

const RouteSpec* find_route(std::string_view path) {
  for (const auto& spec : kRoutes) {
    if (spec.path == path) return &spec;
  }
  return nullptr;
}

ApiResponse not_found() {
  return error_response(404, "not_found", "there is no such endpoint");
}

ApiResponse method_not_allowed(const RouteSpec& spec) {
  return error_response(405, "method_not_allowed",
                        util::cat("this endpoint answers ", spec.method, " only"));
}

}  // namespace

std::optional<ApiResponse> Api::screen(const ApiRequest& head) {
  if (Console::owns(head.path)) return console_->screen(head);
  const RouteSpec* spec = find_route(head.path);
  if (spec == nullptr) return not_found();
  if (head.method != spec->method) return method_not_allowed(*spec);
  if (!spec->has_body) return std::nullopt;
  if (spec->needs_token) {
    return guarded(limits_.busy_retry_after_s, [&]() -> std::optional<ApiResponse> {
      auto device = authenticate(head.header("authorization"));
      if (!device) return failure_response(device.error());
      if (!is_json(head.header("content-type"))) {
        auto response = unsupported_media_type();
        response.device_id = device->id;
        return response;
      }
      return std::nullopt;
    });
  }
  if (!is_json(head.header("content-type"))) return unsupported_media_type();
  return std::nullopt;
}

ApiResponse Api::handle(const ApiRequest& request) {
  if (Console::owns(request.path)) return console_->handle(request);
  const RouteSpec* spec = find_route(request.path);
  if (spec == nullptr) return not_found();
  if (request.method != spec->method) return method_not_allowed(*spec);
  switch (spec->route) {
    case Route::health:
      return health();
    case Route::enroll:
      return enroll(request);
    case Route::push:
      return push(request);
    case Route::pull:
      return pull(request);
  }
  return not_found();
}

ApiResponse Api::health() const {
  return ApiResponse{.body = protocol::encode(protocol::HealthResponse{
                         .server_version = std::string(server_version())})};
}

ApiResponse Api::enroll(const ApiRequest& request_in) {
  const auto now = std::chrono::steady_clock::now();
  auto rate_limited = [](int wait, std::string_view what) {
    auto response =
        error_response(429, "rate_limited",
                       util::cat("too many enrolment attempts ", what, "; wait and try again"));
    response.retry_after_s = wait;
    return response;
  };
  if (auto wait = enroll_limiter_.attempt(request_in.client_address, now)) {
    return rate_limited(*wait, "from this address");
  }
  if (!is_json(request_in.header("content-type"))) return unsupported_media_type();
  auto request = protocol::decode_enroll_request(request_in.body);
  if (!request) return decode_failure(request.error());
  if (request->code.empty()) return error_response(400, "missing_field", "code is required");
  // The name becomes part of the actor the server writes for this device.
  request->device_name = model::collapse_whitespace(request->device_name);
  if (model::has_control_characters(request->device_name) ||
      model::has_control_characters(request->app_version)) {
    return error_response(400, "invalid_value",
                          "device_name and app_version must not contain control characters");
  }
  if (!request->hlc_node.empty() && !is_device_hlc_node(request->hlc_node)) {
    return error_response(400, "invalid_value",
                          "hlc_node must be 1 to 64 letters, digits, '-' or '_' (the device "
                          "store's id), and not the server's own");
  }
  if (!request->signing_key.empty() && !bundle::is_public_key(request->signing_key)) {
    return error_response(400, "invalid_value",
                          "signing_key must be an Ed25519 public key in base64 (44 characters)");
  }
  // Behind a shared address (an office's NAT, a proxy) the address limit is
  // generous; these stop guessing at one code or from one device name.
  std::string code_key = ascii_lower(trim_blanks(request->code));
  std::erase_if(code_key, [](char c) { return c == '-' || c == ' '; });
  if (auto wait = enroll_code_limiter_.attempt(code_key, now)) {
    return rate_limited(*wait, "with this code");
  }
  if (auto wait =
          enroll_name_limiter_.attempt(ascii_lower(trim_blanks(request->device_name)), now)) {
    return rate_limited(*wait, "for this device name");
  }
  return guarded(limits_.busy_retry_after_s, [&] {
    auto enrolled = store_.enroll(*request);
    if (!enrolled) return failure_response(enrolled.error());
    ApiResponse response{.body = protocol::encode(*enrolled)};
    response.device_id = enrolled->device_id;
    return response;
  });
}

StoreResult<Device> Api::authenticate(std::string_view authorization) {
  const auto value = trim_blanks(authorization);
  const auto space = value.find(' ');
  if (space == std::string_view::npos || ascii_lower(value.substr(0, space)) != "bearer" ||
      trim_blanks(value.substr(space + 1)).empty()) {
    return std::unexpected(
        StoreFailure{"unauthorized", "send the device's token as Authorization: Bearer <token>"});
  }
  return store_.authenticate(trim_blanks(value.substr(space + 1)));
}

ApiResponse Api::push(const ApiRequest& http) {
  return guarded(limits_.busy_retry_after_s, [&] {
    auto device = authenticate(http.header("authorization"));
    if (!device) return failure_response(device.error());
    auto with_device = [&](ApiResponse response) {
      response.device_id = device->id;
      return response;
    };
    if (!is_json(http.header("content-type"))) return with_device(unsupported_media_type());
    protocol::Decoded<protocol::PushRequest> request;
    preparers_.run([&] { request = protocol::decode_push_request(http.body); });
    if (!request) return with_device(decode_failure(request.error()));
    if (request->changes.size() > limits_.max_changes) {
      return with_device(
          error_response(413, "too_many_changes",
                         util::format("a push may carry at most {} changes; split the batch",
                                      limits_.max_changes)));
    }
    const PushOptions options{
        .max_clock_ahead = limits_.max_clock_ahead,
        .device_time_ms = parse_device_time(http.header(device_time_header())),
        .queue_depth = parse_queue_depth(http.header(queue_depth_header())),
        .preparers = &preparers_};
    return with_device(
        ApiResponse{.body = protocol::encode(store_.push(*device, request->changes, options)),
                    .compression = Compression::quick});
  });
}

ApiResponse Api::pull(const ApiRequest& http) {
  const auto cursor = http.param("cursor");
  const auto limit = http.param("limit");
  const auto own = http.param("own");
  const auto code_prefix = http.param("code_prefix");
  const auto acked = http.param("acked");
  const auto wait = http.param("wait");
  return guarded(limits_.busy_retry_after_s, [&] {
    auto device = authenticate(http.header("authorization"));
    if (!device) return failure_response(device.error());
    auto with_device = [&](ApiResponse response) {
      response.device_id = device->id;
      return response;
    };
    std::int64_t from = 0;
    if (cursor) {
      const auto parsed = parse_non_negative(*cursor);
      if (!parsed) {
        return with_device(
            error_response(400, "invalid_parameter", "cursor must be a non-negative integer"));
      }
      from = *parsed;
    }
    int count = limits_.default_pull_limit;
    if (limit) {
      const auto parsed = parse_non_negative(*limit);
      if (!parsed || *parsed < 1 || *parsed > limits_.max_pull_limit) {
        return with_device(error_response(
            400, "invalid_parameter",
            util::format("limit must be an integer from 1 to {}", limits_.max_pull_limit)));
      }
      count = static_cast<int>(*parsed);
    }
    if (own && *own != "0" && *own != "1") {
      return with_device(error_response(400, "invalid_parameter", "own must be 0 or 1"));
    }
    if (code_prefix && *code_prefix != "new") {
      return with_device(error_response(400, "invalid_parameter", "code_prefix must be new"));
    }
    if (acked && !util::is_uuid(*acked)) {
      return with_device(
          error_response(400, "invalid_parameter", "acked must be a change id (a UUID)"));
    }
    std::chrono::seconds hold{0};
    if (wait) {
      const auto parsed = parse_non_negative(*wait);
      if (!parsed) {
        return with_device(error_response(400, "invalid_parameter",
                                          "wait must be a whole number of seconds, 0 or more"));
      }
      hold = std::min(limits_.max_pull_wait, std::chrono::seconds(*parsed));
    }
    if (!http.may_hold) hold = std::chrono::seconds(0);
    auto device_time = parse_device_time(http.header(device_time_header()));
    if (device_time) *device_time += http.held.count();
    const PullOptions options{.max_bytes = limits_.max_pull_bytes,
                              .device_time_ms = device_time,
                              .queue_depth = parse_queue_depth(http.header(queue_depth_header())),
                              .include_own = own && *own == "1",
                              .new_code_prefix = code_prefix.has_value(),
                              .acked_change = acked ? std::string(*acked) : std::string()};
    const auto page = store_.pull(*device, from, count, options);
    const bool nothing_new = page.changes.empty() && !page.more;
    if (nothing_new && hold.count() == 0 && http.held.count() > 0 && page.next_cursor == from) {
      // A held pull whose wait ended with nothing for the device: no body,
      // only the lineage it checks on every answer (a third of the bytes of
      // an empty page: an idle device gets one of these per wait).
      ApiResponse response{.status = 204, .content_type = ""};
      response.headers.emplace_back(std::string(protocol::kCentralHeader),
                                    protocol::encode_lineage_header(page.central));
      return with_device(std::move(response));
    }
    ApiResponse response{.body = protocol::encode(page)};
    if (nothing_new) response.hold_for = hold;
    return with_device(std::move(response));
  });
}

std::int64_t Api::change_seq() {
  return store_.lineage().server_seq;
}

}  // namespace alliance::central
