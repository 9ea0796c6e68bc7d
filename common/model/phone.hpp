// Phone numbers as people and spreadsheets write them, read by libphonenumber into E.164.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace alliance::model {

// Why a number was refused; phone_problem_name() gives the validation key's
// last part ("member.phone.too_few_digits").
enum class PhoneProblem {
  not_a_number,          // no digits, letters or symbols where digits belong
  too_short,             // fewer digits than any number of the country
  too_long,              // more digits than any number of the country
  invalid,               // the right length, but no such number in the country
  unknown_country_code,  // "+999 ..." : no country has that calling code
  needs_country_code,    // a national number, and no country to read it with
};
std::string_view phone_problem_name(PhoneProblem problem);

// Reads a number the way the person who owns it writes it: `country` (ISO
// alpha-2 of the member's own country; the event's only when the member's is
// empty) reads national numbers. Accepts, with spaces, dots, dashes, brackets
// and invisible characters (text.hpp, strip_invisible):
//   "+254 712 345 678"                      international
//   "00254712345678", "011 1 ..." (NANP)    international dialling prefixes
//   "0712 345678", "712345678"              national, with or without the trunk 0
//   "254712345678" (member in Kenya)        a spreadsheet's country code without '+'
//   "612345678" (member in Italy)           a spreadsheet's number whose leading 0 was lost
// and returns its E.164 form ("+254712345678") when libphonenumber calls the
// number valid (IsValidNumber), or why not. A number with an extension is
// refused (not_a_number): E.164 cannot hold it.
std::expected<std::string, PhoneProblem> parse_phone(std::string_view input,
                                                     std::string_view country);

// parse_phone without the reason: for search, where a query that is not a
// number simply is not compared as one.
std::optional<std::string> normalize_phone(std::string_view input, std::string_view country);

// The E.164 prefix every number starting with what was typed has, for a
// range search in the phone index: "+254712" for "0712" with "KE" (the
// country's trunk prefix dropped), "+44" for "0044" or "+44".
std::string phone_search_prefix(std::string_view typed, std::string_view country);

}  // namespace alliance::model
