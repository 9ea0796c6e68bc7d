// Hybrid logical clock: monotonic across wall-clock steps, moves past remote
// timestamps, refuses wild ones, and its string form sorts like the timestamp.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/hlc.hpp"

using namespace alliance::util;

namespace {

constexpr std::int64_t kT = 1'764'365'405'123;  // 2025-11-28T21:30:05.123Z
constexpr std::int64_t kHour = 3'600'000;

// A clock whose wall time the test sets.
struct ManualClock {
  std::int64_t wall = kT;
  HybridClock make(std::string node, std::optional<Hlc> last = std::nullopt) {
    return HybridClock(std::move(node), std::move(last), [this] { return wall; });
  }
};

}  // namespace

TEST_CASE("now uses the wall time and counts up while it stands still") {
  ManualClock mc;
  HybridClock clock = mc.make("node-a");
  const Hlc first = clock.now();
  CHECK(first.wall_ms == kT);
  CHECK(first.counter == 0);
  CHECK(first.node == "node-a");

  Hlc prev = first;
  for (std::uint32_t i = 1; i <= 1000; ++i) {
    const Hlc next = clock.now();
    CAPTURE(i);
    CHECK(prev < next);
    CHECK(next.wall_ms == kT);
    CHECK(next.counter == i);
    CHECK(next.node == "node-a");
    CHECK(clock.last() == next);
    prev = next;
  }

  // The wall clock moves on: its time is used with the counter back at 0.
  mc.wall = kT + 7;
  const Hlc moved = clock.now();
  CHECK(prev < moved);
  CHECK(moved.wall_ms == kT + 7);
  CHECK(moved.counter == 0);
}

TEST_CASE("timestamps keep increasing across a wall-clock jump back of an hour") {
  ManualClock mc;
  HybridClock clock = mc.make("node-a");
  mc.wall = kT;
  Hlc before_jump = clock.now();
  before_jump = clock.now();  // (kT, 1)
  REQUIRE(before_jump.wall_ms == kT);
  REQUIRE(before_jump.counter == 1);

  mc.wall = kT - kHour;
  Hlc prev = before_jump;
  for (int i = 0; i < 100; ++i) {
    mc.wall += 10;  // the wall clock runs on, still far behind
    const Hlc next = clock.now();
    CAPTURE(i);
    CHECK(prev < next);
    CHECK(next.wall_ms >= prev.wall_ms);
    CHECK(next.wall_ms == kT);  // the logical time stays on the newest wall time seen
    prev = next;
  }
  CHECK(prev.counter == 101);

  // Reaching the old wall time again is not enough: still the same ms.
  mc.wall = kT;
  const Hlc at_old = clock.now();
  CHECK(prev < at_old);
  CHECK(at_old.wall_ms == kT);
  CHECK(at_old.counter == 102);

  // Passing it: the wall time is used again, with the counter reset.
  mc.wall = kT + 1;
  const Hlc resumed = clock.now();
  CHECK(at_old < resumed);
  CHECK(resumed.wall_ms == kT + 1);
  CHECK(resumed.counter == 0);
}

TEST_CASE("observe moves the clock past a remote timestamp that is ahead") {
  ManualClock mc;
  HybridClock clock = mc.make("node-a");
  const Hlc local = clock.now();
  const Hlc remote{kT + 5000, 7, "node-b"};
  CHECK(clock.observe(remote));
  CHECK(remote < clock.last());
  CHECK(local < clock.last());
  CHECK(clock.last().wall_ms == kT + 5000);
  CHECK(clock.last().counter == 8);
  CHECK(clock.last().node == "node-a");

  // The next local change sorts after the remote one although our wall clock
  // is still 5 s behind.
  const Hlc next = clock.now();
  CHECK(remote < next);
  CHECK(next.wall_ms == kT + 5000);
  CHECK(next.counter == 9);
  CHECK(next.node == "node-a");
}

