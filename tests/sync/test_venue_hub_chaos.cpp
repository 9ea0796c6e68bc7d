// The venue hub as real processes: three desks, a hub (serve and relay) and
// upstream SIGKILLed at random while the hub's upstream link faults, after
// which nothing is lost or doubled anywhere; and hubs chained two deep.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "fault_proxy.hpp"
#include "harness.hpp"
#include "venue_hub.hpp"

namespace alliance::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kOffice = "Nairobi";

// Quick retries, so a desk notices a restarted hub within a second or two.
std::vector<std::string> desk_agent(const std::filesystem::path& db, const std::string& interval) {
  return sync_args("run", db,
                   {"--connect-timeout", "2", "--low-speed-time", "2", "--low-speed-limit", "1",
                    "--backoff-base-ms", "100", "--backoff-cap", "1", "--pull-interval", interval,
                    "--log-level", "error"});
}

// A registration desk: its database (opened here as the kiosk opens it) and its agent.
struct Desk {
  int number;
  std::filesystem::path db;
  store::Store store;
  Service agent;
  std::vector<std::string> registered;
};

std::unique_ptr<Desk> make_desk(int number, const Hub& hub, const std::filesystem::path& dir,
                                const std::string& pull_interval) {
  const auto db = dir / ("desk" + std::to_string(number) + ".db");
  enroll_desk(db, hub, kOffice, dir);
  return std::unique_ptr<Desk>(new Desk{
      .number = number,
      .db = db,
      .store = store::Store::open(db),
      .agent =
          Service("desk " + std::to_string(number) + " agent", desk_agent(db, pull_interval), dir),
      .registered = {}});
}

// How many of `ids` the desk does not hold.
std::int64_t missing_at(store::Store& desk, const std::set<std::string>& ids) {
  std::int64_t missing = 0;
  for (const auto& id : ids) missing += desk.find_member(id) ? 0 : 1;
  return missing;
}

