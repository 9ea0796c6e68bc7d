// The idle agent's small data bill: one pull that waits at central for a
// change instead of a pull a minute, local saves and "sync now" at once
// beside it, the bytes it used counted per day, and the daily budget. The
// real alliance-sync binary against a real alliance-central on 127.0.0.1,
// through the fault proxy (faults off) where bytes are counted.
#include <doctest/doctest.h>

#include <csignal>

#include "central/http/api.hpp"
#include "common/util/strings.hpp"
#include "fault_proxy.hpp"
#include "harness.hpp"
#include "sync/agent.hpp"

namespace alliance::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

central::ServerOptions quick_checks() {
  central::ServerOptions options;
  options.change_check_interval = milliseconds(50);
  return options;
}

std::string proxy_url(const FaultProxy& proxy) {
  return "http://127.0.0.1:" + std::to_string(proxy.port());
}

bool has_pack(store::Store& kiosk, const std::string& id) {
  for (const auto& pack : kiosk.list_packs()) {
    if (pack.id == id) return true;
  }
  return false;
}

void add_pack(TestServer& server, const std::string& id) {
  model::ResourcePack pack{.id = id, .title = "Pack " + id, .languages = {"en"}};
  REQUIRE(server.store().import_catalog({pack}, {}).has_value());
}

std::string status_json(const std::filesystem::path& db, const std::filesystem::path& dir) {
  auto r = run_process(sync_args("status", db, {"--json"}), dir, seconds(30));
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// The first attempt of a started agent is done (its status says idle).
bool settled(store::Store& kiosk) {
  const auto status = kiosk.sync_status();
  return status.state == "idle" && !status.last_success_at.empty();
}

// A central that looks for changes every 50 ms, the fault proxy before it
// (faults off: it only counts bytes), and a kiosk database enrolled through it.
struct IdleDesk {
  IdleDesk() {
    keep_traffic_local();
    proxy.set_faults(false);
    enroll_with_binary(server, db, proxy_url(proxy), dir.path());
  }
  TestServer server{quick_checks()};
  FaultProxy proxy{server.port(), FaultPlan{}};
  TempDir dir;
  std::filesystem::path db = dir / "kiosk.db";
  store::Store kiosk = store::Store::open(db);
};

}  // namespace

TEST_CASE("the defaults keep an idle agent to one request per 14 minutes, within 15 minutes") {
  const sync::AgentOptions defaults;
  CHECK(defaults.pull_interval == seconds(840));
  CHECK(defaults.max_daily_bytes == 0);
  CHECK(sync::kMaxPullWait == seconds(900));
  CHECK(central::ApiLimits{}.max_pull_wait == sync::kMaxPullWait);
  // A connection that died silently is given up and replaced within 15 minutes.
  CHECK(defaults.pull_interval + sync::kHeldAnswerMargin <= std::chrono::minutes(15));
  CHECK(defaults.pull_interval <= sync::kMaxPullWait);
}

TEST_CASE("an idle agent with default settings waits at central and gets a change at once") {
  IdleDesk d;
  auto& [server, proxy, dir, db, kiosk] = d;
  Process agent(sync_args("run", db), dir.path());  // production defaults
  REQUIRE(eventually([&] { return settled(kiosk); }, seconds(20)));
  std::this_thread::sleep_for(milliseconds(500));

  // Idle for 4 s: one pull waits at central; nothing else crosses the link.
  proxy.reset_counters();
  std::this_thread::sleep_for(seconds(4));
  CHECK(proxy.connections() == 0);
  CHECK(proxy.bytes_up() == 0);
  CHECK(proxy.bytes_down() == 0);

  // A change made centrally reaches the idle kiosk within seconds.
  const auto changed_at = Clock::now();
  add_pack(server, "CP-IDLE-01");
  REQUIRE(eventually([&] { return has_pack(kiosk, "CP-IDLE-01"); }, seconds(15)));
  const double seconds_to_kiosk = std::chrono::duration<double>(Clock::now() - changed_at).count();
  MESSAGE("central change reached the idle agent in " << seconds_to_kiosk << " s");
  CHECK(seconds_to_kiosk < 10.0);  // measured: about 0.2 s

  // A local save is pushed within seconds, beside the waiting pull.
  const auto saved_at = Clock::now();
  const auto ids = register_members(kiosk, 3);
  REQUIRE(eventually([&] { return kiosk.queue_counts().pending == 0; }, seconds(15)));
  const double seconds_to_central = std::chrono::duration<double>(Clock::now() - saved_at).count();
  CHECK(seconds_to_central < 10.0);  // measured: about 1 s (the file is looked at once a second)
  CHECK(server.store().count_records(protocol::Entity::member) == 3);

  // The bytes it used are counted, and match what crossed the proxy.
  agent.signal(SIGTERM);
  CHECK(agent.wait(seconds(10)).exit_code == 0);
  const auto use = kiosk.data_use(std::chrono::system_clock::now());
  CHECK(use.today > 0);
  CHECK(use.today == use.this_month);
  const auto json = status_json(db, dir.path());
  CHECK(json.find(util::cat("\"data_today_bytes\":", use.today)) != std::string::npos);
  CHECK(json.find("\"background_pulls_paused\":false") != std::string::npos);
}

