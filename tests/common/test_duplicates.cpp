// The duplicate rule (model::assess_duplicate), its labelled set, and the store's lookup.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/duplicates.hpp"
#include "common/model/validation.hpp"
#include "common/store/store.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;
using model::DuplicateReason;

namespace {

model::Member person(std::string given, std::string family, std::string organisation,
                     std::string phone = {}, std::string email = {}) {
  model::Member m;
  m.given_name = std::move(given);
  m.family_name = std::move(family);
  m.organisation = std::move(organisation);
  m.phone = std::move(phone);
  m.email = std::move(email);
  return m;
}

bool has(const model::DuplicateAssessment& a, model::DuplicateSignal s) {
  return std::find(a.reasons.begin(), a.reasons.end(), s) != a.reasons.end();
}

// One line of tests/data/duplicate_pairs.txt.
struct LabelledPair {
  bool same = false;
  std::string label;
  model::Member a, b;
};

model::Member member_from(const std::vector<std::string>& f, std::size_t at) {
  model::Member m;
  m.given_name = f[at];
  m.family_name = f[at + 1];
  m.organisation = f[at + 2];
  m.phone = f[at + 3];
  m.email = f[at + 4];
  if (!f[at + 5].empty()) m.birth_year = std::stoi(f[at + 5]);
  m.gender = f[at + 6];
  if (m.given_name.empty() && m.family_name.empty()) m.kind = model::MemberKind::organisation;
  return m;
}

// The |-separated fields of a line, empty ones kept (util::split drops them).
std::vector<std::string> fields_of(std::string_view line) {
  std::vector<std::string> fields(1);
  for (const char c : line) {
    if (c == '|') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

std::vector<LabelledPair> labelled_pairs() {
  std::ifstream in(std::string(ALLIANCE_SOURCE_DIR) + "/tests/data/duplicate_pairs.txt");
  REQUIRE(in.good());
  std::vector<LabelledPair> pairs;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() == '#') continue;
    const auto f = fields_of(line);
    REQUIRE_MESSAGE(f.size() == 16, line);
    REQUIRE((f[0] == "same" || f[0] == "different"));
    pairs.push_back({f[0] == "same", f[1], member_from(f, 2), member_from(f, 9)});
  }
  return pairs;
}

double ratio(int num, int den) {
  return den == 0 ? 1.0 : static_cast<double>(num) / den;
}

}  // namespace

TEST_CASE("the duplicate rule: a name must match, phone, e-mail, organisation and year weigh") {
  using model::DuplicateSignal;
  using model::DuplicateVerdict;
  const auto amina = person("Amina", "Wanjiru", "Child Welfare Society", "+254712345678");

  // The same name and phone: likely, and strong enough for the public desk.
  auto a = model::assess_duplicate(amina, person("AMINA", "wanjiru", "", "+254712345678"));
  CHECK(a.verdict == DuplicateVerdict::likely);
  CHECK(a.public_offer);
  CHECK(has(a, DuplicateSignal::name_same));
  CHECK(has(a, DuplicateSignal::phone_same));

  // Swapped, variant and one typo still match, with their reasons.
  a = model::assess_duplicate(amina, person("Wanjiru", "Amina", "", "+254712345678"));
  CHECK(has(a, DuplicateSignal::name_swapped));
  CHECK(a.public_offer);
  a = model::assess_duplicate(person("Mohammed", "Hassan", "", "+254711000009"),
                              person("Muhammad", "Hassan", "", "+254711000009"));
  CHECK(has(a, DuplicateSignal::name_variant));
  CHECK(a.verdict == DuplicateVerdict::likely);
  a = model::assess_duplicate(person("John", "Mwangi", "", "+254722000005"),
                              person("Jonh", "Mwangi", "", "+254722000005"));
  CHECK(has(a, DuplicateSignal::name_typo));
  CHECK(a.verdict == DuplicateVerdict::likely);

  // "MoH" is the initials of "Ministry of Health".
  a = model::assess_duplicate(person("Peter", "Kamau", "MoH"),
                              person("Peter", "Kamau", "Ministry of Health"));
  CHECK(has(a, DuplicateSignal::organisation_same));
  CHECK(a.verdict == DuplicateVerdict::possible);
  CHECK_FALSE(a.public_offer);  // no phone or e-mail in common: never on the public desk

  // A household: same phone and family name, another given name.
  a = model::assess_duplicate(amina, person("Peter", "Wanjiru", "", "+254712345678"));
  CHECK(a.verdict == DuplicateVerdict::different);
  CHECK(has(a, DuplicateSignal::family_only));
  CHECK(has(a, DuplicateSignal::shared_contact));
  // Same name and phone but birth years a generation apart: parent and child.
  auto parent = person("John", "Mwangi", "", "+254712000020");
  auto child = parent;
  parent.birth_year = 1960;
  child.birth_year = 1994;
  a = model::assess_duplicate(parent, child);
  CHECK(has(a, DuplicateSignal::birth_year_other));
  CHECK(a.verdict != DuplicateVerdict::likely);
  CHECK_FALSE(a.public_offer);
  // Namesakes at one ministry with their own phones.
  a = model::assess_duplicate(person("John", "Mwangi", "Ministry of Health", "+254722000025"),
                              person("John", "Mwangi", "Ministry of Health", "+254799000025"));
  CHECK(a.verdict == DuplicateVerdict::different);
  CHECK(has(a, DuplicateSignal::phone_other));

  // Symmetric.
  const auto x = person("Maria", "Silva", "MISAU", "+258840400006");
  const auto y = person("Maria", "da Silva Santos", "Ministério da Saúde", "+258840400006");
  CHECK(model::assess_duplicate(x, y).score == model::assess_duplicate(y, x).score);
}

