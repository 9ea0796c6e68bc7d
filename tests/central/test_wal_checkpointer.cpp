// A SQLite central's write-ahead log is checkpointed by a thread of its own,
// not inside the writer's commits, and stays bounded either way. The cases use
// SQLite files whatever the backend under test: the checkpointer is SQLite's.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "central/store/wal_checkpointer.hpp"
#include "common/store/file_health.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;

namespace {

// A commit of about `pages` new 4 KiB pages.
void write_pages(store::Database& db, int pages) {
  store::Transaction tx(db);
  db.query("INSERT INTO filler (data) VALUES (zeroblob(?1))").bind(1, pages * 4000).run();
  tx.commit();
}

store::Database open_writer(const std::filesystem::path& path) {
  auto db = store::Database::open(path);
  db.exec("CREATE TABLE IF NOT EXISTS filler (data BLOB NOT NULL)");
  return db;
}

std::int64_t count_rows(const std::filesystem::path& path) {
  auto db = store::Database::open(path);
  auto q = db.query("SELECT count(*) FROM filler");
  REQUIRE(q.step());
  return q.int64(0);
}

}  // namespace

TEST_CASE("SQLite: the writer's commits leave the log to the checkpointer's thread") {
  test::TempDir dir;
  const auto path = dir / "central.db";
  auto writer = open_writer(path);
  {
    // Neither the thread nor the writer's bound is reached: SQLite's own
    // checkpoint (every 256 pages) would have restarted the log many times.
    central::sql::WalCheckpointer checkpointer(writer, path,
                                               {.start_pages = 1 << 30, .writer_pages = 1 << 30});
    for (int i = 0; i < 40; ++i) write_pages(writer, 25);
    CHECK(checkpointer.log_pages() >= 1000);
    CHECK(checkpointer.checkpoints() == 0);
  }
  // Stopped, it gives the writer SQLite's own checkpoints back.
  auto q = writer.query("PRAGMA wal_autocheckpoint");
  REQUIRE(q.step());
  CHECK(q.int64(0) == store::kWalAutocheckpointPages);
}

TEST_CASE("SQLite: the checkpointer's thread copies the log once it is long, and nothing is lost") {
  test::TempDir dir;
  const auto path = dir / "central.db";
  auto writer = open_writer(path);
  int commits = 0;
  {
    central::sql::WalCheckpointer checkpointer(writer, path,
                                               {.start_pages = 100, .writer_pages = 1 << 30});
    for (; commits < 12; ++commits) write_pages(writer, 10);  // past start_pages
    // The thread checkpoints on its own. A commit made while it copied leaves
    // the log longer than the copy and asks again; once a copy has caught up,
    // the next commit starts the log from its beginning. Bounded: 10 s.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    bool restarted = false;
    while (!restarted && std::chrono::steady_clock::now() < deadline) {
      const long before = checkpointer.checkpoints();
      while (checkpointer.checkpoints() == before && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      write_pages(writer, 10);
      ++commits;
      restarted = checkpointer.log_pages() < 100;
    }
    CHECK(checkpointer.checkpoints() >= 1);
    CHECK(restarted);
  }
  CHECK(count_rows(path) == commits);
  auto check = writer.query("PRAGMA integrity_check");
  REQUIRE(check.step());
  CHECK(check.text(0) == "ok");
}

TEST_CASE("SQLite: the writer checkpoints itself when the log reaches its bound") {
  test::TempDir dir;
  const auto path = dir / "central.db";
  auto writer = open_writer(path);
  // The thread never starts (as if it fell behind); the writer's bound keeps
  // the log from growing past it and one commit.
  central::sql::WalCheckpointer checkpointer(writer, path,
                                             {.start_pages = 1 << 30, .writer_pages = 200});
  int longest = 0;
  for (int i = 0; i < 60; ++i) {
    write_pages(writer, 20);
    longest = std::max(longest, checkpointer.log_pages());
  }
  CHECK(longest >= 200);          // the bound was reached...
  CHECK(longest < 200 + 2 * 25);  // ...and the log started again after it
  CHECK(checkpointer.checkpoints() == 0);
  CHECK(count_rows(path) == 60);
}
