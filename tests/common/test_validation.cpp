// Validation tables: good and bad values per field, with the error keys they must give.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/validation.hpp"

using namespace alliance::model;

namespace {

// Errors as sorted "field=key" text, so a failing check prints what came back
// and order does not matter.
std::string describe(FieldErrors errors) {
  std::sort(errors.begin(), errors.end(), [](const FieldError& a, const FieldError& b) {
    return a.field != b.field ? a.field < b.field : a.key < b.key;
  });
  std::string out;
  for (const FieldError& e : errors) {
    if (!out.empty()) out += ", ";
    out += e.field + "=" + e.key;
  }
  return out;
}

std::string expect(std::string_view field, std::string_view key) {
  return key.empty() ? std::string() : std::string(field) + "=" + std::string(key);
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

ValidationContext kenya() {
  return {"KE", 2026};
}

Member good_individual() {
  Member m;
  m.given_name = "Amina";
  m.family_name = "Okafor";
  m.phone = "+254 712 345 678";
  m.country = "KE";
  m.consent.given = true;
  m.consent.text_version = "2026-01";
  return m;
}

Member good_organisation() {
  Member m;
  m.kind = MemberKind::organisation;
  m.organisation = "Kenya Association of Social Workers";
  m.contact_person = "Grace Wanjiru";
  m.email = "info@kasw.or.ke";
  m.country = "KE";
  return m;
}

// One value of a text field and the key it must give ("" when it is fine).
struct TextCase {
  std::string input;
  std::string_view key;
};

void check_member_text(Member base, std::string Member::*member_field, std::string_view field,
                       std::span<const TextCase> cases) {
  for (const TextCase& c : cases) {
    Member m = base;
    m.*member_field = c.input;
    CAPTURE(field);
    CAPTURE(c.input);
    CHECK(describe(normalize_and_validate(m, kenya())) == expect(field, c.key));
  }
}

TrainingEvent good_event() {
  TrainingEvent e;
  e.name = "Case management foundations";
  e.place = "Kisumu";
  e.country = "KE";
  e.start_date = "2026-03-02";
  e.end_date = "2026-03-06";
  e.organiser = "East Africa office";
  e.office = "Nairobi";
  return e;
}

ResourcePack good_pack() {
  ResourcePack p;
  p.id = "CP-TOOLKIT-01";
  p.title = "Child protection toolkit";
  p.languages = {"en", "fr"};
  p.stock = {{"Nairobi", 40}, {"Dakar", 0}};
  return p;
}

ResourceRequest good_request() {
  ResourceRequest r;
  r.member_id = "01890a5d-ac96-774b-bcce-b302099a8057";
  r.lines = {{"CP-TOOLKIT-01", 2}};
  r.office = "Nairobi";
  return r;
}

}  // namespace

TEST_CASE("a complete individual passes and is normalised") {
  Member m = good_individual();
  m.given_name = "  Amina   Grace ";
  m.email = " Amina.Okafor@Example.ORG ";
  m.phone = "0712 345 678";
  m.country = "ke";
  m.region = " Kisumu\tCounty ";
  m.gender = "female";
  m.birth_year = 1990;
  m.organisation_type = "ngo";
  m.role = "case_manager";
  m.years_experience = 7;
  m.qualification = "bachelor";
  m.interest_groups = {"child_protection", " supervision ", "child_protection", ""};
  m.preferred_language = "fr";

  CHECK(describe(normalize_and_validate(m, kenya())) == "");
  CHECK(m.given_name == "Amina Grace");
  CHECK(m.email == "amina.okafor@example.org");
  CHECK(m.phone == "+254712345678");
  CHECK(m.country == "KE");
  CHECK(m.region == "Kisumu County");
  CHECK(m.interest_groups == std::vector<std::string>{"child_protection", "supervision"});
}

TEST_CASE("a complete organisation passes without personal names or consent") {
  Member m = good_organisation();
  CHECK(describe(normalize_and_validate(m, kenya())) == "");
}

TEST_CASE("a blank individual gets every required error at once") {
  Member m;
  CHECK(describe(normalize_and_validate(m, kenya())) ==
        "consent=member.consent.required, country=member.country.required, "
        "family_name=member.family_name.required, given_name=member.given_name.required, "
        "phone=member.contact.required");
}

TEST_CASE("a blank organisation gets its own required errors at once") {
  Member m;
  m.kind = MemberKind::organisation;
  CHECK(describe(normalize_and_validate(m, kenya())) ==
        "contact_person=member.contact_person.required, country=member.country.required, "
        "organisation=member.organisation.required, phone=member.contact.required");
}

TEST_CASE("a member wrong everywhere reports every field") {
  Member m = good_individual();
  m.given_name = "Amina2";
  m.family_name = "Ok\xC0\xAF";
  m.gender = "f";
  m.birth_year = 2020;
  m.phone = "12";
  m.email = "amina@";
  m.country = "XX";
  m.region = "Kisumu\x1B";
  m.organisation_type = "club";
  m.role = "boss";
  m.years_experience = 99;
  m.qualification = "phd";
  m.interest_groups = {"knitting"};
  m.preferred_language = "de";
  m.consent.given = false;
  CHECK(describe(normalize_and_validate(m, kenya())) ==
        "birth_year=member.birth_year.out_of_range, "
        "consent=member.consent.required, "
        "country=member.country.unknown_code, "
        "email=member.email.invalid, "
        "family_name=member.family_name.invalid_utf8, "
        "gender=member.gender.unknown_code, "
        "given_name=member.given_name.invalid, "
        "interest_groups=member.interest_groups.unknown_code, "
        "organisation_type=member.organisation_type.unknown_code, "
        "phone=member.phone.too_few_digits, "  // read with the event's country
        "preferred_language=member.preferred_language.unknown_code, "
        "qualification=member.qualification.unknown_code, "
        "region=member.region.control_characters, "
        "role=member.role.unknown_code, "
        "years_experience=member.years_experience.out_of_range");
}

TEST_CASE("member names") {
  const TextCase cases[] = {
      {"Amina", ""},
      {"Jean-Pierre", ""},
      {"O'Brien", ""},
      {"Mary Ann", ""},
      {"St. John", ""},
      {"Zo\xC3\xAB", ""},                            // Zoë
      {"\xD0\x9E\xD0\xBB\xD0\xB5\xD0\xB3", ""},      // Олег
      {"\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF", ""},      // محمد
      {"\xE1\x8A\xA0\xE1\x89\xA0\xE1\x89\xA0", ""},  // አበበ
      {"Nguy\xE1\xBB\x85n", ""},                     // Nguyễn
      {"Ami\tna", ""},                               // the tab becomes a space
      {repeat("a", kMaxNameLength), ""},
      {repeat("\xD0\xB6", kMaxNameLength), ""},  // 100 code points, 200 bytes
      {"", "member.given_name.required"},
      {" \xC2\xA0 ", "member.given_name.required"},  // only spaces
      {repeat("a", kMaxNameLength + 1), "member.given_name.too_long"},
      {repeat("\xD0\xB6", kMaxNameLength + 1), "member.given_name.too_long"},
      {"Amina2", "member.given_name.invalid"},
      {"\xD9\xA3", "member.given_name.invalid"},  // Arabic-Indic digit three
      {"---", "member.given_name.invalid"},
      {"'.", "member.given_name.invalid"},
      {"\xF0\x9F\x98\x80", "member.given_name.invalid"},  // an emoji is not a name
      {"<b>Amina</b>", "member.given_name.invalid"},
      {"amina@home", "member.given_name.invalid"},
      {"Amina_", "member.given_name.invalid"},
      {"\"Amina\"", "member.given_name.invalid"},
      {"Amina#1", "member.given_name.invalid"},
      {"Ami{na}", "member.given_name.invalid"},
      {"Ami|na", "member.given_name.invalid"},
      {"Ami\\na", "member.given_name.invalid"},
      {"Ami~na", "member.given_name.invalid"},
      {"Ami`na", "member.given_name.invalid"},
      {"Ami=na", "member.given_name.invalid"},
      {"Ami*na", "member.given_name.invalid"},
      {"Ami\x01na", "member.given_name.control_characters"},
      {"Ami\x7Fna", "member.given_name.control_characters"},
      {"\xE2\x80\xAE"
       "anima",
       ""},                                            // a bidi override is removed (test_text.cpp)
      {"Ami\xE2\x81\xA6na", ""},                       // so is a bidi isolate
      {"\xE2\x80\x8B", "member.given_name.required"},  // only a zero-width space
      {"Ami\xC0\xAF", "member.given_name.invalid_utf8"},
      {"Ami\xED\xA0\x80", "member.given_name.invalid_utf8"},
      {"Ami\xC3", "member.given_name.invalid_utf8"},
  };
  check_member_text(good_individual(), &Member::given_name, "given_name", cases);

  const TextCase family[] = {
      {"Okafor", ""},
      {"van der Berg", ""},
      {"", "member.family_name.required"},
      {"Okafor3", "member.family_name.invalid"},
      {"Oka$for", "member.family_name.invalid"},
      {"Oka%for", "member.family_name.invalid"},
      {"Oka^for", "member.family_name.invalid"},
      {"Okafor[1]", "member.family_name.invalid"},
      {"Oka\nfor", ""},
      {"Oka\xC2\x85"
       "for",
       ""},  // U+0085 next line is whitespace, collapsed
      {"Oka\xC2\x9F"
       "for",
       "member.family_name.control_characters"},
  };
  check_member_text(good_individual(), &Member::family_name, "family_name", family);

  const TextCase contact[] = {
      {"Grace Wanjiru", ""},
      {"", "member.contact_person.required"},
      {"Grace 2", "member.contact_person.invalid"},
      {repeat("g", kMaxNameLength + 1), "member.contact_person.too_long"},
  };
  check_member_text(good_organisation(), &Member::contact_person, "contact_person", contact);

  const TextCase optional_for_individuals[] = {
      {"", ""},
      {"Grace Wanjiru", ""},
      {"Grace 2", "member.contact_person.invalid"},
  };
  check_member_text(good_individual(), &Member::contact_person, "contact_person",
                    optional_for_individuals);
}

TEST_CASE("member organisation and free text") {
  const TextCase organisation[] = {
      {"Kenya Association of Social Workers", ""},
      {"Group 7 Community Care", ""},  // digits are fine in an organisation's name
      {"", "member.organisation.required"},
      {repeat("o", kMaxTextLength), ""},
      {repeat("o", kMaxTextLength + 1), "member.organisation.too_long"},
      {"KASW\x1B", "member.organisation.control_characters"},
  };
  check_member_text(good_organisation(), &Member::organisation, "organisation", organisation);

  const TextCase region[] = {
      {"", ""},
      {"Kisumu County", ""},
      {repeat("r", kMaxTextLength), ""},
      {repeat("r", kMaxTextLength + 1), "member.region.too_long"},
      {"Kisumu\xE2\x80\x8F", ""},  // the right-to-left mark is removed
      {"Kisumu\x1B", "member.region.control_characters"},
      {"Kisumu\xFF", "member.region.invalid_utf8"},
  };
  check_member_text(good_individual(), &Member::region, "region", region);
}

TEST_CASE("names and other typed text are stored clean: NFC, nothing invisible") {
  // "Nguyễn" typed decomposed (macOS, some CSV tools), with a zero-width
  // space, a soft hyphen and a byte-order mark pasted in.
  const std::string nfd_nguyen = "Nguye\xCC\x82\xCC\x83n";
  const std::string nguyen = "Nguy\xE1\xBB\x85n";
  Member m = good_individual();
  m.given_name = "\xEF\xBB\xBF" + nfd_nguyen;
  m.family_name = "Thi\xE2\x80\x8B  H\xC3\xA0";
  m.region = "Kisu\xC2\xADmu";
  REQUIRE(describe(normalize_and_validate(m, kenya())).empty());
  CHECK(m.given_name == nguyen);
  CHECK(m.family_name == "Thi H\xC3\xA0");
  CHECK(m.region == "Kisumu");

  Member org = good_organisation();
  org.organisation =
      "\xE2\x80\x8F"
      "KASW\xE2\x81\xA0";                            // right-to-left mark, word joiner
  org.contact_person = "Grace\xE2\x80\x8D Wanjiru";  // a stray zero-width joiner
  REQUIRE(describe(normalize_and_validate(org, kenya())).empty());
  CHECK(org.organisation == "KASW");
  CHECK(org.contact_person == "Grace Wanjiru");

  ResourceRequest r = good_request();
  r.organisation_name = "Kisumu\xE2\x80\x8B Youth";
  r.contact_name = nfd_nguyen;
  REQUIRE(describe(normalize_and_validate(r, kenya())).empty());
  CHECK(r.organisation_name == "Kisumu Youth");
  CHECK(r.contact_name == nguyen);

  TrainingEvent e = good_event();
  e.organiser = "East\xC2\xAD Africa office\xEF\xBB\xBF";
  REQUIRE(describe(normalize_and_validate(e)).empty());
  CHECK(e.organiser == "East Africa office");
}

TEST_CASE("member phone") {
  const TextCase cases[] = {
      {"+254 712 345 678", ""},
      {"0712 345 678", ""},
      {"00 44 20 7946 0958", ""},
      {"254712345678", ""},            // a spreadsheet's country code without '+'
      {"0712\u200b345\u00a0678", ""},  // a zero-width and a no-break space
      {"0712 34", "member.phone.too_few_digits"},
      {"0712 345 67A", "member.phone.not_a_number"},
      {"+999 1234 5678", "member.phone.unknown_country_code"},
      {"+254 7123 4567 8901 23", "member.phone.too_many_digits"},
      {"+254 012 345 678", "member.phone.invalid"},
      {"0712\x02"
       "345678",
       "member.phone.control_characters"},
      {"0712\xC3", "member.phone.invalid_utf8"},
  };
  check_member_text(good_individual(), &Member::phone, "phone", cases);

  SUBCASE("the phone is stored in E.164") {
    Member m = good_individual();
    m.phone = "0712 345 678";
    REQUIRE(normalize_and_validate(m, kenya()).empty());
    CHECK(m.phone == "+254712345678");
  }
  SUBCASE("the member's country comes before the event's") {
    // A Ugandan at a Kenyan event writes a Ugandan number.
    Member m = good_individual();
    m.country = "UG";
    m.phone = "0772 123456";
    REQUIRE(normalize_and_validate(m, kenya()).empty());
    CHECK(m.phone == "+256772123456");
  }
  SUBCASE("the event's country stands in for an unknown member country") {
    Member m = good_individual();
    m.country = "XX";
    m.phone = "0712 345 678";
    CHECK(describe(normalize_and_validate(m, kenya())) == "country=member.country.unknown_code");
    CHECK(m.phone == "+254712345678");
  }
  SUBCASE("the error quotes the number, made printable") {
    Member m = good_individual();
    m.phone = "0712 34\u202e";  // a right-to-left override is dropped first
    const FieldErrors errors = normalize_and_validate(m, kenya());
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].key == "member.phone.too_few_digits");
    CHECK(errors[0].value == "0712 34");
    m.phone = "0712 345 67\x1b";
    const FieldErrors control = normalize_and_validate(m, kenya());
    REQUIRE(control.size() == 1);
    CHECK(control[0].key == "member.phone.control_characters");
  }
  SUBCASE("without an event country the member's country is used") {
    Member m = good_individual();
    m.country = "gb";
    m.phone = "(020) 7946 0958";
    REQUIRE(normalize_and_validate(m, ValidationContext{"", 2026}).empty());
    CHECK(m.phone == "+442079460958");
  }
  SUBCASE("a national number with no country to read it by") {
    Member m = good_individual();
    m.country = "";
    m.phone = "0712 345 678";
    CHECK(describe(normalize_and_validate(m, ValidationContext{"", 2026})) ==
          "country=member.country.required, phone=member.phone.needs_country_code");
  }
  SUBCASE("e-mail alone is enough contact") {
    Member m = good_individual();
    m.phone = "";
    m.email = "amina@example.org";
    CHECK(describe(normalize_and_validate(m, kenya())) == "");
  }
  SUBCASE("spaces alone are no contact") {
    Member m = good_individual();
    m.phone = "   ";
    m.email = "\xC2\xA0";
    CHECK(describe(normalize_and_validate(m, kenya())) == "phone=member.contact.required");
  }
}