TEST_CASE("observe of a remote timestamp with the same wall time takes the larger counter") {
  ManualClock mc;
  HybridClock clock = mc.make("node-a");
  clock.now();
  clock.now();  // (kT, 1)
  // A remote timestamp with a node that sorts after ours and a larger counter.
  const Hlc remote{kT, 40, "node-z"};
  CHECK(clock.observe(remote));
  CHECK(clock.last().wall_ms == kT);
  CHECK(clock.last().counter == 41);
  CHECK(remote < clock.last());
  CHECK(remote < clock.now());

  // A remote timestamp behind us still advances the clock.
  const Hlc before = clock.last();
  CHECK(clock.observe(Hlc{kT - kHour, 3, "node-b"}));
  CHECK(before < clock.last());
  CHECK(clock.last().wall_ms == kT);
}

TEST_CASE("observe with the wall clock ahead of both uses the wall time") {
  ManualClock mc;
  HybridClock clock = mc.make("node-a");
  clock.now();
  mc.wall = kT + 100;
  CHECK(clock.observe(Hlc{kT + 50, 9, "node-b"}));
  CHECK(clock.last().wall_ms == kT + 100);
  CHECK(clock.last().counter == 0);
}

TEST_CASE("observe refuses a remote timestamp more than 24 hours ahead") {
  ManualClock mc;
  HybridClock clock = mc.make("node-a");
  clock.now();
  clock.now();
  const Hlc before = clock.last();

  const Hlc wild{kT + HybridClock::kMaxForwardDriftMs + 1, 0, "node-b"};
  CHECK_FALSE(clock.observe(wild));
  CHECK(clock.last() == before);
  CHECK_FALSE(clock.observe(Hlc{kT + 365 * 24 * kHour, 0xffff, "node-b"}));
  CHECK(clock.last() == before);

  // The next local timestamp does not jump toward the refused one.
  const Hlc next = clock.now();
  CHECK(next.wall_ms == kT);
  CHECK(next.counter == before.counter + 1);

  // Exactly 24 hours ahead is still accepted.
  const Hlc edge{kT + HybridClock::kMaxForwardDriftMs, 0, "node-b"};
  CHECK(clock.observe(edge));
  CHECK(edge < clock.last());
  CHECK(clock.last().wall_ms == edge.wall_ms);
}

TEST_CASE("the drift limit is measured from the newest time the node knows") {
  ManualClock mc;
  HybridClock clock = mc.make("node-a");
  mc.wall = kT + 2 * HybridClock::kMaxForwardDriftMs;
  clock.now();
  mc.wall = kT;  // clock set back two days
  const Hlc before = clock.last();
  // Within a day of our last timestamp, though three days ahead of the wall
  // clock: a device whose wall clock went back still follows the others.
  const Hlc near{before.wall_ms + HybridClock::kMaxForwardDriftMs, 0, "node-b"};
  CHECK(clock.observe(near));
  CHECK(near < clock.last());
  // A day and a millisecond past both: refused.
  const Hlc moved = clock.last();
  CHECK_FALSE(clock.observe(Hlc{moved.wall_ms + HybridClock::kMaxForwardDriftMs + 1, 0, "node-b"}));
  CHECK(clock.last() == moved);
}

TEST_CASE("a persisted clock wins over a wall clock stepped back three years") {
  constexpr std::int64_t kThreeYears = 3LL * 365 * 24 * kHour;
  ManualClock mc;
  HybridClock before_boot = mc.make("node-a");
  before_boot.now();
  const Hlc persisted = before_boot.now();  // (kT, 1)

  // A board without a battery-backed clock boots three years back.
  mc.wall = kT - kThreeYears;
  HybridClock after_boot = mc.make("node-a");
  after_boot.restore(persisted);
  Hlc prev = persisted;
  for (int i = 0; i < 1000; ++i) {
    mc.wall += 1000;  // the wall clock runs on, three years behind
    const Hlc next = after_boot.now();
    CAPTURE(i);
    REQUIRE(prev < next);
    prev = next;
  }
  CHECK(prev.wall_ms == kT);
  CHECK(prev.counter == 1001);
  CHECK_FALSE(after_boot.forward_step_refused());

  // Restoring an older value never lowers the clock.
  after_boot.restore(Hlc{kT - kThreeYears, 0, "node-a"});
  CHECK(after_boot.last() == prev);
}

