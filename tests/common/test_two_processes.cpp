// Two processes on one file: the kiosk writing while the agent acknowledges.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>

#include "common/store/store.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRunFor = std::chrono::milliseconds(1500);

// Runs body in a child process; the child writes its result count to a file
// and exits 0, or prints why it failed and exits 1.
template <class Body>
pid_t spawn(const std::filesystem::path& result_file, Body body) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  try {
    const long long n = body();
    std::ofstream(result_file) << n;
    _exit(0);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "child failed: %s\n", e.what());
    _exit(1);
  }
}

long long read_count(const std::filesystem::path& file) {
  long long n = -1;
  std::ifstream(file) >> n;
  return n;
}

}  // namespace

TEST_CASE("a writer and an acknowledger share one file without busy errors or lost acks") {
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  { auto init = store::Store::open(db); }

  const pid_t writer = spawn(dir / "written", [&] {
    auto s = store::Store::open(db);
    long long written = 0;
    const auto end = Clock::now() + kRunFor;
    while (Clock::now() < end) {
      if (!s.register_member(test::sample_member(static_cast<int>(written)),
                             test::kenya_context())) {
        throw std::runtime_error("validation failed");
      }
      ++written;
    }
    return written;
  });
  const pid_t acker = spawn(dir / "acked", [&] {
    auto s = store::Store::open(db);
    long long acked = 0;
    const auto end = Clock::now() + kRunFor + std::chrono::milliseconds(300);
    while (Clock::now() < end) {
      auto batch = s.next_batch(50, 1 << 20);
      std::vector<store::Ack> acks;
      for (const auto& e : batch) acks.push_back({e.change_id, protocol::Outcome::applied});
      s.acknowledge(acks);
      acked += static_cast<long long>(acks.size());
    }
    return acked;
  });
  REQUIRE(writer > 0);
  REQUIRE(acker > 0);

  int writer_status = 0;
  int acker_status = 0;
  REQUIRE(waitpid(writer, &writer_status, 0) == writer);
  REQUIRE(waitpid(acker, &acker_status, 0) == acker);
  CHECK(WIFEXITED(writer_status));
  CHECK(WEXITSTATUS(writer_status) == 0);
  CHECK(WIFEXITED(acker_status));
  CHECK(WEXITSTATUS(acker_status) == 0);

  const long long written = read_count(dir / "written");
  const long long acked = read_count(dir / "acked");
  auto s = store::Store::open(db);
  const auto counts = s.queue_counts();
  MESSAGE("two processes: " << written << " written, " << acked << " acknowledged by the agent, "
                            << counts.acked << " acked on disk, " << counts.pending << " pending");
  CHECK(written > 0);
  CHECK(acked > 0);
  CHECK(counts.acked == acked);
  CHECK(counts.acked + counts.pending == written);
  CHECK(s.member_count() == written);
}
