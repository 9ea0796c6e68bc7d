// Idle bill benchmark: the network bytes an enrolled, idle alliance-sync
// spends with production defaults against a TLS central, counted by a
// byte-counting proxy in between, extrapolated to a day; then how fast a
// change made centrally reaches that idle kiosk, and a local save central.
//
// usage: bench_idle_bill [--quick] [--minutes N] [--pull-interval S] [--sync-binary PATH]
//   (full)      N minutes (default 30; the figure needs 10 or more) with the production
//               defaults: the real alliance-sync binary, `run` with no options
//               but --ca-file; central with its default options over TLS
//   --quick     30 s with --pull-interval 5, to check the benchmark runs
//               (ctest); its bytes per day are not the production figure
//   --pull-interval S   run the agent with it (to see how the bill scales)
//   --sync-binary PATH  another alliance-sync (e.g. a copy, so a rebuild
//               cannot replace it during a long run)
//
// What is counted: the TCP payload both ways between the agent and central
// (TLS handshakes, records and HTTP included), as the proxy forwards it;
// IP and TCP headers are not (see sync/README.md, "The daily data bill").
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "fault_proxy.hpp"
#include "support/certificates.hpp"
#include "sync/harness.hpp"

using namespace alliance;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

bool has_pack(store::Store& kiosk, const std::string& id) {
  for (const auto& pack : kiosk.list_packs()) {
    if (pack.id == id) return true;
  }
  return false;
}