TEST_CASE("duplicate_reason: likely duplicates only, never voided, never the record itself") {
  auto existing = test::sample_member(1);
  existing.id = "existing";
  auto typed = test::sample_member(2);  // another phone, e-mail and name
  CHECK_FALSE(model::duplicate_reason(typed, existing));

  // The same name and phone, or name and e-mail.
  auto same = typed;
  same.given_name = "JOSE";  // existing: José Wanjiru
  same.family_name = existing.family_name;
  same.phone = existing.phone;
  CHECK(model::duplicate_reason(same, existing) == DuplicateReason::phone);
  CHECK(model::public_duplicate_reason(same, existing) == DuplicateReason::phone);
  same.phone = typed.phone;
  same.email = existing.email;
  CHECK(model::duplicate_reason(same, existing) == DuplicateReason::email);
  // A phone in common with someone else's name is a household, not a duplicate.
  auto household = typed;
  household.phone = existing.phone;
  CHECK_FALSE(model::duplicate_reason(household, existing));
  // The same name in the same organisation with the same birth year and no
  // contact in common: likely for the import, not for the public desk.
  auto same_name = typed;
  same_name.given_name = existing.given_name;
  same_name.family_name = existing.family_name;
  same_name.phone.clear();
  same_name.email.clear();
  same_name.birth_year = existing.birth_year = 1990;
  CHECK(model::duplicate_reason(same_name, existing) == DuplicateReason::name_and_organisation);
  CHECK_FALSE(model::public_duplicate_reason(same_name, existing));

  auto same_phone = same;
  same_phone.phone = existing.phone;
  existing.voided = true;
  CHECK_FALSE(model::duplicate_reason(same_phone, existing));
  existing.voided = false;
  same_phone.id = existing.id;
  CHECK_FALSE(model::duplicate_reason(same_phone, existing));
}

TEST_CASE("edit distance and variant keys stay bounded and join the usual spellings") {
  CHECK(model::bounded_edit_distance("mwangi", "mwangi", 2) == 0);
  CHECK(model::bounded_edit_distance("john", "jonh", 2) == 1);  // a transposition is one slip
  CHECK(model::bounded_edit_distance("kiprotich", "kiprotic", 2) == 1);
  CHECK(model::bounded_edit_distance("amina", "bartholomew", 2) == 3);  // stops early
  for (const char* spelling : {"mohammed", "muhammad", "mohamed", "mohammad", "muhamad"}) {
    CHECK(model::name_variant_key(spelling) == "umhmd");
  }
  CHECK(model::name_variant_key("fatuma") == model::name_variant_key("fatima"));
  CHECK(model::name_variant_key("yusuf") == model::name_variant_key("youssef"));
  CHECK(model::name_variant_key("othman") == model::name_variant_key("usman"));
  CHECK(model::name_variant_key("hassan") != model::name_variant_key("hussein"));
}

