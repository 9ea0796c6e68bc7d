// Ingest throughput of alliance-central on loopback: changes/s applied with
// batches of 500 from 4 concurrent clients (issue 15's figure; the goal is
// 50,000), the CPU it took, the console keys' catch-up that pushes leave
// behind, what validation alone costs, and the process's memory. Prints
// figures; it is not a timed test and asserts no figure. --quick runs a tiny
// load for ctest; --batches N sends N batches per client instead of 10.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/ingest_load.hpp"
#include "central/server_fixture.hpp"
#include "central/store/record_keys.hpp"
#include "common/model/validation.hpp"

using namespace alliance;

namespace {

std::string status_line(const char* key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(key)) return line;
  }
  return std::string(key) + " ?";
}

// CPU microseconds per member that validation alone takes (the rules central
// applies to every member pushed, libphonenumber and ICU included), on one
// core: a ceiling on ingest however cheap storage becomes.
double validation_us_per_member(int members, int& invalid) {
  const double before = bench::own_cpu_seconds();
  for (int n = 0; n < members; ++n) {
    auto m = test::member_with_id(n);
    const model::ValidationContext context{.default_country = m.country, .current_year = 2026};
    if (!model::normalize_and_validate(m, context).empty()) ++invalid;
  }
  return (bench::own_cpu_seconds() - before) * 1e6 / static_cast<double>(members);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  int batches = 10;  // per client: issue 15's figure is taken with 10
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") {
      quick = true;
    } else if (arg == "--batches" && i + 1 < argc) {
      batches = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: bench_central [--quick] [--batches N]\n"
                   "  --batches N  batches of 500 per client (default 10); more shows the\n"
                   "               steady state past a cold server's first batches\n");
      return 2;
    }
  }
  if (batches < 1 || batches > 1000) {
    std::fprintf(stderr, "bench_central: --batches takes 1 to 1000\n");
    return 2;
  }
  const bench::IngestShape shape{
      .clients = 4, .batch_size = quick ? 50 : 500, .batches_per_client = quick ? 2 : batches};

  // The console's background upkeep would take the keys' work in the middle
  // of the run; it is timed on its own after the pushes instead.
  central::ApiLimits limits;
  limits.console.keys_upkeep_every = std::chrono::hours(1);
  test::TestServer server(limits);
  std::vector<bench::IngestClient> clients;
  for (int c = 0; c < shape.clients; ++c) {
    const auto device = server.enroll();
    clients.push_back({.port = server.port(), .token = device.token, .hlc_node = device.device_id});
  }
  const bench::IngestLoad load(shape, std::move(clients));
  const auto run = load.run();
  const long total = shape.total();
  const auto stored = server.store().count_records(protocol::Entity::member);

  // Pushes leave the console's keys to catch_up_record_keys (the console's
  // background upkeep, or its next page): the work moved off the push, timed
  // on its own so the two figures add up to what the records cost in all.
  auto keys_db = server.open_db();
  const double keys_cpu_before = bench::own_cpu_seconds();
  const auto keys_start = std::chrono::steady_clock::now();
  const std::int64_t keyed = central::catch_up_record_keys(keys_db);
  const double keys_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - keys_start).count();
  const double keys_cpu = bench::own_cpu_seconds() - keys_cpu_before;

  int invalid = 0;
  const int validated = quick ? 100 : 5000;
  const double validation_us = validation_us_per_member(validated, invalid);

  std::printf("bench_central: %d clients x %d batches x %d changes = %ld changes in %.2f s\n",
              shape.clients, shape.batches_per_client, shape.batch_size, total, run.seconds);
  std::printf(
      "  ingest (%d clients x batches of %d): %.0f changes/s applied (%lld stored, %d failed "
      "requests)\n",
      shape.clients, shape.batch_size, static_cast<double>(total) / run.seconds,
      static_cast<long long>(stored), run.failed_requests);
  // On a busy machine the wall clock also counts other programs and fsync
  // waits; the CPU taken per change is the steadier figure to compare.
  std::printf("  cpu: %.2f s for server and clients together, %.1f us per change\n",
              run.own_cpu_seconds, run.own_cpu_seconds * 1e6 / static_cast<double>(total));
  std::printf(
      "  console keys caught up afterwards: %lld records in %.2f s (%.0f records/s, %.1f us "
      "cpu each)\n",
      static_cast<long long>(keyed), keys_seconds, static_cast<double>(keyed) / keys_seconds,
      keys_cpu * 1e6 / static_cast<double>(std::max<std::int64_t>(keyed, 1)));
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  std::printf(
      "  validation alone: %.1f us cpu per member (%d invalid of %d): at most %.0f changes/s on "
      "%u cores before any storage\n",
      validation_us, invalid, validated, cores * 1e6 / validation_us, cores);
  std::printf("  memory: %s, %s\n", status_line("VmHWM").c_str(), status_line("VmRSS").c_str());
  return run.failed_requests == 0 && run.applied == total && stored == total && keyed >= total ? 0
                                                                                               : 1;
}
