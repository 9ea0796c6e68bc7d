// Reference codes: format, what people may type, and the check character
// catching every single substitution and every adjacent transposition.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/reference_code.hpp"

using namespace alliance::util;

namespace {

bool in_alphabet(char c) {
  return kReferenceAlphabet.find(c) != std::string_view::npos;
}

// The symbols of a formatted code, without the dash.
std::string symbols_of(std::string_view code) {
  std::string symbols;
  for (const char c : code) {
    if (c != '-') symbols.push_back(c);
  }
  return symbols;
}

// The canonical form: the first half of the symbols, a dash, the rest.
std::string formatted(std::string_view symbols) {
  const std::size_t head = symbols.size() / 2;
  return std::string(symbols.substr(0, head)) + "-" + std::string(symbols.substr(head));
}

// Weighted sum with weights 1..n, computed here independently of the code under test.
int weighted_sum_mod_31(std::string_view symbols) {
  int sum = 0;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    sum += static_cast<int>(i + 1) * static_cast<int>(kReferenceAlphabet.find(symbols[i]));
  }
  return sum % 31;
}

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// Codes as minted before device prefixes: seven random symbols and a check.
std::vector<std::string> legacy_codes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, kReferenceAlphabet.size() - 1);
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < n; ++i) {
    std::string payload;
    for (int k = 0; k < 7; ++k) payload.push_back(kReferenceAlphabet[pick(rng)]);
    payload.push_back(*reference_check_character(payload));
    codes.push_back(formatted(payload));
  }
  return codes;
}

// Current codes: half of a device's prefix, half unallocated.
std::vector<std::string> current_codes(std::size_t n) {
  std::vector<std::string> codes;
  const std::string prefix = random_reference_prefix();
  for (std::size_t i = 0; i < n; ++i) codes.push_back(new_reference_code(i % 2 ? prefix : ""));
  return codes;
}

// Both kinds people hold cards of.
std::vector<std::string> sample_codes(std::size_t n, std::uint64_t seed) {
  auto codes = legacy_codes(n / 2, seed);
  for (auto& code : current_codes(n - n / 2)) codes.push_back(std::move(code));
  return codes;
}

}  // namespace

TEST_CASE("the alphabet has 31 symbols without look-alikes") {
  CHECK(kReferenceAlphabet.size() == 31);
  CHECK(std::set<char>(kReferenceAlphabet.begin(), kReferenceAlphabet.end()).size() == 31);
  for (const char c : {'0', 'O', '1', 'I', 'L'}) {
    CAPTURE(c);
    CHECK_FALSE(in_alphabet(c));
  }
}

TEST_CASE("new codes are formatted XXXXX-XXXXX with the device prefix and a valid check") {
  const std::string prefix = random_reference_prefix();
  REQUIRE(is_allocatable_reference_prefix(prefix));
  std::vector<std::string> codes;
  for (int i = 0; i < 2000; ++i) codes.push_back(new_reference_code(i % 4 ? prefix : ""));
  int bad_format = 0;
  int bad_check = 0;
  int not_accepted = 0;
  int wrong_prefix = 0;
  for (std::size_t n = 0; n < codes.size(); ++n) {
    const std::string& code = codes[n];
    bool ok = code.size() == 11 && code[5] == '-';
    for (std::size_t i = 0; ok && i < code.size(); ++i) {
      if (i != 5 && !in_alphabet(code[i])) ok = false;
    }
    if (!ok) {
      if (bad_format == 0) MESSAGE("badly formatted: ", code);
      ++bad_format;
      continue;
    }
    const std::string symbols = symbols_of(code);
    if (weighted_sum_mod_31(symbols) != 0) ++bad_check;
    const auto check = reference_check_character(std::string_view(symbols).substr(0, 9));
    if (!check || *check != symbols[9]) ++bad_check;
    const auto normalized = normalize_reference_code(code);
    if (!normalized || *normalized != code) ++not_accepted;
    const bool prefixed = symbols.starts_with(prefix);
    const bool unallocated = symbols[0] == kUnallocatedPrefixSymbol;
    if (n % 4 ? !prefixed : !unallocated) ++wrong_prefix;
  }
  CHECK(bad_format == 0);
  CHECK(bad_check == 0);
  CHECK(not_accepted == 0);
  CHECK(wrong_prefix == 0);
  // Six (or eight) random symbols from getrandom: repeats are all but impossible.
  CHECK(std::set<std::string>(codes.begin(), codes.end()).size() == codes.size());
}

