// Phone numbers to E.164, and the country table they rely on.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "common/model/country.hpp"
#include "common/model/phone.hpp"

using namespace alliance::model;

TEST_CASE("the country table covers ISO 3166-1 sorted by code") {
  const auto countries = all_countries();
  CHECK(countries.size() == 249);
  CHECK(std::is_sorted(countries.begin(), countries.end(),
                       [](const Country& a, const Country& b) { return a.code < b.code; }));
  CHECK(std::adjacent_find(countries.begin(), countries.end(),
                           [](const Country& a, const Country& b) { return a.code == b.code; }) ==
        countries.end());
  for (const Country& c : countries) {
    CAPTURE(c.code);
    CHECK(c.code.size() == 2);
    CHECK(!c.name.empty());
    CHECK(!c.calling_code.empty());
    CHECK(c.calling_code.size() <= 3);
    CHECK(std::all_of(c.calling_code.begin(), c.calling_code.end(),
                      [](char ch) { return ch >= '0' && ch <= '9'; }));
  }
}

TEST_CASE("find_country is case-insensitive and exact") {
  const Country* kenya = find_country("KE");
  REQUIRE(kenya != nullptr);
  CHECK(kenya->name == "Kenya");
  CHECK(kenya->calling_code == "254");
  CHECK(kenya->trunk_zero);

  const Country* lower = find_country("ke");
  CHECK(lower == kenya);
  CHECK(find_country("kE") == kenya);

  REQUIRE(find_country("US") != nullptr);
  CHECK(find_country("US")->calling_code == "1");
  CHECK_FALSE(find_country("US")->trunk_zero);
  REQUIRE(find_country("GB") != nullptr);
  CHECK(find_country("GB")->calling_code == "44");
  REQUIRE(find_country("ZW") != nullptr);  // the last entry
  CHECK(find_country("ZW")->calling_code == "263");
  REQUIRE(find_country("AD") != nullptr);  // the first entry
  CHECK(find_country("AD")->calling_code == "376");

  CHECK(find_country("") == nullptr);
  CHECK(find_country("K") == nullptr);
  CHECK(find_country("KEN") == nullptr);
  CHECK(find_country("XX") == nullptr);
  CHECK(find_country("UK") == nullptr);  // the ISO code is GB
  CHECK(find_country("AA") == nullptr);  // before the first entry
  CHECK(find_country("ZZ") == nullptr);  // after the last entry
}

TEST_CASE("phone numbers that normalise") {
  struct Case {
    std::string_view input;
    std::string_view country;
    std::string_view expected;
  };
  const Case cases[] = {
      {"+254 712 345 678", "", "+254712345678"},
      {"+254712345678", "TZ", "+254712345678"},  // an international number ignores the default
      {"00254712345678", "", "+254712345678"},
      {"0712345678", "KE", "+254712345678"},
      {"0712 345 678", "ke", "+254712345678"},
      {"712345678", "KE", "+254712345678"},  // the trunk 0 may be left out
      {"+254 (0)712 345678", "", "+254712345678"},
      {"00 44 20 7946 0958", "", "+442079460958"},
      {"(020) 7946 0958", "GB", "+442079460958"},
      {"020-7946-0958", "GB", "+442079460958"},
      {"+44 (0)20 7946 0958", "", "+442079460958"},
      {"(202) 555-0143", "US", "+12025550143"},
      {"202.555.0143", "US", "+12025550143"},
      {"+1 202 555 0143", "", "+12025550143"},
      {"+1-876-555-0143", "", "+18765550143"},  // Jamaica, inside NANP
      {"06 12 34 56 78", "FR", "+33612345678"},
      {"06 123 4567", "IT", "+39061234567"},  // Italy keeps its leading 0
      {"612 345 678", "ES", "+34612345678"},
      {"+7 912 345-67-89", "", "+79123456789"},
      {"021/123 4567", "ZA", "+27211234567"},
      {"[021] 123 4567", "ZA", "+27211234567"},
      {"  +263 77 123 4567", "", "+263771234567"},
      {"+39 06 6988 3142", "", "+390669883142"},  // no trunk 0 to drop in Italy
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    CAPTURE(c.country);
    CHECK(normalize_phone(c.input, c.country).value_or("(refused)") == c.expected);
  }
}

TEST_CASE("phone numbers that are refused") {
  struct Case {
    std::string_view input;
    std::string_view country;
  };
  const Case cases[] = {
      {"", "KE"},
      {"   ", "KE"},
      {"+", "KE"},
      {"0712 345 67A", "KE"},  // a letter
      {"CALL ME", "KE"},
      {"0712#345678", "KE"},  // a symbol
      {"0712_345_678", "KE"},
      {"+254 712\xC2\xA0"
       "345 678",
       "KE"},                   // non-ASCII
      {"254+712345678", "KE"},  // '+' not at the start
      {"++254712345678", "KE"},
      {"+254 712", ""},  // too short
      {"07123", "KE"},
      {"+1 555 014", ""},              // under 8 digits in all
      {"+44 12345", ""},               // national number under 6 digits
      {"+254 7123 4567 8901 23", ""},  // over 15 digits in all
      {"0712345678901234", "KE"},
      {"+999 123 456 789", ""},  // no such calling code
      {"+28 123 456 789", ""},
      {"+0712345678", "KE"},
      {"00 0712345678", "KE"},
      {"0712345678", ""},    // national without a default country
      {"0712345678", "XX"},  // national with an unknown country
      {"0712345678", "KEN"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    CAPTURE(c.country);
    CHECK(normalize_phone(c.input, c.country).value_or("(refused)") == "(refused)");
  }
}

TEST_CASE("normalised numbers are stable") {
  for (const std::string_view input : {"+254 712 345 678", "(020) 7946 0958", "+1 202 555 0143"}) {
    const auto once = normalize_phone(input, "GB");
    REQUIRE(once.has_value());
    CHECK(normalize_phone(*once, "US") == once);
  }
}
