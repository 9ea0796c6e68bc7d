// Crash safety: a writer killed with SIGKILL at random moments loses no acknowledged save.
#include <doctest/doctest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <set>
#include <sstream>

#include "common/model/phone.hpp"
#include "common/store/store.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;

namespace {

// The child: save registrations in a loop, printing each id only after the
// commit has returned, exactly as the kiosk says "saved" only then.
[[noreturn]] void run_writer(const std::filesystem::path& db, int out_fd, int first) {
  try {
    auto s = store::Store::open(db);
    for (int i = 0; i < 1'000'000; ++i) {
      auto saved = s.register_member(test::sample_member(first + i), test::kenya_context());
      if (!saved) _exit(3);
      const std::string line = saved->member.id + "\n";
      if (write(out_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(4);
    }
  } catch (...) {
    _exit(2);
  }
  _exit(0);
}

std::int64_t count(store::Store& s, const std::string& sql) {
  auto q = s.db().query(sql);
  q.step();
  return q.int64(0);
}

}  // namespace

TEST_CASE("SIGKILL at random moments loses no acknowledged registration") {
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_us(0, 60'000);
  std::set<std::string> acknowledged;
  int kills = 0;
  constexpr int kRounds = 60;
  // libphonenumber reads its metadata once per process (about 25 ms, more on
  // a busy machine), as a kiosk does at its first save long before a crash.
  // The writers are forks of this process and start with it read.
  REQUIRE(model::normalize_phone("+254712345678", "KE").has_value());

  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(fds[0]);
      run_writer(db, fds[1], round * 100'000);
    }
    close(fds[1]);

    // Let it run a random while (sometimes killing it while it still opens
    // or migrates the file), reading ids as they come.
    std::string received;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::microseconds(delay_us(rng));
    char buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fds[0], POLLIN, 0};
      if (poll(&p, 1, 1) > 0) {
        const ssize_t n = read(fds[0], buf, sizeof buf);
        if (n <= 0) break;
        received.append(buf, static_cast<std::size_t>(n));
      }
    }
    REQUIRE(kill(pid, SIGKILL) == 0);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    const bool killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    if (!killed) {
      FAIL_CHECK("writer exited on its own with status " << status << " (seed " << seed << ")");
    }
    kills += killed ? 1 : 0;
    // Whatever it wrote before dying is still in the pipe.
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) {
      received.append(buf, static_cast<std::size_t>(n));
    }
    close(fds[0]);
    std::istringstream lines(received);
    for (std::string id; std::getline(lines, id);) acknowledged.insert(id);

    auto s = store::Store::open(db);
    auto check = s.db().query("PRAGMA integrity_check");
    REQUIRE(check.step());
    REQUIRE(check.text(0) == "ok");
  }

  auto s = store::Store::open(db);
  std::size_t missing = 0;
  for (const auto& id : acknowledged) {
    if (!s.find_member(id)) ++missing;
  }
  const auto members = count(s, "SELECT count(*) FROM members");
  const auto outbox = count(s, "SELECT count(*) FROM outbox WHERE entity = 'member'");
  const auto without_change = count(s,
                                    "SELECT count(*) FROM members m WHERE (SELECT count(*) FROM "
                                    "outbox o WHERE o.entity_id = m.id) <> 1");
  const auto orphans = count(s,
                             "SELECT count(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM "
                             "members m WHERE m.id = o.entity_id)");
  MESSAGE("crash safety: seed " << seed << ", " << kills << " SIGKILLs, " << acknowledged.size()
                                << " acknowledged saves, " << members << " members on disk, "
                                << outbox << " outbox changes, " << missing << " lost");
  CHECK(kills >= 50);
  CHECK(missing == 0);
  CHECK(acknowledged.size() > 0);
  // A save the child made but had no time to print may be on disk too: never fewer.
  CHECK(members >= static_cast<std::int64_t>(acknowledged.size()));
  CHECK(outbox == members);
  CHECK(without_change == 0);
  CHECK(orphans == 0);
}
