// Online backup into memory, checked, written as a new private file; restore from one.
#include "common/store/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "common/store/database.hpp"
#include "common/store/file_health.hpp"
#include "common/store/migrations.hpp"
#include "common/store/store.hpp"
#include "common/util/private_file.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::store {
namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using MemoryDb = std::unique_ptr<sqlite3, CloseDb>;

MemoryDb open_memory() {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  MemoryDb db(raw);
  if (rc != SQLITE_OK) throw StoreError(rc, "cannot open an in-memory database");
  return db;
}

// Copies every page of `from` into `to` in one step, so the copy is one
// snapshot; waits (bounded) while a writer holds the source briefly.
void copy_pages(sqlite3* from, sqlite3* to) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) check(to, sqlite3_errcode(to), "starting the backup");
  int rc = SQLITE_OK;
  for (int tries = 0; tries < 200; ++tries) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) check(to, rc == SQLITE_OK ? SQLITE_ERROR : rc, "copying the database");
}

std::string single_text(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  std::string value;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  return value;
}

// What is wrong with an image of a database of `schema`, if anything.
std::optional<std::string> image_problem(sqlite3* db, const Schema& schema) {
  std::string problems;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(20)", -1, &stmt, nullptr) != SQLITE_OK) {
    return util::cat("it is not a readable SQLite database (", sqlite3_errmsg(db), ")");
  }
  int rc = SQLITE_OK;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const auto* line = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    if (line != nullptr && std::string_view(line) != "ok") problems += util::cat(line, "; ");
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return util::cat("it is damaged (", sqlite3_errmsg(db), ")");
  if (!problems.empty()) return util::cat("it fails the integrity check: ", problems);
  const auto app_id = single_text(db, "PRAGMA application_id");
  if (app_id != util::cat(schema.application_id)) {
    return util::cat("it is not an Alliance Field Kit ", schema.what);
  }
  const int version = std::atoi(single_text(db, "PRAGMA user_version").c_str());
  if (version > schema.latest_version()) {
    return util::format("it was written by a newer version (schema {}; this program knows {})",
                        version, schema.latest_version());
  }
  return std::nullopt;
}

// The database as bytes of a plain (rollback-journal) SQLite file: header
// bytes 18 and 19 say "legacy", so the copy opens anywhere without -wal/-shm.
std::string serialize(sqlite3* db) {
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db, "main", &size, 0);
  if (bytes == nullptr) throw StoreError(SQLITE_NOMEM, "cannot serialise the backup copy");
  std::string image(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
  sqlite3_free(bytes);
  if (image.size() >= 20) image[18] = image[19] = 1;
  return image;
}

// Loads an image into a new in-memory database (it keeps its own copy).
MemoryDb deserialize(std::string image) {
  if (image.size() >= 20) image[18] = image[19] = 1;
  MemoryDb db = open_memory();
  const auto size = static_cast<sqlite3_int64>(image.size());
  auto* buffer = static_cast<unsigned char*>(sqlite3_malloc64(static_cast<sqlite3_uint64>(size)));
  if (buffer == nullptr) throw StoreError(SQLITE_NOMEM, "not enough memory for the backup");
  std::copy(image.begin(), image.end(), buffer);
  const int rc =
      sqlite3_deserialize(db.get(), "main", buffer, size, size,
                          SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
  if (rc != SQLITE_OK) throw StoreError(rc, "the backup cannot be loaded");
  return db;
}

std::string utc_stamp() {
  std::string s = util::iso8601_utc(std::chrono::system_clock::now());
  std::erase(s, ':');
  std::erase(s, '-');
  return s;
}

}  // namespace

std::expected<BackupInfo, std::string> backup_database(const std::filesystem::path& db_path,
                                                       const std::filesystem::path& out,
                                                       const Schema& schema) {
  try {
    if (!std::filesystem::exists(db_path)) {
      return std::unexpected(util::format("no database at {}; check --db", db_path.string()));
    }
    Database source = Database::open(db_path, {.create_if_missing = false, .read_only = true});
    MemoryDb copy = open_memory();
    copy_pages(source.handle(), copy.get());
    if (auto problem = image_problem(copy.get(), schema)) {
      return std::unexpected(util::format(
          "{}: {}; no backup was written (a damaged copy cannot be restored). Keep the last good "
          "backup; see docs/OPERATIONS.md",
          db_path.string(), *problem));
    }
    BackupInfo info;
    info.device_id = single_text(copy.get(), "SELECT value FROM meta WHERE key = 'device_id'");
    const std::string image = serialize(copy.get());
    info.bytes = image.size();
    auto written = util::write_new_private_file(out, image);
    if (!written) {
      return std::unexpected(written.error().exists
                                 ? util::format("{} already exists; a backup never replaces a "
                                                "file: choose a new name",
                                                out.string())
                                 : written.error().message);
    }
    return info;
  } catch (const StoreError& e) {
    return std::unexpected(util::format("backup of {} failed: {}", db_path.string(), e.what()));
  }
}

