// Importing organisers' pre-registration lists: all rows good, or nothing imported.
#include <doctest/doctest.h>

#include <sstream>

#include "common/protocol/codec.hpp"
#include "common/store/store.hpp"
#include "common/util/csv.hpp"
#include "kiosk/core/import_members.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;

namespace {

std::int64_t count(store::Store& s, const std::string& sql) {
  auto q = s.db().query(sql);
  q.step();
  return q.int64(0);
}

kiosk::ImportReport import_text(store::Store& s, const std::string& text) {
  std::istringstream in(text);
  return kiosk::import_members(s, in, test::kenya_context());
}

bool has_problem(const std::vector<kiosk::ImportProblem>& problems, const std::string& text) {
  for (const auto& p : problems) {
    if (p.to_string() == text) return true;
  }
  return false;
}

const std::string kHeader =
    "given_name,family_name,phone,email,country,organization,role,consent\n";

}  // namespace

TEST_CASE("import saves three good rows with one outbox change each") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto report = import_text(
      s, kHeader +
             "Amina,Wanjiru,0712 345 678,amina@example.org,ke,Child Welfare Society,Social "
             "worker,yes\n"
             "\"Okafor, Jr\",Chidi,+234 803 123 4567,,NG,,case_manager,TRUE\n"
             "José,Núñez,,JOSE@EXAMPLE.ORG,MZ,\"Org \"\"A\"\"\",,1\n");
  INFO(report.summary());
  REQUIRE(report.ok());
  CHECK(report.rows == 3);
  CHECK(report.imported == 3);
  CHECK(report.summary() == "Read as UTF-8, cells separated by commas.\nImported 3 members.");
  CHECK(s.member_count() == 3);
  CHECK(count(s, "SELECT count(*) FROM outbox WHERE entity = 'member' AND op = 'create'") == 3);

  auto amina = s.search_members("+254712345678", 5);
  REQUIRE(amina.size() == 1);
  const auto& m = amina[0].member;
  CHECK(m.given_name == "Amina");
  CHECK(m.country == "KE");
  CHECK(m.role == "social_worker");
  CHECK(m.organisation == "Child Welfare Society");
  CHECK(m.consent.given);
  CHECK(m.consent.text_version == kiosk::kImportConsentVersion);
  CHECK_FALSE(m.consent.given_at.empty());
  const auto changes = s.changes_for(m.id);
  REQUIRE(changes.size() == 1);
  auto decoded = protocol::decode_change(changes[0].payload);
  REQUIRE(decoded.has_value());
  CHECK(std::get<model::Member>(decoded->record).phone == "+254712345678");

  auto jose = s.search_members("jose@example.org", 5);
  REQUIRE(jose.size() == 1);
  CHECK(jose[0].member.organisation == "Org \"A\"");
}

TEST_CASE("import with one bad row on line 4 imports nothing") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto report = import_text(s, kHeader +
                                         "Amina,Wanjiru,+254712345678,,KE,,,yes\n"
                                         "Chidi,Okafor,+254712345679,,KE,,,yes\n"
                                         "Kofi,Mensah,12,,KE,,,yes\n"
                                         "Olga,Ivanova,+254712345670,,KE,,,yes\n");
  REQUIRE_FALSE(report.ok());
  CHECK(report.imported == 0);
  REQUIRE(report.errors.size() == 1);
  CHECK(report.errors[0].line == 4);
  CHECK(report.errors[0].to_string() == "line 4: phone: member.phone.too_few_digits");
  // The value as typed and the model's text, which says what to do.
  CHECK(report.summary().find("\nLine 4, column “phone”, value “12”: ") != std::string::npos);
  CHECK(report.summary().find("\nNothing was imported: 1 problem found.") != std::string::npos);
  CHECK(s.member_count() == 0);
  CHECK(count(s, "SELECT count(*) FROM members") == 0);
  CHECK(count(s, "SELECT count(*) FROM outbox") == 0);
}

