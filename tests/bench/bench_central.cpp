// Ingest throughput of alliance-central on loopback: changes/s applied with
// batches of 500 from 4 concurrent clients (issue 15's figure; the goal is
// 50,000), the CPU it took, and the process's memory. Prints figures; it is
// not a timed test and asserts no figure. --quick runs a tiny load for ctest.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "bench/ingest_load.hpp"
#include "central/server_fixture.hpp"

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

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  const bench::IngestShape shape{
      .clients = 4, .batch_size = quick ? 50 : 500, .batches_per_client = quick ? 2 : 10};

  test::TestServer server;
  std::vector<bench::IngestClient> clients;
  for (int c = 0; c < shape.clients; ++c) {
    const auto device = server.enroll();
    clients.push_back({.port = server.port(), .token = device.token, .hlc_node = device.device_id});
  }
  const bench::IngestLoad load(shape, std::move(clients));
  const auto run = load.run();
  const long total = shape.total();
  const auto stored = server.store().count_records(protocol::Entity::member);

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
  std::printf("  memory: %s, %s\n", status_line("VmHWM").c_str(), status_line("VmRSS").c_str());
  return run.failed_requests == 0 && run.applied == total && stored == total ? 0 : 1;
}
