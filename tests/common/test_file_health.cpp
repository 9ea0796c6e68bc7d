// The database file's health: modes refused and repaired, damaged copies
// refused, a moved file never committed to, the WAL bounded.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/store/backup.hpp"
#include "common/store/file_health.hpp"
#include "common/store/store.hpp"
#include "support/file_modes.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;
namespace fs = std::filesystem;

namespace {

void make_members(const fs::path& db, int n, int offset = 0) {
  auto s = store::Store::open(db);
  std::vector<model::Member> drafts;
  for (int i = 0; i < n; ++i) drafts.push_back(test::sample_member(offset + i));
  REQUIRE(s.register_members(std::move(drafts), test::kenya_context()).has_value());
}

std::string refusal(const fs::path& db) {
  try {
    store::Store::open(db, {.create_if_missing = false, .check_integrity = true});
  } catch (const store::StoreError& e) {
    CHECK(e.is_damaged());
    return e.what();
  }
  return "";
}

void overwrite(const fs::path& file, std::uint64_t offset, const std::string& bytes) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST_CASE("a 0444 database is refused with its name and the fix, then works once repaired") {
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  make_members(db, 3);
  ::chmod(db.c_str(), 0444);
  try {
    store::Store::open(db);
    FAIL("a read-only database was opened for writing");
  } catch (const store::StoreError& e) {
    const std::string message = e.what();
    CHECK(e.is_not_writable());
    CHECK(message.find(db.string()) != std::string::npos);
    CHECK(message.find("not writable (mode 0444") != std::string::npos);
    CHECK(message.find("chmod 600 " + db.string()) != std::string::npos);
  }
  // Reading still works (status, exports), and leaves -wal and -shm behind
  // with the file's 0444, as an agent started then did.
  {
    auto reader = store::Store::open(db, {.create_if_missing = false, .read_only = true});
    CHECK(reader.member_count() == 3);
  }
  for (const char* s : {"-wal", "-shm"}) {
    if (!fs::exists(test::side_file(db, s))) std::ofstream(test::side_file(db, s)).put('\0');
    ::chmod(test::side_file(db, s).c_str(), 0444);
  }

  ::chmod(db.c_str(), 0600);
  auto repaired = store::Store::open(db, {.check_integrity = true});
  CHECK(test::mode_of(test::side_file(db, "-wal")) == 0600);
  CHECK(test::mode_of(test::side_file(db, "-shm")) == 0600);
  CHECK(repaired.register_members({test::sample_member(10)}, test::kenya_context()).has_value());
  CHECK(repaired.member_count() == 4);
  CHECK(repaired.queue_counts().pending == 4);
}

TEST_CASE("a folder that is not writable is refused with the fix") {
  test::TempDir dir;
  fs::create_directory(dir / "locked");
  const auto db = dir / "locked" / "kiosk.db";
  make_members(db, 1);
  ::chmod((dir / "locked").c_str(), 0555);
  try {
    store::Store::open(db);
    FAIL("a database in a read-only folder was opened for writing");
  } catch (const store::StoreError& e) {
    CHECK(std::string(e.what()).find("the folder " + (dir / "locked").string() +
                                     " is not writable") != std::string::npos);
  }
  ::chmod((dir / "locked").c_str(), 0700);
}

TEST_CASE("damaged copies are refused: truncation, bit flips, a cut WAL") {
  test::TempDir dir;
  const auto good = dir / "good.db";
  make_members(good, 300);
  {
    auto check_good = store::Database::open(good);
    REQUIRE(store::check_integrity(check_good, true).ok);
  }
  const auto page_count = fs::file_size(good) / 4096;
  REQUIRE(page_count > 10);

  SUBCASE("cut to half its length") {
    const auto copy = dir / "truncated.db";
    fs::copy_file(good, copy);
    fs::resize_file(copy, (page_count / 2) * 4096);
    const auto message = refusal(copy);
    CHECK(message.find(copy.string() + " is damaged") != std::string::npos);
    CHECK(message.find("alliance-sync restore --db " + copy.string()) != std::string::npos);
  }
  SUBCASE("page headers overwritten") {
    const auto copy = dir / "flipped.db";
    fs::copy_file(good, copy);
    for (std::uint64_t page = 2; page < page_count; page += 3) {
      overwrite(copy, (page - 1) * 4096, std::string(8, '\xA5'));
    }
    CHECK(refusal(copy).find(" is damaged") != std::string::npos);
  }
  SUBCASE("the header's page size flipped") {
    const auto copy = dir / "header.db";
    fs::copy_file(good, copy);
    overwrite(copy, 16, std::string("\x13\x37", 2));
    CHECK(refusal(copy).find(" is damaged") != std::string::npos);
  }
  SUBCASE("the WAL cut short while its index says more was committed") {
    // A writer that keeps its WAL (no checkpoint), copied as it runs.
    const auto live = dir / "live.db";
    auto writer = store::Store::open(live);
    writer.db().exec("PRAGMA wal_autocheckpoint=0");
    std::vector<model::Member> drafts;
    for (int i = 0; i < 200; ++i) drafts.push_back(test::sample_member(i));
    REQUIRE(writer.register_members(std::move(drafts), test::kenya_context()).has_value());
    const auto copy = dir / "cut.db";
    for (const char* s : {"", "-wal", "-shm"})
      fs::copy_file(test::side_file(live, s), test::side_file(copy, s));
    REQUIRE(store::wal_cut_problem(copy) == std::nullopt);  // the whole copy is fine
    fs::resize_file(test::side_file(copy, "-wal"),
                    fs::file_size(test::side_file(copy, "-wal")) / 2);
    const auto problem = store::wal_cut_problem(copy);
    REQUIRE(problem.has_value());
    CHECK(problem->find("cut short") != std::string::npos);
    CHECK(refusal(copy).find("cut short") != std::string::npos);
  }
}

TEST_CASE("nothing is committed into a database file that was deleted or replaced") {
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  auto s = store::Store::open(db);
  CHECK_FALSE(s.db().has_moved());
  fs::remove(db);
  CHECK(s.db().has_moved());
  try {
    (void)s.register_members({test::sample_member(1)}, test::kenya_context());
    FAIL("a registration was committed into a deleted file");
  } catch (const store::StoreError& e) {
    CHECK(std::string(e.what()).find("was deleted or replaced") != std::string::npos);
  }
  CHECK(s.member_count() == 0);  // rolled back, not merely unseen
}

TEST_CASE("the WAL is bounded and a checkpoint gives its space back") {
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  auto s = store::Store::open(db);
  auto pragma = [&](const char* sql) {
    auto q = s.db().query(sql);
    q.step();
    return q.int64(0);
  };
  CHECK(pragma("PRAGMA wal_autocheckpoint") == store::kWalAutocheckpointPages);
  CHECK(pragma("PRAGMA journal_size_limit") == store::kJournalSizeLimitBytes);
  for (int batch = 0; batch < 10; ++batch) {
    std::vector<model::Member> drafts;
    for (int i = 0; i < 100; ++i) drafts.push_back(test::sample_member(batch * 100 + i));
    REQUIRE(s.register_members(std::move(drafts), test::kenya_context()).has_value());
  }
  // Checkpoints every 256 pages keep the log near 1 MiB however much is written.
  CHECK(fs::file_size(test::side_file(db, "-wal")) <
        static_cast<std::uintmax_t>(store::kJournalSizeLimitBytes) + 300 * 4200);
  s.db().checkpoint();
  CHECK(fs::file_size(test::side_file(db, "-wal")) == 0);
}

TEST_CASE("new records stop short of a full disk, the reserve is given up for acknowledgements") {
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  // The reserve is made only with room to spare, and is real blocks.
  store::keep_disk_reserve(db);
  const auto free = store::free_space(db);
  REQUIRE(free.has_value());
  if (*free > store::kReserveBytes + store::kLowSpaceBytes) {
    REQUIRE(fs::exists(store::reserve_path(db)));
    CHECK(fs::file_size(store::reserve_path(db)) == store::kReserveBytes);
    CHECK(test::mode_of(store::reserve_path(db)) == 0600);
  }
  int calls = 0;
  store::with_disk_reserve(db, [&] {
    if (++calls == 1) throw store::StoreError(13 /* SQLITE_FULL */, "disk full");
  });
  CHECK(calls == 2);
  CHECK_FALSE(fs::exists(store::reserve_path(db)));
  // Other failures are not retried.
  CHECK_THROWS_AS(
      store::with_disk_reserve(db, [] { throw store::StoreError(5 /* SQLITE_BUSY */, "busy"); }),
      store::StoreError);
}
