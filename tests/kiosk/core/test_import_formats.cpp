// Spreadsheets as people save them, imported into a real store: encodings,
// delimiters, languages, the kiosk's own export, re-imports, messages, dry runs.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/model/i18n.hpp"
#include "common/store/store.hpp"
#include "common/util/csv.hpp"
#include "common/util/strings.hpp"
#include "kiosk/core/export.hpp"
#include "kiosk/core/import_members.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"
#include "sync/process.hpp"

#if !defined(ALLIANCE_SOURCE_DIR) || !defined(ALLIANCE_KIOSK_BINARY)
#error "tests need ALLIANCE_SOURCE_DIR and ALLIANCE_KIOSK_BINARY"
#endif

using namespace alliance;

namespace {

// A name of letters only for row n: "Aa", "Ab", ... (names may not hold digits).
std::string letters(int n) {
  return {static_cast<char>('A' + n / 26 % 26), static_cast<char>('a' + n % 26)};
}

std::string fixture_bytes(const std::string& name) {
  std::ifstream in(std::string(ALLIANCE_SOURCE_DIR) + "/tests/data/import/" + name,
                   std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing fixture tests/data/import/" << name);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

kiosk::ImportReport import_bytes(store::Store& s, const std::string& bytes,
                                 kiosk::ImportOptions options = {}) {
  std::istringstream in(bytes);
  return kiosk::import_members(s, in, test::kenya_context(), options);
}

// The stored member with this given name (the fixtures' given names are unique).
model::Member stored(store::Store& s, const std::string& given_name) {
  model::Member found;
  int matches = 0;
  s.for_each_member([&](const model::Member& m) {
    if (m.given_name == given_name) {
      found = m;
      ++matches;
    }
  });
  REQUIRE_MESSAGE(matches == 1, given_name << " stored " << matches << " times");
  return found;
}

std::int64_t count(store::Store& s, const std::string& sql) {
  auto q = s.db().query(sql);
  q.step();
  return q.int64(0);
}

struct Expected {
  std::string given_name;
  std::string family_name;
  std::string phone;
  std::string email;
  std::string country;
};

struct Format {
  std::string file;
  std::string saved_by;
  std::string encoding;
  char delimiter;
  std::vector<Expected> members;
};

std::string delimiter_name(char delimiter) {
  return delimiter == '\t' ? "tab" : std::string(1, delimiter);
}

}  // namespace

TEST_CASE("import reads spreadsheets in the encodings and delimiters people save") {
  const std::vector<Format> formats = {
      {"excel_csv_cp1252.csv",
       "Excel CSV, English headers, country names",
       "Windows-1252",
       ',',
       {{"José", "Núñez", "+258841234567", "jose@example.org", "MZ"},
        {"Zoë", "Müller-Sørensen", "", "zoe@example.org", "KE"}}},
      {"excel_fr_semicolon_cp1252.csv",
       "French Excel CSV, French headers, Oui",
       "Windows-1252",
       ';',
       {{"Amélie", "Diéye", "+221771234567", "amelie@example.org", "SN"},
        {"Kouassi", "N'Guessan", "+2250123456789", "", "CI"}}},
      {"excel_unicode_text_utf16le.txt",
       "Excel Unicode text",
       "UTF-16LE",
       '\t',
       {{"Nguyễn", "Thị Hồng", "+84912345678", "hong@example.org", "VN"},
        {"Александра", "Иванова", "+79123456789", "", "RU"}}},
      {"utf16be_bom.csv",
       "UTF-16BE, Spanish headers, Sí",
       "UTF-16BE",
       ',',
       {{"María José", "Pérez Ñúñez", "+525512345678", "mj@example.org", "MX"}}},
      {"utf8_bom.csv",
       "Excel CSV UTF-8, Portuguese headers, Sim",
       "UTF-8 with BOM",
       ',',
       {{"João", "Conceição", "+258821234567", "joao@example.org", "MZ"},
        {"Ana", "Gonçalves", "+254712345602", "", "KE"}}},
      {"tab_separated_utf8.tsv",
       "tab-separated UTF-8, alpha-3 code",
       "UTF-8",
       '\t',
       {{"Wanjiru", "Kamau", "+254712345603", "", "KE"},
        {"Chidi", "Okafor, Jr", "+2348031234567", "chidi@example.org", "NG"}}},
      {"google_forms.csv",
       "Google Forms responses with Timestamp",
       "UTF-8",
       ',',
       {{"Achieng", "Otieno", "+254712345604", "achieng@example.org", "KE"},
        {"Baraka", "Mwangi", "", "baraka@example.org", "TZ"}}},
      {"french_oui_non.csv",
       "French headers, Oui/Non",
       "UTF-8",
       ';',
       {{"Éloïse", "Béranger", "+33612345678", "eloise@example.org", "FR"},
        {"Moussa", "Traoré", "+22370123456", "", "ML"}}},
  };
  for (const auto& format : formats) {
    CAPTURE(format.file);
    test::TempDir dir;
    auto s = store::Store::open(dir / "kiosk.db");
    const auto report = import_bytes(s, fixture_bytes(format.file));
    INFO(report.summary());
    CHECK(report.encoding == format.encoding);
    CHECK(report.delimiter == format.delimiter);
    REQUIRE(report.ok());
    CHECK(report.imported == format.members.size());
    CHECK(s.member_count() == format.members.size());
    for (const auto& want : format.members) {
      const auto m = stored(s, want.given_name);
      CHECK(m.family_name == want.family_name);
      CHECK(m.phone == want.phone);
      CHECK(m.email == want.email);
      CHECK(m.country == want.country);
      CHECK(m.consent.given);
      CHECK(m.consent.text_version == kiosk::kImportConsentVersion);
    }
    // For the lead's note: one line per format that imports.
    std::cout << "import format OK: " << format.file << " (" << format.saved_by << "; "
              << report.encoding << ", delimiter " << delimiter_name(report.delimiter)
              << "): " << report.imported << " of " << format.members.size() << " imported\n";
  }
}

TEST_CASE("import reads yes/no in four languages and names the columns it ignores") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto forms = import_bytes(s, fixture_bytes("google_forms.csv"));
  REQUIRE(forms.ok());
  REQUIRE(forms.warnings.size() == 1);
  CHECK(forms.warnings[0].to_string() == "line 1: Timestamp: import.column.ignored");
  CHECK(forms.summary().find("Column “Timestamp” is not a member field and was ignored.") !=
        std::string::npos);
  CHECK(forms.summary(model::I18n::embedded(), "fr")
            .find("La colonne « Timestamp » n’est pas un champ de membre") != std::string::npos);

  const auto french = import_bytes(s, fixture_bytes("french_oui_non.csv"));
  REQUIRE(french.ok());
  CHECK_FALSE(stored(s, "Éloïse").e_updates);  // "Non"
  CHECK(stored(s, "Moussa").e_updates);        // "oui"

  const auto answers = import_bytes(s,
                                    "given_name,family_name,email,country,consent,e_updates\n"
                                    "Ada,Yes,a1@example.org,KE,Sí,x\n"
                                    "Bea,Yes,a2@example.org,KE,SIM,Oui\n"
                                    "Cai,Yes,a3@example.org,KE,true,1\n"
                                    "Dan,No,a4@example.org,KE,yes,Não\n"
                                    "Eve,No,a5@example.org,KE,y,non\n"
                                    "Fay,No,a6@example.org,KE,1,false\n");
  INFO(answers.summary());
  REQUIRE(answers.ok());
  for (const auto* given : {"Ada", "Bea", "Cai"}) CHECK(stored(s, given).e_updates);
  for (const auto* given : {"Dan", "Eve", "Fay"}) CHECK_FALSE(stored(s, given).e_updates);
}

TEST_CASE("the kiosk's own members export re-imports as it is") {
  test::TempDir dir;
  auto source = store::Store::open(dir / "source.db");
  for (int n = 0; n < 5; ++n) {
    auto m = test::sample_member(n);
    m.email = n == 1 ? "" : m.email;  // a member without e-mail exports an empty cell
    REQUIRE(source.register_member(m, test::kenya_context()));
  }
  std::ostringstream exported;
  kiosk::export_records(source, "members", kiosk::ExportFormat::csv, exported);

  auto target = store::Store::open(dir / "target.db");
  const auto report = import_bytes(target, exported.str());
  INFO(report.summary());
  REQUIRE(report.ok());
  CHECK(report.imported == 5);
  CHECK(report.warnings.empty());  // the export's ids and dates are read past silently
  std::vector<model::Member> before;
  source.for_each_member([&](const model::Member& m) { before.push_back(m); });
  for (const auto& original : before) {
    const auto copy = stored(target, original.given_name);
    CHECK(copy.family_name == original.family_name);
    CHECK(copy.phone == original.phone);
    CHECK(copy.email == original.email);
    CHECK(copy.country == original.country);
    CHECK(copy.organisation == original.organisation);
    CHECK(copy.role == original.role);
    CHECK(copy.interest_groups == original.interest_groups);
    CHECK(copy.e_updates == original.e_updates);
    CHECK(copy.years_experience == original.years_experience);
    CHECK(copy.id != original.id);  // a new member, not a copy of the record
  }
  // Into the kiosk it came from: everyone is already there.
  const auto again = import_bytes(source, exported.str());
  REQUIRE(again.ok());
  CHECK(again.imported == 0);
  CHECK(again.skipped.size() == 5);
}

TEST_CASE("exports name countries in the staff language and still re-import") {
  test::TempDir dir;
  auto source = store::Store::open(dir / "source.db");
  auto german = test::sample_member(0);
  german.country = "DE";
  german.phone = "+4915112345678";
  REQUIRE(source.register_member(german, test::kenya_context()));
  const auto column = [](const std::string& csv, std::string_view name) {
    auto rows = util::parse_csv(csv);
    REQUIRE(rows.has_value());
    REQUIRE(rows->size() == 2);
    const auto& header = (*rows)[0].fields;
    const auto at = std::find(header.begin(), header.end(), name);
    REQUIRE(at != header.end());
    return (*rows)[1].fields.at(static_cast<std::size_t>(at - header.begin()));
  };
  const std::pair<const char*, const char*> names[] = {
      {"en", "Germany"}, {"fr", "Allemagne"}, {"pt", "Alemanha"}, {"es", "Alemania"}};
  for (const auto& [language, name] : names) {
    CAPTURE(language);
    std::ostringstream exported;
    kiosk::export_records(source, "members", kiosk::ExportFormat::csv, exported, language);
    CHECK(column(exported.str(), "country") == "DE");
    CHECK(column(exported.str(), "country_name") == name);

    // The French export re-imports into another kiosk with the code, silently.
    auto target = store::Store::open(dir / util::cat("target-", language, ".db"));
    const auto report = import_bytes(target, exported.str());
    INFO(report.summary());
    REQUIRE(report.ok());
    CHECK(report.warnings.empty());
    CHECK(stored(target, german.given_name).country == "DE");
  }

  // A sheet with country names only (no code column) reads them as the country.
  auto names_only = store::Store::open(dir / "names-only.db");
  const auto report = import_bytes(names_only,
                                   "Prénom;Nom;Téléphone;Nom du pays;Consentement\n"
                                   "Jonas;Keller;015112345678;Allemagne;oui\n");
  INFO(report.summary());
  REQUIRE(report.ok());
  CHECK(report.warnings.empty());
  const auto jonas = stored(names_only, "Jonas");
  CHECK(jonas.country == "DE");
  CHECK(jonas.phone == "+4915112345678");
}

TEST_CASE("re-importing 80 rows that share one phone adds nobody the second time") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  std::string file = "given_name,family_name,phone,country,consent\n";
  for (int n = 0; n < 80; ++n) {
    file += util::cat("Person ", letters(n), ",Switchboard,+254 20 1234567,KE,yes\n");
  }
  const auto first = import_bytes(s, file);
  REQUIRE(first.ok());
  CHECK(first.imported == 80);
  const auto second = import_bytes(s, file);
  REQUIRE(second.ok());
  CHECK(second.imported == 0);
  CHECK(second.skipped.size() == 80);
  const auto third = import_bytes(s, file);
  CHECK(third.imported == 0);
  CHECK(s.member_count() == 80);
  CHECK(count(s, "SELECT count(*) FROM outbox WHERE entity = 'member'") == 80);
}