TEST_CASE("member e-mail") {
  const std::string long_local = repeat("a", 64);
  const std::string long_domain = repeat(repeat("d", 60) + ".", 3) + "org";  // 186 chars
  const TextCase cases[] = {
      {"amina@example.org", ""},
      {"Amina.Okafor@Example.ORG", ""},
      {"a.b+tag@mail.example.co.ke", ""},
      {"o'brien@ngo-network.org", ""},
      {"x@xn--p1ai.xn--p1ai", ""},
      {"name@münchen.de", ""},
      {"name@MÜNCHEN.DE", ""},
      {"name@xn--mnchen-3ya.de", ""},
      {"amina@\u200bexample.org\ufeff", ""},        // zero-width space, BOM
      {"amina\u00ad@exam\u200dple.org", ""},        // soft hyphen, zero-width joiner
      {"\u202aamina@example.org\u202c", ""},        // bidi embedding
      {"amina\u00a0@example.org", ""},              // no-break space
      {"amina@xn--zz.de", "member.email.invalid"},  // not punycode
      {"amina@m\u00fcnchen_x.de", "member.email.invalid"},
      {long_local + "@" + long_domain, ""},  // 251 characters
      {"amina@example", "member.email.invalid"},
      {"amina@@example.org", "member.email.invalid"},
      {"amina@home@example.org", "member.email.invalid"},
      {"amina okafor@example.org", "member.email.invalid"},
      {"amina@exa mple.org", "member.email.invalid"},
      {"@example.org", "member.email.invalid"},
      {"amina@", "member.email.invalid"},
      {"amina", "member.email.invalid"},
      {"amina@.example.org", "member.email.invalid"},
      {"amina@example.org.", "member.email.invalid"},
      {"amina@example..org", "member.email.invalid"},
      {"amina@-example.org", "member.email.invalid"},
      {"amina@example-.org", "member.email.invalid"},
      {"amina@exa_mple.org", "member.email.invalid"},
      {"amina@example.o", "member.email.invalid"},
      {"amina@10.0.0.1", "member.email.invalid"},
      {".amina@example.org", "member.email.invalid"},
      {"amina.@example.org", "member.email.invalid"},
      {"ami..na@example.org", "member.email.invalid"},
      {"ami(na)@example.org", "member.email.invalid"},
      {"jos\xC3\xA9@example.org", "member.email.invalid"},
      {long_local + "a@example.org", "member.email.invalid"},  // local part over 64
      {repeat("a", 64) + "@" + repeat(repeat("d", 62) + ".", 3) + "org",
       "member.email.too_long"},      // 257 characters
      {"amina@example.org\x0B", ""},  // a vertical tab is whitespace, trimmed away
      {"amina\x01@example.org", "member.email.control_characters"},
      {"amina@example.org\xE0\x80\x80", "member.email.invalid_utf8"},
  };
  check_member_text(good_individual(), &Member::email, "email", cases);

  Member m = good_individual();
  m.email = " Amina.Okafor@Example.ORG ";
  REQUIRE(normalize_and_validate(m, kenya()).empty());
  CHECK(m.email == "amina.okafor@example.org");

  // One stored form for an internationalised domain, however it was typed:
  // Unicode (U-labels), lower case, NFC.
  for (const std::string_view typed :
       {"Name@München.de", "name@MÜNCHEN.DE", "name@xn--mnchen-3ya.de", "name@mu\u0308nchen.de",
        "name@m\u00fc\u200bnchen.de"}) {
    CAPTURE(typed);
    m.email = typed;
    REQUIRE(normalize_and_validate(m, kenya()).empty());
    CHECK(m.email == "name@münchen.de");
  }

  m.email = "amina@@exa\u200bmple.org";
  const FieldErrors errors = normalize_and_validate(m, kenya());
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key == "member.email.invalid");
  CHECK(errors[0].value == "amina@@example.org");  // quoted without the invisible character
}