TEST_CASE("prefixes central hands out never begin with the unallocated symbol") {
  std::set<std::string> seen;
  for (int i = 0; i < 3000; ++i) {
    const std::string prefix = random_reference_prefix();
    CAPTURE(prefix);
    REQUIRE(prefix.size() == kReferencePrefixLength);
    CHECK(prefix[0] != kUnallocatedPrefixSymbol);
    CHECK(is_allocatable_reference_prefix(prefix));
    seen.insert(prefix);
  }
  // 28,830 possible: 3,000 draws repeat some, but spread widely.
  CHECK(seen.size() > 2700);
  CHECK_FALSE(is_allocatable_reference_prefix("2AB"));
  CHECK_FALSE(is_allocatable_reference_prefix("AB"));
  CHECK_FALSE(is_allocatable_reference_prefix("ABCD"));
  CHECK_FALSE(is_allocatable_reference_prefix("a3b"));
  CHECK_FALSE(is_allocatable_reference_prefix("A0B"));
  CHECK_THROWS_AS(new_reference_code("2AB"), std::invalid_argument);
  CHECK_THROWS_AS(new_reference_code("A0B"), std::invalid_argument);
}

TEST_CASE("random_below is uniform enough and stays below its bound") {
  std::vector<int> counts(31, 0);
  for (int i = 0; i < 31'000; ++i) {
    const std::size_t v = random_below(31);
    REQUIRE(v < 31);
    ++counts[v];
  }
  // Expected 1,000 each; a count outside 800..1,200 is > 6 standard deviations off.
  for (std::size_t v = 0; v < counts.size(); ++v) {
    CAPTURE(v);
    CHECK(counts[v] > 800);
    CHECK(counts[v] < 1200);
  }
}

TEST_CASE("reference_check_character") {
  // Payload "2222222" has value 0 everywhere: the check is the value-0 symbol.
  CHECK(reference_check_character("2222222") == std::optional<char>('2'));
  // "3222222": sum 1, so 8*c = -1 = 30 mod 31, c = 30*4 mod 31 = 27 -> 'W'.
  CHECK(reference_check_character("3222222") == std::optional<char>(kReferenceAlphabet[27]));
  CHECK(kReferenceAlphabet[27] == 'W');
  CHECK(normalize_reference_code("3222-222W") == std::optional<std::string>("3222-222W"));

  CHECK_FALSE(reference_check_character("").has_value());
  CHECK_FALSE(reference_check_character("222222").has_value());
  CHECK_FALSE(reference_check_character("22222222").has_value());
  CHECK_FALSE(reference_check_character("2222222222").has_value());
  // Nine payload symbols: "322222222" has sum 1, so 10*c = 30 mod 31, c = 30*28 mod 31 = 3.
  CHECK(reference_check_character("322222222") == std::optional<char>(kReferenceAlphabet[3]));
  CHECK(normalize_reference_code("32222-22225") == std::optional<std::string>("32222-22225"));
  CHECK(normalize_reference_code("3222222225") == std::optional<std::string>("32222-22225"));
  CHECK_FALSE(reference_check_character("k7qm4xr").has_value());  // lower case
  CHECK_FALSE(reference_check_character("K7QM4X0").has_value());  // not in the alphabet
  CHECK_FALSE(reference_check_character("K7QM-4X").has_value());
}

TEST_CASE("normalize_reference_code accepts lower case, spaces and no dash") {
  const auto codes = sample_codes(50, 2);
  for (const std::string& code : codes) {
    const std::string symbols = symbols_of(code);
    const std::optional<std::string> expected = code;
    const std::string spaced_out = [&] {
      std::string s;
      for (const char c : symbols) {
        s.push_back(c);
        s.push_back(' ');
      }
      return s;
    }();
    const std::string variants[] = {
        code,
        lower(code),
        symbols,
        lower(symbols),
        symbols.substr(0, 4) + " " + symbols.substr(4),
        lower(symbols.substr(0, 3)) + " " + symbols.substr(3),
        "  " + code + "  ",
        " " + lower(code) + " ",
        spaced_out,
        "-" + symbols + "-",
    };
    for (const std::string& v : variants) {
      CAPTURE(code);
      CAPTURE(v);
      CHECK(normalize_reference_code(v) == expected);
    }
  }
}

