// Ingest throughput of alliance-central on loopback: changes/s applied with
// batches of 500 from 4 concurrent clients (issue 15's figure; the goal is
// 50,000), the CPU it took, and the process's memory. Prints figures; it is
// not a timed test and asserts no figure. --quick runs a tiny load for ctest.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

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

// User plus system CPU seconds of this process (server and clients) so far.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  const int clients = 4;
  const int batch_size = quick ? 50 : 500;
  const int batches_per_client = quick ? 2 : 10;

  // The console's background upkeep would take the keys' work in the middle
  // of the run; it is timed on its own after the pushes instead.
  central::ApiLimits limits;
  limits.console.keys_upkeep_every = std::chrono::hours(1);
  test::TestServer server(limits);
  std::vector<protocol::EnrollResponse> devices;
  std::vector<std::vector<std::string>> bodies(clients);
  for (int c = 0; c < clients; ++c) {
    devices.push_back(server.enroll());
    for (int b = 0; b < batches_per_client; ++b) {
      std::vector<protocol::Change> changes;
      for (int i = 0; i < batch_size; ++i) {
        const int n = (c * batches_per_client + b) * batch_size + i;
        changes.push_back(test::change_of(test::member_with_id(n),
                                          test::hlc_at(1000 + n, devices.back().device_id)));
      }
      bodies[static_cast<std::size_t>(c)].push_back(test::push_body(changes));
    }
  }

  // What validation alone costs (the same rules central applies to every
  // member pushed, libphonenumber and ICU included), on one core: a ceiling
  // on ingest however cheap storage becomes.
  const int validated = quick ? 100 : 5000;
  const double validation_cpu_before = cpu_seconds();
  int invalid = 0;
  for (int n = 0; n < validated; ++n) {
    auto m = test::member_with_id(n);
    const model::ValidationContext context{.default_country = m.country, .current_year = 2026};
    if (!model::normalize_and_validate(m, context).empty()) ++invalid;
  }
  const double validation_us =
      (cpu_seconds() - validation_cpu_before) * 1e6 / static_cast<double>(validated);

  std::vector<std::thread> threads;
  std::vector<int> failures(clients, 0);
  const double cpu_before = cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto client = server.client();
      for (const auto& body : bodies[static_cast<std::size_t>(c)]) {
        auto res =
            client->Post("/v1/sync/push", test::bearer(devices[static_cast<std::size_t>(c)].token),
                         body, "application/json");
        if (!res || res->status != 200) ++failures[static_cast<std::size_t>(c)];
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu_before;
  const long total = static_cast<long>(clients) * batches_per_client * batch_size;
  int failed = 0;
  for (int f : failures) failed += f;
  const auto stored = server.store().count_records(protocol::Entity::member);

  // Pushes leave the console's keys to catch_up_record_keys (the console's
  // background upkeep, or its next page): the work moved off the push, timed
  // on its own so the two figures add up to what the records cost in all.
  auto keys_db = server.open_db();
  const double keys_cpu_before = cpu_seconds();
  const auto keys_start = std::chrono::steady_clock::now();
  const std::int64_t keyed = central::catch_up_record_keys(keys_db);
  const double keys_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - keys_start).count();
  const double keys_cpu = cpu_seconds() - keys_cpu_before;

  std::printf("bench_central: %d clients x %d batches x %d changes = %ld changes in %.2f s\n",
              clients, batches_per_client, batch_size, total, seconds);
  std::printf(
      "  ingest (%d clients x batches of %d): %.0f changes/s applied (%lld stored, %d failed "
      "requests)\n",
      clients, batch_size, static_cast<double>(total) / seconds, static_cast<long long>(stored),
      failed);
  // On a busy machine the wall clock also counts other programs and fsync
  // waits; the CPU taken per change is the steadier figure to compare.
  std::printf("  cpu: %.2f s for server and clients together, %.1f us per change\n", cpu,
              cpu * 1e6 / static_cast<double>(total));
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
  return failed == 0 && stored == total && keyed >= total ? 0 : 1;
}