TEST_CASE("import problems say where, show the value as typed and what to do, translated") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto report = import_bytes(s,
                                   "First Name,Last Name,Phone Number,Country,Consent\n"
                                   "Amina,Wanjiru,+254712345678,Kenya,yes\n"
                                   "Kofi,Mensah,+254712345679,Atlantis,maybe\n"
                                   "Olga,Ivanova,+254712345670\n"
                                   "Chidi,Okafor,+254712345671,KE,\"no\x1B[2J\tthanks\"\n");
  REQUIRE_FALSE(report.ok());
  CHECK(s.member_count() == 0);
  const auto& i18n = model::I18n::embedded();
  const std::string en = report.summary(i18n, "en");
  const std::string fr = report.summary(i18n, "fr");
  INFO(en);
  INFO(fr);
  CHECK(en.find("Line 3, column “Country”, value “Atlantis”: Not a country this kiosk knows. "
                "Type its ISO code (KE or KEN)") != std::string::npos);
  CHECK(en.find("Line 3, column “Consent”, value “maybe”: Type yes or no") != std::string::npos);
  // A short row says it is short, and which cells are missing.
  CHECK(en.find("Line 4: This row is short: it has 3 cells where the header has 5, so Country, "
                "Consent is missing.") != std::string::npos);
  // ... and only that: not the "consent required" its missing cells would cause.
  CHECK(std::count_if(report.errors.begin(), report.errors.end(),
                      [](const kiosk::ImportProblem& p) { return p.line == 4; }) == 1);
  // Control characters in a value are shown as escapes, never sent to the terminal.
  CHECK(en.find("value “no\\u001B[2J\\u0009thanks”") != std::string::npos);
  CHECK(en.find('\x1B') == std::string::npos);
  CHECK(fr.find("Ligne 3, colonne « Country », valeur « Atlantis » : Pays inconnu du kiosque.") !=
        std::string::npos);
  CHECK(fr.find("Ligne 4 : Cette ligne est trop courte : elle a 3 cellules pour 5 colonnes") !=
        std::string::npos);
  CHECK(fr.find("Rien n’a été importé : 4 problèmes trouvés.") != std::string::npos);
}

