// The admin commands through run_cli, on a temporary database.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "central/admin/cli.hpp"
#include "central/admin/export.hpp"
#include "common/protocol/table.hpp"
#include "common/util/csv.hpp"
#include "common/util/strings.hpp"
#include "server_fixture.hpp"

using namespace alliance;

namespace {

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run cli(std::vector<std::string> args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = central::run_cli(args, out, err);
  return {code, out.str(), err.str()};
}

#ifndef ALLIANCE_SOURCE_DIR
#error "tests need ALLIANCE_SOURCE_DIR"
#endif

}  // namespace

TEST_CASE("every command answers --help and --version with exit 0") {
  for (const char* command : {"serve", "enroll-code", "revoke-device", "import-catalog",
                              "set-request-status", "export"}) {
    CAPTURE(command);
    const auto help = cli({command, "--help"});
    CHECK(help.code == 0);
    CHECK(help.out.find("usage") != std::string::npos);
    const auto version = cli({command, "--version"});
    CHECK(version.code == 0);
    CHECK(version.out.starts_with("alliance-central "));
  }
  CHECK(cli({"--help"}).code == 0);
  CHECK(cli({"--version"}).code == 0);
}

TEST_CASE("usage errors exit non-zero with one line on stderr") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {},
           {"frobnicate"},
           {"enroll-code"},
           {"revoke-device", "--db", "x.db"},
           {"export", "--db", "x.db", "members", "--bogus", "1"}}) {
    const auto run = cli(args);
    CHECK(run.code != 0);
    CHECK_FALSE(run.err.empty());
    CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
  }
}

TEST_CASE("enroll-code prints a code that enrols once") {
  test::TempDir dir;
  const auto db = (dir / "central.db").string();
  const auto run = cli({"enroll-code", "--db", db, "--office", "Dakar", "--ttl-hours", "2"});
  REQUIRE(run.code == 0);
  const std::string code = run.out.substr(0, run.out.find('\n'));
  CHECK(code.size() == 14);
  auto store = central::CentralStore::open(db);
  auto enrolled = store->enroll({.code = code, .device_name = "Desk"});
  REQUIRE(enrolled);
  CHECK(enrolled->office == "Dakar");
  CHECK(store->enroll({.code = code}).error().code == "code_used");
  CHECK(cli({"enroll-code", "--db", db, "--ttl-hours", "0"}).code == 2);
  CHECK(cli({"revoke-device", "--db", db, enrolled->device_id}).code == 0);
  CHECK(store->authenticate(enrolled->token).error().code == "device_revoked");
  CHECK(cli({"revoke-device", "--db", db, "missing"}).code == 1);
}

TEST_CASE("import-catalog loads the demo catalogue and is repeatable") {
  test::TempDir dir;
  const auto db = (dir / "central.db").string();
  const std::string file = std::string(ALLIANCE_SOURCE_DIR) + "/assets/demo/catalog.json";
  const auto run = cli({"import-catalog", "--db", db, file});
  CHECK(run.err == "");
  REQUIRE(run.code == 0);
  CHECK(run.out == "imported 6 packs and 3 events\n");
  REQUIRE(cli({"import-catalog", "--db", db, file}).code == 0);
  auto store = central::CentralStore::open(db);
  CHECK(store->count_records(protocol::Entity::pack) == 6);
  CHECK(store->count_records(protocol::Entity::event) == 3);
  // Every device sees the catalogue, whatever its office.
  auto code = store->create_enrolment_code("Elsewhere", std::chrono::hours(1));
  auto device = store->enroll({.code = code});
  REQUIRE(device);
  const auto page = store->pull({.id = device->device_id, .office = "Elsewhere"}, 0, 100);
  CHECK(page.changes.size() == 9);

  std::ofstream(dir / "bad.json") << R"({"packs":[{"id":"bad id","title":"","languages":[]}]})";
  const auto bad = cli({"import-catalog", "--db", db, (dir / "bad.json").string()});
  CHECK(bad.code == 1);
  CAPTURE(bad.err);
  CHECK(bad.err.find("pack") != std::string::npos);
  std::ofstream(dir / "broken.json") << "{";
  CHECK(cli({"import-catalog", "--db", db, (dir / "broken.json").string()}).code == 1);
  CHECK(cli({"import-catalog", "--db", db, (dir / "missing.json").string()}).code == 1);
}