TEST_CASE("a wall clock ahead is taken up to 400 days, and counted from the last value beyond") {
  ManualClock mc;
  HybridClock clock = mc.make("node-a");
  clock.now();

  // Twenty hours ahead (a time zone taken for UTC): taken.
  mc.wall = kT + 20 * kHour;
  const Hlc ahead = clock.now();
  CHECK(ahead.wall_ms == kT + 20 * kHour);
  CHECK(ahead.counter == 0);
  CHECK_FALSE(clock.forward_step_refused());

  // The clock is put right: the timestamps stay ahead and keep counting.
  mc.wall = kT + kHour;
  const Hlc corrected = clock.now();
  CHECK(ahead < corrected);
  CHECK(corrected.wall_ms == kT + 20 * kHour);

  // Exactly the bound ahead of the last value: taken.
  mc.wall = kT + 20 * kHour + HybridClock::kMaxForwardStepMs;
  CHECK(clock.now().wall_ms == mc.wall);
  CHECK_FALSE(clock.forward_step_refused());

  // A real-time clock that reads decades ahead: not taken, and not later
  // either while it stays that far ahead.
  const Hlc before_jump = clock.last();
  mc.wall = before_jump.wall_ms + HybridClock::kMaxForwardStepMs + 1;
  const Hlc refused = clock.now();
  CHECK(clock.forward_step_refused());
  CHECK(refused.wall_ms == before_jump.wall_ms);
  CHECK(refused.counter == before_jump.counter + 1);
  mc.wall = before_jump.wall_ms + 30LL * 365 * 24 * kHour;
  CHECK(clock.now().wall_ms == before_jump.wall_ms);
  CHECK(clock.forward_step_refused());

  // A device with no clock value yet takes its wall clock whatever it says.
  HybridClock fresh = mc.make("node-b");
  CHECK(fresh.now().wall_ms == mc.wall);
}

TEST_CASE("advance_to raises the clock to a trusted time and never lowers it") {
  ManualClock mc;
  mc.wall = kT - 3 * 365 * 24 * kHour;
  HybridClock clock = mc.make("node-a");
  const Hlc old = clock.now();
  CHECK(clock.advance_to(kT));
  CHECK(clock.last().wall_ms == kT);
  CHECK(clock.last().counter == 0);
  CHECK(old < clock.now());
  const Hlc before = clock.last();
  CHECK_FALSE(clock.advance_to(kT - 1));
  CHECK_FALSE(clock.advance_to(kT));
  CHECK(clock.last() == before);
}

TEST_CASE("the counter overflow at 0xffff borrows the next millisecond") {
  ManualClock mc;
  HybridClock clock = mc.make("node-a");
  Hlc h;
  for (std::uint32_t i = 0; i <= 0xffff; ++i) h = clock.now();
  CHECK(h.wall_ms == kT);
  CHECK(h.counter == 0xffff);
  const Hlc borrowed = clock.now();
  CHECK(h < borrowed);
  CHECK(borrowed.wall_ms == kT + 1);
  CHECK(borrowed.counter == 0);
  CHECK(h.to_string() < borrowed.to_string());

  // The wall clock reaching the borrowed ms does not reuse it.
  mc.wall = kT + 1;
  const Hlc after = clock.now();
  CHECK(borrowed < after);
  CHECK(after.wall_ms == kT + 1);
  CHECK(after.counter == 1);
}

TEST_CASE("observe of a remote timestamp at counter 0xffff borrows the next millisecond") {
  ManualClock mc;
  HybridClock clock = mc.make("node-a");
  clock.now();
  const Hlc remote{kT, 0xffff, "node-b"};
  CHECK(clock.observe(remote));
  CHECK(remote < clock.last());
  CHECK(clock.last().wall_ms == kT + 1);
  CHECK(clock.last().counter == 0);
  CHECK(clock.last().counter <= 0xffff);
}

