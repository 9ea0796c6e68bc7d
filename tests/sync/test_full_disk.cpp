// A 3 MB disk filled, then partly freed: acknowledgements are still recorded,
// new records pause and resume, the WAL gives its space back. Needs a tmpfs
// in a private mount namespace (root); otherwise it says why and exits 77,
// which ctest reports as skipped, never as passed.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "common/store/file_health.hpp"
#include "common/util/strings.hpp"
#include "harness.hpp"

namespace alliance::test {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void skip(const std::string& reason) {
  std::cerr << "SKIPPED: a 3 MB disk needs a tmpfs in a private mount namespace: " << reason
            << " (run the tests as root, where unshare -m and mount work)\n";
  std::cerr.flush();
  std::_Exit(77);
}

// Mounts a 3 MB tmpfs at `at`, seen by this process and its children only.
void mount_small_disk(const fs::path& at) {
  if (::unshare(CLONE_NEWNS) != 0) skip(util::cat("unshare(CLONE_NEWNS): ", std::strerror(errno)));
  if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    skip(util::cat("making mounts private: ", std::strerror(errno)));
  }
  fs::create_directory(at);
  if (::mount("tmpfs", at.c_str(), "tmpfs", 0, "size=3m,mode=0700") != 0) {
    skip(util::cat("mount -t tmpfs: ", std::strerror(errno)));
  }
}

// Unmounts at the end of the test, so the temporary folder can go.
struct Unmount {
  std::filesystem::path at;
  ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
};

// Writes the file until the disk refuses another byte; returns its size.
std::uintmax_t fill(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  const std::string chunk(4096, 'x');
  for (int i = 0; i < 10'000; ++i) {  // 40 MB: far more than the disk
    if (::write(fd, chunk.data(), chunk.size()) <= 0) break;
  }
  for (int i = 0; i < 4096; ++i) {
    if (::write(fd, "x", 1) != 1) break;
  }
  ::close(fd);
  return fs::file_size(file);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a 3 MB disk filled then partly freed: acks recorded, registrations pause and resume") {
  TempDir dir;
  const auto volume = dir / "volume";
  mount_small_disk(volume);  // before any thread starts: unshare needs a single thread
  const Unmount unmount{volume};
  keep_traffic_local();
  TestServer server;
  const auto db = volume / "kiosk.db";
  const auto filler = volume / "filler";
  auto kiosk = store::Store::open(db);
  register_members(kiosk, 100);
  enroll_with_binary(server, db, local_url(server), dir.path());
  auto first = run_process(sync_args("once", db), dir.path());
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(fs::exists(store::reserve_path(db)));  // the agent keeps its reserve
  register_members(kiosk, 50, 100);            // waiting when the disk fills

  const auto filled = fill(filler);
  MESSAGE("filler " << filled << " bytes; free now " << store::free_space(db).value_or(0));
  CHECK(store::free_space(db).value_or(1) < 64 * 1024);
  CHECK_THROWS_AS(register_members(kiosk, 1, 500), store::StoreError);
  CHECK(kiosk.member_count() == 150);

  // The agent still records what central acknowledged (the reserve gives way).
  auto full = run_process(sync_args("once", db), dir.path());
  INFO(full.err);
  CHECK(full.exit_code == 0);
  CHECK(contains(full.out, "pushed 50 changes (50 applied"));
  CHECK(kiosk.queue_counts().pending == 0);
  CHECK(kiosk.queue_counts().acked == 150);
  CHECK(server.store().count_records(protocol::Entity::member) == 150);

  // 512 KB freed: still under the floor for new records, which stay paused.
  fs::resize_file(filler, filled - 512 * 1024);
  try {
    register_members(kiosk, 1, 600);
    FAIL("a registration was taken with " << store::free_space(db).value_or(0) << " bytes free");
  } catch (const store::StoreError& e) {
    CHECK(contains(e.what(), "nearly full"));
  }

  // 2 MB freed: each of three imports goes in, and syncs.
  fs::resize_file(filler, filled - 2048 * 1024);
  for (int i = 0; i < 3; ++i) CHECK_NOTHROW(register_members(kiosk, 5, 700 + i * 5));
  CHECK(kiosk.member_count() == 165);
  auto after = run_process(sync_args("once", db), dir.path());
  INFO(after.err);
  CHECK(after.exit_code == 0);
  CHECK(contains(after.out, "pushed 15 changes (15 applied"));
  CHECK(server.store().count_records(protocol::Entity::member) == 165);
  // Checkpointed and truncated after the batch: the WAL holds no space.
  fs::path wal = db;
  wal += "-wal";
  CHECK((!fs::exists(wal) || fs::file_size(wal) <= 64 * 1024));
  CHECK(store::free_space(db).value_or(0) >= store::kLowSpaceBytes);
}

}  // namespace alliance::test
