// The device's file against the field: backups and restores with a real
// central, damaged and read-only files refused by the agent, read-only
// commands under a held write lock.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "common/store/file_health.hpp"
#include "harness.hpp"
#include "support/file_modes.hpp"

namespace alliance::test {
namespace {

namespace fs = std::filesystem;

inline const std::string kKioskBinary = ALLIANCE_KIOSK_BINARY;

std::int64_t scalar(store::Store& s, const std::string& sql) {
  auto q = s.db().query(sql);
  q.step();
  return q.int64(0);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a restored backup re-sends what central lacks, once, and the device converges") {
  keep_traffic_local();
  TestServer server;
  TempDir dir;
  const auto db = dir / "kiosk.db";
  fs::create_directory(dir / "stick");
  const auto backup = dir / "stick" / "kiosk-backup.db";
  {
    auto kiosk = store::Store::open(db);
    register_members(kiosk, 100);
    enroll_with_binary(server, db, local_url(server), dir.path());
    REQUIRE(run_process(sync_args("once", db), dir.path()).exit_code == 0);
    register_members(kiosk, 20, 100);  // waiting when the backup is taken

    // Taken while the kiosk has the file open.
    auto taken = run_process(sync_args("backup", db, {backup.string()}), dir.path());
    INFO(taken.err);
    REQUIRE(taken.exit_code == 0);
    CHECK(mode_of(backup) == 0600);
    auto again = run_process(sync_args("backup", db, {backup.string()}), dir.path());
    CHECK(again.exit_code == 1);
    CHECK(contains(again.err, "already exists"));

    register_members(kiosk, 30, 120);  // made after the backup, then synced
    auto synced = run_process(sync_args("once", db), dir.path());
    REQUIRE(synced.exit_code == 0);
    CHECK(server.store().count_records(protocol::Entity::member) == 150);

    // Refused while a program has the file open.
    auto busy = run_process(sync_args("restore", db, {backup.string()}), dir.path());
    CHECK(busy.exit_code == 1);
    CHECK(contains(busy.err, "open in another program"));
    CHECK(kiosk.member_count() == 150);
  }

  auto restored = run_process(sync_args("restore", db, {backup.string()}), dir.path());
  INFO(restored.err);
  REQUIRE(restored.exit_code == 0);
  CHECK(contains(restored.out, "kept as"));
  CHECK(mode_of(db) == 0600);
  {
    auto device = store::Store::open(db);
    CHECK(device.member_count() == 120);
    CHECK(device.queue_counts().pending == 20);
  }

  auto resent = run_process(sync_args("once", db), dir.path());
  INFO(resent.err);
  REQUIRE(resent.exit_code == 0);
  CHECK(contains(resent.out, "pushed 20 changes (0 applied, 20 duplicate"));
  CHECK(contains(resent.out, "pulled 150"));  // own=1 once: its office's records, its own included
  // Central holds every record exactly once; nothing was applied twice.
  CHECK(server.store().count_records(protocol::Entity::member) == 150);
  CHECK(server.store().count_applied_changes() == 150);
  {
    auto device = store::Store::open(db);
    CHECK(device.member_count() == 150);
    CHECK(device.queue_counts().pending == 0);
    CHECK(scalar(device, "SELECT count(DISTINCT id) FROM members") == 150);
  }
  auto quiet = run_process(sync_args("once", db), dir.path());
  CHECK(quiet.exit_code == 0);
  CHECK(contains(quiet.out, "pushed 0 changes"));
  CHECK(contains(quiet.out, "pulled 0"));
  auto status = run_process(sync_args("status", db), dir.path());
  CHECK(contains(status.out, "all records synced"));
}

TEST_CASE("backups taken while the kiosk writes and the agent syncs are consistent snapshots") {
  keep_traffic_local();
  TestServer server;
  TempDir dir;
  const auto db = dir / "kiosk.db";
  auto kiosk = store::Store::open(db);
  enroll_with_binary(server, db, local_url(server), dir.path());
  Process agent(sync_args("run", db, {"--pull-interval", "3600"}), dir.path());
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    auto desk = store::Store::open(db);
    for (int round = 0; round < 30 && writing; ++round) register_members(desk, 10, round * 10);
  });
  for (int i = 0; i < 3; ++i) {
    const auto copy = dir / ("backup-" + std::to_string(i) + ".db");
    auto taken = run_process(sync_args("backup", db, {copy.string()}), dir.path());
    INFO(taken.err);
    CHECK(taken.exit_code == 0);
    auto check = run_process(sync_args("check", copy), dir.path());
    CHECK(check.exit_code == 0);
    // Each record and its outbox change are one transaction: a snapshot
    // has both or neither.
    auto snapshot = store::Store::open(copy, {.create_if_missing = false, .read_only = true});
    CHECK(snapshot.member_count() ==
          scalar(snapshot, "SELECT count(*) FROM outbox WHERE entity = 'member'"));
  }
  writing = false;
  writer.join();
  CHECK(eventually([&] { return kiosk.queue_counts().pending == 0; }, std::chrono::seconds(30)));
  agent.signal(SIGTERM);
  CHECK(agent.wait(std::chrono::seconds(10)).exit_code == 0);
}

