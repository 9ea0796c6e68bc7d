// A venue hub with real programs: two central servers on 127.0.0.1 (the
// national one upstream, the venue's hub), the real alliance-central relay
// between them, and desks running the real alliance-sync against the hub.
// Registrations cross desks at the hub, reach upstream once under their
// original change ids, and upstream's records come down to the desks.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "central/store/central_store.hpp"
#include "harness.hpp"

namespace alliance::test {
namespace {

ProcessResult relay_command(std::vector<std::string> args, const TempDir& dir) {
  args.insert(args.begin(), {kCentralBinary, "relay"});
  return run_process(args, dir.path(), std::chrono::seconds(60));
}

int sync_once(const std::filesystem::path& db, const TempDir& dir) {
  return run_process(sync_args("once", db), dir.path(), std::chrono::seconds(60)).exit_code;
}

std::set<std::string> applied_change_ids(const TestServer& server) {
  std::set<std::string> ids;
  auto db = server.open_db();
  auto q = db.query("SELECT change_id FROM applied_changes");
  while (q.step()) ids.insert(q.text(0));
  return ids;
}

// A hub served to the desks, enrolled upstream by the real relay command.
struct Venue {
  TestServer upstream;
  TestServer hub;
  TempDir dir;

  Venue() {
    keep_traffic_local();
    const std::string code =
        upstream.store().create_relay_enrolment_code("Nairobi", std::chrono::hours(1));
    const auto enrolled = relay_command(
        {"--db", hub.db_spec(), "--upstream", local_url(upstream), "--code", code, "--once"}, dir);
    REQUIRE_MESSAGE(enrolled.exit_code == 0, enrolled.err);
    CHECK(enrolled.out.find("for office Nairobi") != std::string::npos);
    const auto devices =
        run_process({kCentralBinary, "devices", "--db", upstream.db_spec(), "--format", "json"},
                    dir.path(), std::chrono::seconds(30));
    CHECK(devices.out.find("\"name\":\"venue hub\"") != std::string::npos);
    CHECK(devices.out.find("\"relay\":true") != std::string::npos);
  }

