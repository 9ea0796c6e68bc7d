// ISO 3166-1 countries (Debian's iso-codes, via the generated name table) and
// their calling codes (libphonenumber).
//
// The calling code of each country is libphonenumber's (Google's
// numbering-plan metadata), so it always agrees with the numbers phone.cpp
// accepts: territories numbered inside another plan (NANP, the UK, Australia,
// Norway) carry that plan's code. Numbers of plans outside this list
// (Kosovo's +383, satellite and other non-geographic +881/+882 numbers) are
// accepted when written internationally.
#include "common/model/country.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "common/model/country_names.hpp"

namespace alliance::model {
namespace {

char to_upper_ascii(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// The generated iso-codes table is sorted by alpha-2 code, and so is this view of it.
const std::vector<Country>& country_table() {
  static const std::vector<Country> table = [] {
    std::vector<Country> out;
    for (const auto& names : all_country_names()) out.push_back({names.alpha2, names.en});
    return out;
  }();
  return table;
}

}  // namespace

std::span<const Country> all_countries() {
  return country_table();
}

const Country* find_country(std::string_view iso2) {
  if (iso2.size() != 2) return nullptr;
  const std::array<char, 2> key{to_upper_ascii(iso2[0]), to_upper_ascii(iso2[1])};
  const std::string_view wanted(key.data(), key.size());
  const auto countries = all_countries();
  const auto it = std::lower_bound(
      countries.begin(), countries.end(), wanted,
      [](const Country& country, std::string_view code) { return country.code < code; });
  if (it == countries.end() || it->code != wanted) return nullptr;
  return &*it;
}

std::string calling_code(std::string_view iso2) {
  const Country* country = find_country(iso2);
  if (country == nullptr) return {};
  const int code = i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(
      std::string(country->code));
  return code == 0 ? std::string() : std::to_string(code);
}

}  // namespace alliance::model
