// UUIDv7 generation with a per-millisecond counter for monotonic ordering.
#include "common/util/uuid.hpp"

#include <array>
#include <chrono>
#include <mutex>
#include <random>

#include "common/util/time.hpp"

namespace alliance::util {
namespace {

// Seeded with 256 bits from the kernel: from one 32-bit value, two of the
// many processes a deployment starts would share a random sequence.
std::mt19937_64 seeded_generator() {
  std::random_device device;
  std::seed_seq seed{device(), device(), device(), device(),
                     device(), device(), device(), device()};
  return std::mt19937_64(seed);
}

struct GeneratorState {
  std::mutex mutex;
  std::mt19937_64 rng = seeded_generator();
  std::int64_t last_ms = -1;
  std::uint32_t counter = 0;  // 12 bits used
};

GeneratorState& state() {
  static GeneratorState s;
  return s;
}

constexpr char kHex[] = "0123456789abcdef";

std::string format_uuid(const std::array<std::uint8_t, 16>& b) {
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0f]);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string new_uuid_v7_at(std::int64_t unix_ms) {
  auto& s = state();
  std::uint64_t random_bits = 0;
  std::uint32_t counter = 0;
  std::int64_t ms = unix_ms;
  {
    std::lock_guard lock(s.mutex);
    if (ms <= s.last_ms) {
      // Same millisecond or a clock step back: stay on the last timestamp and
      // count up, so ids keep increasing.
      ms = s.last_ms;
      if (++s.counter > 0xfff) {
        ++s.last_ms;  // counter exhausted: borrow the next millisecond
        ms = s.last_ms;
        s.counter = static_cast<std::uint32_t>(s.rng() & 0x7ff);
      }
    } else {
      s.last_ms = ms;
      // Start the counter in the lower half so it rarely overflows.
      s.counter = static_cast<std::uint32_t>(s.rng() & 0x7ff);
    }
    counter = s.counter;
    random_bits = s.rng();
  }

  std::array<std::uint8_t, 16> b{};
  const auto ts = static_cast<std::uint64_t>(ms);
  for (int i = 0; i < 6; ++i)
    b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ts >> (40 - 8 * i));
  b[6] = static_cast<std::uint8_t>(0x70 | ((counter >> 8) & 0x0f));
  b[7] = static_cast<std::uint8_t>(counter & 0xff);
  b[8] = static_cast<std::uint8_t>(0x80 | ((random_bits >> 56) & 0x3f));
  for (std::size_t i = 9; i < 16; ++i) {
    b[i] = static_cast<std::uint8_t>(random_bits >> (8 * (15 - i)));
  }
  return format_uuid(b);
}

std::string new_uuid_v7() {
  return new_uuid_v7_at(to_unix_ms(std::chrono::system_clock::now()));
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? s[i] != '-' : hex_value(s[i]) < 0) return false;
  }
  return true;
}

bool is_uuid_v7(std::string_view s) {
  return is_uuid(s) && s[14] == '7' &&
         (s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b');
}

std::int64_t uuid_v7_unix_ms(std::string_view s) {
  if (!is_uuid(s)) return -1;
  std::uint64_t ts = 0;
  for (std::size_t i = 0; i < 13; ++i) {
    if (i == 8) continue;
    ts = (ts << 4) | static_cast<std::uint64_t>(hex_value(s[i]));
  }
  return static_cast<std::int64_t>(ts);
}

}  // namespace alliance::util