TEST_CASE("the agent refuses damaged and read-only databases and works once repaired") {
  keep_traffic_local();
  TestServer server;
  TempDir dir;
  const auto db = dir / "kiosk.db";
  {
    auto kiosk = store::Store::open(db);
    register_members(kiosk, 300);
  }
  enroll_with_binary(server, db, local_url(server), dir.path());
  CHECK(run_process(sync_args("check", db), dir.path()).exit_code == 0);

  SUBCASE("a truncated copy") {
    const auto copy = dir / "damaged.db";
    fs::copy_file(db, copy);
    fs::resize_file(copy, fs::file_size(copy) / 2);
    for (const char* command : {"once", "run"}) {
      auto r = run_process(sync_args(command, copy), dir.path(), std::chrono::seconds(30));
      CHECK(r.exit_code == 1);
      CHECK(contains(r.err, copy.string() + " is damaged"));
      CHECK(contains(r.err, "alliance-sync restore --db " + copy.string()));
    }
    auto check = run_process(sync_args("check", copy), dir.path());
    CHECK(check.exit_code == 1);
    CHECK(contains(check.err, "is damaged"));
    CHECK(server.store().count_records(protocol::Entity::member) == 0);
  }
  SUBCASE("0444 at start, then repaired with -wal and -shm left 0444") {
    ::chmod(db.c_str(), 0444);
    auto refused = run_process(sync_args("once", db), dir.path());
    CHECK(refused.exit_code == 1);
    CHECK(contains(refused.err, db.string() + " is not writable (mode 0444"));
    CHECK(contains(refused.err, "chmod 600 " + db.string()));
    // status only reads, so it still answers (and, as root, leaves 0444 side files).
    auto status = run_process(sync_args("status", db), dir.path());
    CHECK(status.exit_code == 0);
    CHECK(contains(status.out, "300 waiting"));
    for (const char* s : {"-wal", "-shm"}) {
      if (fs::exists(side_file(db, s))) ::chmod(side_file(db, s).c_str(), 0444);
    }

    ::chmod(db.c_str(), 0600);
    auto synced = run_process(sync_args("once", db), dir.path());
    INFO(synced.err);
    CHECK(synced.exit_code == 0);
    CHECK(server.store().count_records(protocol::Entity::member) == 300);
    for (const char* s : {"-wal", "-shm"}) {
      if (fs::exists(side_file(db, s))) CHECK(mode_of(side_file(db, s)) == 0600);
    }
    auto import_ok = store::Store::open(db);
    CHECK(import_ok.register_members({sample_member(900)}, kenya_context()).has_value());
  }
}

TEST_CASE("status and export answer while another process holds the write lock") {
  TempDir dir;
  const auto db = dir / "kiosk.db";
  {
    auto kiosk = store::Store::open(db);
    register_members(kiosk, 50);
  }
  auto holder = store::Database::open(db);
  store::Transaction held(holder);  // BEGIN IMMEDIATE, kept past both commands
  const auto started = std::chrono::steady_clock::now();
  Process status(sync_args("status", db, {"--json"}), dir.path());
  Process exported({kKioskBinary, "export", "--db", db.string(), "members"}, dir.path());
  auto status_result = status.wait(std::chrono::seconds(30));
  auto export_result = exported.wait(std::chrono::seconds(30));
  const auto took = std::chrono::steady_clock::now() - started;
  INFO(status_result.err << export_result.err);
  CHECK(status_result.exit_code == 0);
  CHECK(contains(status_result.out, "\"queue_depth\":50"));
  CHECK(export_result.exit_code == 0);
  CHECK(std::count(export_result.out.begin(), export_result.out.end(), '\n') == 51);
  // The busy timeout is 10 s: a command that needed the lock would still wait.
  CHECK(took < std::chrono::seconds(5));
  auto once = run_process(sync_args("once", db, {"--attempts", "1"}), dir.path());
  CHECK(once.exit_code != 0);  // a writer does wait, and gives up: the lock was held
}

}  // namespace alliance::test
