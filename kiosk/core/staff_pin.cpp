// Staff PIN rules and the PIN screen's flow, over the device store's meta table.
#include "kiosk/core/staff_pin.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "common/util/log.hpp"
#include "common/util/secret.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::kiosk {
namespace {

// Meta keys; the first three are the ones older versions wrote.
constexpr std::string_view kMetaPinHash = "kiosk.staff_pin";
constexpr std::string_view kMetaPinFailures = "kiosk.pin_failures";
constexpr std::string_view kMetaPinLockedUntil = "kiosk.pin_locked_until_ms";
constexpr std::string_view kMetaPinLockouts = "kiosk.pin_lockouts";

std::int64_t to_int64(const std::optional<std::string>& text) {
  std::int64_t value = 0;
  if (!text) return 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  return ec == std::errc{} && end == text->data() + text->size() ? value : 0;
}

Notice error(std::string key, std::vector<std::string> args = {}) {
  return Notice{.key = std::move(key), .args = std::move(args), .is_error = true};
}

Notice info(std::string key, std::vector<std::string> args = {}) {
  return Notice{.key = std::move(key), .args = std::move(args), .is_error = false};
}

// Whole minutes left, rounded up, so "1 minute" is never shown as "0".
std::string minutes_until(WallTime until, WallTime now) {
  return std::to_string(std::chrono::ceil<std::chrono::minutes>(until - now).count());
}

// Inside the caller's transaction.
void write_throttle(store::Store& store, const PinThrottle& throttle) {
  store.set_meta(kMetaPinFailures, std::to_string(throttle.failures));
  store.set_meta(kMetaPinLockouts, std::to_string(throttle.lockouts));
  store.set_meta(kMetaPinLockedUntil, throttle.locked_until
                                          ? std::to_string(util::to_unix_ms(*throttle.locked_until))
                                          : "0");
}

}  // namespace

std::optional<Notice> new_pin_problem(std::string_view pin) {
  const auto length = std::to_string(kMinPinLength);
  if (!std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      pin.size() < kMinPinLength || pin.size() > kMaxPinLength) {
    return error("notice.pin_too_short", {length, std::to_string(kMaxPinLength)});
  }
  // The first guesses anyone makes: 000000, 111111, 123456, 987654.
  bool same = true;
  bool up = true;
  bool down = true;
  for (std::size_t i = 1; i < pin.size(); ++i) {
    same = same && pin[i] == pin[i - 1];
    up = up && pin[i] == pin[i - 1] + 1;
    down = down && pin[i] == pin[i - 1] - 1;
  }
  if (same || up || down) return error("notice.pin_too_simple");
  return std::nullopt;
}

std::chrono::minutes pin_lockout(int lockouts) {
  std::chrono::minutes length = kFirstPinLockout;
  for (int i = 1; i < lockouts && length < kMaxPinLockout; ++i) length *= 2;
  return std::min(length, kMaxPinLockout);
}

bool PinThrottle::settle(WallTime now) {
  if (!locked_until) return false;
  if (now >= *locked_until) {
    locked_until.reset();
    failures = 0;
    return true;
  }
  const auto longest = now + pin_lockout(std::max(lockouts, 1));
  if (*locked_until > longest) {
    locked_until = longest;
    return true;
  }
  return false;
}

std::optional<std::chrono::minutes> PinThrottle::fail(WallTime now) {
  ++failures;
  if (failures < kPinTriesPerLockout) return std::nullopt;
  ++lockouts;
  const auto length = pin_lockout(lockouts);
  locked_until = now + length;
  return length;
}

PinThrottle load_pin_throttle(store::Store& store) {
  PinThrottle throttle;
  throttle.failures = static_cast<int>(
      std::clamp<std::int64_t>(to_int64(store.meta(kMetaPinFailures)), 0, kPinTriesPerLockout));
  throttle.lockouts =
      static_cast<int>(std::clamp<std::int64_t>(to_int64(store.meta(kMetaPinLockouts)), 0, 1000));
  if (const auto ms = to_int64(store.meta(kMetaPinLockedUntil)); ms > 0) {
    throttle.locked_until = WallTime{std::chrono::milliseconds{ms}};
    // Older versions kept no count of lockouts: this one is at least the first.
    throttle.lockouts = std::max(throttle.lockouts, 1);
  }
  return throttle;
}

void save_pin_throttle(store::Store& store, const PinThrottle& throttle) {
  store::Transaction tx(store.db());
  write_throttle(store, throttle);
  tx.commit();
}

bool staff_pin_is_set(store::Store& store) {
  return !store.meta(kMetaPinHash).value_or("").empty();
}

std::string pin_problem_text(const Notice& problem) {
  if (problem.key == "notice.pin_too_simple") {
    return "the PIN is too easy to guess: not one digit repeated, not a run such as 123456";
  }
  return util::format("a PIN is {} to {} digits", kMinPinLength, kMaxPinLength);
}