TEST_CASE("every single substitution and adjacent transposition is rejected") {
  const auto codes = sample_codes(2000, 3);
  std::size_t substitutions = 0;
  std::size_t transpositions = 0;
  std::size_t transpositions_with_check = 0;
  std::size_t accepted_substitutions = 0;
  std::size_t accepted_transpositions = 0;

  for (const std::string& code : codes) {
    const std::string symbols = symbols_of(code);
    REQUIRE(normalize_reference_code(code).has_value());

    for (std::size_t pos = 0; pos < symbols.size(); ++pos) {
      for (const char other : kReferenceAlphabet) {
        if (other == symbols[pos]) continue;
        std::string changed = symbols;
        changed[pos] = other;
        ++substitutions;
        if (normalize_reference_code(formatted(changed)).has_value()) {
          if (accepted_substitutions == 0) {
            MESSAGE("substitution accepted: ", code, " -> ", formatted(changed));
          }
          ++accepted_substitutions;
        }
      }
    }

    for (std::size_t pos = 0; pos + 1 < symbols.size(); ++pos) {
      if (symbols[pos] == symbols[pos + 1]) continue;
      std::string swapped = symbols;
      std::swap(swapped[pos], swapped[pos + 1]);
      ++transpositions;
      if (pos + 1 == symbols.size() - 1) ++transpositions_with_check;
      // Typed with and without the dash, in either case.
      const bool accepted = normalize_reference_code(formatted(swapped)).has_value() ||
                            normalize_reference_code(lower(swapped)).has_value();
      if (accepted) {
        if (accepted_transpositions == 0) {
          MESSAGE("transposition accepted: ", code, " -> ", formatted(swapped));
        }
        ++accepted_transpositions;
      }
    }
  }

  MESSAGE("checked ", codes.size(), " codes: ", substitutions, " single substitutions and ",
          transpositions, " adjacent transpositions (", transpositions_with_check,
          " with the check character)");
  CHECK(substitutions == (codes.size() / 2) * (8 + 10) * 30);
  CHECK(transpositions >= codes.size() * 6);  // most neighbours differ
  CHECK(transpositions_with_check >= codes.size() * 9 / 10);
  CHECK(accepted_substitutions == 0);
  CHECK(accepted_transpositions == 0);
}

TEST_CASE("characters outside the alphabet are rejected") {
  const auto codes = sample_codes(200, 4);
  for (const std::string& code : codes) {
    const std::string symbols = symbols_of(code);
    for (std::size_t pos = 0; pos < symbols.size(); ++pos) {
      for (const char bad : {'0', 'O', '1', 'I', 'L', 'o', 'i', 'l', '*', '_', '.', '\t', '\0'}) {
        std::string changed = symbols;
        changed[pos] = bad;
        CAPTURE(code);
        CAPTURE(pos);
        CAPTURE(bad);
        CHECK_FALSE(normalize_reference_code(formatted(changed)).has_value());
      }
    }
  }
}

TEST_CASE("wrong lengths are rejected") {
  const auto codes = sample_codes(200, 5);
  for (const std::string& code : codes) {
    const std::string symbols = symbols_of(code);
    CAPTURE(code);
    // One symbol missing, anywhere.
    for (std::size_t pos = 0; pos < symbols.size(); ++pos) {
      std::string shorter = symbols;
      shorter.erase(pos, 1);
      CHECK_FALSE(normalize_reference_code(shorter).has_value());
    }
    // One symbol added, anywhere.
    for (std::size_t pos = 0; pos <= symbols.size(); ++pos) {
      std::string longer = symbols;
      longer.insert(pos, 1, '2');  // value 0: keeps the weighted sum of the prefix
      CHECK_FALSE(normalize_reference_code(longer).has_value());
      CHECK_FALSE(normalize_reference_code(formatted(longer)).has_value());
    }
    CHECK_FALSE(normalize_reference_code(code + code).has_value());
    CHECK_FALSE(normalize_reference_code(code + "-" + code).has_value());
  }
  CHECK_FALSE(normalize_reference_code("").has_value());
  CHECK_FALSE(normalize_reference_code("-").has_value());
  CHECK_FALSE(normalize_reference_code("    ").has_value());
  CHECK_FALSE(normalize_reference_code("2222-222").has_value());
  CHECK_FALSE(normalize_reference_code("2222-22222").has_value());
  CHECK_FALSE(normalize_reference_code("22222-222222").has_value());
  CHECK(normalize_reference_code("2222-2222") == std::optional<std::string>("2222-2222"));
}