TEST_CASE("Hlc::to_string has the documented fixed-width form") {
  CHECK(Hlc{kT, 0, "dev"}.to_string() == "000001764365405123-0000-dev");
  CHECK(Hlc{kT, 0xab, "dev"}.to_string() == "000001764365405123-00ab-dev");
  CHECK(Hlc{0, 0xffff, ""}.to_string() == "000000000000000000-ffff-");
  CHECK(Hlc{999'999'999'999'999'999, 1, "n"}.to_string() == "999999999999999999-0001-n");
}

TEST_CASE("Hlc::to_string sorts exactly like operator<") {
  std::mt19937_64 rng(20251128);
  const std::vector<std::int64_t> walls = {0,      1,  9,      10,
                                           kT - 1, kT, kT + 1, 999'999'999'999'999'999};
  const std::vector<std::uint32_t> counters = {0, 1, 0xf, 0x10, 0xff, 0x100, 0xfff, 0x1000, 0xffff};
  const std::vector<std::string> nodes = {"",        "a",      "ab",     "b",        "node-1",
                                          "node-10", "node-2", "Node-1", "~",        "z",
                                          "a-",      "a0",     "a\x7f",  "a\xc3\xa9"};
  auto pick = [&rng](std::size_t n) {
    return static_cast<std::size_t>(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng));
  };
  auto random_hlc = [&]() {
    Hlc h;
    // Half from small sets so that ties on wall and counter are common.
    h.wall_ms = pick(2) == 0
                    ? walls[pick(walls.size())]
                    : std::uniform_int_distribution<std::int64_t>(0, 999'999'999'999'999'999)(rng);
    h.counter = pick(2) == 0 ? counters[pick(counters.size())]
                             : std::uniform_int_distribution<std::uint32_t>(0, 0xffff)(rng);
    if (pick(3) == 0) {
      std::string node;
      const std::size_t len = pick(12);
      for (std::size_t i = 0; i < len; ++i) {
        node.push_back(static_cast<char>(std::uniform_int_distribution<int>(0x21, 0x7e)(rng)));
      }
      h.node = node;
    } else {
      h.node = nodes[pick(nodes.size())];
    }
    return h;
  };

  constexpr int kPairs = 5000;
  int mismatches = 0;
  int equal_wall_and_counter = 0;
  int equal_wall = 0;
  for (int i = 0; i < kPairs; ++i) {
    const Hlc a = random_hlc();
    Hlc b = random_hlc();
    // Force some ties on the wall time and on wall time plus counter.
    if (i % 4 == 1) b.wall_ms = a.wall_ms;
    if (i % 4 == 2) {
      b.wall_ms = a.wall_ms;
      b.counter = a.counter;
    }
    if (a.wall_ms == b.wall_ms) ++equal_wall;
    if (a.wall_ms == b.wall_ms && a.counter == b.counter) ++equal_wall_and_counter;
    const std::string sa = a.to_string();
    const std::string sb = b.to_string();
    const bool ok = (a < b) == (sa < sb) && (b < a) == (sb < sa) && (a == b) == (sa == sb);
    if (!ok) {
      if (mismatches == 0) MESSAGE("first mismatch: ", sa, " vs ", sb);
      ++mismatches;
    }
  }
  MESSAGE("compared ", kPairs, " pairs, ", equal_wall, " with equal wall time, ",
          equal_wall_and_counter, " with equal wall time and counter");
  CHECK(mismatches == 0);
  CHECK(equal_wall >= kPairs / 2);
  CHECK(equal_wall_and_counter >= kPairs / 4);
}

TEST_CASE("parse_hlc round-trips to_string") {
  const std::vector<Hlc> samples = {
      {0, 0, ""},
      {kT, 0, "node-a"},
      {kT, 0xffff, "9f1c2e4a-0000-7000-8000-000000000001"},
      {1, 0xab, "a-b-c"},
      {999'999'999'999'999'999, 0x1234, "x"},
      {kT, 42, "node with spaces"},
  };
  for (const Hlc& h : samples) {
    const std::string s = h.to_string();
    CAPTURE(s);
    const auto parsed = parse_hlc(s);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == h);
    CHECK(parsed->to_string() == s);
  }

  std::mt19937_64 rng(7);
  int failures = 0;
  for (int i = 0; i < 2000; ++i) {
    Hlc h;
    h.wall_ms = std::uniform_int_distribution<std::int64_t>(0, 999'999'999'999'999'999)(rng);
    h.counter = std::uniform_int_distribution<std::uint32_t>(0, 0xffff)(rng);
    h.node = "node-" + std::to_string(rng() % 1000);
    const auto parsed = parse_hlc(h.to_string());
    if (!parsed || !(*parsed == h)) ++failures;
  }
  CHECK(failures == 0);
}

TEST_CASE("parse_hlc rejects malformed strings") {
  const std::string_view bad[] = {
      "",
      "0",
      "000001764365405123",
      "000001764365405123-0000",       // no node separator
      "000001764365405123 0000-dev",   // wrong first separator
      "000001764365405123-0000 dev",   // wrong second separator
      "00001764365405123-0000-dev",    // 17 wall digits
      "0000001764365405123-0000-dev",  // 19 wall digits
      "000001764365405123-000-dev",    // 3 counter digits
      "000001764365405123-00000-dev",  // 5 counter digits
      "00000176436540512x-0000-dev",   // non-digit in the wall time
      "0000017643654 5123-0000-dev",   // space in the wall time
      " 00001764365405123-0000-dev",   // leading space
      "-00000000000000001-0000-dev",   // negative wall time
      "+00000000000000001-0000-dev",   // sign
      "000001764365405123-00g0-dev",   // non-hex counter
      "000001764365405123-0x10-dev",   // hex prefix
      "000001764365405123--001-dev",   // negative counter
      "000001764365405123- 001-dev",   // space in the counter
      "000001764365405123-0000_dev",   // underscore instead of the second dash
      "a00001764365405123-0000-dev",   // letter first
  };
  for (const std::string_view s : bad) {
    CAPTURE(s);
    CHECK_FALSE(parse_hlc(s).has_value());
  }
}

TEST_CASE("a clock restored from a persisted timestamp stays monotonic after a restart") {
  ManualClock mc;
  Hlc persisted;
  {
    HybridClock before_restart = mc.make("node-a");
    for (int i = 0; i < 5; ++i) before_restart.now();
    persisted = before_restart.last();
  }
  REQUIRE(persisted.wall_ms == kT);
  REQUIRE(persisted.counter == 4);

  // The store keeps the string form; the device restarts with its clock an hour back.
  const auto reloaded = parse_hlc(persisted.to_string());
  REQUIRE(reloaded.has_value());
  mc.wall = kT - kHour;
  HybridClock after_restart = mc.make("node-a", reloaded);
  CHECK(after_restart.last() == persisted);
  const Hlc first = after_restart.now();
  CHECK(persisted < first);
  CHECK(first.wall_ms == kT);
  CHECK(first.counter == 5);
  CHECK(first.node == "node-a");
  CHECK(persisted.to_string() < first.to_string());

  // Without the persisted value the same restart would go backwards.
  HybridClock forgetful = mc.make("node-a");
  CHECK(forgetful.now() < persisted);
}

TEST_CASE("a restored timestamp observed from another node still orders the next change") {
  ManualClock mc;
  // The newest timestamp was one observed from a node that sorts after ours.
  const Hlc persisted{kT, 9, "node-z"};
  mc.wall = kT - kHour;
  HybridClock clock = mc.make("node-a", persisted);
  CHECK(clock.last().node == "node-a");
  const Hlc next = clock.now();
  CHECK(persisted < next);
  CHECK(next.wall_ms == kT);
  CHECK(next.counter == 10);
}
