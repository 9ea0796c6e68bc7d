// Venue hub benchmark: desk-to-desk latency through a hub. Three desks run
// the real alliance-sync with production defaults (`run` with no options)
// against a hub (alliance-central serve and relay on one SQLite file) below
// an upstream alliance-central, all on loopback. A member registered at
// desk 1 (through common/store, as the kiosk saves it) is timed until it is
// in desk 2's and desk 3's databases, and until upstream holds it.
//
// usage: bench_venue_hub [--quick] [--rounds N]
//   (full)    20 rounds
//   --quick   3 rounds, to check the benchmark runs (ctest)
//
// Each time is from the save's commit to the first 20 ms poll that finds the
// member in the other database; a round waits until all three have it.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "sync/harness.hpp"
#include "sync/venue_hub.hpp"

using namespace alliance;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kOffice = "Nairobi";
constexpr double kTargetSeconds = 5.0;  // issue 17: registrations reach the other desks within 5 s

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

int fail(const std::string& why) {
  std::fprintf(stderr, "bench_venue_hub: %s\n", why.c_str());
  return 1;
}

struct Desk {
  std::filesystem::path db;
  store::Store store;
  test::Service agent;
};

// Median, p90 and max; `desk_to_desk` figures are held to the 5 s target.
void print_times(const char* what, const std::vector<double>& seconds, bool desk_to_desk) {
  const double max = test::fraction_point(seconds, 1.0);
  std::printf("%-20s median %6.3f s   p90 %6.3f s   max %6.3f s   (%zu rounds)%s\n", what,
              test::fraction_point(seconds, 0.5), test::fraction_point(seconds, 0.9), max,
              seconds.size(), desk_to_desk && max > kTargetSeconds ? "  OVER the 5 s target" : "");
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 20;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      rounds = 3;
    } else if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: bench_venue_hub [--quick] [--rounds N]\n");
      return 2;
    }
  }
  test::keep_traffic_local();
  log::set_level(log::Level::warn);
  test::TempDir dir;
  try {
    test::CentralService upstream("upstream", (dir / "upstream.db").string(), dir.path());
    upstream.start_and_wait();
    // The relay with its defaults, as a venue runs it.
    auto hub = test::make_hub("venue-hub", dir / "hub.db", upstream.db(), upstream.url(), kOffice,
                              dir.path());
    hub->relay.start();
    std::vector<std::unique_ptr<Desk>> desks;
    for (int d = 1; d <= 3; ++d) {
      const auto db = dir / ("desk" + std::to_string(d) + ".db");
      test::enroll_desk(db, *hub, kOffice, dir.path());
      desks.push_back(std::unique_ptr<Desk>(new Desk{
          .db = db,
          .store = store::Store::open(db),
          .agent =
              test::Service("desk " + std::to_string(d), test::sync_args("run", db), dir.path())}));
      desks.back()->agent.start();
    }
    auto upstream_store = central::CentralStore::open(upstream.db());

    // Warm-up: one member from each desk everywhere, so every agent has
    // finished its first sync and waits in a held pull, as at a venue.
    std::vector<std::string> warm;
    for (std::size_t d = 0; d < desks.size(); ++d) {
      for (auto& id : test::register_members(desks[d]->store, 1, 10'000 * static_cast<int>(d))) {
        warm.push_back(id);
      }
    }
    const bool settled = test::eventually(
        [&] {
          for (auto& desk : desks) {
            if (!desk->store.queue_counts().all_synced()) return false;
            for (const auto& id : warm) {
              if (!desk->store.find_member(id)) return false;
            }
          }
          return true;
        },
        std::chrono::seconds(120));
    if (!settled) return fail("the desks did not exchange their first members within 120 s");
    std::printf(
        "venue hub: 3 desks (alliance-sync run, production defaults) -> hub (serve + relay) -> "
        "upstream, loopback; %d rounds\n",
        rounds);
    std::fflush(stdout);

    std::mt19937 rng(17);
    std::vector<double> to_desk2;
    std::vector<double> to_desk3;
    std::vector<double> to_upstream;
    for (int round = 0; round < rounds; ++round) {
      // A pause as between two registrations, the agents back in their held pulls.
      std::this_thread::sleep_for(std::chrono::milliseconds(500 + rng() % 1000));
      const auto ids = test::register_members(desks[0]->store, 1, 1'000 + round);
      const auto saved = Clock::now();
      const std::string& id = ids.front();
      std::optional<double> desk2;
      std::optional<double> desk3;
      std::optional<double> up;
      const auto deadline = saved + std::chrono::seconds(60);
      while ((!desk2 || !desk3 || !up) && Clock::now() < deadline) {
        const auto now = Clock::now();
        if (!desk2 && desks[1]->store.find_member(id)) desk2 = seconds_between(saved, now);
        if (!desk3 && desks[2]->store.find_member(id)) desk3 = seconds_between(saved, now);
        if (!up && test::central_member_ids(*upstream_store).contains(id)) {
          up = seconds_between(saved, now);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (!desk2 || !desk3 || !up) {
        return fail("round " + std::to_string(round + 1) + ": the member was not everywhere 60 s " +
                    "after the save (desk 2 " + (desk2 ? "yes" : "no") + ", desk 3 " +
                    (desk3 ? "yes" : "no") + ", upstream " + (up ? "yes" : "no") + ")");
      }
      std::printf("  round %2d: desk 2 %6.3f s   desk 3 %6.3f s   upstream %6.3f s\n", round + 1,
                  *desk2, *desk3, *up);
      std::fflush(stdout);
      to_desk2.push_back(*desk2);
      to_desk3.push_back(*desk3);
      to_upstream.push_back(*up);
    }
    std::printf(
        "desk-to-desk latency through the hub (save at desk 1 to the member in the other "
        "desk's database):\n");
    print_times("desk 1 -> desk 2", to_desk2, true);
    print_times("desk 1 -> desk 3", to_desk3, true);
    print_times("desk 1 -> upstream", to_upstream, false);

    for (auto& desk : desks) {
      if (desk->agent.stop().exit_code != 0)
        return fail(desk->agent.name() + " did not stop cleanly");
    }
    if (hub->relay.stop().exit_code != 0) return fail("the relay did not stop cleanly");
    hub->serve.service().stop();
    upstream.service().stop();
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  return 0;
}
