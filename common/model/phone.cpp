// Phone numbers as people write them, turned into E.164.
#include "common/model/phone.hpp"

#include <cstddef>

#include "common/model/country.hpp"

namespace alliance::model {
namespace {

constexpr std::size_t kMinTotalDigits = 8;   // shortest plausible E.164 number
constexpr std::size_t kMaxTotalDigits = 15;  // E.164 maximum
constexpr std::size_t kMinNationalDigits = 6;

bool is_separator(char c) {
  switch (c) {
    case ' ':
    case '\t':
    case '.':
    case '-':
    case '(':
    case ')':
    case '[':
    case ']':
    case '/':
      return true;
    default:
      return false;
  }
}

// Calling codes are prefix-free, so the longest match is the only match.
// `all_trunk_zero` is true when every country sharing the code dials
// national numbers with a trunk 0, i.e. no subscriber number there starts
// with 0.
struct CallingCodeMatch {
  std::string_view code;
  bool all_trunk_zero = true;
};

CallingCodeMatch match_calling_code(std::string_view digits) {
  CallingCodeMatch best;
  for (const Country& country : all_countries()) {
    const std::string_view code = country.calling_code;
    if (!digits.starts_with(code) || code.size() < best.code.size()) continue;
    if (code.size() > best.code.size()) best = {code, true};
    best.all_trunk_zero = best.all_trunk_zero && country.trunk_zero;
  }
  return best;
}

}  // namespace

std::optional<std::string> normalize_phone(std::string_view input,
                                           std::string_view default_country) {
  while (!input.empty() && (input.front() == ' ' || input.front() == '\t')) input.remove_prefix(1);

  bool international = false;
  if (input.starts_with('+')) {
    international = true;
    input.remove_prefix(1);
  }

  std::string digits;
  digits.reserve(input.size());
  for (const char c : input) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (!is_separator(c)) {
      return std::nullopt;  // letters, a second '+', anything else
    }
  }
  if (!international && digits.starts_with("00")) {
    international = true;
    digits.erase(0, 2);
  }

  std::string_view calling_code;
  std::string_view national = digits;
  if (international) {
    const CallingCodeMatch match = match_calling_code(digits);
    if (match.code.empty()) return std::nullopt;
    calling_code = match.code;
    national.remove_prefix(calling_code.size());
    // "+44 (0)20 7946 0958" and "+254 0712 345678" carry the trunk 0 people
    // dial at home; where the country never starts a number with 0 it can go.
    if (match.all_trunk_zero && national.starts_with('0')) national.remove_prefix(1);
  } else {
    const Country* country = find_country(default_country);
    if (country == nullptr) return std::nullopt;
    calling_code = country->calling_code;
    if (country->trunk_zero && national.starts_with('0')) national.remove_prefix(1);
  }

  const std::size_t total = calling_code.size() + national.size();
  if (national.size() < kMinNationalDigits || total < kMinTotalDigits || total > kMaxTotalDigits) {
    return std::nullopt;
  }
  std::string e164 = "+";
  e164.append(calling_code);
  e164.append(national);
  return e164;
}

}  // namespace alliance::model