bool has_pack(store::Store& desk, const std::string& id) {
  const auto packs = desk.list_packs();
  return std::any_of(packs.begin(), packs.end(), [&](const auto& p) { return p.id == id; });
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

TEST_CASE("a venue hub under SIGKILLs and a faulty upstream link loses and doubles nothing") {
  keep_traffic_local();
  const std::uint64_t seed = hub_chaos_seed(20261130);
  std::cout << "venue hub chaos: seed " << seed << " (ALLIANCE_FAULT_SEED=" << seed
            << " replays it)\n";
  std::mt19937_64 rng(seed);
  auto between = [&](int low, int high) {
    return std::chrono::milliseconds(std::uniform_int_distribution<int>(low, high)(rng));
  };
  TempDir dir;

  CentralService upstream("upstream", central_db_spec(dir / "upstream.db"), dir.path());
  upstream.start_and_wait();
  // The hub's only way upstream; upstream keeps its port across restarts.
  FaultProxy proxy(upstream.port(), FaultPlan{.seed = seed, .fault_probability = 0.5});
  proxy.set_faults(false);
  // Quick retries and short holds, so the relay notices a restarted upstream soon.
  auto hub = make_hub("venue-hub", dir / "hub.db", upstream.db(), proxy.url(), kOffice, dir.path(),
                      {"--pull-wait", "5", "--connect-timeout", "2", "--low-speed-time", "3",
                       "--backoff-cap", "1", "--log-level", "error"});
  hub->relay.start();
  std::vector<std::unique_ptr<Desk>> desks;
  for (int d = 1; d <= 3; ++d) desks.push_back(make_desk(d, *hub, dir.path(), "10"));
  for (auto& desk : desks) desk->agent.start();

  int changes_made = 0;
  auto register_at = [&](Desk& desk, int n) {
    // Phones and e-mails stay unique across desks.
    const int offset = 10'000 * desk.number + static_cast<int>(desk.registered.size());
    for (auto& id : register_members(desk.store, n, offset)) {
      desk.registered.push_back(id);
      ++changes_made;
    }
  };
  for (auto& desk : desks) register_at(*desk, 5);

  // Chaos: one kill after another, each victim started again after a pause
  // (outages overlap), records written at the desks all along.
  struct Target {
    Service* service;
    std::string kind;
  };
  std::vector<Target> targets;
  for (auto& desk : desks) targets.push_back({&desk->agent, "desk agent"});
  targets.push_back({&hub->serve.service(), "hub serve"});
  targets.push_back({&hub->relay, "hub relay"});
  targets.push_back({&upstream.service(), "upstream"});
  constexpr int kKills = 102;  // 17 rounds of every target once, in a random order
  std::vector<std::optional<Clock::time_point>> restart_at(targets.size());
  std::vector<std::size_t> deck;
  std::map<std::string, int> kills_by_kind;
  int kills = 0;
  int found_exited = 0;
  proxy.set_faults(true);
  const auto chaos_start = Clock::now();
  const auto chaos_deadline = chaos_start + std::chrono::seconds(100);
  auto next_kill = chaos_start + between(150, 600);
  auto next_write = chaos_start;
  while (kills < kKills && Clock::now() < chaos_deadline) {
    const auto now = Clock::now();
    for (std::size_t i = 0; i < targets.size(); ++i) {
      if (restart_at[i] && *restart_at[i] <= now) {
        // The restarted relay's connections (its push and its pull) lose the
        // answers upstream committed: the replay must be answered as
        // duplicates, never applied twice.
        if (targets[i].kind == "hub relay") {
          proxy.force({Fault::lost_response, Fault::lost_response});
        }
        targets[i].service->start();
        restart_at[i].reset();
      }
    }
    if (now >= next_write) {
      register_at(*desks[std::uniform_int_distribution<std::size_t>(0, 2)(rng)],
                  std::uniform_int_distribution<int>(1, 3)(rng));
      next_write = now + between(150, 400);
    }
    if (now >= next_kill) {
      if (deck.empty()) {
        for (std::size_t i = 0; i < targets.size(); ++i) deck.push_back(i);
        std::shuffle(deck.begin(), deck.end(), rng);
      }
      // The next victim that is up (one still down waits for a later turn).
      const auto up = std::find_if(deck.begin(), deck.end(),
                                   [&](std::size_t i) { return !restart_at[i].has_value(); });
      if (up != deck.end()) {
        const std::size_t i = *up;
        deck.erase(up);
        if (targets[i].service->kill_hard()) {
          ++kills;
          ++kills_by_kind[targets[i].kind];
        } else {
          ++found_exited;
          std::cout << "  " << targets[i].service->name()
                    << " had exited by itself: " << targets[i].service->last_exit() << "\n";
        }
        restart_at[i] = Clock::now() + between(50, 1500);
      }
      next_kill = now + between(150, 600);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const double chaos_seconds = seconds_since(chaos_start);
  for (auto& desk : desks) register_at(*desk, 3);  // and a few after the last kill

  // Heal: the link is clean again and everything runs.
  proxy.set_faults(false);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (restart_at[i]) {
      targets[i].service->start();
      restart_at[i].reset();
    }
  }
  for (auto& target : targets) {
    if (!target.service->running()) {
      ++found_exited;
      std::cout << "  " << target.service->name()
                << " was not running at the heal: " << target.service->last_exit() << "\n";
      target.service->ensure_running();
    }
  }

  std::set<std::string> everyone;
  for (auto& desk : desks) everyone.insert(desk->registered.begin(), desk->registered.end());
  auto upstream_store = central::CentralStore::open(upstream.db());
  auto hub_store = central::CentralStore::open(hub->db);
  const auto healed = Clock::now();
  const bool converged = eventually(
      [&] {
        for (auto& desk : desks) {
          if (!desk->store.queue_counts().all_synced()) return false;
        }
        if (hub_store->relay_waiting_count() > 0) return false;
        const auto held = central_member_ids(*upstream_store);
        for (const auto& id : everyone) {
          if (!held.contains(id)) return false;
        }
        for (auto& desk : desks) {
          if (missing_at(desk->store, everyone) > 0) return false;
        }
        return true;
      },
      std::chrono::seconds(120));
  const double convergence_seconds = seconds_since(healed);

  const auto held = central_member_ids(*upstream_store);
  std::int64_t lost = 0;
  for (const auto& id : everyone) lost += held.contains(id) ? 0 : 1;
  const std::int64_t upstream_rows = upstream_store->count_records(protocol::Entity::member);
  const std::int64_t applied = upstream_store->count_applied_changes();
  const std::int64_t duplicated =
      (upstream_rows - static_cast<std::int64_t>(held.size())) + (applied - changes_made);

  std::cout << "venue hub chaos (seed " << seed << "): " << kills << " SIGKILLs in "
            << chaos_seconds << " s:";
  for (const auto& [kind, n] : kills_by_kind) std::cout << " " << kind << "=" << n;
  std::cout << "; found exited by itself " << found_exited << "\n";
  // The kinds that happened (a planned fault the connection never reached is not counted).
  const auto injected = proxy.injected();
  std::cout << "  faults injected on the upstream link: " << proxy.injected_total() << " in "
            << proxy.connections() << " connections:";
  for (const auto& [fault, n] : injected) std::cout << " " << to_string(fault) << "=" << n;
  std::cout << "\n";
  std::cout << "  registered " << changes_made << " members at 3 desks; upstream holds "
            << held.size() << " (" << upstream_rows << " rows, " << applied
            << " changes applied): lost " << lost << ", duplicated " << duplicated << "\n";
  for (auto& desk : desks) {
    const auto counts = desk->store.queue_counts();
    std::cout << "  " << desk->agent.name() << ": registered " << desk->registered.size()
              << ", missing " << missing_at(desk->store, everyone) << " of " << everyone.size()
              << ", outbox pending " << counts.pending << ", rejected " << counts.rejected
              << ", quarantined " << counts.quarantined << "\n";
  }
  std::cout << "  hub: " << hub_store->relay_waiting_count() << " changes waiting to go upstream\n";
  std::cout << "  " << (converged ? "converged" : "NOT converged") << " " << convergence_seconds
            << " s after healing\n";

  CHECK(converged);
  CHECK(kills >= 100);
  CHECK(kills_by_kind["desk agent"] >= 15);
  CHECK(kills_by_kind["hub serve"] >= 5);
  CHECK(kills_by_kind["hub relay"] >= 5);
  CHECK(kills_by_kind["upstream"] >= 5);
  CHECK(proxy.injected_total() >= 10);
  CHECK(injected.contains(Fault::lost_response));
  CHECK(found_exited == 0);  // serve, relay and the agents run until stopped
  CHECK(lost == 0);
  CHECK(duplicated == 0);
  CHECK(static_cast<std::int64_t>(held.size()) == static_cast<std::int64_t>(everyone.size()));
  CHECK(applied == changes_made);
  CHECK(hub_store->relay_waiting_count() == 0);  // the hub's queue upstream is empty
  for (auto& desk : desks) {
    INFO(desk->agent.name());
    const auto counts = desk->store.queue_counts();
    CHECK(counts.pending == 0);
    CHECK(counts.need_attention() == 0);
    CHECK(counts.acked == static_cast<std::int64_t>(desk->registered.size()));
    CHECK(missing_at(desk->store, everyone) == 0);
    CHECK(desk->store.member_count() == static_cast<std::int64_t>(everyone.size()));
  }

  for (auto& desk : desks) desk->agent.stop();
  CHECK(hub->relay.stop().exit_code == 0);
  hub->serve.service().stop();
  upstream.service().stop();
}

TEST_CASE("hubs chained desk to venue hub to region hub to upstream carry records both ways") {
  keep_traffic_local();
  TempDir dir;
  CentralService upstream("upstream", central_db_spec(dir / "upstream.db"), dir.path());
  upstream.start_and_wait();
  // The relays with their default settings.
  auto region =
      make_hub("region-hub", dir / "region.db", upstream.db(), upstream.url(), kOffice, dir.path());
  region->relay.start();
  // The venue hub's upstream is the region hub: an ordinary serve.
  auto venue =
      make_hub("venue-hub", dir / "venue.db", region->db, region->serve.url(), kOffice, dir.path());
  venue->relay.start();
  auto desk = make_desk(1, *venue, dir.path(), "840");  // the default hold
  desk->agent.start();

  const auto ids = register_members(desk->store, 5);
  auto upstream_store = central::CentralStore::open(upstream.db());
  const bool arrived = eventually(
      [&] {
        const auto held = central_member_ids(*upstream_store);
        return std::all_of(ids.begin(), ids.end(),
                           [&](const auto& id) { return held.contains(id); });
      },
      std::chrono::seconds(60));
  CHECK(arrived);
  CHECK(upstream_store->count_records(protocol::Entity::member) == 5);
  CHECK(upstream_store->count_applied_changes() == 5);

  const auto catalogue = dir / "catalog.json";
  {
    std::ofstream out(catalogue);
    out << R"({"schema": 1, "packs": [{"id": "CP-HUB-CHAIN-01", "title": "Hub chain pack",)"
        << R"( "languages": ["en"], "format": "print",)"
        << R"( "stock": [{"office": "Nairobi", "quantity": 7}]}]})";
  }
  central_command({"import-catalog", "--db", upstream.db(), catalogue.string()}, dir.path());
  const bool came_down = eventually([&] { return has_pack(desk->store, "CP-HUB-CHAIN-01"); },
                                    std::chrono::seconds(60));
  CHECK(came_down);
  CHECK(desk->store.queue_counts().all_synced());

  desk->agent.stop();
  CHECK(venue->relay.stop().exit_code == 0);
  CHECK(region->relay.stop().exit_code == 0);
  venue->serve.service().stop();
  region->serve.service().stop();
  upstream.service().stop();
}

}  // namespace alliance::test