TEST_CASE("a domain already in plain form is kept as libidn2 keeps it") {
  // Lower-case domains skip libidn2; the same domain in capitals goes through
  // it, so each pair compares the short path with libidn2's own answer.
  const std::string label63(63, 'd');
  const std::vector<std::string> domains = {
      "example.org",
      "kasw.or.ke",
      "a.co",
      "mail.example.co.ke",
      "ngo-network.org",
      "x-y-z.example.org",
      "123.example.org",
      "4u.example",
      "example.123",
      "example",
      "example..org",
      "-example.org",
      "example-.org",
      "ab--cd.org",
      "xn--mnchen-3ya.de",
      "xn--zz.de",
      "example.o",
      label63 + ".org",
      label63 + "d.org",
      label63 + "." + label63 + "." + label63 + "." + std::string(61, 'e') + ".org"};
  for (const auto& domain : domains) {
    CAPTURE(domain);
    std::string upper = domain;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
    Member plain = good_individual();
    plain.email = "amina@" + domain;
    Member capitals = good_individual();
    capitals.email = "amina@" + upper;
    const auto plain_errors = normalize_and_validate(plain, kenya());
    const auto capital_errors = normalize_and_validate(capitals, kenya());
    // The errors quote what was typed, which differs in case: compare the rest.
    REQUIRE(plain_errors.size() == capital_errors.size());
    for (std::size_t i = 0; i < plain_errors.size(); ++i) {
      CHECK(plain_errors[i].field == capital_errors[i].field);
      CHECK(plain_errors[i].key == capital_errors[i].key);
    }
    if (plain_errors.empty()) CHECK(plain.email == capitals.email);
  }
}

