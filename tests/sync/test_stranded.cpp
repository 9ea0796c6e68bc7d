// Nothing stranded: changes refused for a reason that clears are held and
// sent again, changes refused for good are listed for staff to resend or
// discard, and damaged or unanswerable changes are quarantined while the
// queue behind them flows. Real central on 127.0.0.1, real alliance-sync.
#include <doctest/doctest.h>

#include <atomic>
#include <string>

#include "harness.hpp"
#include "local_central.hpp"
#include "local_server.hpp"
#include "sync/agent.hpp"

namespace alliance::sync {
namespace {

std::int64_t count_state(store::Store& s, const std::string& state) {
  auto q = s.db().query("SELECT count(*) FROM outbox WHERE state = ?");
  q.bind_all(state);
  q.step();
  return q.int64(0);
}

}  // namespace

TEST_CASE("a damaged outbox row is quarantined and the 1,000 changes behind it reach central") {
  test::keep_traffic_local();
  test::TestServer server;
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  test::enroll_with_binary(server, db, test::local_url(server), dir.path());
  std::string flipped_id, cut_id;
  std::vector<std::string> members;
  {
    auto store = store::Store::open(db);
    const auto damaged = test::register_members(store, 2);
    members = test::register_members(store, 1000, 2);
    flipped_id = store.changes_for(damaged[0])[0].change_id;
    cut_id = store.changes_for(damaged[1])[0].change_id;
    // Bytes flipped inside the stored change id: still JSON, another change.
    store.db()
        .query(
            "UPDATE outbox SET payload = replace(payload, change_id, 'ffffffff' || "
            "substr(change_id, 9)) WHERE change_id = ?")
        .bind_all(flipped_id)
        .run();
    // And one cut short, as a torn write would leave it.
    store.db()
        .query("UPDATE outbox SET payload = substr(payload, 1, 40) || x'ff' WHERE change_id = ?")
        .bind_all(cut_id)
        .run();
  }
  auto once = test::run_process(test::sync_args("once", db), dir.path(), std::chrono::seconds(120));
  CHECK_MESSAGE(once.exit_code == 0, once.err);
  CHECK(once.err.find("2 changes need attention") != std::string::npos);

  const auto at_central = test::central_member_ids(server.store());
  CHECK(at_central.size() == 1000);
  for (const auto& id : members) REQUIRE(at_central.contains(id));
  {
    auto store = store::Store::open(db);
    CHECK(count_state(store, "acked") == 1000);
    CHECK(count_state(store, "quarantined") == 2);
    CHECK(store.queue_counts().pending == 0);
  }
  auto listed =
      test::run_process(test::sync_args("rejected", db, {"--format", "json"}), dir.path());
  REQUIRE(listed.exit_code == 0);
  CHECK(listed.out.find("\"change_id\":\"" + flipped_id + "\",\"state\":\"quarantined\"") !=
        std::string::npos);
  CHECK(listed.out.find("\"change_id\":\"" + cut_id + "\",\"state\":\"quarantined\"") !=
        std::string::npos);
  CHECK(listed.out.find("its change id differs from its row's") != std::string::npos);
  CHECK(listed.out.find("the stored change cannot be read") != std::string::npos);

  auto status = test::run_process(test::sync_args("status", db, {"--json"}), dir.path());
  CHECK(status.out.find("\"all_synced\":false") != std::string::npos);
  CHECK(status.out.find("\"quarantined\":2") != std::string::npos);
  CHECK(status.out.find("\"summary\":\"2 changes need attention (alliance-sync rejected)\"") !=
        std::string::npos);

  // The operator discards both: only then is everything synced.
  for (const auto& id : {flipped_id, cut_id}) {
    auto discarded = test::run_process(test::sync_args("discard", db, {id}), dir.path());
    CHECK_MESSAGE(discarded.exit_code == 0, discarded.err);
  }
  status = test::run_process(test::sync_args("status", db, {"--json"}), dir.path());
  CHECK(status.out.find("\"all_synced\":true") != std::string::npos);
  CHECK(status.out.find("\"summary\":\"all records synced\"") != std::string::npos);
}

TEST_CASE("a change whose answers never match it is bisected out and quarantined after 3 tries") {
  test::keep_traffic_local();
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  std::string poison;
  std::atomic<int> poison_pushes{0};
  test::LocalServer server([&](const test::LocalRequest& r, test::LocalAnswer& a) {
    if (r.path == "/v1/devices/enroll") {
      a.send(test::enroll_answer());
    } else if (r.path == "/v1/sync/push") {
      auto decoded = protocol::decode_push_request(r.body);
      protocol::PushResponse answer;
      if (decoded) {
        for (const auto& c : decoded->changes) {
          // A server (or proxy) that garbles the answer to one change.
          const bool garble = c.change_id == poison;
          if (garble) ++poison_pushes;
          answer.results.push_back({.change_id = garble ? "garbled" : c.change_id});
        }
      }
      a.send(test::json_answer(200, protocol::encode(answer)));
    } else {
      a.send(test::json_answer(200, protocol::encode(test::pull_page({}, 0, 500))));
    }
  });
  test::enroll_locally(server, db, dir.path());
  {
    auto store = store::Store::open(db);
    const auto ids = test::register_members(store, 300);
    poison = store.changes_for(ids[137])[0].change_id;
  }
  auto once = test::run_process(
      test::sync_args("once", db,
                      {"--attempts", "6", "--backoff-base-ms", "20", "--backoff-cap", "1"}),
      dir.path(), std::chrono::seconds(120));
  CHECK_MESSAGE(once.exit_code == 0, once.err);
  auto store = store::Store::open(db);
  CHECK(count_state(store, "acked") == 299);
  CHECK(count_state(store, "quarantined") == 1);
  const auto entry = store.outbox_entry(poison);
  REQUIRE(entry.has_value());
  CHECK(entry->state == "quarantined");
  CHECK(entry->reject_code == "unmatched_answer");
  CHECK(entry->attempts == kMaxUnmatchedAnswers);
  // Bisection sent it in a few halving batches, then alone three times.
  CHECK(poison_pushes.load() <= 30);
}

TEST_CASE("a change too large for the server is held and syncs once the limit is raised") {
  test::keep_traffic_local();
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  const std::string central_db = test::central_db_spec(dir / "central.db");
  std::string big_member;
  std::size_t limit = 0;
  {
    auto store = store::Store::open(db);
    test::register_members(store, 3);
    auto big = test::sample_member(50);
    big.organisation = std::string(200, 'o');
    big.region = std::string(200, 'r');
    big.contact_person = std::string(100, 'c');
    auto saved = store.register_member(big, test::kenya_context());
    REQUIRE(saved.has_value());
    big_member = saved->member.id;
    test::register_members(store, 3, 10);
    const auto normal = store.changes_for(test::register_members(store, 1, 20)[0])[0];
    const auto large = store.changes_for(big_member)[0];
    // Room for any one ordinary change, not for the large one.
    limit = (normal.payload.size() + large.payload.size()) / 2 + 32;
    REQUIRE(large.payload.size() > limit);
  }
  {
    central::ServerOptions strict;
    strict.limits.max_body_bytes = limit;
    test::TestServer server(central_db, strict);
    test::enroll_with_binary(server, db, test::local_url(server), dir.path());
    auto once = test::run_process(test::sync_args("once", db, {"--retry-held-after", "1"}),
                                  dir.path(), std::chrono::seconds(60));
    CHECK(once.exit_code == 1);
    CHECK(once.err.find("1 changes are held") != std::string::npos);
    CHECK(test::central_member_ids(server.store()).size() == 7);
    auto status = test::run_process(test::sync_args("status", db), dir.path());
    CHECK(status.out.find("all records synced") == std::string::npos);
    CHECK(status.out.find("1 held to be sent again") != std::string::npos);
    auto listed = test::run_process(test::sync_args("rejected", db), dir.path());
    CHECK(listed.out.find("  held  create member " + big_member) != std::string::npos);
  }
  // The operator raises the limit (a restart with a larger --max-body-mb),
  // on another port here, so the test points the device at it.
  test::TestServer server(central_db, central::ServerOptions{});
  {
    auto store = store::Store::open(db);
    test::point_at(store, server);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the hold of 1 s runs out
  auto once = test::run_process(test::sync_args("once", db), dir.path(), std::chrono::seconds(60));
  CHECK_MESSAGE(once.exit_code == 0, once.err);
  const auto ids = test::central_member_ids(server.store());
  CHECK(ids.size() == 8);
  CHECK(ids.contains(big_member));
  auto status = test::run_process(test::sync_args("status", db, {"--json"}), dir.path());
  CHECK(status.out.find("\"all_synced\":true") != std::string::npos);
}

TEST_CASE(
    "a change central refuses for good is listed, resent after the cause is fixed, or discarded") {
  test::keep_traffic_local();
  test::TestServer server;
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  test::enroll_with_binary(server, db, test::local_url(server), dir.path());
  std::string refused;
  {
    auto store = store::Store::open(db);
    test::register_members(store, 2);
    // The catalogue is changed on the server only: a pack made here is refused.
    auto pack = store.save_pack(
        model::ResourcePack{.id = "pack-local", .title = "Local pack", .languages = {"en"}});
    REQUIRE(pack.has_value());
    refused = store.changes_for("pack-local")[0].change_id;
  }
  auto once = test::run_process(test::sync_args("once", db), dir.path(), std::chrono::seconds(60));
  CHECK_MESSAGE(once.exit_code == 0, once.err);
  CHECK(once.err.find("1 changes need attention") != std::string::npos);
  auto text = test::run_process(test::sync_args("status", db), dir.path());
  CHECK(text.out.find("(1 changes need attention (alliance-sync rejected))") != std::string::npos);
  CHECK(text.out.find("all records synced") == std::string::npos);
  auto listed = test::run_process(test::sync_args("rejected", db), dir.path());
  CHECK(listed.out.find(refused + "  rejected  create pack pack-local") != std::string::npos);
  CHECK(listed.out.find("read_only_entity: the catalogue is changed on the server only") !=
        std::string::npos);

  // Resent as it is, central decides it again (a refusal changed nothing):
  // still refused, and still listed.
  auto resent = test::run_process(test::sync_args("resend", db, {refused}), dir.path());
  CHECK_MESSAGE(resent.exit_code == 0, resent.err);
  once = test::run_process(test::sync_args("once", db), dir.path(), std::chrono::seconds(60));
  CHECK(once.out.find("1 rejected)") != std::string::npos);

  auto wrong = test::run_process(test::sync_args("discard", db, {"no-such-change"}), dir.path());
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.err.find("there is no change no-such-change") != std::string::npos);
  auto missing = test::run_process(test::sync_args("resend", db), dir.path());
  CHECK(missing.exit_code == 2);

  auto discarded = test::run_process(test::sync_args("discard", db, {refused}), dir.path());
  CHECK_MESSAGE(discarded.exit_code == 0, discarded.err);
  auto json = test::run_process(test::sync_args("status", db, {"--json"}), dir.path());
  CHECK(json.out.find("\"all_synced\":true") != std::string::npos);
  CHECK(json.out.find("\"discarded\":1") != std::string::npos);
}

}  // namespace alliance::sync
