// UUIDv7 generation: format, version and variant, ordering and the timestamp it carries.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/time.hpp"
#include "common/util/uuid.hpp"

using namespace alliance::util;

namespace {

bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// Checks the canonical layout by hand, independently of is_uuid.
bool looks_canonical(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_lower_hex(s[i])) return false;
  }
  return true;
}

std::int64_t now_ms() {
  return to_unix_ms(std::chrono::system_clock::now());
}

// A Unix-ms time strictly after the generator's last timestamp: the
// generator reuses its last timestamp for any earlier time, so a fresh id
// tells where it stands. Keeps the generator close to the real clock, so other
// tests in this binary still see current timestamps.
std::int64_t fresh_ms() {
  return uuid_v7_unix_ms(new_uuid_v7()) + 1;
}

}  // namespace

TEST_CASE("new_uuid_v7 has the canonical format, version 7 and the RFC variant") {
  for (int i = 0; i < 200; ++i) {
    const std::string id = new_uuid_v7();
    CAPTURE(id);
    CHECK(id.size() == 36);
    CHECK(looks_canonical(id));
    CHECK(id[14] == '7');
    CHECK(std::string_view("89ab").find(id[19]) != std::string_view::npos);
    CHECK(is_uuid(id));
    CHECK(is_uuid_v7(id));
  }
}

TEST_CASE("new_uuid_v7 carries the current time") {
  const std::int64_t before = now_ms();
  const std::string id = new_uuid_v7();
  const std::int64_t after = now_ms();
  const std::int64_t ts = uuid_v7_unix_ms(id);
  CAPTURE(id);
  CHECK(ts >= before);
  // The generator may run a few ms ahead after borrowing milliseconds when a
  // counter was exhausted, but never by much.
  CHECK(ts <= after + 1000);
}

TEST_CASE("10000 ids made in a row are strictly increasing and unique") {
  constexpr int kCount = 10000;
  std::vector<std::string> ids;
  ids.reserve(kCount);
  for (int i = 0; i < kCount; ++i) ids.push_back(new_uuid_v7());

  int not_increasing = 0;
  int not_v7 = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!is_uuid_v7(ids[i])) ++not_v7;
    if (i > 0 && !(ids[i - 1] < ids[i])) {
      if (not_increasing == 0) {
        MESSAGE("first out of order: ", ids[i - 1], " then ", ids[i]);
      }
      ++not_increasing;
    }
  }
  CHECK(not_increasing == 0);
  CHECK(not_v7 == 0);
  const std::set<std::string> unique(ids.begin(), ids.end());
  CHECK(unique.size() == ids.size());
}

TEST_CASE("ids for the same millisecond increase and keep that millisecond") {
  const std::int64_t t = fresh_ms();
  std::vector<std::string> ids;
  // The counter starts below 0x800 and has 12 bits, so 100 ids fit in one ms.
  for (int i = 0; i < 100; ++i) ids.push_back(new_uuid_v7_at(t));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    CAPTURE(i);
    CAPTURE(ids[i]);
    CHECK(is_uuid_v7(ids[i]));
    CHECK(uuid_v7_unix_ms(ids[i]) == t);
    if (i > 0) CHECK(ids[i - 1] < ids[i]);
  }
}

TEST_CASE("ids for a later millisecond sort after ids for an earlier one") {
  const std::int64_t t = fresh_ms();
  // Push the counter for t up, so the next ms must win on its timestamp alone.
  std::string last_at_t;
  for (int i = 0; i < 1000; ++i) last_at_t = new_uuid_v7_at(t);
  REQUIRE(uuid_v7_unix_ms(last_at_t) == t);
  const std::string next = new_uuid_v7_at(t + 1);
  CHECK(uuid_v7_unix_ms(next) == t + 1);
  CHECK(last_at_t < next);
}

TEST_CASE("ids keep increasing when the clock steps back") {
  const std::int64_t t = fresh_ms();
  const std::string first = new_uuid_v7_at(t);
  const std::string after_step_back = new_uuid_v7_at(t - 5000);
  const std::string much_earlier = new_uuid_v7_at(t - 3'600'000);
  CAPTURE(first);
  CAPTURE(after_step_back);
  CAPTURE(much_earlier);
  CHECK(first < after_step_back);
  CHECK(after_step_back < much_earlier);
  // The last timestamp is reused until the clock catches up.
  CHECK(uuid_v7_unix_ms(after_step_back) == t);
  CHECK(uuid_v7_unix_ms(much_earlier) == t);
  // Once the clock passes t again, the new time is used.
  const std::string caught_up = new_uuid_v7_at(t + 1);
  CHECK(much_earlier < caught_up);
  CHECK(uuid_v7_unix_ms(caught_up) == t + 1);
}

