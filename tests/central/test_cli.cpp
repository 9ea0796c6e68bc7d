// The admin commands through run_cli, on a temporary database.
#include <doctest/doctest.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "central/admin/cli.hpp"
#include "central/admin/export.hpp"
#include "common/protocol/table.hpp"
#include "common/util/csv.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"
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
  for (const char* command :
       {"serve", "enroll-code", "devices", "revoke-device", "import-catalog", "set-request-status",
        "export", "duplicates", "merge", "import-bundle"}) {
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
           {"import-bundle", "--db", "x.db"},
           {"export", "--db", "x.db", "members", "--bogus", "1"}}) {
    const auto run = cli(args);
    CHECK(run.code != 0);
    CHECK_FALSE(run.err.empty());
    CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
  }
}

TEST_CASE("serve names its limits in --help and refuses bad values with exit 2") {
  const auto help = cli({"serve", "--help"});
  for (const char* flag :
       {"--trusted-proxy", "--max-connections", "--max-connections-per-client", "--header-timeout",
        "--keep-alive-timeout", "--body-timeout", "--workers", "--max-body-mb", "--max-changes"}) {
    CAPTURE(flag);
    CHECK(help.out.find(flag) != std::string::npos);
  }
  test::TempDir dir;
  const std::string db = test::central_db_spec(dir / "central.db");
  const std::vector<std::vector<std::string>> bad = {
      {"--max-connections", "0"},       {"--max-connections-per-client", "x"},
      {"--header-timeout", "0"},        {"--keep-alive-timeout", "99999"},
      {"--body-timeout", "5"},          {"--workers", "1000"},
      {"--trusted-proxy", "nginx.lan"}, {"--trusted-proxy", "10.0.0.0/40"}};
  for (const auto& flags : bad) {
    CAPTURE(flags[0]);
    std::vector<std::string> args = {"serve", "--db", db, "--listen", "127.0.0.1:0"};
    args.insert(args.end(), flags.begin(), flags.end());
    const auto run = cli(args);
    CHECK(run.code == 2);
    CHECK(run.err.find(flags[0]) != std::string::npos);
    CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
  }
}

TEST_CASE("enroll-code prints a code that enrols once") {
  test::TempDir dir;
  const auto db = test::central_db_spec(dir / "central.db");
  const auto run = cli({"enroll-code", "--db", db, "--office", "Dakar", "--ttl-hours", "2"});
  REQUIRE(run.code == 0);
  const std::string code = run.out.substr(0, run.out.find('\n'));
  CHECK(code.size() == 14);
  auto store = central::CentralStore::open(db);
  auto enrolled = store->enroll({.code = code, .device_name = "Desk"});
  REQUIRE(enrolled);
  CHECK(enrolled->office == "Dakar");
  CHECK(store->enroll({.code = code}).error().code == "code_used");
  CHECK(cli({"enroll-code", "--db", db, "--office", "Dakar", "--ttl-hours", "0"}).code == 2);
  // A device acts for the office of its code, so a code needs one.
  const auto no_office = cli({"enroll-code", "--db", db});
  CHECK(no_office.code == 2);
  CHECK(no_office.err.find("--office") != std::string::npos);
  CHECK(cli({"enroll-code", "--db", db, "--office", " "}).code == 2);
  CHECK(cli({"revoke-device", "--db", db, enrolled->device_id}).code == 0);
  CHECK(store->authenticate(enrolled->token).error().code == "device_revoked");
  CHECK(cli({"revoke-device", "--db", db, "missing"}).code == 1);
}

