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

  // A timestamp for a local change, greater than every one before it. The
  // wall clock is taken when it is ahead of the last timestamp by at most
  // kMaxForwardStepMs (or when there is no last timestamp); a wall clock
  // behind it, however far, or implausibly far ahead of it, only advances
  // the counter, so the clock never goes back and one bad reading of a
  // real-time clock (a board booting in 2099) cannot carry it for good.
  Hlc now();
  // Takes a timestamp this node issued before (the persisted value) as its
  // floor, whatever the wall clock says: the persisted clock always wins.
  void restore(const Hlc& persisted);
  // Moves the clock past a timestamp received from another node. Returns false
  // (and ignores it) when it is more than kMaxForwardDriftMs ahead of the
  // newest time this node knows (its wall clock or its last timestamp,
  // whichever is later), so one device with a wildly wrong clock cannot drag
  // everyone along.
  bool observe(const Hlc& remote);
  // Raises the clock to at least `wall_ms` from a source trusted further than
  // any single device (the central server's clock, measured at sync), so a
  // device whose wall clock is behind writes after what the server has seen.
  // Returns whether the clock moved.
  bool advance_to(std::int64_t wall_ms);

  const Hlc& last() const { return last_; }
  // Whether the last now() found the wall clock ahead by more than
  // kMaxForwardStepMs and kept counting from the last timestamp instead.
  bool forward_step_refused() const { return forward_step_refused_; }

  static constexpr std::int64_t kMaxForwardDriftMs = 24LL * 60 * 60 * 1000;
  // A wall clock ahead of the last timestamp by more than this is not taken
  // (docs/ARCHITECTURE.md, "The device clock"): 400 days, longer than a kiosk
  // waits in a cupboard between yearly events, far shorter than the decades
  // a real-time clock with a flat battery or a corrupt register can show.
  static constexpr std::int64_t kMaxForwardStepMs = 400LL * 24 * 60 * 60 * 1000;

 private:
  void bump_counter();

  std::string node_;
  Hlc last_;
  WallClock wall_clock_;
  bool forward_step_refused_ = false;
};

}  // namespace alliance::util