TEST_CASE("an exhausted per-millisecond counter borrows the next millisecond") {
  const std::int64_t t = fresh_ms();
  // 12-bit counter: at most 4096 ids per ms, so 5000 ids must spill over.
  std::vector<std::string> ids;
  for (int i = 0; i < 5000; ++i) ids.push_back(new_uuid_v7_at(t));
  int not_increasing = 0;
  for (std::size_t i = 1; i < ids.size(); ++i) {
    if (!(ids[i - 1] < ids[i])) ++not_increasing;
  }
  CHECK(not_increasing == 0);
  CHECK(uuid_v7_unix_ms(ids.front()) == t);
  CHECK(uuid_v7_unix_ms(ids.back()) > t);
  CHECK(uuid_v7_unix_ms(ids.back()) <= t + 2);
  const std::set<std::string> unique(ids.begin(), ids.end());
  CHECK(unique.size() == ids.size());
}

TEST_CASE("uuid_v7_unix_ms recovers the timestamp") {
  // The example UUIDv7 of RFC 9562, appendix A.6: 0x017F22E279B0 ms.
  const std::string_view rfc = "017f22e2-79b0-7cc3-98c4-dc0c0c07398f";
  CHECK(is_uuid_v7(rfc));
  CHECK(uuid_v7_unix_ms(rfc) == 0x017F22E279B0);
  CHECK(uuid_v7_unix_ms(rfc) == 1645557742000);

  CHECK(uuid_v7_unix_ms("00000000-0000-7000-8000-000000000000") == 0);
  CHECK(uuid_v7_unix_ms("ffffffff-ffff-7fff-bfff-ffffffffffff") == 0xFFFFFFFFFFFF);

  const std::int64_t t = fresh_ms();
  const std::string id = new_uuid_v7_at(t);
  CAPTURE(id);
  CHECK(uuid_v7_unix_ms(id) == t);
}

TEST_CASE("is_uuid accepts canonical lower-case ids from any version") {
  CHECK(is_uuid("f47ac10b-58cc-4372-a567-0e02b2c3d479"));  // v4
  CHECK(is_uuid("00000000-0000-0000-0000-000000000000"));  // nil
  CHECK(is_uuid("017f22e2-79b0-7cc3-98c4-dc0c0c07398f"));  // v7
  CHECK_FALSE(is_uuid_v7("f47ac10b-58cc-4372-a567-0e02b2c3d479"));
  CHECK_FALSE(is_uuid_v7("00000000-0000-0000-0000-000000000000"));
}

TEST_CASE("is_uuid rejects wrong lengths, upper case, other characters and misplaced dashes") {
  const std::string good = "017f22e2-79b0-7cc3-98c4-dc0c0c07398f";
  REQUIRE(is_uuid(good));

  // Lengths.
  CHECK_FALSE(is_uuid(""));
  CHECK_FALSE(is_uuid(good.substr(0, 35)));
  CHECK_FALSE(is_uuid(good + "0"));
  CHECK_FALSE(is_uuid(good + " "));
  CHECK_FALSE(is_uuid(" " + good));
  CHECK_FALSE(is_uuid("017f22e279b07cc398c4dc0c0c07398f"));  // no dashes
  CHECK_FALSE(is_uuid("{017f22e2-79b0-7cc3-98c4-dc0c0c07398f}"));

  // The implementation accepts lower-case hex only.
  CHECK_FALSE(is_uuid("017F22E2-79B0-7CC3-98C4-DC0C0C07398F"));
  CHECK_FALSE(is_uuid("017f22e2-79b0-7cc3-98c4-dc0c0c07398F"));
  CHECK_FALSE(is_uuid_v7("017F22E2-79B0-7CC3-98C4-DC0C0C07398F"));

  // Non-hex characters in every hex position.
  for (std::size_t i = 0; i < good.size(); ++i) {
    if (good[i] == '-') continue;
    for (const char bad : {'g', 'z', 'G', ' ', '-', '\0'}) {
      std::string s = good;
      s[i] = bad;
      CAPTURE(s);
      CHECK_FALSE(is_uuid(s));
    }
  }

  // A dash moved one place left or right.
  for (const std::size_t dash : {8u, 13u, 18u, 23u}) {
    for (const int shift : {-1, 1}) {
      std::string s = good;
      const auto to = static_cast<std::size_t>(static_cast<int>(dash) + shift);
      std::swap(s[dash], s[to]);
      CAPTURE(s);
      CHECK_FALSE(is_uuid(s));
    }
  }
  // A dash replaced by a hex digit.
  for (const std::size_t dash : {8u, 13u, 18u, 23u}) {
    std::string s = good;
    s[dash] = '0';
    CAPTURE(s);
    CHECK_FALSE(is_uuid(s));
  }
}

TEST_CASE("is_uuid_v7 checks the version and the variant") {
  // Version nibble (position 14).
  for (const char v : std::string_view("0123456789abcdef")) {
    std::string s = "017f22e2-79b0-7cc3-98c4-dc0c0c07398f";
    s[14] = v;
    CAPTURE(s);
    CHECK(is_uuid(s));
    CHECK(is_uuid_v7(s) == (v == '7'));
  }
  // Variant nibble (position 19): 10xx only.
  for (const char v : std::string_view("0123456789abcdef")) {
    std::string s = "017f22e2-79b0-7cc3-98c4-dc0c0c07398f";
    s[19] = v;
    CAPTURE(s);
    CHECK(is_uuid_v7(s) == (v == '8' || v == '9' || v == 'a' || v == 'b'));
  }
}