TEST_CASE("the agent's byte count is what crossed the network") {
  IdleDesk d;
  auto& [server, proxy, dir, db, kiosk] = d;
  proxy.reset_counters();
  register_members(kiosk, 40);
  {
    Process agent(sync_args("run", db, {"--pull-interval", "2"}), dir.path());
    REQUIRE(eventually([&] { return kiosk.queue_counts().pending == 0; }, seconds(20)));
    std::this_thread::sleep_for(seconds(5));  // two waiting pulls answered empty
    agent.signal(SIGTERM);
    REQUIRE(agent.wait(seconds(10)).exit_code == 0);
  }
  const auto proxied = proxy.bytes_up() + proxy.bytes_down();
  const auto counted = kiosk.data_use(std::chrono::system_clock::now()).today;
  MESSAGE("agent counted " << counted << " bytes, the proxy carried " << proxied);
  REQUIRE(proxied > 0);
  // Counted from the kernel's TCP counters: what the proxy carried, but for
  // a last close the agent had no answer to.
  CHECK(counted <= proxied);
  CHECK(counted * 100 >= proxied * 95);
}

TEST_CASE("past the daily budget background pulls pause, pushes and sync now still go") {
  IdleDesk d;
  auto& [server, proxy, dir, db, kiosk] = d;
  // One byte: spent by the first attempt.
  Process agent(sync_args("run", db, {"--max-daily-bytes", "1", "--pull-interval", "2"}),
                dir.path());
  REQUIRE(eventually([&] { return settled(kiosk); }, seconds(20)));
  CHECK(kiosk.data_use(std::chrono::system_clock::now()).budget_spent());
  const auto json = status_json(db, dir.path());
  CHECK(json.find("\"background_pulls_paused\":true") != std::string::npos);
  CHECK(json.find("\"daily_budget_bytes\":1,") != std::string::npos);
  auto text = run_process(sync_args("status", db), dir.path(), seconds(30));
  CHECK(text.out.find("background pulls paused") != std::string::npos);

  // A central change does not come by itself (4 s: two pull intervals)...
  add_pack(server, "CP-BUDGET-01");
  std::this_thread::sleep_for(seconds(4));
  CHECK_FALSE(has_pack(kiosk, "CP-BUDGET-01"));
  // ...a new registration is still pushed...
  register_members(kiosk, 2);
  CHECK(eventually([&] { return kiosk.queue_counts().pending == 0; }, seconds(15)));
  CHECK(server.store().count_records(protocol::Entity::member) == 2);
  CHECK_FALSE(has_pack(kiosk, "CP-BUDGET-01"));  // (pushing brought nothing down)
  // ...and "sync now" pulls at once.
  kiosk.request_sync();
  CHECK(eventually([&] { return has_pack(kiosk, "CP-BUDGET-01"); }, seconds(15)));
  agent.signal(SIGTERM);
  CHECK(agent.wait(seconds(10)).exit_code == 0);
}

TEST_CASE("an agent stopped while its pull waits at central exits within two seconds") {
  IdleDesk d;
  auto& [server, proxy, dir, db, kiosk] = d;
  Process agent(sync_args("run", db), dir.path());
  REQUIRE(eventually([&] { return settled(kiosk); }, seconds(20)));
  std::this_thread::sleep_for(seconds(1));  // the pull now waits at central
  const auto stop_at = Clock::now();
  agent.signal(SIGTERM);
  CHECK(agent.wait(seconds(10)).exit_code == 0);
  CHECK(std::chrono::duration<double>(Clock::now() - stop_at).count() < 2.5);
}

}  // namespace alliance::test
