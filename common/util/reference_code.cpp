// Reference codes with a mod-31 weighted check character.
#include "common/util/reference_code.hpp"

#include <array>

namespace alliance::util {
namespace {

constexpr int kModulus = static_cast<int>(kReferenceAlphabet.size());  // 31, prime
static_assert(kModulus == 31);

int symbol_value(char c) {
  const auto pos = kReferenceAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

char to_upper_ascii(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// Modular inverse of the check position's weight (8): 8 * 4 = 32 = 1 mod 31.
constexpr int kInverseCheckWeight = 4;
static_assert((8 * kInverseCheckWeight) % kModulus == 1);

std::string format_code(std::string_view symbols) {
  return std::string(symbols.substr(0, 4)) + "-" + std::string(symbols.substr(4));
}

}  // namespace

std::optional<char> reference_check_character(std::string_view payload) {
  if (payload.size() != kReferencePayloadLength) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < payload.size(); ++i) {
    const int v = symbol_value(payload[i]);
    if (v < 0) return std::nullopt;
    sum = (sum + static_cast<int>(i + 1) * v) % kModulus;
  }
  const int check = ((kModulus - sum) % kModulus) * kInverseCheckWeight % kModulus;
  return kReferenceAlphabet[static_cast<std::size_t>(check)];
}

std::string new_reference_code(std::mt19937_64& rng) {
  std::uniform_int_distribution<std::size_t> pick(0, kReferenceAlphabet.size() - 1);
  std::string symbols;
  for (std::size_t i = 0; i < kReferencePayloadLength; ++i)
    symbols.push_back(kReferenceAlphabet[pick(rng)]);
  symbols.push_back(*reference_check_character(symbols));
  return format_code(symbols);
}

std::string new_reference_code() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return new_reference_code(rng);
}

std::optional<std::string> normalize_reference_code(std::string_view input) {
  std::string symbols;
  for (char c : input) {
    if (c == ' ' || c == '-') continue;
    symbols.push_back(to_upper_ascii(c));
    if (symbols.size() > kReferencePayloadLength + 1) return std::nullopt;
  }
  if (symbols.size() != kReferencePayloadLength + 1) return std::nullopt;
  const auto check =
      reference_check_character(std::string_view(symbols).substr(0, kReferencePayloadLength));
  if (!check || *check != symbols.back()) return std::nullopt;
  return format_code(symbols);
}

}  // namespace alliance::util
