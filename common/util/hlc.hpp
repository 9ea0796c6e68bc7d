// Hybrid logical clock: orders changes across devices whose wall clocks drift.
//
// A timestamp is (wall ms, counter, node). It never goes backwards on one
// device, even when the wall clock does, and it moves past every timestamp
// the device has seen from elsewhere. Its string form sorts like the
// timestamp itself, so "newer" is a plain string comparison, and the node id
// is the fixed tie-break that makes last-writer-wins deterministic.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace alliance::util {

struct Hlc {
  std::int64_t wall_ms = 0;
  std::uint32_t counter = 0;  // 0..0xffff
  std::string node;           // device id; the tie-break

  auto operator<=>(const Hlc&) const = default;
  bool operator==(const Hlc&) const = default;

  // "000001764365405123-0000-<node>": fixed width, so strings sort like Hlc.
  std::string to_string() const;
};

std::optional<Hlc> parse_hlc(std::string_view s);

class HybridClock {
 public:
  using WallClock = std::function<std::int64_t()>;  // Unix ms

  // `last` is the newest timestamp this node issued or observed before (the
  // store persists it), so a restart with a clock set back stays monotonic.
  explicit HybridClock(std::string node, std::optional<Hlc> last = std::nullopt,
                       WallClock wall_clock = {});

  // A timestamp for a local change, greater than every one before it.
  Hlc now();
  // Moves the clock past a timestamp received from another node. Returns false
  // (and ignores it) when it is more than kMaxForwardDriftMs ahead of our wall
  // clock, so one device with a wildly wrong clock cannot drag everyone along.
  bool observe(const Hlc& remote);

  const Hlc& last() const { return last_; }

  static constexpr std::int64_t kMaxForwardDriftMs = 24LL * 60 * 60 * 1000;

 private:
  void bump_counter();

  std::string node_;
  Hlc last_;
  WallClock wall_clock_;
};

}  // namespace alliance::util
