// API v1 handlers: plain functions from request parts to a status and a JSON
// body, with no HTTP library in sight. Every failure is a value: an ApiResponse
// carrying protocol::ErrorBody. server.hpp binds these to cpp-httplib.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "central/store/central_store.hpp"

namespace alliance::central {

struct ApiLimits {
  std::size_t max_body_bytes = 8 * 1024 * 1024;  // after decompression
  std::size_t max_changes = 1000;                // per push
  int default_pull_limit = 500;
  int max_pull_limit = 1000;
  int enroll_attempts_per_window = 10;  // per client address
  std::chrono::seconds enroll_window{60};
  int busy_retry_after_s = 5;  // Retry-After on 503
};

struct ApiResponse {
  int status = 200;
  std::string body;            // JSON
  int retry_after_s = 0;       // sent as Retry-After when > 0
  bool ask_for_token = false;  // sent with WWW-Authenticate: Bearer
  std::string device_id;       // for the request log line
};

// The JSON error body (protocol::ErrorBody) with its status.
ApiResponse error_response(int status, std::string code, std::string message,
                           std::vector<model::FieldError> errors = {});

// Sliding-window attempt counter per key (a client address). Thread-safe.
class RateLimiter {
 public:
  RateLimiter(int max_attempts, std::chrono::seconds window);
  // Counts an attempt; if the key is over its limit, the seconds to wait.
  std::optional<int> attempt(const std::string& key, std::chrono::steady_clock::time_point now);

 private:
  int max_attempts_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<std::chrono::steady_clock::time_point>> attempts_;
};

// The handlers. Thread-safe: the store serialises its own access.
class Api {
 public:
  Api(CentralStore& store, ApiLimits limits);

  const ApiLimits& limits() const { return limits_; }

  ApiResponse health() const;
  ApiResponse enroll(std::string_view content_type, std::string_view body,
                     const std::string& client_address);
  ApiResponse push(std::string_view authorization, std::string_view content_type,
                   std::string_view body);
  ApiResponse pull(std::string_view authorization, std::optional<std::string_view> cursor,
                   std::optional<std::string_view> limit);

 private:
  StoreResult<Device> authenticate(std::string_view authorization);

  CentralStore& store_;
  ApiLimits limits_;
  RateLimiter enroll_limiter_;
};

// The server's version string (the project version).
std::string_view server_version();

}  // namespace alliance::central