TEST_CASE("a refused phone number is quoted in the message, never as a placeholder") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto report = import_bytes(s,
                                   "First Name,Last Name,Phone Number,Country,Consent\n"
                                   "Amina,Wanjiru,0712 34,Kenya,yes\n");
  REQUIRE_FALSE(report.ok());
  const auto& i18n = model::I18n::embedded();
  for (const char* language : {"en", "fr", "pt", "es"}) {
    const std::string text = report.summary(i18n, language);
    CAPTURE(text);
    CHECK(text.find("0712 34") != std::string::npos);
    CHECK(text.find("{0}") == std::string::npos);
  }
}

TEST_CASE("import lists the first 50 problems, then how many more") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  std::string file = "given_name,family_name,email,country,consent\n";
  for (int n = 0; n < 60; ++n)
    file += util::cat(letters(n), ",Mwangi,p", n, "@example.org,Atlantis,yes\n");
  const auto report = import_bytes(s, file);
  CHECK(report.errors.size() == 60);
  const std::string en = report.summary();
  CHECK(en.find("Line 51,") != std::string::npos);  // the 50th problem, on line 51
  CHECK(en.find("Line 52,") == std::string::npos);
  CHECK(en.find("… and 10 more.") != std::string::npos);
  CHECK(report.summary(model::I18n::embedded(), "es").find("… y 10 más.") != std::string::npos);
}

