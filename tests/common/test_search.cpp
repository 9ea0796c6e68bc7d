// Member search by reference code, phone, e-mail and name, as a person types.
#include <doctest/doctest.h>

#include "common/model/search.hpp"
#include "common/model/text.hpp"
#include "common/store/store.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;

namespace {

struct SearchFixture {
  test::TempDir dir;
  store::Store s = store::Store::open(dir / "kiosk.db");
  model::Member jose;
  model::Member olga;

  SearchFixture() {
    for (int i = 0; i < 40; ++i) {
      REQUIRE(s.register_member(test::sample_member(i), test::kenya_context()).has_value());
    }
    auto m = test::sample_member(1000);
    m.given_name = "José";
    m.family_name = "Ñúñez Castaño";
    m.phone = "0799 123 456";
    m.email = "Jose.Nunez@Example.ORG";
    jose = s.register_member(m, test::kenya_context())->member;
    m = test::sample_member(1001);
    m.given_name = "Ольга";
    m.family_name = "Петренко";
    olga = s.register_member(m, test::kenya_context())->member;
  }

  bool finds(std::string_view query, const model::Member& who, store::MatchKind kind) {
    for (const auto& hit : s.search_members(query, 20, "KE")) {
      if (hit.member.id == who.id) return hit.matched_by == kind;
    }
    return false;
  }
};

}  // namespace

TEST_CASE("search finds a member by reference code, whole or typed in part") {
  SearchFixture f;
  const std::string code = f.jose.reference_code;
  CHECK(f.finds(code, f.jose, store::MatchKind::reference_code));
  std::string lower = code;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(f.finds(lower, f.jose, store::MatchKind::reference_code));
  CHECK(f.finds(code.substr(0, 4), f.jose, store::MatchKind::reference_code));
  CHECK(f.finds(code.substr(0, 8), f.jose, store::MatchKind::reference_code));  // past the dash
}

TEST_CASE("search finds a member by phone in national or international form") {
  SearchFixture f;
  CHECK(f.finds("0799123456", f.jose, store::MatchKind::phone));
  CHECK(f.finds("+254 799 123 456", f.jose, store::MatchKind::phone));
  CHECK(f.finds("0799 12", f.jose, store::MatchKind::phone));
  CHECK_FALSE(f.finds("0788", f.jose, store::MatchKind::phone));
}

TEST_CASE("search finds a member by e-mail regardless of case") {
  SearchFixture f;
  CHECK(f.finds("jose.nunez@example.org", f.jose, store::MatchKind::email));
  CHECK(f.finds("JOSE.NUNEZ@", f.jose, store::MatchKind::email));
  CHECK_FALSE(f.finds("jose.nunez@other.org", f.jose, store::MatchKind::email));
}

TEST_CASE("search finds names without accents, in part, and in Cyrillic") {
  SearchFixture f;
  CHECK(f.finds("jose", f.jose, store::MatchKind::name));
  CHECK(f.finds("Jo", f.jose, store::MatchKind::name));
  CHECK(f.finds("nunez", f.jose, store::MatchKind::name));
  CHECK(f.finds("castano jos", f.jose, store::MatchKind::name));
  CHECK(f.finds("ольга", f.olga, store::MatchKind::name));
  CHECK(f.finds("ПЕТРЕН", f.olga, store::MatchKind::name));
  CHECK_FALSE(f.finds("nunes", f.jose, store::MatchKind::name));
}

TEST_CASE("voided members and empty queries give no results and limits are kept") {
  SearchFixture f;
  CHECK(f.s.search_members("   ").empty());
  CHECK(f.s.search_members("wanjiru", 3).size() == 3);
  REQUIRE(f.s.void_member(f.jose.id, "duplicate"));
  CHECK_FALSE(f.finds("jose", f.jose, store::MatchKind::name));
  CHECK_FALSE(f.finds(f.jose.reference_code, f.jose, store::MatchKind::reference_code));
}

TEST_CASE("edits keep the search index in step") {
  SearchFixture f;
  auto edited = f.jose;
  edited.family_name = "Fernández";
  REQUIRE(f.s.update_member(edited, test::kenya_context()).has_value());
  CHECK(f.finds("fernandez", f.jose, store::MatchKind::name));
  CHECK_FALSE(f.finds("castano", f.jose, store::MatchKind::name));
}

