// Recovery after a central restore: the real alliance-central admin commands,
// a real central server on 127.0.0.1, two devices running the real
// alliance-sync binary; changes sent after the backup are sent again and held
// once, and both devices converge.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "common/util/strings.hpp"
#include "harness.hpp"

namespace alliance::test {
namespace {

ProcessResult central_command(std::vector<std::string> args, const TempDir& dir);

// A PostgreSQL client program of the newest server version installed
// (/usr/lib/postgresql/N/bin), as tests/support/pg-cluster.sh finds initdb.
std::string pg_program(const std::string& name) {
  std::filesystem::path best;
  std::error_code ec;
  for (const auto& version : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const auto candidate = version.path() / "bin" / name;
    if (std::filesystem::exists(candidate) && (best.empty() || candidate > best)) best = candidate;
  }
  if (best.empty())
    FAIL("no /usr/lib/postgresql/*/bin/", name, ": installer/install-deps.sh installs postgresql");
  return best.string();
}

// The central database a test runs on, and how an operator backs it up and
// restores it: a SQLite file with alliance-central backup/restore, or (with
// ALLIANCE_TEST_DB_BACKEND=postgres) a database on the throwaway cluster with
// pg_dump -Fc, pg_restore and alliance-central mark-restored.
class CentralBackend {
 public:
  explicit CentralBackend(const TempDir& dir)
      : dir_(dir), db_(central_db_spec(dir / "central.db")) {}
  bool postgres() const { return testing_postgres(); }
  // What --db names, and what the test server opens.
  const std::string& db() const { return db_; }

  ProcessResult backup(const std::filesystem::path& out) const {
    if (!postgres()) return central_command({"backup", "--db", db_, out.string()}, dir_);
    return run_process({pg_program("pg_dump"), "-Fc", "-f", out.string(), "-d", db_}, dir_.path(),
                       std::chrono::seconds(60));
  }
  // The operator's restore procedure (serve stopped): alliance-central
  // restore, or pg_restore then alliance-central mark-restored.
  ProcessResult restore(const std::filesystem::path& backup) const {
    if (!postgres()) {
      return central_command({"restore", "--db", db_, "--from", backup.string()}, dir_);
    }
    auto restored = copy_back_by_hand(backup);
    if (restored.exit_code != 0) return restored;
    return central_command({"mark-restored", "--db", db_}, dir_);
  }
  // A restore that forgets to raise the restore count: the backup file
  // copied back over the database (its -wal and -shm removed), or a bare
  // pg_restore.
  ProcessResult copy_back_by_hand(const std::filesystem::path& backup) const {
    if (postgres()) {
      return run_process({pg_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "-d",
                          db_, backup.string()},
                         dir_.path(), std::chrono::seconds(60));
    }
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(db_ + suffix);
    std::filesystem::copy_file(backup, db_, std::filesystem::copy_options::overwrite_existing);
    ProcessResult copied;
    copied.exit_code = 0;
    return copied;
  }

