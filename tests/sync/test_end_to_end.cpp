// End to end: the real alliance-sync binary against a real alliance-central
// on 127.0.0.1, with records made through common/store.
#include <doctest/doctest.h>

#include <csignal>
#include <sstream>

#include "harness.hpp"
#include "sync/cli.hpp"

namespace alliance::test {
namespace {

int count_lines(const std::string& text) {
  int n = 0;
  for (const char c : text) n += c == '\n' ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("once pushes 1000 registrations exactly once and brings central changes back") {
  keep_traffic_local();
  TestServer server;
  TempDir dir;
  const auto db = dir / "kiosk.db";
  auto kiosk = store::Store::open(db);
  const auto ids = register_members(kiosk, 1000);
  enroll_with_binary(server, db, local_url(server), dir.path());
  CHECK((std::filesystem::status(db).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

  auto first = run_process(sync_args("once", db), dir.path());
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.find("pushed 1000 changes (1000 applied") != std::string::npos);
  CHECK(kiosk.queue_counts().pending == 0);
  CHECK(kiosk.queue_counts().acked == 1000);

  // The central export (the real admin command) holds exactly those 1,000.
  auto exported = run_process(
      {kCentralBinary, "export", "--db", server.db_spec(), "members", "--format", "csv"},
      dir.path());
  REQUIRE(exported.exit_code == 0);
  CHECK(count_lines(exported.out) == 1001);  // a header and one row each
  for (const auto& id : ids) {
    if (exported.out.find(id) == std::string::npos) FAIL("missing from the export: " << id);
  }
  CHECK(central_member_ids(server.store()) == std::set<std::string>(ids.begin(), ids.end()));
  CHECK(server.store().count_applied_changes() == 1000);

  auto second = run_process(sync_args("once", db), dir.path());
  REQUIRE(second.exit_code == 0);
  CHECK(second.out.find("pushed 0 changes") != std::string::npos);
  CHECK(server.store().count_applied_changes() == 1000);

  // A request made at the kiosk, then decided centrally; a catalogue import.
  model::ResourceRequest draft;
  draft.member_id = ids.front();
  draft.lines = {{.pack_id = "CP-TOOLKIT-01", .quantity = 1}};
  draft.delivery = model::DeliveryPreference::pickup;
  draft.office = "Nairobi";
  auto request = kiosk.create_request(draft, kenya_context(), "Desk 1");
  REQUIRE(request.has_value());
  REQUIRE(run_process(sync_args("once", db), dir.path()).exit_code == 0);

  const auto central_db = server.db_spec();
  auto status = run_process(
      {kCentralBinary, "set-request-status", "--db", central_db, request->id, "approved"},
      dir.path());
  INFO(status.err);
  REQUIRE(status.exit_code == 0);
  auto import = run_process({kCentralBinary, "import-catalog", "--db", central_db,
                             (kSourceDir / "assets/demo/catalog.json").string()},
                            dir.path());
  INFO(import.err);
  REQUIRE(import.exit_code == 0);

  auto third = run_process(sync_args("once", db), dir.path());
  REQUIRE(third.exit_code == 0);
  auto after = kiosk.find_request(request->id);
  REQUIRE(after.has_value());
  CHECK(after->status == model::RequestStatus::approved);
  bool has_toolkit = false;
  for (const auto& pack : kiosk.list_packs()) has_toolkit |= pack.id == "CP-TOOLKIT-01";
  CHECK(has_toolkit);

  auto json = run_process(sync_args("status", db, {"--json"}), dir.path());
  REQUIRE(json.exit_code == 0);
  CHECK(json.out.find("\"state\":\"idle\"") != std::string::npos);
  CHECK(json.out.find("\"queue_depth\":0") != std::string::npos);
  auto text = run_process(sync_args("status", db), dir.path());
  CHECK(text.out.find("all records synced") != std::string::npos);
}

TEST_CASE("run wakes on a local change and on sync now, and stops on SIGTERM within 2 s") {
  keep_traffic_local();
  TestServer server;
  TempDir dir;
  const auto db = dir / "kiosk.db";
  auto kiosk = store::Store::open(db);
  enroll_with_binary(server, db, local_url(server), dir.path());
  Process agent(sync_args("run", db, {"--pull-interval", "3600"}), dir.path());

  // A local change: seen through PRAGMA data_version within a few seconds.
  const auto ids = register_members(kiosk, 50);
  CHECK(eventually([&] { return kiosk.queue_counts().pending == 0; }, std::chrono::seconds(15)));
  CHECK(server.store().count_records(protocol::Entity::member) == 50);

  // A central change arrives only when someone asks (the pull timer is an hour).
  model::ResourceRequest draft;
  draft.member_id = ids.front();
  draft.lines = {{.pack_id = "CP-TOOLKIT-01", .quantity = 2}};
  draft.office = "Nairobi";
  auto request = kiosk.create_request(draft, kenya_context(), "Desk 1");
  REQUIRE(request.has_value());
  REQUIRE(eventually([&] { return kiosk.queue_counts().pending == 0; }, std::chrono::seconds(15)));
  REQUIRE(server.store()
              .set_request_status(request->id, model::RequestStatus::approved, "office")
              .has_value());
  kiosk.request_sync();
  CHECK(eventually(
      [&] {
        auto r = kiosk.find_request(request->id);
        return r && r->status == model::RequestStatus::approved;
      },
      std::chrono::seconds(15)));
  // The status is written after the attempt that applied the pull.
  CHECK(eventually([&] { return kiosk.sync_status().state == "idle"; }, std::chrono::seconds(5)));

  const auto asked = std::chrono::steady_clock::now();
  agent.signal(SIGTERM);
  auto result = agent.wait(std::chrono::seconds(10));
  const auto took = std::chrono::steady_clock::now() - asked;
  CHECK(result.exit_code == 0);
  CHECK(took < std::chrono::seconds(2));
  CHECK(result.err.find("sync.stopped") != std::string::npos);
  // Logs carry ids and counts, never personal data.
  CHECK(result.err.find("example.org") == std::string::npos);
  CHECK(result.err.find("+2547") == std::string::npos);
}

TEST_CASE("commands answer --help and --version and fail with one line") {
  TempDir dir;
  for (const std::string command : {"enroll", "once", "run", "status"}) {
    auto help = run_process({kSyncBinary, command, "--help"}, dir.path());
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("usage:") != std::string::npos);
    auto version = run_process({kSyncBinary, command, "--version"}, dir.path());
    CHECK(version.exit_code == 0);
    CHECK(version.out.starts_with("alliance-sync "));
  }
  auto missing = run_process({kSyncBinary, "once"}, dir.path());
  CHECK(missing.exit_code != 0);
  CHECK(count_lines(missing.err) == 1);
  auto unknown =
      run_process({kSyncBinary, "status", "--db", (dir / "none.db").string()}, dir.path());
  CHECK(unknown.exit_code != 0);
  CHECK(count_lines(unknown.err) == 1);
  auto not_enrolled_db = dir / "fresh.db";
  { auto s = store::Store::open(not_enrolled_db); }
  auto not_enrolled = run_process(sync_args("once", not_enrolled_db), dir.path());
  CHECK(not_enrolled.exit_code != 0);
  CHECK(not_enrolled.err.find("not enrolled") != std::string::npos);
  auto status = run_process(sync_args("status", not_enrolled_db), dir.path());
  CHECK(status.out.find("device not enrolled or revoked") != std::string::npos);
}

TEST_CASE("without --db the commands use $ALLIANCE_DB") {
  test::TempDir dir;
  const auto db = dir / "shared.db";
  { auto s = store::Store::open(db); }
  ::setenv("ALLIANCE_DB", db.c_str(), 1);
  std::ostringstream out;
  std::ostringstream err;
  const int rc = alliance::sync::run_cli({"status"}, out, err, nullptr);
  ::unsetenv("ALLIANCE_DB");
  CHECK(rc == 0);
  CHECK(err.str().empty());
  CHECK(out.str().find("device not enrolled or revoked") != std::string::npos);
}

}  // namespace alliance::test

namespace alliance::test {

TEST_CASE("a void undone by staff reaches central as undone") {
  keep_traffic_local();
  TestServer server;
  TempDir dir;
  const auto db = dir / "kiosk.db";
  auto kiosk = store::Store::open(db);
  const auto ids = register_members(kiosk, 1);
  enroll_with_binary(server, db, local_url(server), dir.path());
  const auto central_member = [&] {
    for (const auto& r : server.store().list(protocol::Entity::member)) {
      const auto& m = std::get<model::Member>(r);
      if (m.id == ids.front()) return std::optional<model::Member>(m);
    }
    return std::optional<model::Member>();
  };

  REQUIRE(kiosk.void_member(ids.front(), "registered twice"));
  REQUIRE(run_process(sync_args("once", db), dir.path()).exit_code == 0);
  REQUIRE(central_member().has_value());
  CHECK(central_member()->voided);

  REQUIRE(kiosk.restore_member(ids.front()));
  auto synced = run_process(sync_args("once", db), dir.path());
  INFO(synced.err);
  REQUIRE(synced.exit_code == 0);
  CHECK_FALSE(central_member()->voided);
  CHECK(kiosk.queue_counts().pending == 0);
}

}  // namespace alliance::test
