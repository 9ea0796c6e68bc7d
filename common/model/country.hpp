// ISO 3166-1 countries with their international calling codes.
#pragma once

#include <span>
#include <string_view>

namespace alliance::model {

struct Country {
  std::string_view code;          // ISO 3166-1 alpha-2, upper case
  std::string_view name;          // English short name
  std::string_view calling_code;  // digits without "+", e.g. "254"
  bool trunk_zero;                // national numbers are dialled with a leading 0
};

std::span<const Country> all_countries();            // sorted by code
const Country* find_country(std::string_view iso2);  // case-insensitive; nullptr if unknown

}  // namespace alliance::model
