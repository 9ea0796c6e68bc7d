// Reference codes with a device prefix and a mod-31 weighted check character.
#include "common/util/reference_code.hpp"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace alliance::util {
namespace {

constexpr int kModulus = static_cast<int>(kReferenceAlphabet.size());  // 31, prime
static_assert(kModulus == 31);
static_assert(kReferenceLength < 31, "weights must stay distinct and non-zero mod 31");

int symbol_value(char c) {
  const auto pos = kReferenceAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

char to_upper_ascii(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// The inverse of `weight` modulo 31 (which is prime, so it exists for 1..30).
constexpr int inverse_mod_31(int weight) {
  for (int candidate = 1; candidate < kModulus; ++candidate) {
    if (weight * candidate % kModulus == 1) return candidate;
  }
  return 0;
}
static_assert(inverse_mod_31(8) == 4 && inverse_mod_31(10) == 28);

std::string format_code(std::string_view symbols) {
  const std::size_t head = symbols.size() / 2;
  return std::string(symbols.substr(0, head)) + "-" + std::string(symbols.substr(head));
}

char random_symbol() {
  return kReferenceAlphabet[random_below(kReferenceAlphabet.size())];
}

}  // namespace

std::size_t random_below(std::size_t bound) {
  // Bytes come from the kernel in blocks of 256 (one system call per few
  // codes, not per symbol); rejection sampling drops bytes at or above the
  // largest multiple of `bound`, which would make the low values likelier.
  thread_local std::array<unsigned char, 256> pool{};
  thread_local std::size_t used = pool.size();
  const std::size_t limit = 256 - 256 % bound;
  for (;;) {
    if (used == pool.size()) {
      std::size_t filled = 0;
      while (filled < pool.size()) {
        const ssize_t got = ::getrandom(pool.data() + filled, pool.size() - filled, 0);
        if (got < 0) {
          if (errno == EINTR) continue;
          throw std::system_error(errno, std::generic_category(),
                                  "the operating system's random generator failed");
        }
        filled += static_cast<std::size_t>(got);
      }
      used = 0;
    }
    const unsigned char byte = pool[used++];
    if (byte < limit) return byte % bound;
  }
}

bool is_allocatable_reference_prefix(std::string_view prefix) {
  if (prefix.size() != kReferencePrefixLength || prefix[0] == kUnallocatedPrefixSymbol) {
    return false;
  }
  for (char c : prefix) {
    if (symbol_value(c) < 0) return false;
  }
  return true;
}

std::string random_reference_prefix() {
  std::string prefix;
  do {
    prefix.assign(1, random_symbol());
  } while (prefix[0] == kUnallocatedPrefixSymbol);
  while (prefix.size() < kReferencePrefixLength) prefix.push_back(random_symbol());
  return prefix;
}

std::optional<char> reference_check_character(std::string_view payload) {
  if (payload.size() != kReferenceLength - 1 && payload.size() != kLegacyReferenceLength - 1) {
    return std::nullopt;
  }
  int sum = 0;
  for (std::size_t i = 0; i < payload.size(); ++i) {
    const int v = symbol_value(payload[i]);
    if (v < 0) return std::nullopt;
    sum = (sum + static_cast<int>(i + 1) * v) % kModulus;
  }
  const int check_weight = static_cast<int>(payload.size() + 1);
  const int check = ((kModulus - sum) % kModulus) * inverse_mod_31(check_weight) % kModulus;
  return kReferenceAlphabet[static_cast<std::size_t>(check)];
}

std::string new_reference_code(std::string_view device_prefix) {
  std::string symbols;
  if (device_prefix.empty()) {
    symbols.push_back(kUnallocatedPrefixSymbol);
  } else {
    if (!is_allocatable_reference_prefix(device_prefix)) {
      throw std::invalid_argument("not a reference code prefix central hands out");
    }
    symbols.assign(device_prefix);
  }
  while (symbols.size() < kReferenceLength - 1) symbols.push_back(random_symbol());
  symbols.push_back(*reference_check_character(symbols));
  return format_code(symbols);
}

std::optional<std::string> normalize_reference_code(std::string_view input) {
  std::string symbols;
  for (char c : input) {
    if (c == ' ' || c == '-') continue;
    symbols.push_back(to_upper_ascii(c));
    if (symbols.size() > kReferenceLength) return std::nullopt;
  }
  if (symbols.size() != kReferenceLength && symbols.size() != kLegacyReferenceLength) {
    return std::nullopt;
  }
  const auto check =
      reference_check_character(std::string_view(symbols).substr(0, symbols.size() - 1));
  if (!check || *check != symbols.back()) return std::nullopt;
  return format_code(symbols);
}

}  // namespace alliance::util
