// Country names in English, French, Portuguese and Spanish (Debian iso-codes).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace alliance::model {

// One ISO 3166-1 country as iso-codes names it. The table is generated at
// build time by cmake/gen_country_names.py from iso_3166-1.json and its
// fr, pt and es gettext catalogues, so the programs need no iso-codes at run
// time and every device shows the same names.
struct CountryNames {
  std::string_view alpha2;  // "KE"
  std::string_view alpha3;  // "KEN"
  std::string_view en;      // iso-codes' short name, e.g. "Kenya"
  std::string_view fr;      // "Kenya"
  std::string_view pt;      // "Quénia"
  std::string_view es;      // "Kenia"
  // Other names people type, '|'-separated: iso-codes' common and official
  // names in the four languages ("Bolivia|Plurinational State of Bolivia|...").
  std::string_view aliases;
};

// Every country, sorted by alpha2.
std::span<const CountryNames> all_country_names();

// The name of the country with ISO alpha-2 `code` (any case) in `language`
// ("en", "fr", "pt" or "es"; anything else reads as English); empty if the
// code is unknown.
std::string_view country_name(std::string_view code, std::string_view language);

// Every country in the order a person of `language` looks for it: by its
// name there, accents and case ignored ("Égypte" between "Égalité" and "Espagne").
std::vector<const CountryNames*> countries_by_name(std::string_view language);

// The ISO alpha-2 code (upper case) of a country as typed in a spreadsheet:
// an alpha-2 or alpha-3 code, or a name in English, French, Portuguese or
// Spanish, case, accents and spacing ignored ("ke", "KEN", "Kenya", "Quénia",
// "kenia", "COTE D'IVOIRE", "Bolivie", "Bolivia, Plurinational State of").
// Also takes the short form before a comma or parenthesis of a name when
// only one country has it ("Tanzania", "Congo" does not: two countries), and
// a few everyday English names iso-codes lacks ("UK", "Ivory Coast", "DRC",
// "Vietnam", "Russia"). nullopt when nothing or more than one country fits.
std::optional<std::string> country_from_text(std::string_view text);

}  // namespace alliance::model