TEST_CASE("member country") {
  const TextCase cases[] = {
      {"KE", ""},
      {"ke", ""},
      {" mz ", ""},
      {"", "member.country.required"},
      {"XX", "member.country.unknown_code"},
      {"UK", "member.country.unknown_code"},
      {"KEN", "member.country.unknown_code"},
      {"Kenya", "member.country.unknown_code"},
  };
  check_member_text(good_individual(), &Member::country, "country", cases);

  Member m = good_individual();
  m.country = " mz ";
  REQUIRE(normalize_and_validate(m, kenya()).empty());
  CHECK(m.country == "MZ");
}

TEST_CASE("member codes") {
  struct CodeCase {
    std::string Member::*member_field;
    std::string_view field;
    std::string input;
    std::string_view key;
  };
  const CodeCase cases[] = {
      {&Member::gender, "gender", "", ""},
      {&Member::gender, "gender", "prefer_not_to_say", ""},
      {&Member::gender, "gender", "Female", "member.gender.unknown_code"},
      {&Member::gender, "gender", "f", "member.gender.unknown_code"},
      {&Member::organisation_type, "organisation_type", "faith_based", ""},
      {&Member::organisation_type, "organisation_type", "NGO",
       "member.organisation_type.unknown_code"},
      {&Member::role, "role", "para_professional", ""},
      {&Member::role, "role", "social worker", "member.role.unknown_code"},
      {&Member::qualification, "qualification", "diploma", ""},
      {&Member::qualification, "qualification", "phd", "member.qualification.unknown_code"},
      {&Member::preferred_language, "preferred_language", "pt", ""},
      {&Member::preferred_language, "preferred_language", "de",
       "member.preferred_language.unknown_code"},
      {&Member::preferred_language, "preferred_language", "\xFF",
       "member.preferred_language.invalid_utf8"},
  };
  for (const CodeCase& c : cases) {
    Member m = good_individual();
    m.*c.member_field = c.input;
    CAPTURE(c.field);
    CAPTURE(c.input);
    CHECK(describe(normalize_and_validate(m, kenya())) == expect(c.field, c.key));
  }
}