  ProcessResult relay_once() { return relay_command({"--db", hub.db_spec(), "--once"}, dir); }
};

}  // namespace

TEST_CASE(
    "desks at a venue hub share registrations and the relay sends each change upstream once") {
  Venue venue;
  const auto desk1 = venue.dir / "desk1.db";
  const auto desk2 = venue.dir / "desk2.db";
  const auto office = venue.dir / "office.db";
  enroll_with_binary(venue.hub, desk1, local_url(venue.hub), venue.dir.path());
  enroll_with_binary(venue.hub, desk2, local_url(venue.hub), venue.dir.path());
  enroll_with_binary(venue.upstream, office, local_url(venue.upstream), venue.dir.path());

  std::set<std::string> desk_change_ids;
  std::vector<std::string> ids;
  {
    auto store = store::Store::open(desk1);
    ids = register_members(store, 5);
    for (const auto& id : ids) {
      for (const auto& entry : store.changes_for(id)) desk_change_ids.insert(entry.change_id);
    }
  }
  REQUIRE(sync_once(desk1, venue.dir) == 0);
  // Across desks at the hub, with no upstream involved.
  REQUIRE(sync_once(desk2, venue.dir) == 0);
  CHECK(store::Store::open(desk2).member_count() == 5);
  CHECK(venue.upstream.store().count_records(protocol::Entity::member) == 0);

  // Upstream, under the desk's own change ids.
  auto relayed = venue.relay_once();
  REQUIRE_MESSAGE(relayed.exit_code == 0, relayed.err);
  CHECK(relayed.out.find("relayed 5 change(s)") != std::string::npos);
  CHECK(applied_change_ids(venue.upstream) == desk_change_ids);
  CHECK(central_member_ids(venue.upstream.store()) ==
        std::set<std::string>(ids.begin(), ids.end()));
  // Again: nothing waits, nothing is doubled.
  relayed = venue.relay_once();
  REQUIRE(relayed.exit_code == 0);
  CHECK(relayed.out.find("relayed 0 change(s)") != std::string::npos);
  CHECK(venue.upstream.store().count_applied_changes() == 5);

  // Down: a registration at the office reaches both desks through the hub.
  {
    auto store = store::Store::open(office);
    register_members(store, 2, 100);
  }
  REQUIRE(sync_once(office, venue.dir) == 0);
  relayed = venue.relay_once();
  REQUIRE(relayed.exit_code == 0);
  CHECK(relayed.out.find("2 new or changed here") != std::string::npos);
  REQUIRE(sync_once(desk1, venue.dir) == 0);
  REQUIRE(sync_once(desk2, venue.dir) == 0);
  CHECK(store::Store::open(desk1).member_count() == 7);
  CHECK(store::Store::open(desk2).member_count() == 7);
  // And the office gets the venue's five.
  REQUIRE(sync_once(office, venue.dir) == 0);
  CHECK(store::Store::open(office).member_count() == 7);
  CHECK(venue.upstream.store().count_records(protocol::Entity::member) == 7);
}

TEST_CASE("the relay command explains what it needs") {
  keep_traffic_local();
  TestServer upstream;
  TestServer hub;
  TempDir dir;
  // Not enrolled: it says how.
  auto r = relay_command({"--db", hub.db_spec(), "--once"}, dir);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--upstream URL --code CODE") != std::string::npos);
  // A code upstream does not know is refused, and nothing is saved.
  r = relay_command(
      {"--db", hub.db_spec(), "--upstream", local_url(upstream), "--code", "NOPE-NOPE", "--once"},
      dir);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("invalid_code") != std::string::npos);
  CHECK_FALSE(hub.store().relay_enrolment().has_value());
  // A hub database that already took desks' changes is refused: they would never go up.
  const auto desk = dir / "desk.db";
  enroll_with_binary(hub, desk, local_url(hub), dir.path());
  {
    auto store = store::Store::open(desk);
    register_members(store, 1);
  }
  REQUIRE(sync_once(desk, dir) == 0);
  const std::string code =
      upstream.store().create_relay_enrolment_code("Nairobi", std::chrono::hours(1));
  r = relay_command(
      {"--db", hub.db_spec(), "--upstream", local_url(upstream), "--code", code, "--once"}, dir);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("before enrolling its desks") != std::string::npos);
  r = relay_command({"--db", hub.db_spec(), "--pull-wait", "9999"}, dir);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--pull-wait must be") != std::string::npos);
  // Once a hub, its desks' codes are for its office only.
  TestServer second_hub;
  const std::string hub_code =
      upstream.store().create_relay_enrolment_code("Nairobi", std::chrono::hours(1));
  REQUIRE(relay_command({"--db", second_hub.db_spec(), "--upstream", local_url(upstream), "--code",
                         hub_code, "--once"},
                        dir)
              .exit_code == 0);
  const auto mombasa_code = run_process(
      {kCentralBinary, "enroll-code", "--db", second_hub.db_spec(), "--office", "Mombasa"},
      dir.path(), std::chrono::seconds(30));
  CHECK(mombasa_code.exit_code == 2);
  CHECK(mombasa_code.err.find("relaying for office Nairobi") != std::string::npos);
  r = relay_command({"--help"}, dir);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("enroll-code --relay") != std::string::npos);
}

TEST_CASE("a hub sends everything again to an upstream restored from a backup") {
  Venue venue;
  const auto desk = venue.dir / "desk.db";
  enroll_with_binary(venue.hub, desk, local_url(venue.hub), venue.dir.path());
  auto store = store::Store::open(desk);
  register_members(store, 3);
  REQUIRE(sync_once(desk, venue.dir) == 0);
  REQUIRE(venue.relay_once().exit_code == 0);
  REQUIRE(venue.upstream.store().count_records(protocol::Entity::member) == 3);

  // Upstream loses everything since its backup: here, the hub's three
  // changes, as if restored from a backup made before they arrived. The
  // restore count moves, as alliance-central restore and mark-restored do.
  {
    auto db = venue.upstream.open_db();
    central::sql::Transaction tx(db);
    db.exec("DELETE FROM records");
    db.exec("DELETE FROM applied_changes");
    tx.commit();
  }
  venue.upstream.store().mark_restored(0);
  register_members(store, 2, 50);
  REQUIRE(sync_once(desk, venue.dir) == 0);
  const auto relayed = venue.relay_once();
  REQUIRE_MESSAGE(relayed.exit_code == 0, relayed.err);
  // The two new changes, then (the answer names a new restore count) all five again.
  CHECK(venue.upstream.store().count_records(protocol::Entity::member) == 5);
  CHECK(venue.upstream.store().count_applied_changes() == 5);
  CHECK(venue.hub.store().relay_waiting_count() == 0);
  CHECK(venue.hub.store().relay_cursor().upstream.restore_epoch ==
        venue.upstream.store().lineage().restore_epoch);
}

}  // namespace alliance::test