 private:
  const TempDir& dir_;
  std::string db_;
};

struct Device {
  std::filesystem::path db;
  std::unique_ptr<store::Store> store;
  std::vector<std::string> members;  // ids registered here
};

Device make_device(const TempDir& dir, const std::string& name) {
  Device d{.db = dir / (name + ".db"), .store = nullptr, .members = {}};
  d.store = std::make_unique<store::Store>(store::Store::open(d.db));
  return d;
}

ProcessResult central_command(std::vector<std::string> args, const TempDir& dir) {
  args.insert(args.begin(), kCentralBinary);
  return run_process(args, dir.path(), std::chrono::seconds(60));
}

int sync_once(const Device& d, const TempDir& dir) {
  return run_process(sync_args("once", d.db), dir.path(), std::chrono::seconds(60)).exit_code;
}

// Agents run in turns, a bounded number of rounds, until central and both
// devices hold `expected` members; returns the rounds it took (0: never).
int converge(std::vector<Device*> devices, TestServer& server, std::size_t expected,
             const TempDir& dir) {
  for (int round = 1; round <= 6; ++round) {
    for (auto* d : devices) sync_once(*d, dir);
    bool done = central_member_ids(server.store()).size() == expected;
    for (auto* d : devices) {
      done = done && d->store->member_count() == static_cast<std::int64_t>(expected) &&
             d->store->queue_counts().pending == 0;
    }
    if (done) return round;
  }
  return 0;
}

void point_at(const std::vector<Device*>& devices, const TestServer& server) {
  for (auto* d : devices) test::point_at(*d->store, server);
}

std::string status_json(const Device& d, const TempDir& dir) {
  return run_process(sync_args("status", d.db, {"--json"}), dir.path()).out;
}

}  // namespace

TEST_CASE("after alliance-central restore every change sent since the backup is held once") {
  keep_traffic_local();
  TempDir dir;
  CentralBackend backend(dir);
  auto server = std::make_unique<TestServer>(backend.db(), central::ServerOptions{});
  Device a = make_device(dir, "kiosk-a");
  Device b = make_device(dir, "kiosk-b");
  enroll_with_binary(*server, a.db, local_url(*server), dir.path());
  enroll_with_binary(*server, b.db, local_url(*server), dir.path());

  a.members = register_members(*a.store, 10, 0);
  b.members = register_members(*b.store, 10, 1000);
  REQUIRE(converge({&a, &b}, *server, 20, dir) > 0);

  const auto backup = dir / "central-backup.db";
  auto backed = backend.backup(backup);
  INFO(backed.err);
  REQUIRE(backed.exit_code == 0);

  // After the backup: both devices send more and pull each other's.
  auto more_a = register_members(*a.store, 15, 2000);
  auto more_b = register_members(*b.store, 12, 3000);
  REQUIRE(converge({&a, &b}, *server, 47, dir) > 0);
  const std::int64_t applied_before = server->store().count_applied_changes();
  CHECK(applied_before == 47);

  // The operator restores last night's backup.
  server.reset();
  auto restored = backend.restore(backup);
  INFO(restored.err);
  REQUIRE(restored.exit_code == 0);
  server = std::make_unique<TestServer>(backend.db(), central::ServerOptions{});
  CHECK(server->store().lineage().restore_epoch == 1);
  point_at({&a, &b}, *server);
  CHECK(server->store().count_records(protocol::Entity::member) == 20);

  const int rounds = converge({&a, &b}, *server, 47, dir);
  MESSAGE("converged after ", rounds, " rounds of both agents");
  CHECK(rounds > 0);
  // Every change exactly once: one record per registration, one applied id
  // per change, and every device change acknowledged again.
  CHECK(server->store().count_records(protocol::Entity::member) == 47);
  CHECK(server->store().count_applied_changes() == 47);
  std::set<std::string> expected(a.members.begin(), a.members.end());
  expected.insert(b.members.begin(), b.members.end());
  expected.insert(more_a.begin(), more_a.end());
  expected.insert(more_b.begin(), more_b.end());
  CHECK(central_member_ids(server->store()) == expected);
  for (const Device* d : {&a, &b}) {
    const auto counts = d->store->queue_counts();
    CHECK(counts.pending == 0);
    CHECK(counts.acked == (d == &a ? 25 : 22));
    const std::string status = status_json(*d, dir);
    INFO(status);
    CHECK(status.find("\"reason\":\"central was restored from a backup\"") != std::string::npos);
    CHECK(status.find(util::cat("\"resent\":", counts.acked)) != std::string::npos);
  }

  // Nothing more happens on the next runs: the new lineage is remembered.
  const std::int64_t applied = server->store().count_applied_changes();
  CHECK(sync_once(a, dir) == 0);
  CHECK(sync_once(b, dir) == 0);
  CHECK(a.store->queue_counts().pending == 0);
  CHECK(server->store().count_applied_changes() == applied);
}

TEST_CASE("a central copied back by hand while a device was away is noticed by that device") {
  keep_traffic_local();
  TempDir dir;
  CentralBackend backend(dir);
  auto server = std::make_unique<TestServer>(backend.db(), central::ServerOptions{});
  Device a = make_device(dir, "kiosk-a");
  Device b = make_device(dir, "kiosk-b");
  enroll_with_binary(*server, a.db, local_url(*server), dir.path());
  enroll_with_binary(*server, b.db, local_url(*server), dir.path());
  a.members = register_members(*a.store, 5, 0);
  b.members = register_members(*b.store, 5, 1000);
  REQUIRE(converge({&a, &b}, *server, 10, dir) > 0);

  const auto backup = dir / "central-backup.db";
  REQUIRE(backend.backup(backup).exit_code == 0);
  // A sends 10 more after the backup, then goes away.
  auto lost = register_members(*a.store, 10, 2000);
  REQUIRE(converge({&a, &b}, *server, 20, dir) > 0);

  // Copied back by hand: no restore count raised. While A is away, B sends
  // more than A saw in all, so central's sequence passes A's remembered one.
  server.reset();
  REQUIRE(backend.copy_back_by_hand(backup).exit_code == 0);
  server = std::make_unique<TestServer>(backend.db(), central::ServerOptions{});
  point_at({&a, &b}, *server);
  REQUIRE(server->store().count_records(protocol::Entity::member) == 10);
  auto after = register_members(*b.store, 30, 3000);
  REQUIRE(sync_once(b, dir) == 0);
  CHECK(server->store().lineage().server_seq > 20);

  // A comes back: the newest change central acknowledged to it is gone.
  CHECK(sync_once(a, dir) == 0);
  const std::string status = status_json(a, dir);
  INFO(status);
  CHECK(status.find("\"reason\":\"central no longer holds a change it acknowledged\"") !=
        std::string::npos);
  CHECK(status.find("\"resent\":15") != std::string::npos);

  const int rounds = converge({&a, &b}, *server, 50, dir);
  MESSAGE("converged after ", rounds, " rounds of both agents");
  CHECK(rounds > 0);
  CHECK(server->store().count_records(protocol::Entity::member) == 50);
  CHECK(server->store().count_applied_changes() == 50);
  std::set<std::string> expected(a.members.begin(), a.members.end());
  for (const auto* ids : {&b.members, &lost, &after}) expected.insert(ids->begin(), ids->end());
  CHECK(central_member_ids(server->store()) == expected);
}

TEST_CASE("alliance-central restore refuses an open database and mark-restored raises the count") {
  TempDir dir;
  CentralBackend backend(dir);
  TestServer server(backend.db(), central::ServerOptions{});
  const auto backup = dir / "backup.db";
  const auto lineage = server.store().lineage();
  CHECK(!lineage.database_id.empty());
  if (backend.postgres()) {
    // backup and restore are the database server's own tools there.
    for (auto args :
         {std::vector<std::string>{"backup", "--db", backend.db(), backup.string()},
          std::vector<std::string>{"restore", "--db", backend.db(), "--from", backup.string()}}) {
      auto refused = central_command(args, dir);
      CHECK(refused.exit_code == 2);
      CHECK(refused.err.find("pg_dump") != std::string::npos);
    }
  } else {
    REQUIRE(backend.backup(backup).exit_code == 0);
    auto refused =
        central_command({"restore", "--db", backend.db(), "--from", backup.string()}, dir);
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("open in another program") != std::string::npos);
  }
  CHECK(server.store().lineage().restore_epoch == lineage.restore_epoch);
  // After a restore made by other means, the operator raises the count.
  auto marked = central_command({"mark-restored", "--db", backend.db()}, dir);
  INFO(marked.err);
  CHECK(marked.exit_code == 0);
  CHECK(server.store().lineage().restore_epoch == lineage.restore_epoch + 1);
  CHECK(server.store().lineage().database_id == lineage.database_id);
  if (!backend.postgres()) {
    // A backup never replaces a file.
    auto again = backend.backup(backup);
    CHECK(again.exit_code == 1);
    CHECK(again.err.find("already exists") != std::string::npos);
  }
}

}  // namespace alliance::test