TEST_CASE("import reports every problem with the line of each record") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto report = import_text(s,
                                  "given_name,family_name,phone,country,consent,birth_year\n"
                                  "\"Amina\nMultiline\",Wanjiru,+254712345678,KE,maybe,19x0\n"
                                  "\n"
                                  ",Okafor,+254712345679,XX,no,1990\n");
  REQUIRE_FALSE(report.ok());
  CHECK(report.rows == 2);
  CHECK(has_problem(report.errors, "line 2: consent: import.yes_no.invalid"));
  CHECK(has_problem(report.errors, "line 2: birth_year: member.birth_year.invalid"));
  CHECK(has_problem(report.errors, "line 5: given_name: member.given_name.required"));
  CHECK(has_problem(report.errors, "line 5: country: import.country.unknown"));
  CHECK(has_problem(report.errors, "line 5: consent: member.consent.required"));
  CHECK(count(s, "SELECT count(*) FROM members") == 0);
}

TEST_CASE("import header names are case insensitive and accept both spellings") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto report = import_text(
      s,
      "\xEF\xBB\xBFGiven Name,FAMILY_NAME,Phone,E-mail,Country,ORGANIZATION,Role,Consent,"
      "Organisation_Type,Gender,Birth_Year,Years_Experience,Qualification,Region,E_Updates,"
      "Interest_Groups\r\n"
      "Amina,Wanjiru,0712345678,,KE,CWS,,Yes,NGO,Female,1990,7,Bachelor,Nairobi,Y,"
      "child_protection;case_management\r\n");
  INFO(report.summary());
  REQUIRE(report.ok());
  CHECK(report.imported == 1);
  auto hits = s.search_members("+254712345678", 5);
  REQUIRE(hits.size() == 1);
  const auto& m = hits[0].member;
  CHECK(m.organisation == "CWS");
  CHECK(m.organisation_type == "ngo");
  CHECK(m.gender == "female");
  CHECK(m.birth_year == 1990);
  CHECK(m.years_experience == 7);
  CHECK(m.qualification == "bachelor");
  CHECK(m.region == "Nairobi");
  CHECK(m.e_updates);
  CHECK(m.interest_groups == std::vector<std::string>{"child_protection", "case_management"});
  CHECK(m.consent.given);
}

TEST_CASE("import reads a semicolon separated file") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto report = import_text(s,
                                  "given_name;family_name;email;country;organisation;consent\n"
                                  "Ana;Silva;ana@example.org;MZ;Org, Lda;sim\n"
                                  "Kofi;Mensah;kofi@example.org;GH;;n\n");
  REQUIRE_FALSE(report.ok());
  CHECK(report.errors.size() == 1);  // "sim" is yes
  CHECK(has_problem(report.errors, "line 3: consent: member.consent.required"));

  const auto good = import_text(s,
                                "given_name;family_name;email;country;organisation;consent\n"
                                "Ana;Silva;ana@example.org;MZ;Org, Lda;1\n");
  REQUIRE(good.ok());
  auto hits = s.search_members("ana@example.org", 5);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].member.organisation == "Org, Lda");
}

TEST_CASE("import names a missing required column") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto report = import_text(s,
                                  "given_name,phone,country,organisation\n"
                                  "Amina,+254712345678,KE,CWS\n");
  REQUIRE_FALSE(report.ok());
  CHECK(has_problem(report.errors, "line 1: family_name: import.column.missing.family_name"));
  CHECK(has_problem(report.errors, "line 1: consent: import.column.missing.consent"));
  CHECK(report.errors.size() == 2);

  const auto no_contact =
      import_text(s, "given_name,family_name,country,consent\nAmina,Wanjiru,KE,yes\n");
  REQUIRE_FALSE(no_contact.ok());
  CHECK(
      has_problem(no_contact.errors, "line 1: phone, email: import.column.missing.phone_or_email"));
  CHECK(count(s, "SELECT count(*) FROM members") == 0);
}

TEST_CASE("import reads past unknown columns, naming them, and refuses repeated ones") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto report = import_text(s,
                                  "given_name,family_name,phone,country,consent,Organisatoin,"
                                  "Phone\n"
                                  "Amina,Wanjiru,+254712345678,KE,yes,CWS,+254712345678\n");
  REQUIRE_FALSE(report.ok());
  CHECK(has_problem(report.warnings, "line 1: Organisatoin: import.column.ignored"));
  CHECK(has_problem(report.errors, "line 1: Phone: import.column.duplicate"));
  CHECK(report.errors.size() == 1);
  CHECK(report.summary().find("Column “Organisatoin” is not a member field and was ignored.") !=
        std::string::npos);
  CHECK(report.summary().find("Columns “phone” and “Phone” hold the same field.") !=
        std::string::npos);
  CHECK(count(s, "SELECT count(*) FROM members") == 0);
}

