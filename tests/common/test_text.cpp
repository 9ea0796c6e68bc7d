// UTF-8 checks, control characters, whitespace and search folding.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "common/model/text.hpp"

using namespace alliance::model;
using namespace std::string_view_literals;

TEST_CASE("valid UTF-8 is accepted") {
  const std::string_view good[] = {
      ""sv,
      "plain ASCII"sv,
      "Jos\xC3\xA9"sv,                           // José
      "\xD0\x9E\xD0\xBB\xD0\xB5\xD0\xB3"sv,      // Олег
      "\xE1\x8A\xA0\xE1\x89\xA0\xE1\x89\xA0"sv,  // አበበ (Ethiopic)
      "\xE2\x82\xAC"sv,                          // €
      "\xED\x9F\xBF"sv,                          // U+D7FF, just below the surrogates
      "\xEE\x80\x80"sv,                          // U+E000, just above them
      "\xF0\x9F\x98\x80"sv,                      // U+1F600
      "\xF4\x8F\xBF\xBF"sv,                      // U+10FFFF, the last code point
      "nul\0inside"sv,  // NUL is valid UTF-8 (controls are a separate check)
  };
  for (const std::string_view s : good) {
    CAPTURE(s);
    CHECK(is_valid_utf8(s));
  }
}

TEST_CASE("invalid UTF-8 is rejected") {
  const std::string_view bad[] = {
      "\xC0\xAF"sv,          // overlong '/'
      "\xC1\xBF"sv,          // overlong
      "\xE0\x80\xAF"sv,      // overlong 3-byte '/'
      "\xE0\x9F\xBF"sv,      // overlong 3-byte U+07FF
      "\xF0\x8F\xBF\xBF"sv,  // overlong 4-byte U+FFFF
      "\xED\xA0\x80"sv,      // U+D800, a surrogate
      "\xED\xBF\xBF"sv,      // U+DFFF, a surrogate
      "\xF4\x90\x80\x80"sv,  // U+110000, past the end of Unicode
      "\xF5\x80\x80\x80"sv,  // lead byte that can never occur
      "\xFF"sv,
      "\x80"sv,              // stray continuation byte
      "abc\xBF"sv,           // stray continuation at the end
      "\xC3"sv,              // truncated 2-byte
      "Jos\xC3"sv,           // truncated at end of text
      "\xE2\x82"sv,          // truncated 3-byte
      "\xF0\x9F\x98"sv,      // truncated 4-byte
      "\xC3\x28"sv,          // second byte not a continuation
      "\xE2\x28\xA1"sv,      // second byte not a continuation
      "\xF0\x9F\x98\x28"sv,  // last byte not a continuation
      "Jos\xE9"sv,           // Latin-1 é
  };
  for (const std::string_view s : bad) {
    CAPTURE(s);
    CHECK_FALSE(is_valid_utf8(s));
  }
}

TEST_CASE("utf8_length counts code points") {
  CHECK(utf8_length("") == 0);
  CHECK(utf8_length("abc") == 3);
  CHECK(utf8_length("Jos\xC3\xA9") == 4);
  CHECK(utf8_length("\xD0\x9E\xD0\xBB\xD0\xB5\xD0\xB3") == 4);
  CHECK(utf8_length("\xE2\x82\xAC 5") == 3);
  CHECK(utf8_length("\xF0\x9F\x98\x80!") == 2);
}

TEST_CASE("control and bidi characters are found") {
  const std::string_view with_controls[] = {
      "tab\there"sv,
      "new\nline"sv,
      "cr\r"sv,
      "\x01start"sv,
      "bell\x07"sv,
      "nul\0"sv,
      "del\x7F"sv,
      "c1 \xC2\x80"sv,       // U+0080
      "c1 \xC2\x9F"sv,       // U+009F
      "lrm \xE2\x80\x8E"sv,  // U+200E
      "rlm \xE2\x80\x8F"sv,  // U+200F
      "lre \xE2\x80\xAA"sv,  // U+202A
      "\xE2\x80\xAE"
      "evil"sv,              // U+202E right-to-left override
      "lri \xE2\x81\xA6"sv,  // U+2066
      "pdi \xE2\x81\xA9"sv,  // U+2069
  };
  for (const std::string_view s : with_controls) {
    CAPTURE(s);
    CHECK(has_control_characters(s));
  }
}

