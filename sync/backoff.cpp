// Exponential backoff with full jitter.
#include "sync/backoff.hpp"

#include <algorithm>

namespace alliance::sync {

Backoff::Backoff(BackoffPolicy policy, std::uint64_t seed) : policy_(policy), rng_(seed) {}

std::chrono::milliseconds Backoff::ceiling() const {
  const auto base = std::max<std::int64_t>(1, policy_.base.count());
  const auto cap = std::max<std::int64_t>(base, policy_.cap.count());
  std::int64_t window = base;
  for (int i = 0; i < failures_ && window < cap; ++i) window *= 2;
  return std::chrono::milliseconds(std::min(window, cap));
}

std::chrono::milliseconds Backoff::next(std::optional<std::chrono::milliseconds> at_least) {
  std::uniform_int_distribution<std::int64_t> jitter(0, ceiling().count());
  std::chrono::milliseconds wait(jitter(rng_));
  ++failures_;
  if (at_least && *at_least > wait) wait = *at_least;
  return wait;
}

}  // namespace alliance::sync
