// Sync benchmark: registrations pushed by the agent to a real alliance-central,
// over loopback and over an emulated bad link, against one POST per record.
//
// usage: bench_sync [--quick] [--loopback-only] [--once-only]
//   --quick          small sizes, to check the benchmark runs (ctest uses it)
//   --loopback-only  skip the bad link (its runs take about a minute)
//   --once-only      only the `alliance-sync once` run, to profile it alone
//
// Figures: records/s end to end (store → push → server commit → ack written),
// for the agent in this process and for the real `alliance-sync once` binary
// (process start to exit: opening and checking the file, push, pull),
// bytes on the wire per record (request and answer, headers included), and on
// the bad link (256 kbit/s, 300 ms round trip, random stalls) the agent's time
// as a ratio to the best any client could do: compressed bytes sent ÷ 256
// kbit/s plus one round trip per batch.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "bench/cpu_time.hpp"
#include "central/server_fixture.hpp"
#include "common/store/store.hpp"
#include "fault_proxy.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"
#include "sync/agent.hpp"
#include "sync/process.hpp"

using namespace alliance;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kBadLinkBytesPerSecond = 256'000.0 / 8.0;
constexpr double kBadLinkRttSeconds = 0.300;

const char* const kGiven[] = {"Amina", "José",  "Olga",   "Chidi",  "Fatoumata", "Nguyen", "Ana",
                              "Kofi",  "Grace", "Tendai", "Mariam", "Joseph",    "Ivan",   "Aisha"};
const char* const kFamily[] = {"Wanjiru", "Núñez", "Ivanova", "Okafor", "Diallo", "Silva",
                               "Mensah",  "Banda", "Phiri",   "Mwangi", "Kamara", "Traoré"};
const char* const kRegions[] = {"Nairobi", "Kisumu", "Mombasa", "Nakuru", "Eldoret", "Machakos"};
const char* const kRoles[] = {"social_worker", "case_manager", "supervisor", "para_professional"};

model::Member varied_member(int n, std::mt19937& rng) {
  auto m = test::sample_member(0);
  m.given_name = kGiven[rng() % 14];
  m.family_name = std::string(kFamily[rng() % 12]) + " " + kFamily[rng() % 12];
  m.phone = "+2547" + std::to_string(10'000'000 + (rng() % 89'999'999));
  m.email = "member" + std::to_string(n) + "." + std::to_string(rng() % 100000) + "@example.org";
  m.region = kRegions[rng() % 6];
  m.role = kRoles[rng() % 4];
  m.years_experience = static_cast<int>(rng() % 30);
  return m;
}

struct Run {
  int records = 0;
  double seconds = 0;
  std::uint64_t bytes_up = 0;
  std::uint64_t bytes_down = 0;
  std::int64_t batches = 0;
  std::uint64_t body_raw = 0;
  std::uint64_t body_sent = 0;
  // CPU seconds (user + system) of the agent process and of central (this
  // process, which serves), for the end-to-end run.
  double agent_cpu = 0;
  double central_cpu = 0;
  bool ok = false;
};

void register_varied(store::Store& kiosk, int records) {
  std::mt19937 rng(42);
  for (int start = 0; start < records; start += 500) {
    std::vector<model::Member> drafts;
    for (int i = start; i < std::min(records, start + 500); ++i) {
      drafts.push_back(varied_member(i, rng));
    }
    if (!kiosk.register_members(std::move(drafts), test::kenya_context())) {
      std::fprintf(stderr, "bench_sync: sample members did not validate\n");
      std::exit(1);
    }
  }
}