TEST_CASE("ordinary text has no control characters") {
  const std::string_view clean[] = {
      ""sv,
      "Amina Okafor"sv,
      "O'Brien-Smith"sv,
      "Fran\xC3\xA7ois"sv,                   // François
      "\xD0\x9E\xD0\xBB\xD0\xB5\xD0\xB3"sv,  // Олег
      "\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF"sv,  // محمد
      "\xC2\xA0nbsp\xC2\xA0"sv,              // U+00A0 is a space, not a control
      "\xE2\x80\x8D"sv,                      // U+200D zero-width joiner is allowed
      "\xE2\x80\xAF"sv,                      // U+202F, next to the overrides
      "\xE2\x81\xA5"sv,                      // U+2065, next to the isolates
  };
  for (const std::string_view s : clean) {
    CAPTURE(s);
    CHECK_FALSE(has_control_characters(s));
  }
}

TEST_CASE("collapse_whitespace trims and folds runs") {
  struct Case {
    std::string_view input;
    std::string_view expected;
  };
  const Case cases[] = {
      {"", ""},
      {"   ", ""},
      {"Amina", "Amina"},
      {"  Amina  Okafor  ", "Amina Okafor"},
      {"a\t\tb\nc\r\nd", "a b c d"},
      {"\xC2\xA0"
       "Jos\xC3\xA9\xC2\xA0\xC2\xA0Ram\xC3\xADrez\xC2\xA0",
       "Jos\xC3\xA9 Ram\xC3\xADrez"},
      {"a\xE2\x80\x83"
       "b",
       "a b"},  // U+2003 em space
      {"a\xE3\x80\x80"
       "b",
       "a b"},                           // U+3000 ideographic space
      {"a \xE2\x80\xAF b", "a b"},       // U+202F narrow no-break space
      {"\xE2\x80\x8B", "\xE2\x80\x8B"},  // U+200B zero-width space is not White_Space
      {"\xD0\x9E\xD0\xBB\xD0\xB5\xD0\xB3  ", "\xD0\x9E\xD0\xBB\xD0\xB5\xD0\xB3"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    CHECK(collapse_whitespace(c.input) == c.expected);
  }
}

TEST_CASE("fold_for_search lower-cases and strips Latin diacritics") {
  struct Case {
    std::string_view input;
    std::string_view expected;
  };
  const Case cases[] = {
      {"Jos\xC3\xA9 \xC3\x91\xC3\xBA\xC3\xB1"
       "ez",
       "jose nunez"},  // José Ñúñez
      {"AMINA Okafor", "amina okafor"},
      {"Fran\xC3\xA7ois", "francois"},  // François
      {"Stra\xC3\x9F"
       "e",
       "strasse"},                // Straße
      {"\xC3\x86sa", "aesa"},     // Æsa
      {"S\xC3\xB8ren", "soren"},  // Søren
      {"\xC5\x81\xC3\xB3"
       "d\xC5\xBA",
       "lodz"},  // Łódź
      {"\xC4\x90or\xC4\x91"
       "e",
       "dorde"},                   // Đorđe
      {"\xC5\x92uvre", "oeuvre"},  // Œuvre
      {"\xC5\x9E"
       "ahin",
       "sahin"},                           // Şahin
      {"Dvo\xC5\x99\xC3\xA1k", "dvorak"},  // Dvořák
      {"\xC3\x9E\xC3\xB3r", "thor"},       // Þór
      {"5 \xC3\x97 3", "5 \xC3\x97 3"},    // × is not a letter
      {"\xD0\x9E\xD0\x9B\xD0\x95\xD0\x93", "\xD0\xBE\xD0\xBB\xD0\xB5\xD0\xB3"},  // ОЛЕГ -> олег
      {"\xD0\x81\xD0\x96", "\xD1\x91\xD0\xB6"},                                  // ЁЖ -> ёж
      {"\xD0\x87\xD0\x86", "\xD1\x97\xD1\x96"},                                  // ЇІ -> їі
      {"\xD0\xBE\xD0\xBB\xD0\xB5\xD0\xB3", "\xD0\xBE\xD0\xBB\xD0\xB5\xD0\xB3"},  // already lower
      {"\xCE\x91\xCE\xB8", "\xCE\x91\xCE\xB8"},  // Greek passes through
      {"\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF", "\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF"},  // Arabic too
      {"Ref AB-12", "ref ab-12"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    CHECK(fold_for_search(c.input) == c.expected);
  }
}

TEST_CASE("fold_for_search makes accented and plain spellings meet") {
  CHECK(fold_for_search("Ana Concei\xC3\xA7\xC3\xA3o") == fold_for_search("ANA CONCEICAO"));
  CHECK(fold_for_search("M\xC3\xBCller") == fold_for_search("muller"));
  CHECK(fold_for_search("M\xC3\xBCller") != fold_for_search("mueller"));
}
