// Faults: lost answers, refused changes, revoked devices, and a long run of
// network faults, server errors and SIGKILLs after which nothing is lost or doubled.
#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <random>

#include "common/protocol/codec.hpp"
#include "common/util/uuid.hpp"
#include "fault_proxy.hpp"
#include "harness.hpp"
#include "sync/agent.hpp"

namespace alliance::test {
namespace {

sync::AgentOptions quick_agent() {
  sync::AgentOptions o;
  o.http.connect_timeout_ms = 2000;
  o.http.low_speed_time_s = 2;
  o.http.low_speed_limit = 1;
  o.backoff = {.base = std::chrono::milliseconds(50), .cap = std::chrono::milliseconds(500)};
  o.seed = 1;
  return o;
}

std::int64_t outcome_count(store::Store& kiosk, const std::string& outcome) {
  auto q = kiosk.db().query("SELECT count(*) FROM outbox WHERE outcome = ?");
  q.bind_all(outcome);
  return q.step() ? q.int64(0) : 0;
}

std::uint64_t fault_seed() {
  if (const char* s = std::getenv("ALLIANCE_FAULT_SEED")) return std::strtoull(s, nullptr, 10);
  return 20261128;
}

}  // namespace

TEST_CASE("an answer lost after the server committed is replayed and answered as duplicates") {
  keep_traffic_local();
  TestServer server;
  FaultProxy proxy(server.port(), FaultPlan{});
  TempDir dir;
  auto kiosk = store::Store::open(dir / "kiosk.db");
  const auto enrolled = server.enroll();
  store::save_credentials(kiosk, {.server_url = proxy.url(),
                                  .device_id = enrolled.device_id,
                                  .token = enrolled.token,
                                  .office = enrolled.office});
  register_members(kiosk, 120);
  proxy.force({Fault::lost_response});
  sync::Agent agent(kiosk, quick_agent());

  auto lost = agent.attempt();
  REQUIRE_FALSE(lost.report.ok());
  CHECK(kiosk.queue_counts().pending == 120);            // nothing acknowledged without an answer
  CHECK(server.store().count_applied_changes() == 120);  // but the server committed
  CHECK(kiosk.sync_status().state == "offline");
  CHECK_FALSE(kiosk.sync_status().next_retry_at.empty());

  auto replay = agent.attempt();
  REQUIRE(replay.report.ok());
  CHECK(replay.report.duplicate == 120);
  CHECK(replay.report.applied == 0);
  CHECK(kiosk.queue_counts().pending == 0);
  CHECK(outcome_count(kiosk, "duplicate") == 120);
  CHECK(server.store().count_applied_changes() == 120);
  CHECK(server.store().count_records(protocol::Entity::member) == 120);
  CHECK(proxy.injected()[Fault::lost_response] == 1);
}

TEST_CASE("a change the server rejects is set aside and never blocks the queue") {
  keep_traffic_local();
  TestServer server;
  TempDir dir;
  auto kiosk = store::Store::open(dir / "kiosk.db");
  const auto enrolled = server.enroll();
  store::save_credentials(
      kiosk,
      {.server_url = local_url(server), .device_id = enrolled.device_id, .token = enrolled.token});
  register_members(kiosk, 10);
  // A change the device let through but the server refuses (a bad phone),
  // queued between good ones as the outbox would hold it.
  auto bad = member_with_id(500);
  bad.phone = "12";
  bad.reference_code = "ABCD-EFGH";
  auto change = change_of(bad, hlc_at(1'800'000'000'000));
  kiosk.db()
      .query(
          "INSERT INTO outbox (change_id, entity, entity_id, op, hlc, payload, created_at) "
          "VALUES (?, 'member', ?, 'create', ?, ?, '2026-11-28T00:00:00.000Z')")
      .bind_all(change.change_id, bad.id, change.hlc, protocol::encode(change))
      .run();
  register_members(kiosk, 10, 100);

  sync::AgentOptions options = quick_agent();
  options.batch_max_changes = 4;
  sync::Agent agent(kiosk, options);
  auto a = agent.attempt();
  REQUIRE(a.report.ok());
  CHECK(a.report.rejected == 1);
  CHECK(a.report.applied == 20);
  CHECK(kiosk.queue_counts().pending == 0);
  auto rejected = kiosk.rejected_changes();
  REQUIRE(rejected.size() == 1);
  CHECK(rejected[0].change_id == change.change_id);
  CHECK_FALSE(rejected[0].reject_code.empty());
  CHECK(server.store().count_records(protocol::Entity::member) == 20);
}

TEST_CASE("a revoked device keeps its records and resumes after enrolling again") {
  keep_traffic_local();
  TestServer server;
  TempDir dir;
  const auto db = dir / "kiosk.db";
  auto kiosk = store::Store::open(db);
  enroll_with_binary(server, db, local_url(server), dir.path());
  auto ids = register_members(kiosk, 20);
  REQUIRE(run_process(sync_args("once", db), dir.path()).exit_code == 0);

  const auto credentials = store::load_credentials(kiosk);
  REQUIRE(credentials.has_value());
  auto revoke = run_process(
      {kCentralBinary, "revoke-device", "--db", server.db_spec(), credentials->device_id},
      dir.path());
  INFO(revoke.err);
  REQUIRE(revoke.exit_code == 0);

  auto more = register_members(kiosk, 15, 20);
  ids.insert(ids.end(), more.begin(), more.end());
  auto refused = run_process(sync_args("once", db), dir.path());
  CHECK(refused.exit_code != 0);
  CHECK(refused.err.find("device not enrolled or revoked") != std::string::npos);
  CHECK(kiosk.queue_counts().pending == 15);
  auto status = run_process(sync_args("status", db, {"--json"}), dir.path());
  CHECK(status.out.find("\"state\":\"revoked\"") != std::string::npos);
  CHECK(status.out.find("\"queue_depth\":15") != std::string::npos);
  auto text = run_process(sync_args("status", db), dir.path());
  CHECK(text.out.find("device not enrolled or revoked") != std::string::npos);

  // The daemon does not hammer the server while revoked, and picks up a new enrolment.
  Process agent(sync_args("run", db, {"--backoff-base-ms", "50", "--backoff-cap", "1"}),
                dir.path());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK(kiosk.queue_counts().pending == 15);
  enroll_with_binary(server, db, local_url(server), dir.path());
  CHECK(eventually([&] { return kiosk.queue_counts().pending == 0; }, std::chrono::seconds(15)));
  agent.signal(SIGTERM);
  CHECK(agent.wait(std::chrono::seconds(5)).exit_code == 0);
  CHECK(central_member_ids(server.store()) == std::set<std::string>(ids.begin(), ids.end()));
  CHECK(kiosk.sync_status().state == "idle");
}

TEST_CASE("SIGTERM abandons a request stuck on a dead link and exits within 2 s") {
  keep_traffic_local();
  TestServer server;
  FaultProxy proxy(server.port(), FaultPlan{});
  TempDir dir;
  const auto db = dir / "kiosk.db";
  auto kiosk = store::Store::open(db);
  enroll_with_binary(server, db, proxy.url(), dir.path());
  register_members(kiosk, 30);
  proxy.force({Fault::black_hole, Fault::black_hole, Fault::black_hole});
  Process agent(sync_args("run", db), dir.path());
  CHECK(
      eventually([&] { return kiosk.sync_status().state == "syncing"; }, std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the push is in flight
  const auto asked = std::chrono::steady_clock::now();
  agent.signal(SIGTERM);
  auto r = agent.wait(std::chrono::seconds(10));
  CHECK(std::chrono::steady_clock::now() - asked < std::chrono::seconds(2));
  CHECK(r.exit_code == 0);
  CHECK(kiosk.queue_counts().pending == 30);  // nothing half-done, nothing lost
  CHECK(server.store().count_applied_changes() == 0);
}

TEST_CASE("after network faults, server errors and SIGKILLs the agent converges") {
  keep_traffic_local();
  const std::uint64_t seed = fault_seed();
  TestServer server;
  FaultPlan plan{.seed = seed, .fault_probability = 0.6};
  FaultProxy proxy(server.port(), plan);
  TempDir dir;
  const auto db = dir / "kiosk.db";
  auto kiosk = store::Store::open(db);
  proxy.set_faults(false);
  enroll_with_binary(server, db, proxy.url(), dir.path());
  proxy.set_faults(true);
  std::mt19937_64 rng(seed);
  const std::vector<std::string> quick = {"--connect-timeout", "2", "--low-speed-time",  "2",
                                          "--low-speed-limit", "1", "--backoff-base-ms", "100",
                                          "--backoff-cap",     "1", "--log-level",       "error"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> all = quick;
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  std::set<std::string> created;
  auto add = [&](int n) {
    for (auto& id : register_members(kiosk, n, static_cast<int>(created.size()))) {
      created.insert(id);
    }
  };

  // 1. One-shot runs through a link that fails more often than not.
  int once_failed = 0;
  for (int round = 0; round < 30; ++round) {
    add(20);
    auto r = run_process(sync_args("once", db, with({"--attempts", "1", "--batch-changes", "15"})),
                         dir.path(), std::chrono::seconds(60));
    REQUIRE_FALSE(r.timed_out);
    once_failed += r.exit_code != 0 ? 1 : 0;
  }

  // 2. SIGKILL at random moments during pushes, the agent restarted each time.
  proxy.set_link({.one_way_delay = std::chrono::milliseconds(20)});
  int kills = 0;
  int killed_while_working = 0;
  for (int round = 0; round < 35; ++round) {
    add(20);
    Process agent(sync_args("once", db, with({"--attempts", "3", "--batch-changes", "5"})),
                  dir.path());
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(5, 400)(rng)));
    agent.signal(SIGKILL);
    auto r = agent.wait(std::chrono::seconds(10));
    ++kills;
    killed_while_working += r.signal == SIGKILL ? 1 : 0;
  }

  // 3. The daemon under faults, with records arriving, then killed too.
  {
    Process daemon(sync_args("run", db, with({"--batch-changes", "25"})), dir.path());
    for (int i = 0; i < 10; ++i) {
      add(20);
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    daemon.signal(SIGKILL);
    auto r = daemon.wait(std::chrono::seconds(10));
    ++kills;
    killed_while_working += r.signal == SIGKILL ? 1 : 0;
  }

  // 4. Faults stop: the agent converges.
  proxy.set_faults(false);
  proxy.set_link({});
  bool converged = false;
  for (int i = 0; i < 10 && !converged; ++i) {
    auto r = run_process(sync_args("once", db, with({"--attempts", "3"})), dir.path(),
                         std::chrono::seconds(60));
    converged = r.exit_code == 0;
  }
  CHECK(converged);

  const auto counts = kiosk.queue_counts();
  const auto central = central_member_ids(server.store());
  std::int64_t lost = 0;
  for (const auto& id : created) lost += central.contains(id) ? 0 : 1;
  const std::int64_t central_rows = server.store().count_records(protocol::Entity::member);
  const std::int64_t duplicated =
      central_rows - static_cast<std::int64_t>(central.size()) +
      (server.store().count_applied_changes() - counts.acked - counts.rejected);
  std::cout << "fault run (seed " << seed << "): attempted " << created.size() << ", acknowledged "
            << counts.acked << ", rejected " << counts.rejected << ", lost " << lost
            << ", duplicated " << duplicated << ", outbox waiting " << counts.pending << "\n";
  std::cout << "  one-shot runs failed by faults: " << once_failed << " of 30; SIGKILLs: " << kills
            << " (" << killed_while_working << " while the agent was still working)\n";
  std::cout << "  faults injected by type:";
  const auto injected = proxy.injected();
  for (const Fault fault : all_faults()) {
    const auto it = injected.find(fault);
    std::cout << " " << to_string(fault) << "=" << (it == injected.end() ? 0 : it->second);
  }
  std::cout << " (total " << proxy.injected_total() << ", connections " << proxy.connections()
            << ")\n";

  CHECK(counts.pending == 0);
  CHECK(lost == 0);
  CHECK(duplicated == 0);
  CHECK(counts.acked == static_cast<std::int64_t>(created.size()));
  CHECK(central.size() == created.size());
  CHECK(kills >= 30);
  CHECK(killed_while_working >= 30);
  CHECK(proxy.injected_total() > 20);
}

}  // namespace alliance::test