TEST_CASE("member interest groups") {
  struct ListCase {
    std::vector<std::string> input;
    std::string_view key;
  };
  const ListCase cases[] = {
      {{}, ""},
      {{"child_protection"}, ""},
      {{"supervision", "social_protection", "supervision"}, ""},
      {{"knitting"}, "member.interest_groups.unknown_code"},
      {{"supervision", "Supervision"}, "member.interest_groups.unknown_code"},
      {{"supervision", "\xC0\xAF"}, "member.interest_groups.invalid_utf8"},
  };
  for (const ListCase& c : cases) {
    Member m = good_individual();
    m.interest_groups = c.input;
    CAPTURE(c.input.size());
    CHECK(describe(normalize_and_validate(m, kenya())) == expect("interest_groups", c.key));
  }
}

TEST_CASE("member numbers") {
  struct NumberCase {
    std::optional<int> Member::*member_field;
    std::string_view field;
    std::optional<int> input;
    std::string_view key;
  };
  const NumberCase cases[] = {
      {&Member::birth_year, "birth_year", std::nullopt, ""},
      {&Member::birth_year, "birth_year", 1926, ""},
      {&Member::birth_year, "birth_year", 2012, ""},
      {&Member::birth_year, "birth_year", 1925, "member.birth_year.out_of_range"},
      {&Member::birth_year, "birth_year", 2013, "member.birth_year.out_of_range"},
      {&Member::birth_year, "birth_year", 0, "member.birth_year.out_of_range"},
      {&Member::years_experience, "years_experience", std::nullopt, ""},
      {&Member::years_experience, "years_experience", 0, ""},
      {&Member::years_experience, "years_experience", 70, ""},
      {&Member::years_experience, "years_experience", -1, "member.years_experience.out_of_range"},
      {&Member::years_experience, "years_experience", 71, "member.years_experience.out_of_range"},
  };
  for (const NumberCase& c : cases) {
    Member m = good_individual();
    m.*c.member_field = c.input;
    CAPTURE(c.field);
    CAPTURE(c.input.value_or(-999));
    CHECK(describe(normalize_and_validate(m, kenya())) == expect(c.field, c.key));
  }

  SUBCASE("the birth-year bounds follow the current year") {
    Member m = good_individual();
    m.birth_year = 2012;
    CHECK(describe(normalize_and_validate(m, ValidationContext{"KE", 2025})) ==
          "birth_year=member.birth_year.out_of_range");
  }
}