TEST_CASE("devices lists each device with its office, last contact, clock offset and queue") {
  test::TempDir dir;
  const auto db = test::central_db_spec(dir / "central.db");
  std::string late_id;
  std::string quiet_id;
  {
    auto store = central::CentralStore::open(db);
    auto late = store->enroll({.code = store->create_enrolment_code("Dakar", std::chrono::hours(1)),
                               .device_name = "Desk, \"north\"",
                               .app_version = "1.2.3",
                               .hlc_node = "node-late"});
    auto quiet = store->enroll(
        {.code = store->create_enrolment_code("Accra", std::chrono::hours(1)), .device_name = "Q"});
    REQUIRE(late);
    REQUIRE(quiet);
    late_id = late->device_id;
    quiet_id = quiet->device_id;
    // The device says its clock is an hour ahead of the server's.
    auto device = store->authenticate(late->token);
    REQUIRE(device);
    const auto now = util::to_unix_ms(std::chrono::system_clock::now());
    store->push(*device, {},
                central::PushOptions{.device_time_ms = now + 3'600'000, .queue_depth = 12});
    REQUIRE(store->revoke_device(quiet_id));
  }
  const auto json = cli({"devices", "--db", db, "--format", "json"});
  REQUIRE(json.code == 0);
  CAPTURE(json.out);
  CHECK(json.out.find("\"id\":\"" + late_id + "\"") != std::string::npos);
  CHECK(json.out.find("\"name\":\"Desk, \\\"north\\\"\"") != std::string::npos);
  CHECK(json.out.find("\"office\":\"Dakar\",\"hlc_node\":\"node-late\"") != std::string::npos);
  CHECK(json.out.find("\"hlc_node\":null") != std::string::npos);  // bound by its first push
  CHECK(json.out.find("\"revoked\":true") != std::string::npos);
  CHECK(json.out.find("\"last_contact_at\":\"20") != std::string::npos);
  CHECK(json.out.find("\"queue_depth\":12,\"queue_depth_at\":\"20") != std::string::npos);
  CHECK(json.out.find("\"queue_depth\":null,\"queue_depth_at\":null") != std::string::npos);
  CHECK(json.out.find("\"relay\":false") != std::string::npos);  // desks, not venue hubs

  const auto csv = cli({"devices", "--db", db});
  REQUIRE(csv.code == 0);
  auto rows = util::parse_csv(csv.out);
  REQUIRE(rows.has_value());
  REQUIRE(rows->size() == 3);
  const auto& header = (*rows)[0].fields;
  CHECK(header == std::vector<std::string>{"id", "name", "office", "hlc_node", "app_version",
                                           "enrolled_at", "last_contact_at", "clock_offset_ms",
                                           "revoked_at", "queue_depth", "queue_depth_at", "relay"});
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r].fields;
    REQUIRE(row.size() == header.size());
    if (row[0] == late_id) {
      CHECK(row[1] == "Desk, \"north\"");
      // An hour ahead, measured on arrival: within a minute of 3,600,000 ms.
      const long long offset = std::stoll(row[7]);
      CHECK(offset > 3'540'000);
      CHECK(offset <= 3'600'000);
      CHECK(row[8].empty());
      CHECK(row[9] == "12");
      CHECK(row[10].starts_with("20"));
      CHECK(row[11] == "no");
    } else {
      CHECK(row[0] == quiet_id);
      CHECK(row[6].empty());  // never heard from
      CHECK(row[7].empty());
      CHECK_FALSE(row[8].empty());
      CHECK(row[9].empty());  // never reported a queue
      CHECK(row[10].empty());
    }
  }
  CHECK(cli({"devices", "--db", db, "--format", "xml"}).code == 2);
}

TEST_CASE("import-catalog loads the demo catalogue and is repeatable") {
  test::TempDir dir;
  const auto db = test::central_db_spec(dir / "central.db");
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
  const auto db = test::central_db_spec(dir / "central.db");
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
  // The actor is who runs the command, never a name typed on the line.
  CHECK(cli({"set-request-status", "--db", db, request_id, "approved", "--actor", "Ana"}).code ==
        2);
  const auto ok = cli({"set-request-status", "--db", db, request_id, "approved"});
  CHECK(ok.code == 0);
  CHECK(ok.out == request_id + " approved\n");
  CHECK(cli({"set-request-status", "--db", db, request_id, "requested"}).code == 1);
  CHECK(cli({"set-request-status", "--db", db, request_id, "lost"}).code == 2);
  CHECK(cli({"set-request-status", "--db", db, "missing", "approved"}).code == 1);
  const auto json = cli({"export", "--db", db, "requests", "--format", "json"});
  CHECK(json.code == 0);
  CHECK(json.out.find("\"status\":\"approved\"") != std::string::npos);
  const passwd* account = getpwuid(geteuid());
  REQUIRE(account != nullptr);
  CHECK(json.out.find(std::string("\"actor\":\"admin:") + account->pw_name) != std::string::npos);
}