TEST_CASE("the labelled duplicate set: precision, recall and the public false-match rate") {
  const auto pairs = labelled_pairs();
  REQUIRE(pairs.size() >= 150);
  int same = 0, different = 0, flagged_true = 0, flagged_false = 0, likely_true = 0,
      likely_false = 0, public_true = 0, public_false = 0, f4 = 0, f4_right = 0;
  for (const auto& p : pairs) {
    const auto a = model::assess_duplicate(p.a, p.b);
    const auto b = model::assess_duplicate(p.b, p.a);
    CHECK_MESSAGE(a.score == b.score, p.label);  // symmetric
    const bool flagged = a.verdict != model::DuplicateVerdict::different;
    const bool likely = a.verdict == model::DuplicateVerdict::likely;
    (p.same ? same : different) += 1;
    (p.same ? flagged_true : flagged_false) += flagged ? 1 : 0;
    (p.same ? likely_true : likely_false) += likely ? 1 : 0;
    (p.same ? public_true : public_false) += a.public_offer ? 1 : 0;
    if (flagged != p.same || (a.public_offer && !p.same)) {
      MESSAGE(p.label, std::string(p.same ? " (same) missed" : " (different) flagged"), ", score ",
              a.score, std::string(a.public_offer ? ", public offer" : ""));
    }
    if (p.label.starts_with("f4-")) {
      ++f4;
      // Finding 4's pairs: a same person is flagged; different people are
      // never likely (neither the desk nor the import may merge them).
      const bool right = p.same ? flagged : !likely && !a.public_offer;
      f4_right += right ? 1 : 0;
      CHECK_MESSAGE(right, p.label);
    }
  }
  const double precision = ratio(flagged_true, flagged_true + flagged_false);
  const double recall = ratio(flagged_true, same);
  const double likely_precision = ratio(likely_true, likely_true + likely_false);
  const double likely_recall = ratio(likely_true, same);
  const double public_false_rate = ratio(public_false, different);
  const double public_recall = ratio(public_true, same);
  MESSAGE("duplicate set: ", pairs.size(), " pairs (", same, " same, ", different,
          " different); finding-4 pairs right: ", f4_right, "/", f4);
  MESSAGE("possible or likely: precision ", precision, ", recall ", recall);
  MESSAGE("likely (import): precision ", likely_precision, ", recall ", likely_recall);
  MESSAGE("public desk offer: false-match rate ", public_false_rate, " (", public_false, "/",
          different, "), recall ", public_recall);
  CHECK(f4 == 26);
  CHECK(f4_right == f4);
  CHECK(precision >= 0.95);
  CHECK(recall >= 0.90);
  CHECK(likely_precision >= 0.98);
  CHECK(public_false == 0);
}

TEST_CASE(
    "the store offers likely duplicates, phone and e-mail matches first, never voided or a "
    "household") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  // Two records of one name with their own phone and e-mail; a household
  // member sharing the first one's phone.
  auto first = s.register_member(test::sample_member(1), test::kenya_context());
  auto second_record = test::sample_member(2);
  second_record.given_name = "José";
  auto second = s.register_member(second_record, test::kenya_context());
  auto household = test::sample_member(4);
  household.phone = test::sample_member(1).phone;
  REQUIRE(first.has_value());
  REQUIRE(second.has_value());
  REQUIRE(s.register_member(household, test::kenya_context()).has_value());

  auto typed = test::sample_member(3);
  typed.given_name = "Jose";
  typed.family_name = first->member.family_name;
  typed.phone = first->member.phone;
  typed.email = second->member.email;
  REQUIRE(model::normalize_and_validate(typed, test::kenya_context()).empty());
  auto found = s.possible_duplicates(typed, "KE");
  REQUIRE(found.size() == 2);
  CHECK(found[0].id == first->member.id);
  CHECK(found[1].id == second->member.id);

  REQUIRE(s.void_member(first->member.id, "test"));
  found = s.possible_duplicates(typed, "KE");
  REQUIRE(found.size() == 1);
  CHECK(found[0].id == second->member.id);
}

TEST_CASE("a registration deletes its form's draft in its own transaction") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  s.save_draft("registration", R"({"given_name":"Amina"})");

  // Invalid: nothing is written and the draft stays for another try.
  auto invalid = test::sample_member(1);
  invalid.consent.given = false;
  CHECK_FALSE(s.register_member(invalid, test::kenya_context(), {}, {}, "registration"));
  CHECK(s.load_draft("registration").has_value());

  // The draft's deletion fails after the member was written: both roll back.
  s.db().exec(
      "CREATE TEMP TRIGGER refuse_draft_delete BEFORE DELETE ON main.drafts "
      "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
  CHECK_THROWS(
      s.register_member(test::sample_member(1), test::kenya_context(), {}, {}, "registration"));
  CHECK(s.load_draft("registration").has_value());
  CHECK(s.member_count() == 0);
  CHECK(s.queue_counts().pending == 0);
  s.db().exec("DROP TRIGGER refuse_draft_delete");

  REQUIRE(s.register_member(test::sample_member(1), test::kenya_context(), {}, {}, "registration"));
  CHECK_FALSE(s.load_draft("registration").has_value());
  CHECK(s.member_count() == 1);
}