TEST_CASE("member consent") {
  struct ConsentCase {
    MemberKind kind;
    bool given;
    std::string version;
    std::string_view key;
  };
  const ConsentCase cases[] = {
      {MemberKind::individual, true, "2026-01", ""},
      {MemberKind::individual, false, "2026-01", "member.consent.required"},
      {MemberKind::individual, true, "", "member.consent.required"},
      {MemberKind::individual, true, "  ", "member.consent.required"},
      {MemberKind::individual, false, "", "member.consent.required"},
      {MemberKind::organisation, false, "", ""},
  };
  for (const ConsentCase& c : cases) {
    Member m = c.kind == MemberKind::individual ? good_individual() : good_organisation();
    m.consent.given = c.given;
    m.consent.text_version = c.version;
    CAPTURE(c.given);
    CAPTURE(c.version);
    CHECK(describe(normalize_and_validate(m, kenya())) == expect("consent", c.key));
  }
}

TEST_CASE("id and reference code are left to the store") {
  Member m = good_individual();
  m.id = "";
  m.reference_code = "not a code!";
  CHECK(describe(normalize_and_validate(m, kenya())) == "");
  CHECK(m.reference_code == "not a code!");
}

TEST_CASE("training event fields") {
  struct EventCase {
    std::string TrainingEvent::*event_field;
    std::string_view field;
    std::string input;
    std::string_view key;
  };
  const EventCase cases[] = {
      {&TrainingEvent::name, "name", "Supervision webinar", ""},
      {&TrainingEvent::name, "name", "", "event.name.required"},
      {&TrainingEvent::name, "name", repeat("n", kMaxTextLength + 1), "event.name.too_long"},
      {&TrainingEvent::name, "name", "Training\xE2\x80\xAE", ""},  // the override is removed
      {&TrainingEvent::name, "name", "Training\x1B", "event.name.control_characters"},
      {&TrainingEvent::name, "name", "Training\xC0\xAF", "event.name.invalid_utf8"},
      {&TrainingEvent::place, "place", "", ""},
      {&TrainingEvent::country, "country", "sn", ""},
      {&TrainingEvent::country, "country", "", "event.country.required"},
      {&TrainingEvent::country, "country", "XK", "event.country.unknown_code"},
      {&TrainingEvent::start_date, "start_date", "2026-01-01", ""},
      {&TrainingEvent::start_date, "start_date", "", "event.start_date.required"},
      {&TrainingEvent::start_date, "start_date", "2026-02-29", "event.start_date.invalid"},
      {&TrainingEvent::start_date, "start_date", "1900-02-29", "event.start_date.invalid"},
      {&TrainingEvent::start_date, "start_date", "2026-13-01", "event.start_date.invalid"},
      {&TrainingEvent::start_date, "start_date", "2026-00-10", "event.start_date.invalid"},
      {&TrainingEvent::start_date, "start_date", "2026-01-00", "event.start_date.invalid"},
      {&TrainingEvent::start_date, "start_date", "2026-01-32", "event.start_date.invalid"},
      {&TrainingEvent::start_date, "start_date", "2026-3-2", "event.start_date.invalid"},
      {&TrainingEvent::start_date, "start_date", "2026/03/02", "event.start_date.invalid"},
      {&TrainingEvent::start_date, "start_date", "02-03-2026", "event.start_date.invalid"},
      {&TrainingEvent::start_date, "start_date", "2026-03-02T08:00", "event.start_date.invalid"},
      {&TrainingEvent::end_date, "end_date", "2026-03-02", ""},  // a one-day event
      {&TrainingEvent::end_date, "end_date", "2026-04-30", ""},
      {&TrainingEvent::end_date, "end_date", "2026-04-31", "event.end_date.invalid"},
      {&TrainingEvent::end_date, "end_date", "2026-03-01", "event.end_date.out_of_range"},
      {&TrainingEvent::end_date, "end_date", "2025-12-31", "event.end_date.out_of_range"},
      {&TrainingEvent::end_date, "end_date", "", "event.end_date.required"},
  };
  for (const EventCase& c : cases) {
    TrainingEvent e = good_event();
    e.*c.event_field = c.input;
    CAPTURE(c.field);
    CAPTURE(c.input);
    CHECK(describe(normalize_and_validate(e)) == expect(c.field, c.key));
  }
}