TEST_CASE("set-request-status moves a request forward only") {
  test::TempDir dir;
  const auto db = (dir / "central.db").string();
  std::string request_id = util::new_uuid_v7();
  {
    auto store = central::CentralStore::open(db);
    model::ResourceRequest request;
    request.id = request_id;
    request.member_id = util::new_uuid_v7();
    request.lines = {{.pack_id = "CP-TOOLKIT-01", .quantity = 1}};
    request.office = "Nairobi";
    const auto result = store->push({.id = "device", .office = "Nairobi"},
                                    {test::change_of(request, test::hlc_at(1000, "a"))});
    REQUIRE(result.results[0].outcome == protocol::Outcome::applied);
  }
  const auto ok = cli({"set-request-status", "--db", db, request_id, "approved", "--actor", "Ana"});
  CHECK(ok.code == 0);
  CHECK(ok.out == request_id + " approved\n");
  CHECK(cli({"set-request-status", "--db", db, request_id, "requested"}).code == 1);
  CHECK(cli({"set-request-status", "--db", db, request_id, "lost"}).code == 2);
  CHECK(cli({"set-request-status", "--db", db, "missing", "approved"}).code == 1);
  const auto json = cli({"export", "--db", db, "requests", "--format", "json"});
  CHECK(json.code == 0);
  CHECK(json.out.find("\"status\":\"approved\"") != std::string::npos);
  CHECK(json.out.find("\"actor\":\"Ana\"") != std::string::npos);
}

TEST_CASE("export writes CSV in the shared table format with quoting and formula guards") {
  test::TempDir dir;
  const auto db = (dir / "central.db").string();
  auto member = test::member_with_id(1);
  member.organisation = "Care, \"Hope\" & Co";
  auto tricky = test::member_with_id(2);
  tricky.organisation = "=HYPERLINK(\"http://x\"), \"Ltd\"";
  {
    auto store = central::CentralStore::open(db);
    const auto result =
        store->push({.id = "device"}, {test::change_of(member, test::hlc_at(1000, "a")),
                                       test::change_of(tricky, test::hlc_at(1001, "a"))});
    REQUIRE(result.results[0].outcome == protocol::Outcome::applied);
    REQUIRE(result.results[1].outcome == protocol::Outcome::applied);
  }
  const auto csv = cli({"export", "--db", db, "members"});
  REQUIRE(csv.code == 0);
  const auto& columns = protocol::table_columns(protocol::Entity::member);
  // A byte order mark first, so Excel reads accented names as UTF-8.
  CHECK(csv.out.starts_with("\xEF\xBB\xBF" + util::join(columns, ',') + "\r\n"));
  CHECK(csv.out.find("\"Care, \"\"Hope\"\" & Co\"") != std::string::npos);

  auto rows = util::parse_csv(csv.out);
  REQUIRE(rows.has_value());
  REQUIRE(rows->size() == 3);
  const auto cell = [&](std::size_t row, std::string_view column) {
    const auto at = std::find(columns.begin(), columns.end(), column);
    REQUIRE(at != columns.end());
    return (*rows)[row].fields.at(static_cast<std::size_t>(at - columns.begin()));
  };
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& m = cell(r, "id") == tricky.id ? tricky : member;
    CHECK((*rows)[r].fields.size() == columns.size());
    CHECK(cell(r, "phone") == m.phone);  // E.164 left unguarded
    CHECK(cell(r, "interest_groups") == "child_protection;case_management");
    CHECK(cell(r, "consent_given") == "true");
    CHECK(cell(r, "voided") == "false");
    // The formula is made text for spreadsheets, as the kiosk's export does.
    CHECK(cell(r, "organisation") == (&m == &tricky ? "'" + m.organisation : m.organisation));
  }

  const auto empty = cli({"export", "--db", db, "attendance"});
  CHECK(empty.code == 0);
  CHECK(empty.out == "\xEF\xBB\xBFid,member_id,event_id,day,checked_in_at,voided\r\n");
  CHECK(cli({"export", "--db", db, "attendance", "--format", "json"}).out == "[]\n");
  CHECK(cli({"export", "--db", db, "things"}).code == 2);
  CHECK(cli({"export", "--db", db, "members", "--format", "xml"}).code == 2);
}
