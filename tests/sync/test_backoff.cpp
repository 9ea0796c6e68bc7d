// Backoff: full jitter within a doubling window, a cap, Retry-After as a floor.
#include <doctest/doctest.h>

#include "sync/backoff.hpp"

namespace alliance::sync {

using std::chrono::milliseconds;

TEST_CASE("backoff waits stay within a doubling window up to the cap") {
  Backoff backoff({.base = milliseconds(100), .cap = milliseconds(1000)}, 42);
  const std::int64_t windows[] = {100, 200, 400, 800, 1000, 1000, 1000};
  for (const auto window : windows) {
    CHECK(backoff.ceiling().count() == window);
    const auto wait = backoff.next();
    CHECK(wait.count() >= 0);
    CHECK(wait.count() <= window);
  }
  backoff.reset();
  CHECK(backoff.ceiling().count() == 100);
}

TEST_CASE("backoff jitter spreads waits over the whole window") {
  std::int64_t low = 0;
  std::int64_t high = 0;
  for (int i = 0; i < 400; ++i) {
    Backoff backoff({.base = milliseconds(1000), .cap = milliseconds(60'000)},
                    static_cast<std::uint64_t>(i + 1));
    const auto wait = backoff.next().count();
    low += wait < 250 ? 1 : 0;
    high += wait > 750 ? 1 : 0;
  }
  CHECK(low > 50);
  CHECK(high > 50);
}

TEST_CASE("Retry-After is a minimum even past the cap") {
  Backoff backoff({.base = milliseconds(100), .cap = milliseconds(1000)}, 7);
  CHECK(backoff.next(milliseconds(5000)).count() == 5000);
  CHECK(backoff.next(milliseconds(0)).count() <= 200);
}
}  // namespace alliance::sync
