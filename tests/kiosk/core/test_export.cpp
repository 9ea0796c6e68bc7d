// Exports: CSV that reads back to the stored records, JSON that decodes as wire records.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/protocol/codec.hpp"
#include "common/protocol/table.hpp"
#include "common/store/store.hpp"
#include "common/util/csv.hpp"
#include "kiosk/core/export.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;

namespace {

struct Seeded {
  std::vector<model::Member> members;
  model::Attendance attendance;
  model::ResourceRequest request;
};

Seeded seed(store::Store& s) {
  Seeded out;
  auto event = s.save_event(test::sample_event());
  REQUIRE(event.has_value());
  auto first =
      s.register_member(test::sample_member(1), test::kenya_context(), event->id, "2026-11-28");
  REQUIRE(first.has_value());
  REQUIRE(first->attendance.has_value());
  out.attendance = *first->attendance;
  auto tricky = test::sample_member(2);
  tricky.organisation = "=HYPERLINK(\"http://x\"), \"Ltd\"";
  tricky.region = "Nairobi, \"West\"";
  tricky.birth_year = std::nullopt;
  auto second = s.register_member(tricky, test::kenya_context());
  REQUIRE(second.has_value());
  REQUIRE(s.void_member(second->member.id, "duplicate"));
  out.members = {*s.find_member(first->member.id), *s.find_member(second->member.id)};

  model::ResourcePack pack{.id = "CP-TOOLKIT-01", .title = "Toolkit", .languages = {"en"}};
  pack.stock = {{"Nairobi", 10}};
  REQUIRE(s.save_pack(pack).has_value());
  model::ResourcePack guide{.id = "GUIDE-2", .title = "Guide", .languages = {"fr"}};
  REQUIRE(s.save_pack(guide).has_value());
  model::ResourceRequest request;
  request.member_id = first->member.id;
  request.lines = {{"CP-TOOLKIT-01", 2}, {"GUIDE-2", 1}};
  request.office = "Nairobi";
  request.contact_phone = "+254712345678";
  auto made = s.create_request(request, test::kenya_context(), "desk");
  REQUIRE(made.has_value());
  out.request = *made;
  return out;
}

std::vector<util::CsvRecord> export_csv(store::Store& s, std::string_view what) {
  std::ostringstream out;
  kiosk::export_records(s, what, kiosk::ExportFormat::csv, out);
  auto parsed = util::parse_csv(out.str());
  REQUIRE(parsed.has_value());
  return *parsed;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The cell under `column` in a parsed export row.
std::string cell(const std::vector<util::CsvRecord>& rows, std::size_t row, std::string_view what,
                 std::string_view column) {
  const auto& columns = kiosk::export_columns(what);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == column) return rows.at(row).fields.at(i);
  }
  FAIL("no column ", column);
  return {};
}

}  // namespace

TEST_CASE("members export as CSV with a header and every member including voided ones") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto seeded = seed(s);
  const auto rows = export_csv(s, "members");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].fields == kiosk::export_columns("members"));
  // The same header alliance-central writes, so offices can merge the files.
  CHECK(rows[0].fields == protocol::table_columns(protocol::Entity::member));
  CHECK(rows[0].fields.size() == 29);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& m = seeded.members[r - 1];
    CHECK(rows[r].fields.size() == 29);
    CHECK(cell(rows, r, "members", "id") == m.id);
    CHECK(cell(rows, r, "members", "reference_code") == m.reference_code);
    CHECK(cell(rows, r, "members", "kind") == "individual");
    CHECK(cell(rows, r, "members", "given_name") == m.given_name);
    CHECK(cell(rows, r, "members", "phone") == m.phone);  // E.164 left unguarded
    CHECK(cell(rows, r, "members", "email") == m.email);
    CHECK(cell(rows, r, "members", "interest_groups") == "child_protection;case_management");
    CHECK(cell(rows, r, "members", "consent_given") == "true");
    CHECK(cell(rows, r, "members", "consent_version") == "2026-01");
    CHECK(cell(rows, r, "members", "consent_at") == m.consent.given_at);
    CHECK(cell(rows, r, "members", "created_at") == m.created_at);
    CHECK(cell(rows, r, "members", "updated_at") == m.updated_at);
    CHECK(cell(rows, r, "members", "preferred_language") == m.preferred_language);
  }
  CHECK(cell(rows, 1, "members", "birth_year").empty() == !seeded.members[0].birth_year);
  CHECK(cell(rows, 1, "members", "event_id") == seeded.members[0].event_id);
  CHECK(cell(rows, 1, "members", "voided") == "false");
  CHECK(cell(rows, 2, "members", "voided") == "true");
  CHECK(cell(rows, 2, "members", "void_reason") == "duplicate");
  CHECK(cell(rows, 2, "members", "birth_year") == "");
  CHECK(cell(rows, 2, "members", "region") == "Nairobi, \"West\"");
  // The formula is made text for spreadsheets; the rest of the cell survives.
  CHECK(cell(rows, 2, "members", "organisation") == "'=HYPERLINK(\"http://x\"), \"Ltd\"");
}

TEST_CASE("members export as JSON decodes back to the stored records") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto seeded = seed(s);
  std::ostringstream out;
  kiosk::export_records(s, "members", kiosk::ExportFormat::json, out);
  const std::string json = out.str();
  REQUIRE(json.starts_with("[\n"));
  REQUIRE(json.ends_with("\n]\n"));

  // One record per line between the brackets.
  std::vector<std::string> items;
  std::istringstream lines(json.substr(2, json.size() - 5));
  for (std::string line; std::getline(lines, line);) {
    if (line.ends_with(',')) line.pop_back();
    items.push_back(line);
  }
  REQUIRE(items.size() == 2);
  for (std::size_t i = 0; i < items.size(); ++i) {
    CHECK(items[i] == protocol::encode_record(seeded.members[i]));
    auto decoded = protocol::decode_record(protocol::Entity::member, items[i]);
    REQUIRE(decoded.has_value());
    const auto& m = std::get<model::Member>(*decoded);
    CHECK(m.id == seeded.members[i].id);
    CHECK(m.organisation == seeded.members[i].organisation);
    CHECK(m.voided == seeded.members[i].voided);
  }
}