int fail(const std::string& why) {
  std::fprintf(stderr, "bench_idle_bill: %s\n", why.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  int minutes = 30;
  std::string pull_interval;  // empty: the agent's default
  std::string sync_binary = ALLIANCE_SYNC_BINARY;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else if (std::strcmp(argv[i], "--minutes") == 0 && i + 1 < argc) {
      minutes = std::max(1, std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--pull-interval") == 0 && i + 1 < argc) {
      pull_interval = argv[++i];
    } else if (std::strcmp(argv[i], "--sync-binary") == 0 && i + 1 < argc) {
      sync_binary = argv[++i];
    } else {
      std::fprintf(stderr, "usage: bench_idle_bill [--quick] [--minutes N] [--sync-binary PATH]\n");
      return 2;
    }
  }
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  log::set_level(log::Level::warn);
  test::TempDir dir;
  if (!test::make_certificates(dir.path())) {
    return fail("openssl could not make the test certificates; run installer/install-deps.sh");
  }
  // Central with its production defaults, over TLS.
  test::TestServer server(
      central::ServerOptions{.tls_cert = dir / "server.pem", .tls_key = dir / "server.key"});
  test::FaultProxy proxy(server.port(), test::FaultPlan{});
  proxy.set_faults(false);
  const std::string url = "https://127.0.0.1:" + std::to_string(proxy.port());
  const auto db = dir / "kiosk.db";
  auto kiosk = store::Store::open(db);
  const std::string code = server.store().create_enrolment_code("Nairobi", std::chrono::hours(1));
  const std::string ca = (dir / "ca.pem").string();
  auto enrolled = test::run_process({sync_binary, "enroll", "--db", db.string(), "--server", url,
                                     "--code", code, "--ca-file", ca},
                                    dir.path(), std::chrono::seconds(30));
  if (enrolled.exit_code != 0) return fail("enrolment failed: " + enrolled.err);
  // A kiosk with a little history, as in the field.
  test::register_members(kiosk, 20);

  std::vector<std::string> args = {sync_binary, "run", "--db", db.string(), "--ca-file", ca};
  if (quick && pull_interval.empty()) pull_interval = "5";
  if (!pull_interval.empty()) args.insert(args.end(), {"--pull-interval", pull_interval});
  test::Process agent(args, dir.path());
  const bool settled = test::eventually(
      [&] {
        const auto status = kiosk.sync_status();
        return status.state == "idle" && kiosk.queue_counts().pending == 0 &&
               !status.last_success_at.empty();
      },
      std::chrono::seconds(60));
  if (!settled) return fail("the agent did not finish its first sync within 60 s");
  const auto start_bytes = proxy.bytes_up() + proxy.bytes_down();
  std::printf("first sync (TLS handshake, 20 records pushed, catalogue pulled): %llu bytes\n",
              static_cast<unsigned long long>(start_bytes));
  // Let the first attempt's connection close (central's keep-alive, 15 s),
  // so the window holds only what an idle agent does.
  std::this_thread::sleep_for(std::chrono::seconds(quick ? 1 : 20));
  const auto counted_before = kiosk.data_use(std::chrono::system_clock::now()).today;

  proxy.reset_counters();
  const int connections_before = proxy.connections();
  const auto window = quick ? std::chrono::seconds(30) : std::chrono::seconds(60 * minutes);
  const auto window_start = Clock::now();
  std::printf(
      "idle for %lld s (%s)...\n", static_cast<long long>(window.count()),
      pull_interval.empty() ? "production defaults" : ("--pull-interval " + pull_interval).c_str());
  std::fflush(stdout);
  // Every burst of traffic, as it comes: an exchange is a request up and,
  // a wait later, its answer down.
  std::uint64_t seen_up = 0;
  std::uint64_t seen_down = 0;
  // The starts of requests (a burst up) and the bytes up to each: a whole
  // cycle lies between two of them, whatever the window's edges cut.
  std::vector<std::pair<double, std::uint64_t>> requests;
  while (Clock::now() - window_start < window) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto now_up = proxy.bytes_up();
    const auto now_down = proxy.bytes_down();
    if (now_up != seen_up) requests.emplace_back(seconds_since(window_start), seen_up + now_down);
    if (now_up != seen_up || now_down != seen_down) {
      std::printf("  t=%7.1f s  +%llu up  +%llu down\n", seconds_since(window_start),
                  static_cast<unsigned long long>(now_up - seen_up),
                  static_cast<unsigned long long>(now_down - seen_down));
      std::fflush(stdout);
      seen_up = now_up;
      seen_down = now_down;
    }
  }
  const double seconds = seconds_since(window_start);
  const auto up = proxy.bytes_up();
  const auto down = proxy.bytes_down();
  const double per_day = static_cast<double>(up + down) * 86'400.0 / seconds;
  std::printf("idle window: %.0f s, %llu bytes up, %llu bytes down, %d new connections\n", seconds,
              static_cast<unsigned long long>(up), static_cast<unsigned long long>(down),
              proxy.connections() - connections_before);
  std::printf("idle bytes per day (the window extrapolated): %.0f bytes = %.1f KB%s\n", per_day,
              per_day / 1000.0, quick ? " (quick settings, not the production figure)" : "");
  if (requests.size() >= 2) {
    // From the first request in the window to the last: whole cycles only.
    const double cycle_seconds =
        (requests.back().first - requests.front().first) / static_cast<double>(requests.size() - 1);
    const double cycle_bytes =
        static_cast<double>(requests.back().second - requests.front().second) /
        static_cast<double>(requests.size() - 1);
    const double cycles_per_day = 86'400.0 / cycle_seconds;
    std::printf(
        "whole cycles: %zu, one every %.1f s, %.0f bytes each: %.1f a day, %.0f bytes = %.1f KB a "
        "day%s\n",
        requests.size() - 1, cycle_seconds, cycle_bytes, cycles_per_day,
        cycle_bytes * cycles_per_day, cycle_bytes * cycles_per_day / 1000.0,
        quick ? " (quick settings)" : "");
  }

  // The agent's own count over the same window (what status shows).
  const auto counted_after = kiosk.data_use(std::chrono::system_clock::now()).today;
  // It counts a request when its answer comes: the window's first answer
  // brings the waiting connection's TLS handshake, made just before it.
  std::printf(
      "agent's own count in the window (status; with the TLS handshake of the waiting pull's "
      "connection, made before the window): %llu bytes\n",
      static_cast<unsigned long long>(counted_after - counted_before));

  // A change made centrally, to the idle kiosk.
  model::ResourcePack pack{.id = "CP-IDLE-BENCH", .title = "Idle bench pack", .languages = {"en"}};
  const auto changed_at = Clock::now();
  if (!server.store().import_catalog({pack}, {})) return fail("the catalogue import failed");
  if (!test::eventually([&] { return has_pack(kiosk, "CP-IDLE-BENCH"); },
                        std::chrono::seconds(60))) {
    return fail("a central change did not reach the idle agent within 60 s");
  }
  std::printf("central change reached the idle kiosk in %.2f s\n", seconds_since(changed_at));

  // A local save, to central.
  const auto saved_at = Clock::now();
  test::register_members(kiosk, 1, 1000);
  if (!test::eventually([&] { return kiosk.queue_counts().pending == 0; },
                        std::chrono::seconds(60))) {
    return fail("a local save was not pushed within 60 s");
  }
  std::printf("local save reached central in %.2f s\n", seconds_since(saved_at));

  agent.signal(SIGTERM);
  const auto stopped = agent.wait(std::chrono::seconds(15));
  if (stopped.exit_code != 0) return fail("the agent did not stop cleanly: " + stopped.err);
  if (!quick && per_day > 50'000) {
    std::printf("OVER the 50 KB a day target\n");
  }
  return 0;
}
