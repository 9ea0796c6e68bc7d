// Staff PIN rules without a UI: the new PIN's form, growing lockouts and what
// the device store keeps of them.
#include <doctest/doctest.h>

#include "common/store/store.hpp"
#include "common/util/secret.hpp"
#include "kiosk/core/staff_pin.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;
using namespace alliance::kiosk;
using namespace std::chrono_literals;

namespace {

const WallTime kNoon = WallTime{std::chrono::hours{24 * 20'000 + 12}};

std::string key_of(const std::optional<Notice>& notice) {
  return notice ? notice->key : std::string("none");
}

}  // namespace

TEST_CASE("a new PIN is 6 to 12 digits, not one digit repeated and not a straight run") {
  CHECK(key_of(new_pin_problem("12345")) == "notice.pin_too_short");
  CHECK(key_of(new_pin_problem("")) == "notice.pin_too_short");
  CHECK(key_of(new_pin_problem("1234567890123")) == "notice.pin_too_short");  // 13 digits
  CHECK(key_of(new_pin_problem("24681a")) == "notice.pin_too_short");
  CHECK(key_of(new_pin_problem(" 246813")) == "notice.pin_too_short");
  const auto too_short = new_pin_problem("2468");
  REQUIRE(too_short.has_value());
  CHECK(too_short->is_error);
  CHECK(too_short->args == std::vector<std::string>{"6", "12"});
  for (const char* simple : {"000000", "999999999", "123456", "456789", "987654", "3210987"}) {
    CAPTURE(simple);
    // 3210987 wraps around 0 and is not a straight run.
    const std::string expected =
        std::string(simple) == "3210987" ? "none" : "notice.pin_too_simple";
    CHECK(key_of(new_pin_problem(simple)) == expected);
  }
  CHECK_FALSE(new_pin_problem("246813").has_value());
  CHECK_FALSE(new_pin_problem("975310").has_value());
  CHECK_FALSE(new_pin_problem("112233445566").has_value());
  CHECK(pin_problem_text(*new_pin_problem("12")).find("6 to 12 digits") != std::string::npos);
  CHECK(pin_problem_text(*new_pin_problem("111111")).find("easy to guess") != std::string::npos);
}

TEST_CASE("lockouts start at 5 minutes and double up to 24 hours") {
  CHECK(pin_lockout(1) == 5min);
  CHECK(pin_lockout(2) == 10min);
  CHECK(pin_lockout(3) == 20min);
  CHECK(pin_lockout(4) == 40min);
  CHECK(pin_lockout(9) == 1280min);
  CHECK(pin_lockout(10) == 24h);  // 2560 minutes would be more than a day
  CHECK(pin_lockout(1000) == 24h);
  CHECK(pin_lockout(0) == 5min);
}

TEST_CASE("the throttle locks after five wrong tries and gives five more once a lockout ends") {
  PinThrottle t;
  for (int i = 1; i < kPinTriesPerLockout; ++i) {
    CHECK_FALSE(t.fail(kNoon).has_value());
    CHECK(t.tries_left() == kPinTriesPerLockout - i);
  }
  const auto first = t.fail(kNoon);
  REQUIRE(first.has_value());
  CHECK(*first == 5min);
  CHECK(t.locked(kNoon + 4min));
  CHECK_FALSE(t.settle(kNoon + 4min));
  CHECK(t.settle(kNoon + 5min));
  CHECK_FALSE(t.locked(kNoon + 5min));
  CHECK(t.tries_left() == kPinTriesPerLockout);
  CHECK(t.lockouts == 1);

  // The second run of wrong tries locks for twice as long; a success resets.
  for (int i = 1; i < kPinTriesPerLockout; ++i) CHECK_FALSE(t.fail(kNoon + 6min).has_value());
  CHECK(t.fail(kNoon + 6min) == std::optional(10min));
  CHECK(t.locked(kNoon + 15min));
  t.succeed();
  CHECK_FALSE(t.locked(kNoon + 15min));
  CHECK(t.lockouts == 0);
  CHECK(t.failures == 0);
}

TEST_CASE("a lockout that outlasts its rule because the clock went back is shortened") {
  PinThrottle t;
  t.lockouts = 1;
  t.failures = kPinTriesPerLockout;
  t.locked_until = kNoon + 48h;  // set while the clock was two days ahead
  CHECK(t.settle(kNoon));
  REQUIRE(t.locked_until.has_value());
  CHECK(*t.locked_until == kNoon + 5min);
  CHECK_FALSE(t.settle(kNoon + 1min));
}

TEST_CASE("the throttle and the PIN live in the device store") {
  test::TempDir dir;
  auto store = store::Store::open(dir / "kiosk.db");
  CHECK_FALSE(staff_pin_is_set(store));
  const auto empty = load_pin_throttle(store);
  CHECK(empty.failures == 0);
  CHECK_FALSE(empty.locked_until.has_value());

  PinThrottle t;
  for (int i = 0; i < kPinTriesPerLockout * 2; ++i) {
    t.fail(kNoon);
    t.settle(kNoon + 1h);
  }
  save_pin_throttle(store, t);
  const auto back = load_pin_throttle(store);
  CHECK(back.lockouts == 2);
  CHECK(back.failures == t.failures);
  CHECK(back.locked_until == t.locked_until);

  // What an older version left: failures and an end time, no count of lockouts.
  store.set_meta("kiosk.pin_lockouts", "");
  store.set_meta("kiosk.pin_failures", "5");
  store.set_meta("kiosk.pin_locked_until_ms", "1000");
  const auto old = load_pin_throttle(store);
  CHECK(old.lockouts == 1);
  CHECK(old.failures == 5);

  CHECK_THROWS_AS(set_staff_pin(store, "1234"), std::invalid_argument);
  CHECK_FALSE(staff_pin_is_set(store));
  set_staff_pin(store, "246813");
  CHECK(staff_pin_is_set(store));
  const auto stored = store.meta("kiosk.staff_pin").value_or("");
  CHECK(stored.starts_with("pbkdf2-sha256$"));
  CHECK(util::verify_secret("246813", stored));
  CHECK_FALSE(util::verify_secret("246812", stored));
  // Setting a PIN ends any lockout.
  const auto cleared = load_pin_throttle(store);
  CHECK(cleared.failures == 0);
  CHECK(cleared.lockouts == 0);
  CHECK_FALSE(cleared.locked_until.has_value());
}

TEST_CASE("the enrolment code's hash opens the first PIN's set-up only when it matches") {
  test::TempDir dir;
  auto store = store::Store::open(dir / "kiosk.db");
  StaffPinFlow flow(store);
  flow.begin(kNoon);
  CHECK(flow.step() == PinStep::set_at_terminal);
  CHECK_FALSE(flow.submit_enrolment_code("K7QM-2XPD-9HRT", kNoon).notice.has_value());

  store::save_credentials(store, {.server_url = "https://c", .device_id = "d", .token = "t"},
                          "K7QM-2XPD-9HRT");
  CHECK(store::has_enrolment_code(store));
  flow.begin(kNoon);
  REQUIRE(flow.step() == PinStep::enrolment_code);
  // Wrong codes count against the same lockout as wrong PINs.
  for (int i = 1; i < kPinTriesPerLockout; ++i) {
    CHECK(key_of(flow.submit_enrolment_code("AAAA-BBBB-CCCC", kNoon).notice) ==
          "notice.code_wrong");
  }
  CHECK(key_of(flow.submit_enrolment_code("AAAA-BBBB-CCCC", kNoon).notice) == "notice.pin_locked");
  CHECK(key_of(flow.submit_enrolment_code("K7QM-2XPD-9HRT", kNoon + 1min).notice) ==
        "notice.pin_locked");
  CHECK(flow.step() == PinStep::enrolment_code);
  CHECK(flow.tick(kNoon + 5min));
  const auto accepted = flow.submit_enrolment_code("k7qm2xpd9hrt", kNoon + 5min);
  CHECK(key_of(accepted.notice) == "notice.code_accepted");
  CHECK_FALSE(accepted.open_staff);
  CHECK(flow.step() == PinStep::choose);

  // An agent that enrols again without a code keeps the earlier hash.
  store::save_credentials(store, {.server_url = "https://c", .device_id = "d", .token = "t2"});
  CHECK(store::verify_enrolment_code(store, "K7QM 2XPD 9HRT"));
}