namespace {

std::vector<std::string> names_found(store::Store& s, std::string_view query) {
  std::vector<std::string> names;
  for (const auto& hit : s.search_members(query, 20, "KE")) {
    names.push_back(hit.member.display_name());
  }
  return names;
}

model::Member named(int n, std::string given, std::string family) {
  auto m = test::sample_member(n);
  m.given_name = std::move(given);
  m.family_name = std::move(family);
  return m;
}

}  // namespace

TEST_CASE("the person whose whole name was typed comes first, in any word order") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  // Saved so that name order alone would put the others first.
  int n = 0;
  for (const auto& [given, family] : std::vector<std::pair<std::string, std::string>>{
           {"Adriana", "Silva"}, {"Ana", "Silvana"}, {"Ana", "Silva"}, {"Mariana", "Silva"}}) {
    REQUIRE(s.register_member(named(++n, given, family), test::kenya_context()).has_value());
  }
  CHECK(names_found(s, "ana silva").front() == "Ana Silva");
  CHECK(names_found(s, "Silva Ana").front() == "Ana Silva");
  CHECK(names_found(s, "SILVA, ana").front() == "Ana Silva");
  // Whole words before words that merely start with what was typed.
  CHECK(names_found(s, "silva") ==
        std::vector<std::string>{"Adriana Silva", "Ana Silva", "Mariana Silva", "Ana Silvana"});
}

TEST_CASE("a name must hold every word typed, short ones too") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  REQUIRE(s.register_member(named(1, "Hà", "Nguyễn Thị"), test::kenya_context()).has_value());
  REQUIRE(s.register_member(named(2, "Hoa", "Nguyễn Thị"), test::kenya_context()).has_value());
  CHECK(names_found(s, "nguyen thi ha") == std::vector<std::string>{"Hà Nguyễn Thị"});
  CHECK(names_found(s, "nguyen thi") ==
        std::vector<std::string>{"Hà Nguyễn Thị", "Hoa Nguyễn Thị"});
}

TEST_CASE("names in other scripts are found by their Latin spelling, and the other way round") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  REQUIRE(s.register_member(named(1, "አበበ", "ቢቂላ"), test::kenya_context()).has_value());
  REQUIRE(s.register_member(named(2, "伟", "张"), test::kenya_context()).has_value());
  REQUIRE(s.register_member(named(3, "Aleksandra", "Ivanova"), test::kenya_context()).has_value());
  CHECK(names_found(s, "abebe") == std::vector<std::string>{"አበበ ቢቂላ"});
  CHECK(names_found(s, "张伟") == std::vector<std::string>{"伟 张"});  // family name first
  CHECK(names_found(s, "zhang wei") == std::vector<std::string>{"伟 张"});
  CHECK(names_found(s, "Александра") == std::vector<std::string>{"Aleksandra Ivanova"});
}

TEST_CASE("the kiosk's and the console's searches read typed text by one rule") {
  CHECK(model::looks_like_phone("0799 123 456"));
  CHECK(model::looks_like_phone("+254 (0) 799-123.456"));
  CHECK_FALSE(model::looks_like_phone("12"));
  CHECK_FALSE(model::looks_like_phone("0799a123"));

  CHECK(model::reference_code_symbols(" ab3k-9x ") == "AB3K9X");
  CHECK(model::could_be_reference_code("AB3K"));
  CHECK(model::could_be_reference_code("AB3K9XYZ22"));
  CHECK_FALSE(model::could_be_reference_code("AB3"));          // too short to tell
  CHECK_FALSE(model::could_be_reference_code("AB3K9XYZ223"));  // longer than any code
  CHECK_FALSE(model::could_be_reference_code("AB1K"));         // 1 is not in the alphabet

  auto person = test::sample_member(1);
  person.given_name = "José";
  person.family_name = "Ñúñez";
  CHECK(model::member_name_key(person) == model::fold_for_search("José Ñúñez"));
  person.kind = model::MemberKind::organisation;
  person.organisation = "Žena Group";
  person.contact_person = "Ana";
  CHECK(model::member_name_key(person) == model::fold_for_search("Žena Group Ana"));
}
