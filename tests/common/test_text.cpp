// UTF-8 checks, control characters, whitespace, cleaning typed names, and search keys.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <thread>

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
      "alm \xD8\x9C"sv,      // U+061C Arabic letter mark
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

TEST_CASE("is_tidy_ascii holds exactly for text the full checks would pass unchanged") {
  // Validation skips the UTF-8, whitespace and control passes for such text,
  // so it must never say yes to text those passes would change or refuse.
  const std::string_view samples[] = {"",
                                      "Amina",
                                      "Amina Okafor",
                                      "a b c",
                                      "+254 712 345678",
                                      "O'Brien-Smith",
                                      "~!@#$%^&*()",
                                      " Amina",
                                      "Amina ",
                                      "Amina  Okafor",
                                      "a\tb",
                                      "a\nb",
                                      "a\x7f"
                                      "b",
                                      "a\x1b[31m",
                                      "Jos\xC3\xA9",
                                      "\xC2\xA0x",
                                      "a\xE2\x80\x8B"
                                      "b",
                                      "\xFF"};
  int tidy = 0;
  for (const std::string_view s : samples) {
    CAPTURE(s);
    const bool ascii = std::all_of(s.begin(), s.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    const bool passes_unchanged = ascii && is_valid_utf8(s) && collapse_whitespace(s) == s &&
                                  !has_control_characters(s) && utf8_length(s) == s.size();
    CHECK(is_tidy_ascii(s) == passes_unchanged);
    tidy += is_tidy_ascii(s) ? 1 : 0;
  }
  CHECK(tidy == 7);
}

// --- clean_person_text: one case per kind of invisible character ----------

TEST_CASE("clean_person_text composes decomposed text to NFC") {
  CHECK(clean_person_text("Nguye\xCC\x82\xCC\x83n") == "Nguy\xE1\xBB\x85n");  // Nguyễn
  CHECK(clean_person_text("Jose\xCC\x81") == "Jos\xC3\xA9");                  // José
  // Yoruba: ọ̀ has no precomposed form with both marks; NFC keeps one mark apart.
  CHECK(clean_person_text("Adebayo\xCC\xA3\xCC\x80") == "Adebay\xE1\xBB\x8D\xCC\x80");
  CHECK(clean_person_text("\xE1\x84\x80\xE1\x85\xA1") == "\xEA\xB0\x80");  // Hangul jamo -> 가
}

TEST_CASE("clean_person_text gives plain ASCII what the full cleaning gives") {
  // A trailing zero-width space sends the text through ICU (and is removed
  // there); without it, printable ASCII takes the short path.
  std::string every_printable;
  for (char c = 0x20; c < 0x7F; ++c) every_printable += c;
  for (const std::string& text :
       {std::string(), std::string(" "), std::string("Amina"), std::string("  Amina   Okafor "),
        std::string("O'Neil-Smith Jr."), std::string("a \t b"), every_printable,
        std::string("St. Mary's  Hall, Room 4")}) {
    CAPTURE(text);
    CHECK(clean_person_text(text) == clean_person_text(text + "\xE2\x80\x8B"));
  }
}

TEST_CASE("clean_person_text removes zero-width spaces") {
  CHECK(clean_person_text("Ami\xE2\x80\x8Bna") == "Amina");
  CHECK(clean_person_text("\xE2\x80\x8B"
                          "Amina \xE2\x80\x8B Okafor\xE2\x80\x8B") == "Amina Okafor");
}

TEST_CASE("clean_person_text removes soft hyphens") {
  CHECK(clean_person_text("Wan\xC2\xADjiru") == "Wanjiru");
}

TEST_CASE("clean_person_text removes byte-order marks") {
  CHECK(clean_person_text("\xEF\xBB\xBF"
                          "Amina") == "Amina");
  CHECK(clean_person_text("Ami\xEF\xBB\xBFna") == "Amina");
}

TEST_CASE("clean_person_text removes word joiners and other format characters") {
  CHECK(clean_person_text("Amina\xE2\x81\xA0Okafor") == "AminaOkafor");  // U+2060
  CHECK(clean_person_text("Amina\xE2\x81\xA3") == "Amina");  // U+2063 invisible separator
  CHECK(clean_person_text("Amina\xF3\xA0\x80\x81\xF3\xA0\x81\x81") == "Amina");  // language tags
  CHECK(clean_person_text("Ami\xCD\x8Fna") == "Amina");  // U+034F combining grapheme joiner
}

TEST_CASE("clean_person_text removes Hangul fillers, which fake a blank name") {
  CHECK(clean_person_text("\xE3\x85\xA4") == "");                     // U+3164
  CHECK(clean_person_text("\xEF\xBE\xA0\xE3\x85\xA4 Kim") == "Kim");  // U+FFA0, U+3164
}

TEST_CASE("clean_person_text removes bidi marks, embeddings, overrides and isolates") {
  CHECK(clean_person_text("\xE2\x80\x8F"
                          "Amina\xE2\x80\x8E") == "Amina");  // RLM, LRM
  CHECK(clean_person_text("\xE2\x80\xAE"
                          "anima\xE2\x80\xAC") == "anima");  // RLO ... PDF
  CHECK(clean_person_text("\xE2\x80\xAA"
                          "a\xE2\x80\xAB"
                          "b") == "ab");  // LRE, RLE
  CHECK(clean_person_text("\xE2\x81\xA6"
                          "a\xE2\x81\xA7"
                          "b\xE2\x81\xA8"
                          "c\xE2\x81\xA9") == "abc");
  // U+061C Arabic letter mark
  CHECK(clean_person_text("\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF\xD8\x9C") ==
        "\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF");
  CHECK_FALSE(
      has_control_characters(clean_person_text("\xE2\x80\xAE"
                                               "evil")));
}

TEST_CASE("clean_person_text keeps ZWNJ and ZWJ inside Arabic-script and Brahmic words") {
  // Persian half-space: محمد‌رضا (Mohammad-Reza) keeps its ZWNJ.
  const std::string persian =
      "\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF\xE2\x80\x8C\xD8\xB1\xD8\xB6\xD8\xA7";
  CHECK(clean_person_text(persian) == persian);
  // Sinhala ශ්‍රී (Sri) needs the ZWJ for its conjunct.
  const std::string sri = "\xE0\xB7\x81\xE0\xB7\x8A\xE2\x80\x8D\xE0\xB6\xBB\xE0\xB7\x93";
  CHECK(clean_person_text(sri) == sri);
  // Devanagari क्‍ष with an explicit half form.
  const std::string half = "\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8D\xE0\xA4\xB7";
  CHECK(clean_person_text(half) == half);
}

TEST_CASE("clean_person_text drops ZWNJ and ZWJ where they shape nothing") {
  CHECK(clean_person_text("Ami\xE2\x80\x8Dna") == "Amina");  // Latin
  CHECK(clean_person_text("\xE2\x80\x8C"
                          "Amina\xE2\x80\x8C") == "Amina");                // at the ends
  CHECK(clean_person_text("Amina\xE2\x80\x8C Okafor") == "Amina Okafor");  // next to a space
  // Between two scripts, and doubled.
  CHECK(clean_person_text("\xD9\x85\xE2\x80\x8C"
                          "a") ==
        "\xD9\x85"
        "a");
  CHECK(clean_person_text("\xD9\x85\xE2\x80\x8C\xE2\x80\x8C\xD8\xB1") ==
        "\xD9\x85\xE2\x80\x8C\xD8\xB1");
  // Cyrillic and Ethiopic do not use them.
  CHECK(clean_person_text("\xD0\x9E\xE2\x80\x8D\xD0\xBB\xD0\xB5\xD0\xB3") ==
        "\xD0\x9E\xD0\xBB\xD0\xB5\xD0\xB3");
}

TEST_CASE("clean_person_text collapses every kind of Unicode space") {
  CHECK(clean_person_text("  Amina\xC2\xA0\xE2\x80\x83\xE3\x80\x80Okafor\xE2\x80\xAF ") ==
        "Amina Okafor");
  CHECK(clean_person_text("Amina\t\nOkafor") == "Amina Okafor");
}

TEST_CASE("clean_person_text keeps what it cannot judge for validation to report") {
  CHECK(clean_person_text("Ami\x01na") == "Ami\x01na");  // a control: validation rejects it
  CHECK(clean_person_text("Jos\xE9") == "Jos\xE9");      // not UTF-8: left alone
  // Variation selectors choose a glyph (Japanese family registers use them).
  const std::string ivs = "\xE8\x91\x9B\xF3\xA0\x84\x80";  // 葛 + VS17
  CHECK(clean_person_text(ivs) == ivs);
}

// --- fold_for_search: the search and duplicate key -------------------------

TEST_CASE("fold_for_search removes accents and case in Latin names") {
  struct Case {
    std::string_view input;
    std::string_view expected;
  };
  const Case cases[] = {
      {"", ""},
      {"Amina OKAFOR", "amina okafor"},
      {"Jos\xC3\xA9 \xC3\x91\xC3\xBA\xC3\xB1\x65z", "jose nunez"},      // José Ñúñez
      {"Fran\xC3\xA7ois", "francois"},                                  // François
      {"Nguy\xE1\xBB\x85n Th\xE1\xBB\x8B H\xC3\xA0", "nguyen thi ha"},  // Vietnamese
      {"\xC4\x90\xE1\xBA\xB7ng", "dang"},                               // Đặng
      {"Ad\xC3\xA9\x62\xC3\xA1y\xE1\xBB\x8D\xCC\x80", "adebayo"},       // Adébáyọ̀
      {"\xC8\x98tefan \xC8\x9Aurcanu", "stefan turcanu"},               // comma below
      {"\xC5\x9E\x74\x65\x66\x61n", "stefan"},                          // cedilla
      {"\xC4\xB0\x62rahim Y\xC4\xB1lmaz", "ibrahim yilmaz"},            // İbrahim Yılmaz
      {"M\xC3\xBCller Stra\xC3\x9F\x65", "muller strasse"},             // Müller Straße
      {"\xC5\x81ukasz Wa\xC5\x82\xC4\x99sa", "lukasz walesa"},          // Łukasz Wałęsa
      {"Dvo\xC5\x99\xC3\xA1k", "dvorak"},                               // Dvořák
      {"\xC3\x86sa \xC3\x98stergaard", "aesa ostergaard"},              // Æsa Østergaard
      {"K\xC9\x94\x66i \xC6\x90si", "kofi esi"},                        // Kɔfi Ɛsi (Akan)
      {"\xEF\xBC\xA1\xEF\xBD\x8D\xEF\xBD\x89\xEF\xBD\x8E\xEF\xBD\x81", "amina"},  // full-width
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    CHECK(fold_for_search(c.input) == c.expected);
  }
}

TEST_CASE("fold_for_search makes decomposed and composed spellings the same key") {
  CHECK(fold_for_search("Nguye\xCC\x82\xCC\x83n") == fold_for_search("Nguy\xE1\xBB\x85n"));
  CHECK(fold_for_search("Jose\xCC\x81") == "jose");
}

TEST_CASE("fold_for_search ignores apostrophe and hyphen variants") {
  for (const std::string_view apostrophe : {"'"sv, "\xE2\x80\x99"sv, "\xCA\xBC"sv, "\xE2\x80\x98"sv,
                                            "`"sv, "\xC2\xB4"sv, "\xCA\xBB"sv}) {
    CAPTURE(apostrophe);
    CHECK(fold_for_search(std::string("N") + std::string(apostrophe) + "Diaye") == "ndiaye");
  }
  for (const std::string_view hyphen : {"-"sv, "\xE2\x80\x90"sv, "\xE2\x80\x91"sv, "\xE2\x80\x93"sv,
                                        "\xE2\x80\x94"sv, "\xE2\x88\x92"sv}) {
    CAPTURE(hyphen);
    CHECK(fold_for_search(std::string("Jean") + std::string(hyphen) + "Pierre") == "jean pierre");
  }
  CHECK(fold_for_search("St. John, Mary") == "st john mary");
}

TEST_CASE("fold_for_search ignores invisible characters") {
  CHECK(fold_for_search("Ami\xE2\x80\x8Bna") == "amina");  // zero-width space
  CHECK(fold_for_search("Ami\xC2\xADna") == "amina");      // soft hyphen
  CHECK(fold_for_search("\xEF\xBB\xBF"
                        "Amina") == "amina");  // BOM
  CHECK(fold_for_search("\xE2\x80\xAE"
                        "Amina\xE2\x80\xAC") == "amina");  // bidi override
  CHECK(fold_for_search("Ami\xE2\x80\x8Dna") == "amina");  // zero-width joiner
  // A Persian ZWNJ that is part of the stored name is not part of its key.
  CHECK(fold_for_search("\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF\xE2\x80\x8C\xD8\xB1\xD8\xB6\xD8\xA7") ==
        fold_for_search("\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF\xD8\xB1\xD8\xB6\xD8\xA7"));
}

TEST_CASE("fold_for_search romanises other scripts the way names are spelt in Latin") {
  struct Case {
    std::string_view input;
    std::string_view expected;
  };
  const Case cases[] = {
      {"\xD0\x90\xD0\xBB\xD0\xB5\xD0\xBA\xD1\x81\xD0\xB0\xD0\xBD\xD0\xB4\xD1\x80\xD0\xB0",
       "aleksandra"},                                                   // Александра
      {"\xD0\x9D\xD0\xB0\xD1\x82\xD0\xB0\xD1\x88\xD0\xB0", "natasha"},  // Наташа
      {"\xD0\x9E\xD0\xBB\xD1\x8C\xD0\xB3\xD0\xB0", "olga"},             // Ольга
      {"\xD0\x9E\xD0\xBB\xD0\xB5\xD0\xBA\xD1\x81\xD0\xB0\xD0\xBD\xD0\xB4\xD1\x80",
       "oleksandr"},  // Олександр
      {"\xE1\x8A\xA0\xE1\x89\xA0\xE1\x89\xA0 \xE1\x89\xA2\xE1\x89\x82\xE1\x88\x8B",
       "abebe bikila"},                                                 // አበበ ቢቂላ
      {"\xE1\x89\xB0\xE1\x88\xB5\xE1\x8D\x8B\xE1\x8B\xAC", "tesfaye"},  // ተስፋዬ: silent sixth order
      {"\xE1\x89\xA5\xE1\x88\xAD\xE1\x88\x83\xE1\x8A\x91", "birhanu"},  // ብርሃኑ: initial sixth order
      {"\xCE\x93\xCE\xB9\xCF\x8E\xCF\x81\xCE\xB3\xCE\xBF\xCF\x82", "giorgos"},     // Γιώργος
      {"\xE0\xA4\xB6\xE0\xA4\xB0\xE0\xA5\x8D\xE0\xA4\xAE\xE0\xA4\xBE", "sharma"},  // शर्मा
      {"\xE0\xA4\x95\xE0\xA5\x83\xE0\xA4\xB7\xE0\xA5\x8D\xE0\xA4\xA3", "krishna"},  // कृष्ण
      {"\xE0\xAE\xAE\xE0\xAF\x81\xE0\xAE\xB0\xE0\xAF\x81\xE0\xAE\x95\xE0\xAE\xA9\xE0\xAF\x8D",
       "murugan"},                                            // முருகன்
      {"\xE5\xBC\xA0\xE4\xBC\x9F", "zhangwei"},               // 张伟
      {"\xE5\xBC\xB5\xE5\x81\x89", "zhangwei"},               // 張偉 (traditional)
      {"\xE3\x81\x95\xE3\x81\xA8\xE3\x81\x86", "sato"},       // さとう
      {"\xE3\x82\xB5\xE3\x83\x88\xE3\x83\xBC", "sato"},       // サトー
      {"\xEA\xB9\x80\xEB\xAF\xBC\xEC\xA4\x80", "gimminjun"},  // 김민준
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    CHECK(fold_for_search(c.input) == c.expected);
  }
}

TEST_CASE("fold_for_search makes the spellings people mix up in Arabic script meet") {
  // أحمد / احمد (alef with or without hamza), فاطمة / فاطمه (teh marbuta / heh),
  // مُحَمَّد / محمد (with and without vowel signs), علي / على (yeh / alef maksura).
  CHECK(fold_for_search("\xD8\xA3\xD8\xAD\xD9\x85\xD8\xAF") ==
        fold_for_search("\xD8\xA7\xD8\xAD\xD9\x85\xD8\xAF"));
  CHECK(fold_for_search("\xD9\x81\xD8\xA7\xD8\xB7\xD9\x85\xD8\xA9") ==
        fold_for_search("\xD9\x81\xD8\xA7\xD8\xB7\xD9\x85\xD9\x87"));
  CHECK(fold_for_search("\xD9\x85\xD9\x8F\xD8\xAD\xD9\x8E\xD9\x85\xD9\x91\xD9\x8E\xD8\xAF") ==
        fold_for_search("\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF"));
  CHECK(fold_for_search("\xD8\xB9\xD9\x84\xD9\x8A") == fold_for_search("\xD8\xB9\xD9\x84\xD9\x89"));
  CHECK(fold_for_search("\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF") !=
        fold_for_search("\xD8\xA3\xD8\xAD\xD9\x85\xD8\xAF"));
}

TEST_CASE("fold_for_search keeps script rules to their own script") {
  // Devanagari's c -> ch and Tamil's k -> g must not touch the Latin name
  // joined to them (a hyphen does not end a script run, a Latin letter does).
  CHECK(fold_for_search("\xE0\xA4\xB6\xE0\xA4\xB0\xE0\xA5\x8D\xE0\xA4\xAE\xE0\xA4\xBE-Cecilia") ==
        "sharma cecilia");
  CHECK(fold_for_search("\xE0\xAE\xAE\xE0\xAF\x81\xE0\xAE\xB0\xE0\xAF\x81\xE0\xAE\x95\xE0\xAE\xA9"
                        "\xE0\xAF\x8D-Akua") == "murugan akua");
  // Ethiopic's silent sixth order does not drop a Latin i.
  CHECK(fold_for_search("\xE1\x89\xB0\xE1\x88\xB5\xE1\x8D\x8B\xE1\x8B\xAC-Tigist") ==
        "tesfaye tigist");
}

TEST_CASE("fold_query splits Han names into syllables and matches fold_for_search elsewhere") {
  CHECK(fold_query("\xE5\xBC\xA0\xE4\xBC\x9F") == "zhang wei");
  CHECK(fold_query("Nguy\xE1\xBB\x85n") == fold_for_search("Nguy\xE1\xBB\x85n"));
  CHECK(fold_query("N\xE2\x80\x99"
                   "Diaye") == "ndiaye");
}

TEST_CASE("fold_for_search takes the same path for ASCII with or without ICU") {
  // ASCII skips ICU; a non-ASCII letter that folds to 'e' forces the ICU path.
  // Both must give the same key for every printable ASCII character.
  for (char c = ' '; c <= '~'; ++c) {
    const std::string plain = std::string("x") + c + "y e";
    const std::string accented = std::string("x") + c + "y \xC3\xA9";
    CAPTURE(plain);
    CHECK(fold_for_search(plain) == fold_for_search(accented));
  }
  CHECK(fold_for_search("a\tb") == fold_for_search("a\tb \xC3\xA9").substr(0, 3));
}

TEST_CASE("fold_for_search is the same on every thread and for bytes that are not UTF-8") {
  const std::string name =
      "\xD0\x90\xD0\xBB\xD0\xB5\xD0\xBA\xD1\x81\xD0\xB0\xD0\xBD\xD0\xB4\xD1\x80\xD0\xB0";
  std::string from_thread;
  std::thread([&] { from_thread = fold_for_search(name); }).join();
  CHECK(from_thread == fold_for_search(name));
  CHECK(fold_for_search("Jos\xE9") == fold_for_search("Jos\xE9"));
  CHECK_FALSE(fold_for_search("Jos\xE9").empty());
}

TEST_CASE("search_key_version names the rules and the ICU data") {
  const std::string version = search_key_version();
  CHECK(version.find("rules ") != std::string::npos);
  CHECK(version.find("ICU ") != std::string::npos);
}