TEST_CASE("import of an empty file or a header alone says so") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  for (const std::string text : {"", "\xEF\xBB\xBF", "\n\n", ",,\n"}) {
    const auto report = import_text(s, text);
    REQUIRE(report.errors.size() == 1);
    CHECK(report.errors[0].to_string() == "file: import.file.empty");
  }
  const auto header_only = import_text(s, kHeader + "\n,,,,,,,\n");
  REQUIRE(header_only.errors.size() == 1);
  CHECK(header_only.errors[0].to_string() == "file: import.file.no_rows");
  CHECK(header_only.rows == 0);
}

TEST_CASE("import reports broken quoting with its line") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto report = import_text(s, kHeader + "Amina,\"Wanjiru,+254712345678,,KE,,,yes\n");
  REQUIRE(report.errors.size() == 1);
  CHECK(report.errors[0].to_string() == "line 2: csv.quote_not_closed");
}

TEST_CASE("import refuses cells beyond the header") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto report = import_text(s, kHeader + "Amina,Wanjiru,+254712345678,,KE,,,yes,extra\n");
  REQUIRE_FALSE(report.ok());
  CHECK(has_problem(report.errors, "line 2: column 9: import.row.too_many_cells"));
  const auto trailing = import_text(s, kHeader + "Amina,Wanjiru,+254712345678,,KE,,,yes,,\n");
  CHECK(trailing.ok());
}

TEST_CASE("importing the same file twice adds nobody the second time") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const std::string file = kHeader +
                           "Amina,Wanjiru,+254712345678,,KE,,,yes\n"
                           "Chidi,Okafor,,chidi@example.org,NG,,,yes\n"
                           "amina,WANJIRU,0712 345 678,,KE,,,yes\n";
  const auto first = import_text(s, file);
  REQUIRE(first.ok());
  CHECK(first.imported == 2);
  REQUIRE(first.skipped.size() == 1);
  CHECK(first.skipped[0].to_string() == "line 4: phone: import.row.repeated");

  const auto second = import_text(s, file);
  REQUIRE(second.ok());
  CHECK(second.imported == 0);
  CHECK(second.skipped.size() == 3);
  CHECK(has_problem(second.skipped, "line 2: phone: import.row.already_registered"));
  CHECK(has_problem(second.skipped, "line 3: email: import.row.already_registered"));
  CHECK(second.summary().find("Left out 3 rows") != std::string::npos);
  CHECK(s.member_count() == 2);
  CHECK(count(s, "SELECT count(*) FROM outbox") == 2);

  // Same phone, different person: a colleague sharing a desk phone is imported.
  const auto colleague = import_text(s, kHeader + "Kofi,Mensah,+254712345678,,KE,,,yes\n");
  REQUIRE(colleague.ok());
  CHECK(colleague.imported == 1);
}

TEST_CASE("import reads what the exports' CSV writer writes, byte order mark included") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  std::ostringstream file;
  using util::CsvCell;
  util::CsvWriter writer(
      file, {.byte_order_mark = true, .columns = {CsvCell::text, CsvCell::text, CsvCell::phone}});
  writer.row(
      {"given_name", "family_name", "phone", "country", "organisation", "region", "consent"});
  writer.row(
      {"Amélie", "O'Brien", "+254712345678", "KE", "Care; Hope, \"Ltd\"", "Nairobi, West", "yes"});
  REQUIRE(file.str().starts_with("\xEF\xBB\xBF"));
  const auto report = import_text(s, file.str());
  INFO(report.summary());
  REQUIRE(report.ok());
  auto hits = s.search_members("+254712345678", 5);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].member.given_name == "Amélie");
  CHECK(hits[0].member.organisation == "Care; Hope, \"Ltd\"");
  CHECK(hits[0].member.region == "Nairobi, West");
}
