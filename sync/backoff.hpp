// Exponential backoff with full jitter and a cap, honouring Retry-After.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace alliance::sync {

struct BackoffPolicy {
  std::chrono::milliseconds base{1000};
  std::chrono::milliseconds cap{5 * 60 * 1000};
};

// After the n-th failure in a row the wait is uniform in [0, min(cap, base·2^n)]
// ("full jitter": many kiosks coming back at once spread out), and never less
// than the server's Retry-After. Not thread-safe.
class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy, std::uint64_t seed = std::random_device{}());

  // The wait before the next attempt; counts one more failure.
  std::chrono::milliseconds next(std::optional<std::chrono::milliseconds> at_least = std::nullopt);
  // A success: the next failure starts from base again.
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }
  // The upper bound of the jitter window for the next failure.
  std::chrono::milliseconds ceiling() const;

 private:
  BackoffPolicy policy_;
  std::mt19937_64 rng_;
  int failures_ = 0;
};

}  // namespace alliance::sync
