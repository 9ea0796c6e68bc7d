// ISO 3166-1 countries, and their international calling codes (libphonenumber).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace alliance::model {

struct Country {
  std::string_view code;  // ISO 3166-1 alpha-2, upper case
  std::string_view name;  // English short name (iso-codes)
};

std::span<const Country> all_countries();            // sorted by code, from iso-codes
const Country* find_country(std::string_view iso2);  // case-insensitive; nullptr if unknown
// The country's calling code without "+" ("254" for "KE", "1" for "CA"), as
// libphonenumber numbers it; empty for an unknown code or a country without
// a numbering plan of its own (Antarctica, Bouvet Island).
std::string calling_code(std::string_view iso2);

}  // namespace alliance::model