TEST_CASE("a bad header shows printable text, never raw bytes") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  // Not UTF-8: read as Windows-1252, so 0xFF is ÿ; the escape sequence is escaped.
  const auto report = import_bytes(s,
                                   "given_name,family_name,\xFF\x1B[31mNotes,phone,country\n"
                                   "Amina,Wanjiru,x,+254712345678,KE\n");
  REQUIRE_FALSE(report.ok());  // no consent column
  const std::string en = report.summary();
  INFO(en);
  CHECK(en.find("Column “ÿ\\u001B[31mNotes” is not a member field") != std::string::npos);
  CHECK(en.find('\x1B') == std::string::npos);
  CHECK(en.find("There is no consent column.") != std::string::npos);
}

TEST_CASE("a dry run reports what would happen and writes nothing") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  REQUIRE(import_bytes(s,
                       "given_name,family_name,phone,country,consent\n"
                       "Amina,Wanjiru,+254712345678,KE,yes\n")
              .ok());
  const std::string file =
      "given_name,family_name,phone,country,consent\n"
      "Amina,Wanjiru,+254712345678,KE,yes\n"
      "Chidi,Okafor,+254712345679,Nigeria,oui\n";
  const auto members = s.member_count();
  const auto outbox = count(s, "SELECT count(*) FROM outbox");
  const auto report = import_bytes(s, file, {.dry_run = true});
  REQUIRE(report.ok());
  CHECK(report.dry_run);
  CHECK(report.imported == 0);
  REQUIRE(report.accepted.size() == 1);
  CHECK(report.accepted[0].line == 3);
  CHECK(report.accepted[0].name == "Chidi Okafor");
  CHECK(report.skipped.size() == 1);
  const std::string en = report.summary();
  CHECK(en.find("Dry run, nothing was written: 1 to import, 1 left out") != std::string::npos);
  CHECK(en.find("Line 3: would import Chidi Okafor") != std::string::npos);
  CHECK(en.find("Line 2, column “phone”, value “+254712345678”: already registered") !=
        std::string::npos);
  CHECK(s.member_count() == members);
  CHECK(count(s, "SELECT count(*) FROM outbox") == outbox);

  // Refused rows are listed too, and still nothing is written.
  const auto refused =
      import_bytes(s, file + "Kofi,Mensah,+254712345670,Atlantis,yes\n", {.dry_run = true});
  CHECK_FALSE(refused.ok());
  CHECK(refused.summary().find("0 to import, 1 left out (already present, repeated or voided), "
                               "1 refused.") != std::string::npos);
  CHECK(s.member_count() == members);
}