TEST_CASE("requests export lines as pack x quantity and JSON decodes") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto seeded = seed(s);
  const auto rows = export_csv(s, "requests");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].fields == kiosk::export_columns("requests"));
  CHECK(rows[0].fields == protocol::table_columns(protocol::Entity::request));
  CHECK(cell(rows, 1, "requests", "id") == seeded.request.id);
  CHECK(cell(rows, 1, "requests", "reference_code") == seeded.request.reference_code);
  CHECK(cell(rows, 1, "requests", "member_id") == seeded.members[0].id);
  CHECK(cell(rows, 1, "requests", "lines") == "CP-TOOLKIT-01x2;GUIDE-2x1");
  CHECK(cell(rows, 1, "requests", "delivery") == "pickup");
  CHECK(cell(rows, 1, "requests", "status") == "requested");
  CHECK(cell(rows, 1, "requests", "office") == "Nairobi");
  CHECK(cell(rows, 1, "requests", "event_id") == seeded.request.event_id);
  CHECK(cell(rows, 1, "requests", "contact_phone") == "+254712345678");

  std::ostringstream out;
  kiosk::export_records(s, "requests", kiosk::ExportFormat::json, out);
  const std::string json = out.str();
  const std::string item = json.substr(2, json.size() - 5);
  auto decoded = protocol::decode_record(protocol::Entity::request, item);
  REQUIRE(decoded.has_value());
  const auto& r = std::get<model::ResourceRequest>(*decoded);
  CHECK(r.id == seeded.request.id);
  REQUIRE(r.lines.size() == 2);
  CHECK(r.lines[1].pack_id == "GUIDE-2");
}

TEST_CASE("attendance exports with its voided column") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto seeded = seed(s);
  REQUIRE(s.void_attendance(seeded.attendance.id));
  const auto rows = export_csv(s, "attendance");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].fields ==
        std::vector<std::string>{"id", "member_id", "event_id", "day", "checked_in_at", "voided"});
  CHECK(rows[1].fields == std::vector<std::string>{seeded.attendance.id,
                                                   seeded.attendance.member_id,
                                                   seeded.attendance.event_id, "2026-11-28",
                                                   seeded.attendance.checked_in_at, "true"});

  std::ostringstream out;
  kiosk::export_records(s, "attendance", kiosk::ExportFormat::json, out);
  const std::string json = out.str();
  auto decoded =
      protocol::decode_record(protocol::Entity::attendance, json.substr(2, json.size() - 5));
  REQUIRE(decoded.has_value());
  CHECK(std::get<model::Attendance>(*decoded).voided);
}

TEST_CASE("an empty store exports a header alone or an empty array") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const auto rows = export_csv(s, "members");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].fields == kiosk::export_columns("members"));
  std::ostringstream out;
  kiosk::export_records(s, "attendance", kiosk::ExportFormat::json, out);
  CHECK(out.str() == "[]\n");
}

TEST_CASE("exporting an unknown kind throws before writing anything") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  std::ostringstream out;
  CHECK_THROWS_AS(kiosk::export_records(s, "member", kiosk::ExportFormat::csv, out),
                  std::invalid_argument);
  CHECK(out.str().empty());
  try {
    kiosk::export_records(s, "events", kiosk::ExportFormat::json, out);
    FAIL("expected std::invalid_argument");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("members, requests or attendance") != std::string::npos);
    CHECK(std::string(e.what()).find("events") != std::string::npos);
  }
  CHECK_THROWS_AS(kiosk::export_columns("nope"), std::invalid_argument);
}

TEST_CASE("the staff export writes a new owner-only file and never follows or replaces one") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  seed(s);
  const auto folder = dir.path() / "usb";
  std::filesystem::create_directory(folder);
  // A link planted where the first export would go, pointing at a file that
  // must not be touched, and one pointing nowhere.
  const auto victim = dir.path() / "victim.txt";
  { std::ofstream(victim) << "keep me"; }
  std::filesystem::create_symlink(victim, folder / "members-20261128-101500.csv");
  std::filesystem::create_symlink(dir.path() / "nowhere", folder / "members-20261128-101500-2.csv");

  const mode_t old_umask = ::umask(022);
  const auto first = kiosk::export_to_folder(s, "members", folder, "20261128-101500");
  const auto second = kiosk::export_to_folder(s, "members", folder, "20261128-101500");
  ::umask(old_umask);
  REQUIRE(first.has_value());
  REQUIRE(second.has_value());
  CHECK(*first == folder / "members-20261128-101500-3.csv");
  CHECK(*second == folder / "members-20261128-101500-4.csv");
  CHECK(read_file(victim) == "keep me");
  CHECK_FALSE(std::filesystem::exists(dir.path() / "nowhere"));
  for (const auto& path : {*first, *second}) {
    CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    const std::string text = read_file(path);
    CHECK(
        text.starts_with("\xEF\xBB\xBF"
                         "id,reference_code,"));
    auto rows = util::parse_csv(text);
    REQUIRE(rows.has_value());
    CHECK(rows->size() == 3);
  }
  // No temporary file is left behind.
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(folder)) ++entries;
  CHECK(entries == 4);

  const auto missing = kiosk::export_to_folder(s, "members", dir.path() / "gone", "x");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().find("does not exist") != std::string::npos);
}