void set_staff_pin(store::Store& store, std::string_view pin) {
  if (const auto problem = new_pin_problem(pin)) {
    throw std::invalid_argument(pin_problem_text(*problem));
  }
  const std::string hash = util::hash_secret(pin);  // slow on purpose: outside the transaction
  store::Transaction tx(store.db());
  store.set_meta(kMetaPinHash, hash);
  write_throttle(store, {});
  tx.commit();
}

StaffPinFlow::StaffPinFlow(store::Store& store)
    : store_(store), throttle_(load_pin_throttle(store)), pin_is_set_(staff_pin_is_set(store)) {
  step_ = pin_is_set_ ? PinStep::enter : PinStep::set_at_terminal;
}

void StaffPinFlow::begin(WallTime now) {
  // Read again: `alliance-kiosk set-pin` or `alliance-sync enroll` may have
  // run since the kiosk started.
  pin_is_set_ = staff_pin_is_set(store_);
  throttle_ = load_pin_throttle(store_);
  if (throttle_.settle(now)) save_pin_throttle(store_, throttle_);
  changing_ = false;
  chosen_.clear();
  if (pin_is_set_) {
    step_ = PinStep::enter;
  } else {
    step_ = store::has_enrolment_code(store_) ? PinStep::enrolment_code : PinStep::set_at_terminal;
  }
}

void StaffPinFlow::begin_change() {
  changing_ = true;
  chosen_.clear();
  step_ = PinStep::choose;
}

std::optional<Notice> StaffPinFlow::refuse_if_locked(WallTime now) {
  if (throttle_.settle(now)) save_pin_throttle(store_, throttle_);
  if (!throttle_.locked(now)) return std::nullopt;
  return error("notice.pin_locked", {minutes_until(*throttle_.locked_until, now)});
}

StaffPinFlow::Result StaffPinFlow::wrong_try(WallTime now, const char* wrong_key) {
  const auto lockout = throttle_.fail(now);
  save_pin_throttle(store_, throttle_);
  if (lockout) {
    log::warn("kiosk.pin_locked",
              {{"lockouts", throttle_.lockouts}, {"minutes", static_cast<int>(lockout->count())}});
    return {.notice = error("notice.pin_locked", {std::to_string(lockout->count())})};
  }
  return {.notice = error(wrong_key, {std::to_string(throttle_.tries_left())})};
}

StaffPinFlow::Result StaffPinFlow::submit_pin(std::string_view pin, WallTime now) {
  switch (step_) {
    case PinStep::enter: {
      if (auto locked = refuse_if_locked(now)) return {.notice = std::move(locked)};
      if (!util::verify_secret(pin, store_.meta(kMetaPinHash).value_or(""))) {
        return wrong_try(now, "notice.pin_wrong");
      }
      throttle_.succeed();
      save_pin_throttle(store_, throttle_);
      // A PIN from an older version, shorter than today's minimum, still opens
      // staff mode; staff are asked to choose a longer one.
      if (pin.size() < kMinPinLength) {
        return {.open_staff = true,
                .notice = info("notice.pin_short_change", {std::to_string(kMinPinLength)})};
      }
      return {.open_staff = true};
    }
    case PinStep::choose:
      return choose(pin);
    case PinStep::confirm:
      return confirm(pin);
    case PinStep::enrolment_code:
    case PinStep::set_at_terminal:
      return {};  // these steps take no PIN
  }
  return {};
}

StaffPinFlow::Result StaffPinFlow::choose(std::string_view pin) {
  if (auto problem = new_pin_problem(pin)) return {.notice = std::move(problem)};
  chosen_ = std::string(pin);
  step_ = PinStep::confirm;
  return {.notice = info("notice.pin_again")};
}

StaffPinFlow::Result StaffPinFlow::confirm(std::string_view pin) {
  if (pin != chosen_) {
    chosen_.clear();
    step_ = PinStep::choose;
    return {.notice = error("notice.pin_mismatch")};
  }
  set_staff_pin(store_, chosen_);
  chosen_.clear();
  throttle_ = {};
  pin_is_set_ = true;
  changing_ = false;
  step_ = PinStep::enter;
  log::info("kiosk.pin_set");
  return {.open_staff = true, .notice = info("notice.pin_set")};
}

StaffPinFlow::Result StaffPinFlow::submit_enrolment_code(std::string_view code, WallTime now) {
  if (step_ != PinStep::enrolment_code) return {};
  if (auto locked = refuse_if_locked(now)) return {.notice = std::move(locked)};
  if (!store::verify_enrolment_code(store_, code)) return wrong_try(now, "notice.code_wrong");
  throttle_.succeed();
  save_pin_throttle(store_, throttle_);
  step_ = PinStep::choose;
  return {.notice = info("notice.code_accepted")};
}

bool StaffPinFlow::tick(WallTime now) {
  if (!throttle_.settle(now)) return false;
  save_pin_throttle(store_, throttle_);
  return true;
}

}  // namespace alliance::kiosk