TEST_CASE("alliance-kiosk import-members --dry-run --lang fr writes nothing and speaks French") {
  test::TempDir dir;
  const std::string db = (dir / "kiosk.db").string();
  { auto s = store::Store::open(db); }
  const auto file = dir / "liste.csv";
  {
    std::ofstream out(file, std::ios::binary);
    out << fixture_bytes("excel_fr_semicolon_cp1252.csv");
  }
  const auto dry = test::run_process({ALLIANCE_KIOSK_BINARY, "import-members", "--db", db,
                                      "--dry-run", "--lang", "fr", file.string()},
                                     dir.path(), std::chrono::seconds(60));
  INFO(dry.out);
  INFO(dry.err);
  CHECK(dry.exit_code == 0);
  CHECK(dry.out.find("Lu en Windows-1252, cellules séparées par des points-virgules.") !=
        std::string::npos);
  CHECK(dry.out.find("Ligne 2 : serait importé : Amélie Diéye") != std::string::npos);
  {
    auto s = store::Store::open(db);
    CHECK(s.member_count() == 0);
  }
  const auto real =
      test::run_process({ALLIANCE_KIOSK_BINARY, "import-members", "--db", db, file.string()},
                        dir.path(), std::chrono::seconds(60));
  CHECK(real.exit_code == 0);
  CHECK(real.out.find("Imported 2 members.") != std::string::npos);
  auto s = store::Store::open(db);
  CHECK(s.member_count() == 2);
}
