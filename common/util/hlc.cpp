// Hybrid logical clock (Kulkarni et al., "Logical Physical Clocks").
#include "common/util/hlc.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <tuple>

#include "common/util/time.hpp"

namespace alliance::util {

std::string Hlc::to_string() const {
  char head[32];
  std::snprintf(head, sizeof head, "%018lld-%04x-", static_cast<long long>(wall_ms), counter);
  return head + node;
}

std::optional<Hlc> parse_hlc(std::string_view s) {
  if (s.size() < 24 || s[18] != '-' || s[23] != '-') return std::nullopt;
  Hlc h;
  const char* begin = s.data();
  auto [p1, e1] = std::from_chars(begin, begin + 18, h.wall_ms);
  if (e1 != std::errc{} || p1 != begin + 18 || h.wall_ms < 0) return std::nullopt;
  // Lower-case hex only, so that every accepted string sorts like its value.
  for (const char c : s.substr(19, 4)) {
    if (c >= 'A' && c <= 'F') return std::nullopt;
  }
  auto [p2, e2] = std::from_chars(begin + 19, begin + 23, h.counter, 16);
  if (e2 != std::errc{} || p2 != begin + 23) return std::nullopt;
  h.node = std::string(s.substr(24));
  return h;
}

HybridClock::HybridClock(std::string node, std::optional<Hlc> last, WallClock wall_clock)
    : node_(std::move(node)), wall_clock_(std::move(wall_clock)) {
  if (!wall_clock_) {
    wall_clock_ = [] { return to_unix_ms(std::chrono::system_clock::now()); };
  }
  if (last) {
    last_ = *last;
  }
  last_.node = node_;
}

void HybridClock::bump_counter() {
  if (last_.counter >= 0xffff) {
    // 65,536 events in one millisecond: borrow the next one rather than wrap.
    ++last_.wall_ms;
    last_.counter = 0;
  } else {
    ++last_.counter;
  }
}

Hlc HybridClock::now() {
  const std::int64_t physical = wall_clock_();
  const bool ahead = physical > last_.wall_ms;
  const bool plausible = last_.wall_ms == 0 || physical - last_.wall_ms <= kMaxForwardStepMs;
  forward_step_refused_ = ahead && !plausible;
  if (ahead && plausible) {
    last_.wall_ms = physical;
    last_.counter = 0;
  } else {
    bump_counter();
  }
  last_.node = node_;
  return last_;
}

void HybridClock::restore(const Hlc& persisted) {
  if (std::tie(persisted.wall_ms, persisted.counter) > std::tie(last_.wall_ms, last_.counter)) {
    last_.wall_ms = persisted.wall_ms;
    last_.counter = persisted.counter;
  }
  last_.node = node_;
}

bool HybridClock::observe(const Hlc& remote) {
  const std::int64_t physical = wall_clock_();
  if (remote.wall_ms > std::max(physical, last_.wall_ms) + kMaxForwardDriftMs) return false;
  const std::int64_t wall = std::max({last_.wall_ms, remote.wall_ms, physical});
  if (wall == last_.wall_ms && wall == remote.wall_ms) {
    last_.counter = std::max(last_.counter, remote.counter);
    bump_counter();
  } else if (wall == last_.wall_ms) {
    bump_counter();
  } else if (wall == remote.wall_ms) {
    last_.wall_ms = wall;
    last_.counter = remote.counter;
    bump_counter();
  } else {
    last_.wall_ms = wall;
    last_.counter = 0;
  }
  last_.node = node_;
  return true;
}

bool HybridClock::advance_to(std::int64_t wall_ms) {
  if (wall_ms <= last_.wall_ms) return false;
  last_.wall_ms = wall_ms;
  last_.counter = 0;
  last_.node = node_;
  return true;
}

}  // namespace alliance::util