TEST_CASE("leap days") {
  struct DateCase {
    std::string_view date;
    bool valid;
  };
  const DateCase cases[] = {
      {"2024-02-29", true},  {"2028-02-29", true},  {"2000-02-29", true},  {"2026-02-28", true},
      {"2026-02-29", false}, {"2100-02-29", false}, {"1900-02-29", false}, {"2024-02-30", false},
  };
  for (const DateCase& c : cases) {
    Attendance a{"", "member-1", "event-1", std::string(c.date), "", "", false};
    CAPTURE(c.date);
    CHECK(normalize_and_validate(a).empty() == c.valid);
  }
}

TEST_CASE("a blank event gets every required error at once") {
  TrainingEvent e;
  CHECK(describe(normalize_and_validate(e)) ==
        "country=event.country.required, end_date=event.end_date.required, "
        "name=event.name.required, start_date=event.start_date.required");

  TrainingEvent good = good_event();
  good.country = "ke";
  REQUIRE(normalize_and_validate(good).empty());
  CHECK(good.country == "KE");
}

TEST_CASE("attendance") {
  Attendance blank;
  CHECK(describe(normalize_and_validate(blank)) ==
        "day=attendance.day.required, event_id=attendance.event_id.required, "
        "member_id=attendance.member_id.required");

  Attendance a{"", "member-1", "event-1", "2026-03-02", "", "", false};
  CHECK(describe(normalize_and_validate(a)) == "");
  a.day = "2026-03-32";
  CHECK(describe(normalize_and_validate(a)) == "day=attendance.day.invalid");
}

TEST_CASE("resource pack fields") {
  const std::string id_40 = repeat("A", 40);
  struct PackCase {
    std::string id;
    std::string title;
    std::vector<std::string> languages;
    std::string expected;
  };
  const PackCase cases[] = {
      {"CP-TOOLKIT-01", "Toolkit", {"en"}, ""},
      {"cp_toolkit_2", "Toolkit", {"EN", " pt "}, ""},
      {id_40, "Toolkit", {"en"}, ""},
      {id_40 + "B", "Toolkit", {"en"}, "id=pack.id.too_long"},
      {"", "Toolkit", {"en"}, "id=pack.id.required"},
      {"CP TOOLKIT", "Toolkit", {"en"}, "id=pack.id.invalid"},
      {"CP/01", "Toolkit", {"en"}, "id=pack.id.invalid"},
      {"CP.01", "Toolkit", {"en"}, "id=pack.id.invalid"},
      {"\xC3\x89"
       "01",
       "Toolkit",
       {"en"},
       "id=pack.id.invalid"},
      {"CP-01", "", {"en"}, "title=pack.title.required"},
      {"CP-01", repeat("t", kMaxTextLength + 1), {"en"}, "title=pack.title.too_long"},
      {"CP-01", "Toolkit", {}, "languages=pack.languages.required"},
      {"CP-01", "Toolkit", {" "}, "languages=pack.languages.required"},
      {"CP-01", "Toolkit", {"eng"}, "languages=pack.languages.invalid"},
      {"CP-01", "Toolkit", {"en", "f1"}, "languages=pack.languages.invalid"},
      {"",
       "",
       {},
       "id=pack.id.required, languages=pack.languages.required, "
       "title=pack.title.required"},
  };
  for (const PackCase& c : cases) {
    ResourcePack p = good_pack();
    p.id = c.id;
    p.title = c.title;
    p.languages = c.languages;
    CAPTURE(c.id);
    CAPTURE(c.title);
    CHECK(describe(normalize_and_validate(p)) == c.expected);
  }

  ResourcePack p = good_pack();
  p.languages = {"EN", " pt ", "en"};
  REQUIRE(normalize_and_validate(p).empty());
  CHECK(p.languages == std::vector<std::string>{"en", "pt"});
}

TEST_CASE("resource pack stock") {
  ResourcePack p = good_pack();
  p.stock = {{"Nairobi", 0}, {"Dakar", -1}, {"Maputo", 5}, {"Lusaka", -20}};
  CHECK(describe(normalize_and_validate(p)) ==
        "stock[1].quantity=pack.stock.out_of_range, stock[3].quantity=pack.stock.out_of_range");
}

