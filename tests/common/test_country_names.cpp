// Country names from Debian iso-codes in four languages, and countries typed as text.
#include <doctest/doctest.h>

#include <algorithm>

#include "common/model/country.hpp"
#include "common/model/country_names.hpp"

using namespace alliance::model;

TEST_CASE("country names come from iso-codes in en, fr, pt and es") {
  CHECK(all_country_names().size() >= 249);
  CHECK(country_name("KE", "en") == "Kenya");
  CHECK(country_name("KE", "pt") == "Quénia");
  CHECK(country_name("ke", "es") == "Kenia");
  CHECK(country_name("CI", "pt") == "Costa do Marfim");
  CHECK(country_name("DE", "fr") == "Allemagne");
  CHECK(country_name("DE", "es") == "Alemania");
  CHECK(country_name("ZA", "fr") == "Afrique du Sud");
  CHECK(country_name("KE", "sw") == "Kenya");  // an unknown language reads as English
  CHECK(country_name("XX", "fr").empty());
  CHECK(country_name("", "en").empty());
  // Every country the model accepts has a name in each language.
  for (const Country& country : all_countries()) {
    INFO(country.code);
    for (const auto* language : {"en", "fr", "pt", "es"}) {
      CHECK_FALSE(country_name(country.code, language).empty());
    }
  }
}

TEST_CASE("countries_by_name sorts by the name in the language, accents ignored") {
  const auto french = countries_by_name("fr");
  REQUIRE(french.size() == all_country_names().size());
  auto position = [&](std::string_view code) {
    return std::find_if(french.begin(), french.end(),
                        [&](const CountryNames* c) { return c->alpha2 == code; }) -
           french.begin();
  };
  // Égypte sorts among the E's: after Danemark (DK), before Espagne (ES).
  CHECK(position("DK") < position("EG"));
  CHECK(position("EG") < position("ES"));
  CHECK(french.front()->alpha2 == "AF");  // Afghanistan
}

TEST_CASE("country_from_text reads codes and names in four languages") {
  for (const auto* typed :
       {"KE", "ke", " KEN ", "ken", "Kenya", "KENYA", "Quénia", "quenia", "Kenia", "kénya"}) {
    INFO(typed);
    CHECK(country_from_text(typed) == "KE");
  }
  CHECK(country_from_text("Côte d'Ivoire") == "CI");
  CHECK(country_from_text("COTE D’IVOIRE") == "CI");
  CHECK(country_from_text("Costa de Marfíl") == "CI");
  CHECK(country_from_text("Ivory Coast") == "CI");
  CHECK(country_from_text("Sénégal") == "SN");
  CHECK(country_from_text("Moçambique") == "MZ");
  CHECK(country_from_text("México") == "MX");
  CHECK(country_from_text("Mexique") == "MX");
  CHECK(country_from_text("Bolivia, Plurinational State of") == "BO");
  CHECK(country_from_text("Bolivie") == "BO");
  CHECK(country_from_text("Tanzania") == "TZ");  // short form of "Tanzania, United Republic of"
  CHECK(country_from_text("République démocratique du Congo") == "CD");
  CHECK(country_from_text("UK") == "GB");
  CHECK(country_from_text("Russia") == "RU");
  CHECK(country_from_text("Allemagne") == "DE");
  CHECK(country_from_text("Alemanha") == "DE");
  // Nothing, or more than one country: no guess.
  CHECK_FALSE(country_from_text("").has_value());
  CHECK_FALSE(country_from_text("   ").has_value());
  CHECK_FALSE(country_from_text("XX").has_value());
  CHECK_FALSE(country_from_text("Atlantis").has_value());
  CHECK(country_from_text("Congo") == "CG");  // the full name of CG, not a short form of CD
  CHECK_FALSE(country_from_text("Virgin Islands").has_value());  // British or U.S.
}