// Saves `records` registrations, then times the agent pushing them all.
Run push_run(int records, std::size_t batch, const std::optional<test::LinkShape>& link) {
  test::TestServer server;
  std::optional<test::FaultProxy> proxy;
  if (link) proxy.emplace(server.port(), test::FaultPlan{.seed = 7, .link = *link});
  test::TempDir dir;
  auto kiosk = store::Store::open(dir / "kiosk.db");
  register_varied(kiosk, records);
  const auto enrolled = server.enroll();
  const std::string url =
      proxy ? proxy->url() : "http://127.0.0.1:" + std::to_string(server.port());
  store::save_credentials(
      kiosk, {.server_url = url, .device_id = enrolled.device_id, .token = enrolled.token});
  sync::AgentOptions options;
  options.batch_max_changes = batch;
  options.http.low_speed_time_s = 120;
  options.seed = 1;
  sync::Agent agent(kiosk, options);
  log::set_level(log::Level::warn);

  const auto start = Clock::now();
  const auto report = agent.push_all();
  const auto stop = Clock::now();
  Run run;
  run.records = records;
  run.seconds = std::chrono::duration<double>(stop - start).count();
  run.batches = report.batches;
  run.ok = report.ok() && report.applied == records && kiosk.queue_counts().pending == 0;
  const auto traffic = agent.traffic();
  run.body_raw = traffic.body_bytes_raw;
  run.body_sent = traffic.body_bytes_sent;
  if (proxy) {
    run.bytes_up = proxy->bytes_up();
    run.bytes_down = proxy->bytes_down();
  } else {
    run.bytes_up = traffic.bytes_sent;
    run.bytes_down = traffic.bytes_received;
  }
  if (!run.ok) {
    std::fprintf(stderr, "bench_sync: the push did not finish cleanly (%s)\n",
                 report.failure ? report.failure->message.c_str() : "counts differ");
  }
  return run;
}

// Saves `records` registrations, then times `alliance-sync once` from its
// start to its exit, as an operator would run it against central on loopback.
Run once_run(int records) {
  test::TestServer server;
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  {
    auto kiosk = store::Store::open(db);
    register_varied(kiosk, records);
    const auto enrolled = server.enroll();
    store::save_credentials(
        kiosk,
        {.server_url = server.url(), .device_id = enrolled.device_id, .token = enrolled.token});
  }
  const double children_before = bench::cpu_seconds(RUSAGE_CHILDREN);
  const double self_before = bench::cpu_seconds(RUSAGE_SELF);
  const auto start = Clock::now();
  const auto result = test::run_process({ALLIANCE_SYNC_BINARY, "once", "--db", db.string()},
                                        dir.path(), std::chrono::minutes(5));
  const auto stop = Clock::now();
  Run run;
  run.agent_cpu = bench::cpu_seconds(RUSAGE_CHILDREN) - children_before;
  run.central_cpu = bench::cpu_seconds(RUSAGE_SELF) - self_before;
  run.records = records;
  run.seconds = std::chrono::duration<double>(stop - start).count();
  const auto stored = server.store().count_records(protocol::Entity::member);
  run.ok = result.exit_code == 0 && stored == records;
  if (!run.ok) {
    std::fprintf(stderr, "bench_sync: alliance-sync once exited %d with %lld of %d stored: %s\n",
                 result.exit_code, static_cast<long long>(stored), records, result.err.c_str());
  }
  return run;
}

double per_record(std::uint64_t bytes, int records) {
  return static_cast<double>(bytes) / static_cast<double>(records);
}