TEST_CASE("export writes CSV in the shared table format with quoting and formula guards") {
  test::TempDir dir;
  const auto db = test::central_db_spec(dir / "central.db");
  auto member = test::member_with_id(1);
  member.organisation = "Care, \"Hope\" & Co";
  auto tricky = test::member_with_id(2);
  tricky.organisation = "=HYPERLINK(\"http://x\"), \"Ltd\"";
  {
    auto store = central::CentralStore::open(db);
    const auto result = store->push({.id = "device", .office = "Nairobi"},
                                    {test::change_of(member, test::hlc_at(1000, "a")),
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
  CHECK(cli({"export", "--db", db, "members", "--lang", "de"}).code == 2);
  // Country names in the operator's language, next to the ISO code.
  const auto spanish = cli({"export", "--db", db, "members", "--lang", "es"});
  REQUIRE(spanish.code == 0);
  auto spanish_rows = util::parse_csv(spanish.out);
  REQUIRE(spanish_rows.has_value());
  REQUIRE(spanish_rows->size() == 3);
  CHECK(spanish_rows->at(1).fields.at(static_cast<std::size_t>(
            std::find(columns.begin(), columns.end(), "country_name") - columns.begin())) ==
        "Kenia");
  CHECK(cli({"export", "--db", db, "members", "--format", "xml"}).code == 2);
}

TEST_CASE("duplicates lists likely pairs within an office, not households or other offices") {
  test::TempDir dir;
  const auto db = test::central_db_spec(dir / "central.db");
  // Amina Wanjiru registered on two kiosks of one office, once with her names
  // swapped; a relative sharing her phone; the same person in another office.
  auto first = test::member_with_id(0);
  auto swapped = test::member_with_id(1);
  swapped.given_name = first.family_name;
  swapped.family_name = first.given_name;
  swapped.phone = first.phone;
  auto relative = test::member_with_id(7);  // Kofi Wanjiru
  relative.phone = first.phone;
  auto elsewhere = test::member_with_id(2);
  elsewhere.given_name = first.given_name;
  elsewhere.family_name = first.family_name;
  elsewhere.phone = first.phone;
  std::vector<model::Member> many;  // unrelated members, compared only where keys meet
  for (int n = 8; n < 400; ++n) many.push_back(test::member_with_id(n));
  {
    auto store = central::CentralStore::open(db);
    auto pushed = store->push({.id = "kiosk-a", .office = "Nairobi"},
                              {test::change_of(first, test::hlc_at(1000, "a")),
                               test::change_of(relative, test::hlc_at(1001, "a"))});
    REQUIRE(pushed.results.size() == 2);
    pushed = store->push({.id = "kiosk-b", .office = "Nairobi"},
                         {test::change_of(swapped, test::hlc_at(1002, "b"))});
    REQUIRE(pushed.results[0].outcome == protocol::Outcome::applied);
    pushed = store->push({.id = "kiosk-c", .office = "Kampala"},
                         {test::change_of(elsewhere, test::hlc_at(1003, "c"))});
    REQUIRE(pushed.results[0].outcome == protocol::Outcome::applied);
    std::vector<protocol::Change> changes;
    for (std::size_t i = 0; i < many.size(); ++i) {
      changes.push_back(
          test::change_of(many[i], test::hlc_at(2000 + static_cast<std::int64_t>(i), "a")));
    }
    pushed = store->push({.id = "kiosk-a", .office = "Nairobi"}, changes);
    REQUIRE(pushed.results.size() == many.size());
  }

  const auto csv = cli({"duplicates", "--db", db});
  REQUIRE(csv.code == 0);
  auto rows = util::parse_csv(csv.out);
  REQUIRE(rows.has_value());
  REQUIRE(rows->size() == 2);  // the header and one pair
  CHECK(util::join((*rows)[0].fields, ',') ==
        "office,verdict,score,reasons,first_id,first_reference_code,first_name,second_id,"
        "second_reference_code,second_name");
  const auto& pair = (*rows)[1].fields;
  CHECK(pair[0] == "Nairobi");
  CHECK(pair[1] == "likely");
  CHECK(pair[3].find("name_swapped") != std::string::npos);
  CHECK(pair[3].find("phone_same") != std::string::npos);
  CHECK(((pair[4] == first.id && pair[7] == swapped.id) ||
         (pair[4] == swapped.id && pair[7] == first.id)));

  const auto json = cli({"duplicates", "--db", db, "--office", "Nairobi", "--format", "json"});
  REQUIRE(json.code == 0);
  CHECK(json.out.find("\"verdict\":\"likely\"") != std::string::npos);
  CHECK(json.out.find(relative.id) == std::string::npos);
  CHECK(cli({"duplicates", "--db", db, "--office", "Kampala", "--format", "json"}).out == "[]\n");
  CHECK(cli({"duplicates", "--db", db, "--format", "xml"}).code == 2);
  CHECK(cli({"duplicates", "--db", db, "--office", ""}).code == 2);
}

TEST_CASE("merge joins a listed pair once, then says already merged, other offices refused") {
  test::TempDir dir;
  const auto db = (dir / "central.db").string();
  auto first = test::member_with_id(0);
  auto second = test::member_with_id(0);  // the same person on another kiosk
  second.region = "Kisumu";
  first.region.clear();
  auto elsewhere = test::member_with_id(2);
  {
    auto store = central::CentralStore::open(db);
    REQUIRE(store
                ->push({.id = "kiosk-a", .office = "Nairobi"},
                       {test::change_of(first, test::hlc_at(1000, "a"))})
                .results[0]
                .outcome == protocol::Outcome::applied);
    REQUIRE(store
                ->push({.id = "kiosk-b", .office = "Nairobi"},
                       {test::change_of(second, test::hlc_at(1001, "b"))})
                .results[0]
                .outcome == protocol::Outcome::applied);
    REQUIRE(store
                ->push({.id = "kiosk-c", .office = "Kampala"},
                       {test::change_of(elsewhere, test::hlc_at(1002, "c"))})
                .results[0]
                .outcome == protocol::Outcome::applied);
  }
  const auto merged = cli({"merge", "--db", db, first.id, second.id});
  INFO(merged.err);
  REQUIRE(merged.code == 0);
  CHECK(merged.out == "merged " + second.id + " into " + first.id +
                          ": 0 check-in(s) moved, 0 voided as the same visit, 0 request(s) "
                          "moved; filled from " +
                          second.id + ": region\n");
  // The pair is no longer listed: the dropped member is a tombstone.
  CHECK(cli({"duplicates", "--db", db, "--format", "json"}).out == "[]\n");
  const auto again = cli({"merge", "--db", db, first.id, second.id});
  CHECK(again.code == 0);
  CHECK(again.out.starts_with("already merged: " + second.id + " into " + first.id));
  CHECK(again.out.find("admin:") != std::string::npos);

  const auto across = cli({"merge", "--db", db, first.id, elsewhere.id});
  CHECK(across.code == 1);
  CHECK(across.err.find("only members of one office can be merged") != std::string::npos);
  CHECK(std::count(across.err.begin(), across.err.end(), '\n') == 1);
  CHECK(cli({"merge", "--db", db, first.id, first.id}).code == 1);
  CHECK(cli({"merge", "--db", db, first.id}).code == 2);
}
