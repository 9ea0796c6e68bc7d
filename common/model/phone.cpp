// Phone numbers as people and spreadsheets write them, read by libphonenumber into E.164.
//
// libphonenumber (Google's metadata, Debian's libphonenumber) decides what a
// valid number is; this file only decides which readings of what was typed
// to offer it: the number as written, then the forms a spreadsheet makes of
// it (a country code without '+', a leading 0 lost), and, when it is
// refused, which reading says best what is wrong.
#include "common/model/phone.hpp"

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "common/model/text.hpp"

namespace alliance::model {
namespace {

namespace pn = i18n::phonenumbers;
using Util = pn::PhoneNumberUtil;

const Util& phone_util() {
  static const Util* const util = [] {
    Util* instance = Util::GetInstance();
    // Its messages could quote what was typed; the project logs no numbers.
    instance->SetLogger(new pn::NullLogger());  // takes ownership
    return instance;
  }();
  return *util;
}

// What a phone field may hold: digits of any script (libphonenumber reads
// Arabic-Indic and full-width ones), '+', and the separators people use.
// Letters are refused rather than dropped or read as keypad letters.
bool has_only_phone_characters(std::string_view text) {
  constexpr std::string_view kSeparators = " \t.-()[]/+";
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(text.size());
  for (std::int32_t i = 0; i < length;) {
    UChar32 cp = 0;
    U8_NEXT(bytes, i, length, cp);
    if (cp < 0) return false;
    if (cp < 0x80 && kSeparators.find(static_cast<char>(cp)) != std::string_view::npos) continue;
    if (cp == 0xFF0B || u_isdigit(cp) || u_charType(cp) == U_SPACE_SEPARATOR) continue;
    return false;
  }
  return true;
}

// The region libphonenumber reads national numbers with: the ISO code upper
// case, or "ZZ" (unknown) when libphonenumber has no numbering plan for it.
std::string region_of(std::string_view country) {
  std::string region(country);
  for (char& c : region) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (region.size() != 2 || phone_util().GetCountryCodeForRegion(region) == 0) return "ZZ";
  return region;
}

struct Reading {
  Util::ErrorType error = Util::NO_PARSING_ERROR;
  pn::PhoneNumber number;
  bool valid() const {
    return error == Util::NO_PARSING_ERROR && !number.has_extension() &&
           phone_util().IsValidNumber(number);
  }
};

Reading read(const std::string& text, const std::string& region) {
  Reading reading;
  reading.error = phone_util().Parse(text, region, &reading.number);
  return reading;
}

std::string e164_of(const pn::PhoneNumber& number) {
  std::string out;
  phone_util().Format(number, Util::E164, &out);
  return out;
}

// A number already in E.164 ("+254712345678": what kiosks save, so what
// central is sent) is split without Parse, whose regular expressions were
// most of central's validation (issue 15): calling codes are prefix-free, so
// its code is the one of its first 1 to 3 digits libphonenumber knows, and
// the rest is the national number, its leading zeros kept as Parse keeps
// them. libphonenumber still decides validity, and the number must be
// written back exactly as given (Parse would strip a trunk prefix kept after
// the code). nullopt: anything else, left to the full reading.
std::optional<std::string> canonical_e164(std::string_view text) {
  constexpr std::size_t kLongestE164 = 16;  // '+' and 15 digits
  if (text.size() < 3 || text.size() > kLongestE164 || text[0] != '+' || text[1] == '0') {
    return std::nullopt;
  }
  const std::string_view digits = text.substr(1);
  if (digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  for (std::size_t length = 1; length <= 3 && length < digits.size(); ++length) {
    int code = 0;
    std::from_chars(digits.data(), digits.data() + length, code);
    std::string region;
    phone_util().GetRegionCodeForCountryCode(code, &region);
    if (region == "ZZ") continue;
    const std::string_view national = digits.substr(length);
    pn::PhoneNumber number;
    number.set_country_code(code);
    if (national.size() > 1 && national.front() == '0') {
      number.set_italian_leading_zero(true);
      std::size_t zeros = 1;
      while (zeros + 1 < national.size() && national[zeros] == '0') ++zeros;
      if (zeros > 1) number.set_number_of_leading_zeros(static_cast<std::int32_t>(zeros));
    }
    std::uint64_t value = 0;
    std::from_chars(national.data(), national.data() + national.size(), value);
    number.set_national_number(value);
    if (!phone_util().IsValidNumber(number)) return std::nullopt;
    std::string e164 = e164_of(number);
    if (e164 != text) return std::nullopt;
    return e164;
  }
  return std::nullopt;
}

PhoneProblem problem_of(const Reading& reading, bool national_without_region) {
  switch (reading.error) {
    case Util::NO_PARSING_ERROR:
      break;
    case Util::INVALID_COUNTRY_CODE_ERROR:
      return national_without_region ? PhoneProblem::needs_country_code
                                     : PhoneProblem::unknown_country_code;
    case Util::NOT_A_NUMBER:
      return PhoneProblem::not_a_number;
    case Util::TOO_SHORT_AFTER_IDD:
    case Util::TOO_SHORT_NSN:
      return PhoneProblem::too_short;
    case Util::TOO_LONG_NSN:
      return PhoneProblem::too_long;
  }
  if (reading.number.has_extension()) return PhoneProblem::not_a_number;
  switch (phone_util().IsPossibleNumberWithReason(reading.number)) {
    case Util::INVALID_COUNTRY_CODE:
      return PhoneProblem::unknown_country_code;
    case Util::TOO_SHORT:
    case Util::IS_POSSIBLE_LOCAL_ONLY:  // an area's local number, without its area code
      return PhoneProblem::too_short;
    case Util::TOO_LONG:
      return PhoneProblem::too_long;
    case Util::INVALID_LENGTH:
    case Util::IS_POSSIBLE:
      break;
  }
  return PhoneProblem::invalid;
}

// Whether, of every digit that could be missing anywhere in `digits`, only
// a 0 in front makes a valid number: then a lost leading 0 is the one reading.
bool only_leading_zero_missing(const std::string& digits, const std::string& region) {
  for (std::size_t at = 0; at <= digits.size(); ++at) {
    for (char digit = '0'; digit <= '9'; ++digit) {
      if (at == 0 && digit == '0') continue;
      std::string candidate = digits;
      candidate.insert(at, 1, digit);
      if (read(candidate, region).valid()) return false;
    }
  }
  return true;
}

}  // namespace

std::string_view phone_problem_name(PhoneProblem problem) {
  switch (problem) {
    case PhoneProblem::not_a_number:
      return "not_a_number";
    case PhoneProblem::too_short:
      return "too_few_digits";
    case PhoneProblem::too_long:
      return "too_many_digits";
    case PhoneProblem::invalid:
      return "invalid";
    case PhoneProblem::unknown_country_code:
      return "unknown_country_code";
    case PhoneProblem::needs_country_code:
      return "needs_country_code";
  }
  return "invalid";
}

std::expected<std::string, PhoneProblem> parse_phone(std::string_view input,
                                                     std::string_view country) {
  const std::string text = strip_invisible(input);
  if (!is_valid_utf8(text) || !has_only_phone_characters(text)) {
    return std::unexpected(PhoneProblem::not_a_number);
  }
  if (auto e164 = canonical_e164(text)) return std::move(*e164);
  const std::string region = region_of(country);
  const Reading as_written = read(text, region);

  std::string digits = text;
  phone_util().NormalizeDigitsOnly(&digits);
  const bool has_plus = text.find('+') != std::string::npos ||
                        text.find("\xEF\xBC\x8B") != std::string::npos;  // U+FF0B
  if (has_plus || digits.empty()) {
    if (as_written.valid()) return e164_of(as_written.number);
    return std::unexpected(problem_of(as_written, false));
  }

  // "00" is the international prefix almost everywhere, also where
  // libphonenumber knows another one first (Kenya's is 000).
  if (digits.starts_with("00")) {
    const Reading international = read("+" + digits.substr(2), region);
    if (international.valid()) return e164_of(international.number);
    if (as_written.valid()) return e164_of(as_written.number);
    return std::unexpected(problem_of(international, false));
  }

  const int code = phone_util().GetCountryCodeForRegion(region);
  if (code == 0) {
    if (as_written.valid()) return e164_of(as_written.number);
    return std::unexpected(problem_of(as_written, true));
  }
  const std::string calling_code = std::to_string(code);
  std::string trunk;
  phone_util().GetNddPrefixForRegion(region, true, &trunk);
  const bool has_trunk = !trunk.empty() && digits.starts_with(trunk);

  // A spreadsheet's number with the member's country code and no '+'
  // ("254712345678"). Where numbers are dialled at home with a trunk prefix,
  // a national number written without it that also reads as valid
  // (Germany's, Indonesia's variable lengths) is the less likely reading.
  if (!has_trunk && digits.starts_with(calling_code)) {
    const Reading international = read("+" + digits, region);
    if (international.valid() && (!trunk.empty() || !as_written.valid())) {
      return e164_of(international.number);
    }
  }
  if (as_written.valid()) return e164_of(as_written.number);

  // Why it is refused, read as the number it was meant to be: after the
  // trunk prefix, the national number of the country.
  const Reading meant =
      has_trunk ? read("+" + calling_code + digits.substr(trunk.size()), region) : as_written;
  const PhoneProblem problem = problem_of(meant, false);

  // A national number whose leading 0 a spreadsheet dropped: "669883142"
  // for Italy's 06 6988 3142 (the 0 is part of the number), "6201234567"
  // for Hungary's 06 20 123 4567 (trunk prefix 06). Only where that is the
  // one reading: the digits as written have a possible length but cannot
  // start that way, or they start with the rest of a trunk prefix 0..., or
  // no other missing digit would make them a number (Côte d'Ivoire's
  // "123456789" stays refused: 0123456789 and 2123456789 both exist).
  // Otherwise a number missing a digit could be taken for one missing its 0.
  if (!digits.starts_with('0') &&
      (problem == PhoneProblem::invalid ||
       (trunk.size() > 1 && trunk.starts_with('0') && digits.starts_with(trunk.substr(1))) ||
       (problem == PhoneProblem::too_short && only_leading_zero_missing(digits, region)))) {
    const Reading with_zero = read("0" + digits, region);
    if (with_zero.valid()) return e164_of(with_zero.number);
  }
  return std::unexpected(problem);
}

std::optional<std::string> normalize_phone(std::string_view input, std::string_view country) {
  auto e164 = parse_phone(input, country);
  if (!e164) return std::nullopt;
  return std::move(*e164);
}

std::string phone_search_prefix(std::string_view typed, std::string_view country) {
  const std::string text = strip_invisible(typed);
  std::string digits;
  for (const char c : text) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  const auto first = text.find_first_not_of(' ');
  if (first != std::string::npos && text[first] == '+') return "+" + digits;
  if (digits.starts_with("00")) return "+" + digits.substr(2);
  const std::string region = region_of(country);
  const int calling_code = phone_util().GetCountryCodeForRegion(region);
  if (calling_code == 0) return "+" + digits;
  std::string trunk;
  phone_util().GetNddPrefixForRegion(region, true, &trunk);
  if (!trunk.empty() && digits.starts_with(trunk)) digits.erase(0, trunk.size());
  return "+" + std::to_string(calling_code) + digits;
}

}  // namespace alliance::model