void print_run(const char* label, const Run& r) {
  std::printf(
      "  %-34s %6d records  %8.2f s  %9.0f records/s  %7.1f B/record up  %6.1f B/record down  %lld "
      "requests\n",
      label, r.records, r.seconds, r.records / r.seconds, per_record(r.bytes_up, r.records),
      per_record(r.bytes_down, r.records), static_cast<long long>(r.batches));
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  bool loopback_only = false;
  bool once_only = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else if (std::strcmp(argv[i], "--loopback-only") == 0) {
      loopback_only = true;
    } else if (std::strcmp(argv[i], "--once-only") == 0) {
      once_only = true;
    } else {
      std::fprintf(stderr, "usage: bench_sync [--quick] [--loopback-only] [--once-only]\n");
      return 2;
    }
  }
  const int n = quick ? 500 : 10'000;
  const int loopback_sample = quick ? 100 : 1000;
  const int bad_sample = quick ? 10 : 200;
  bool all_ok = true;

  std::printf("bench_sync: %d registrations pushed by alliance-sync to alliance-central%s\n", n,
              quick ? " (quick mode: small sizes)" : "");

  std::printf("loopback (127.0.0.1, no shaping):\n");
  const auto print_once = [&](const Run& once) {
    std::printf("  %-34s %6d records  %8.2f s  %9.0f records/s (process start to exit)\n",
                "alliance-sync once, end to end", once.records, once.seconds,
                once.records / once.seconds);
    std::printf("    cpu: agent %.2f s (%.1f us per record), central %.2f s (%.1f us per record)\n",
                once.agent_cpu, once.agent_cpu * 1e6 / n, once.central_cpu,
                once.central_cpu * 1e6 / n);
  };
  if (once_only) {
    const Run once = once_run(n);
    print_once(once);
    return once.ok ? 0 : 1;
  }
  const Run batched = push_run(n, 500, std::nullopt);
  print_run("agent, batches of 500, gzip", batched);
  std::printf("    push bodies: %.1f B/record before gzip, %.1f B/record after (%.1fx)\n",
              per_record(batched.body_raw, n), per_record(batched.body_sent, n),
              static_cast<double>(batched.body_raw) / static_cast<double>(batched.body_sent));
  const Run once = once_run(n);
  print_once(once);
  all_ok = all_ok && once.ok;
  const Run single = push_run(loopback_sample, 1, std::nullopt);
  print_run("baseline, one POST per record", single);
  const double single_total = single.seconds * n / loopback_sample;
  std::printf(
      "    baseline measured on %d records, extrapolated to %d: %.1f s; agent is %.1fx faster\n",
      loopback_sample, n, single_total, single_total / batched.seconds);
  all_ok = all_ok && batched.ok && single.ok;
  if (loopback_only) return all_ok ? 0 : 1;

  const test::LinkShape bad{.rate_bytes_per_s = kBadLinkBytesPerSecond,
                            .one_way_delay = std::chrono::milliseconds(150),
                            .stall_probability = 0.003,
                            .stall_min = std::chrono::milliseconds(200),
                            .stall_max = std::chrono::milliseconds(1500)};
  std::printf(
      "bad link (fault proxy: one link of 256 kbit/s each way shared by all connections, 300 ms "
      "round trip, random 0.2-1.5 s stalls on 0.3%% of packets):\n");
  const Run slow = push_run(n, 500, bad);
  print_run("agent, batches of 500, gzip", slow);
  // What the link itself needs: the bytes the push sends at the link's rate,
  // plus one round trip for the last answer (no round trip per batch: a
  // sender that keeps the link busy waits for no answer in between).
  const double bound =
      static_cast<double>(slow.bytes_up) / kBadLinkBytesPerSecond + kBadLinkRttSeconds;
  std::printf(
      "    bandwidth bound (bytes sent / 256 kbit/s + one round trip): %.2f s; agent/bound = "
      "%.2f\n",
      bound, slow.seconds / bound);
  const Run slow_single = push_run(bad_sample, 1, bad);
  print_run("baseline, one POST per record", slow_single);
  const double slow_single_total = slow_single.seconds * n / bad_sample;
  std::printf(
      "    baseline measured on a sample of %d records and extrapolated to %d: %.0f s (%.1f min); "
      "agent is %.1fx faster\n",
      bad_sample, n, slow_single_total, slow_single_total / 60.0, slow_single_total / slow.seconds);
  all_ok = all_ok && slow.ok && slow_single.ok;
  return all_ok ? 0 : 1;
}
