// Staff PIN rules: what a new PIN must look like, who may set the first one,
// and lockouts that grow with repeated wrong tries. Plain C++ over the device
// store, so every rule is tested without a UI.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/store/store.hpp"
#include "kiosk/core/state.hpp"

namespace alliance::kiosk {

using WallTime = std::chrono::system_clock::time_point;

// New PINs; a shorter PIN set by an older version keeps working until changed.
inline constexpr std::size_t kMinPinLength = 6;
inline constexpr std::size_t kMaxPinLength = 12;
inline constexpr int kPinTriesPerLockout = 5;
inline constexpr std::chrono::minutes kFirstPinLockout{5};
inline constexpr std::chrono::minutes kMaxPinLockout{24 * 60};

// Why `pin` cannot become the staff PIN, as a notice for the PIN screen
// (digits only, kMinPinLength to kMaxPinLength of them, not one digit repeated
// and not a straight run such as 123456 or 987654); nullopt if it can.
std::optional<Notice> new_pin_problem(std::string_view pin);
// The problem in English, for the command line (`alliance-kiosk set-pin`).
std::string pin_problem_text(const Notice& problem);

// How long the n-th lockout (1-based) without a correct PIN in between lasts:
// 5 minutes, doubling each time, at most 24 hours.
std::chrono::minutes pin_lockout(int lockouts);

// Wrong tries and lockouts; kept in the device store, so a restart neither
// forgets a lockout nor gives fresh tries.
struct PinThrottle {
  int failures = 0;  // wrong tries since the last lockout ended or the last correct try
  int lockouts = 0;  // lockouts since the last correct try
  std::optional<WallTime> locked_until;

  // Ends a lockout whose time has come (the next kPinTriesPerLockout tries
  // are allowed) and shortens one that would last longer than its rule (the
  // wall clock was set back). Returns whether anything changed.
  bool settle(WallTime now);
  bool locked(WallTime now) const { return locked_until && now < *locked_until; }
  // Counts a wrong try; returns the lockout it started, if it started one.
  std::optional<std::chrono::minutes> fail(WallTime now);
  void succeed() { *this = {}; }
  int tries_left() const { return kPinTriesPerLockout - failures; }
};

PinThrottle load_pin_throttle(store::Store& store);
void save_pin_throttle(store::Store& store, const PinThrottle& throttle);

bool staff_pin_is_set(store::Store& store);
// Replaces the staff PIN (only its salted hash is stored) and clears wrong
// tries and lockouts, in one transaction. Throws std::invalid_argument with
// new_pin_problem's reason if the PIN is not acceptable, StoreError on
// database failures.
void set_staff_pin(store::Store& store, std::string_view pin);

// The PIN screen's flow: entering the PIN, and setting a new one (typed twice)
// after proving the right to: the device's enrolment code for the first PIN,
// or being in staff mode already to change it. One per controller; the UI
// thread only. Store failures throw StoreError and leave the step unchanged.
class StaffPinFlow {
 public:
  explicit StaffPinFlow(store::Store& store);

  // What the PIN screen asks for when it opens: the PIN; without one, the
  // enrolment code (kept by `alliance-sync enroll`); without that either,
  // nothing: the first PIN is set at a terminal (`alliance-kiosk set-pin`).
  void begin(WallTime now);
  // Staff inside staff mode choose a new PIN.
  void begin_change();

  struct Result {
    bool open_staff = false;  // the right PIN, or a new one saved
    std::optional<Notice> notice;
  };
  Result submit_pin(std::string_view pin, WallTime now);
  Result submit_enrolment_code(std::string_view code, WallTime now);
  // Ends a lockout whose time has come; true if the screen should redraw.
  bool tick(WallTime now);

  PinStep step() const { return step_; }
  bool changing() const { return changing_; }
  bool pin_is_set() const { return pin_is_set_; }
  std::optional<WallTime> locked_until() const { return throttle_.locked_until; }

 private:
  // A lockout's notice if locked, after settling the throttle.
  std::optional<Notice> refuse_if_locked(WallTime now);
  Result wrong_try(WallTime now, const char* wrong_key);
  Result choose(std::string_view pin);
  Result confirm(std::string_view pin);

  store::Store& store_;
  PinThrottle throttle_;
  PinStep step_ = PinStep::enter;
  bool pin_is_set_ = false;
  bool changing_ = false;
  std::string chosen_;  // the new PIN between its two entries; never stored
};

}  // namespace alliance::kiosk