TEST_CASE("a blank request gets every required error at once") {
  ResourceRequest r;
  CHECK(describe(normalize_and_validate(r, kenya())) ==
        "lines=request.lines.required, member_id=request.requester.required, "
        "office=request.office.required");
}

TEST_CASE("request requester and contact") {
  struct RequestCase {
    std::string member_id;
    std::string organisation_name;
    DeliveryPreference delivery;
    std::string email;
    std::string phone;
    std::string expected;
  };
  using D = DeliveryPreference;
  const RequestCase cases[] = {
      {"m-1", "", D::pickup, "", "", ""},
      {"", "Kisumu Youth Network", D::pickup, "", "", ""},
      {"", "", D::pickup, "", "", "member_id=request.requester.required"},
      {" ", "\xC2\xA0", D::pickup, "", "", "member_id=request.requester.required"},
      {"m-1", "", D::digital_link, "", "", ""},
      {"", "KYN", D::digital_link, "", "", "contact_email=request.contact_email.required"},
      {"", "KYN", D::digital_link, "kyn@example.org", "", ""},
      {"m-1", "", D::pickup, "kyn@example", "", "contact_email=request.contact_email.invalid"},
      {"m-1", "", D::pickup, "", "0712 345 678", ""},
      {"m-1", "", D::pickup, "", "0712", "contact_phone=request.contact_phone.too_few_digits"},
      {"m-1", "", D::pickup, "", "call me", "contact_phone=request.contact_phone.not_a_number"},
  };
  for (const RequestCase& c : cases) {
    ResourceRequest r = good_request();
    r.member_id = c.member_id;
    r.organisation_name = c.organisation_name;
    r.delivery = c.delivery;
    r.contact_email = c.email;
    r.contact_phone = c.phone;
    CAPTURE(c.member_id);
    CAPTURE(c.organisation_name);
    CAPTURE(c.email);
    CAPTURE(c.phone);
    CHECK(describe(normalize_and_validate(r, kenya())) == c.expected);
  }

  ResourceRequest r = good_request();
  r.contact_phone = "0712 345 678";
  r.contact_email = "KYN@Example.org";
  REQUIRE(normalize_and_validate(r, kenya()).empty());
  CHECK(r.contact_phone == "+254712345678");
  CHECK(r.contact_email == "kyn@example.org");
}

TEST_CASE("request lines") {
  struct LineCase {
    std::vector<RequestLine> lines;
    std::string expected;
  };
  const LineCase cases[] = {
      {{{"CP-01", 1}}, ""},
      {{{"CP-01", 1000}}, ""},
      {{}, "lines=request.lines.required"},
      {{{"CP-01", 0}}, "lines[0].quantity=request.quantity.out_of_range"},
      {{{"CP-01", -3}}, "lines[0].quantity=request.quantity.out_of_range"},
      {{{"CP-01", 1001}}, "lines[0].quantity=request.quantity.out_of_range"},
      {{{"", 1}}, "lines[0].pack_id=request.pack_id.required"},
      {{{"CP-01", 2}, {"CP-02", 3}, {"CP-03", 5000}},
       "lines[2].quantity=request.quantity.out_of_range"},
      {{{" ", 0}, {"CP-02", 1}},
       "lines[0].pack_id=request.pack_id.required, "
       "lines[0].quantity=request.quantity.out_of_range"},
  };
  for (const LineCase& c : cases) {
    ResourceRequest r = good_request();
    r.lines = c.lines;
    CAPTURE(c.lines.size());
    CHECK(describe(normalize_and_validate(r, kenya())) == c.expected);
  }
}

TEST_CASE("request delivery address and office") {
  struct DeliveryCase {
    DeliveryPreference delivery;
    std::string address;
    std::string office;
    std::string expected;
  };
  using D = DeliveryPreference;
  const DeliveryCase cases[] = {
      {D::pickup, "", "Nairobi", ""},
      {D::delivery, "P.O. Box 123, Kisumu", "Nairobi", ""},
      {D::delivery, "", "Nairobi", "delivery_address=request.delivery_address.required"},
      {D::delivery, "  ", "Nairobi", "delivery_address=request.delivery_address.required"},
      {D::delivery, repeat("x", kMaxAddressLength), "Nairobi", ""},
      {D::delivery, repeat("x", kMaxAddressLength + 1), "Nairobi",
       "delivery_address=request.delivery_address.too_long"},
      {D::pickup, "", "", "office=request.office.required"},
      {D::delivery, "", "",
       "delivery_address=request.delivery_address.required, "
       "office=request.office.required"},
  };
  for (const DeliveryCase& c : cases) {
    ResourceRequest r = good_request();
    r.delivery = c.delivery;
    r.delivery_address = c.address;
    r.office = c.office;
    CAPTURE(static_cast<int>(c.delivery));
    CAPTURE(c.address);
    CHECK(describe(normalize_and_validate(r, kenya())) == c.expected);
  }
}