std::expected<BackupInfo, std::string> backup_database(const std::filesystem::path& db_path,
                                                       const std::filesystem::path& out) {
  return backup_database(db_path, out, device_schema());
}

bool database_in_use(const std::filesystem::path& db_path) {
  std::filesystem::path shm = db_path;
  shm += "-shm";
  const int fd = ::open(shm.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return false;  // no index: no connection in WAL mode
  // SQLite's "DMS" byte: every open connection holds a shared lock on it.
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = 120 + 8;
  lock.l_len = 1;
  const bool busy = ::fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
  ::close(fd);
  return busy;
}

std::expected<RestoreInfo, std::string> replace_with_backup(const std::filesystem::path& db_path,
                                                            const std::filesystem::path& backup,
                                                            const Schema& schema,
                                                            std::string_view stop_first) {
  const std::string file = db_path.string();
  std::ifstream in(backup, std::ios::binary);
  if (!in) return std::unexpected(util::format("cannot read the backup {}", backup.string()));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::string image = std::move(bytes).str();
  if (database_in_use(db_path)) {
    return std::unexpected(util::format(
        "{} is open in another program; nothing was changed. {}, then run restore again", file,
        stop_first));
  }
  RestoreInfo info;
  try {
    MemoryDb loaded = deserialize(image);
    if (auto problem = image_problem(loaded.get(), schema)) {
      return std::unexpected(util::format("{} cannot be restored: {}; nothing was changed",
                                          backup.string(), *problem));
    }
    info.backup.bytes = image.size();
    info.backup.device_id =
        single_text(loaded.get(), "SELECT value FROM meta WHERE key = 'device_id'");
    image = serialize(loaded.get());
  } catch (const StoreError& e) {
    return std::unexpected(
        util::format("{} cannot be restored: {}; nothing was changed", backup.string(), e.what()));
  }

  // Keep what is replaced, its WAL and index with it (a WAL left at the old
  // name would be replayed into the restored file).
  std::error_code ec;
  if (std::filesystem::exists(db_path, ec)) {
    info.moved_aside = db_path;
    info.moved_aside += util::cat(".replaced-", utc_stamp());
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::path from = db_path, to = info.moved_aside;
      from += suffix;
      to += suffix;
      if (!std::filesystem::exists(from, ec)) continue;
      std::filesystem::rename(from, to, ec);
      if (ec) {
        return std::unexpected(util::format("cannot move {} aside to {}: {}", from.string(),
                                            to.string(), ec.message()));
      }
    }
  }
  auto written = util::write_new_private_file(db_path, image);
  if (!written) return std::unexpected(written.error().message);
  std::filesystem::permissions(db_path, database_file_mode(db_path),
                               std::filesystem::perm_options::replace, ec);
  return info;
}

std::expected<RestoreInfo, std::string> restore_database(const std::filesystem::path& db_path,
                                                         const std::filesystem::path& backup) {
  const std::string file = db_path.string();
  auto info = replace_with_backup(
      db_path, backup, device_schema(),
      "Stop the kiosk and the sync agent first (close the kiosk session; systemctl stop "
      "alliance-sync)");
  if (!info) return info;

  try {
    // Upgrades an older backup, checks it as the programs will, and starts
    // pulling from the beginning: the server then sends back this office's
    // records, this device's own made after the backup included.
    auto store = Store::open(db_path, {.create_if_missing = false, .check_integrity = true});
    Transaction tx(store.db());
    store.db()
        .query(
            "INSERT INTO sync_state (key, value) VALUES ('pull_cursor', '0') "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .run();
    store.set_meta(kMetaPullOwnRecords, "1");
    // Codes minted after the backup are on the server, not in this file yet;
    // a fresh prefix (asked for by the next pull) cannot meet them.
    store.set_reference_code_prefix("");
    tx.commit();
    SyncStatus status = store.sync_status();
    status.state = "idle";
    status.last_error =
        util::cat("restored from a backup at ", util::iso8601_utc(std::chrono::system_clock::now()),
                  "; waiting changes are sent again");
    status.next_retry_at.clear();
    store.write_sync_status(status);
  } catch (const StoreError& e) {
    return std::unexpected(
        util::format("{} was restored but cannot be opened: {}", file, e.what()));
  }
  return info;
}

}  // namespace alliance::store
