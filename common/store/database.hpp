// The one RAII wrapper over sqlite3: connections, cached statements, transactions.
//
// Every connection in the project is opened by Database::open, so every one
// gets the same pragmas (WAL, synchronous=FULL, busy timeout, foreign keys).
// Errors are exceptions (StoreError) inside this layer, each with a message a
// person can act on; callers at a boundary turn them into values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace alliance::store {

class StoreError : public std::runtime_error {
 public:
  StoreError(int sqlite_code, const std::string& message)
      : std::runtime_error(message), sqlite_code_(sqlite_code) {}
  int sqlite_code() const { return sqlite_code_; }
  // The disk is full or the file cannot be written: nothing was saved.
  bool is_disk_problem() const;
  // The file is damaged or not a database: restore it from a backup.
  bool is_damaged() const;
  // The file, its folder or its disk cannot be written (mode, read-only mount).
  bool is_not_writable() const;

 private:
  int sqlite_code_;
};

// A prepared statement. Reset (and its bindings cleared) by Query when a use ends.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  sqlite3_stmt* handle() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// One use of a cached statement: bind, step, read columns. Resets the
// statement when destroyed so the next use starts clean and no read lock is
// held longer than needed.
class Query {
 public:
  Query(sqlite3* db, Statement& statement);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Parameters are 1-based, as in SQL.
  Query& bind(int index, std::int64_t value);
  Query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, bool value) {
    return bind(index, static_cast<std::int64_t>(value ? 1 : 0));
  }
  Query& bind(int index, double value);
  Query& bind(int index, std::string_view value);
  Query& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, std::nullptr_t);
  Query& bind(int index, const std::optional<int>& value);

  // Binds each argument in order, starting at parameter 1.
  template <class... Args>
  Query& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Advances to the next row; false when done.
  bool step();
  // Runs a statement that returns no rows.
  void run();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  int integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::optional<int> optional_int(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// The mode a database file should have in the folder that holds it. A folder
// with the setgid bit is a shared deployment (the packaged /var/lib/alliance,
// mode 2770 alliance:alliance): the kiosk's desktop user and the agent's service
// user share the file through the folder's group, so it is 0660. Anywhere
// else it is 0600, owner only. SQLite gives -wal and -shm the file's mode.
std::filesystem::perms database_file_mode(const std::filesystem::path& db_path);

struct OpenOptions {
  bool create_if_missing = true;
  bool read_only = false;
  int busy_timeout_ms = 10'000;
  // Refuse a damaged file: a cut WAL (before opening), then PRAGMA
  // quick_check. The kiosk and the agent set it when they start.
  bool check_integrity = false;
};

class Database {
 public:
  // Opens or creates the file and applies the project's pragmas. A new file is
  // readable by its owner only (0600), unless its folder is a shared one (see
  // database_file_mode). A path that is a symbolic link to nothing is refused
  // (SQLite would create its target with the umask's mode); a link to an
  // existing database is opened as usual. A read-write open refuses a file
  // (or folder) whose mode does not let this user write it, and gives -wal
  // and -shm the file's intended mode (common/store/file_health.hpp); the
  // WAL is bounded (checkpoint every kWalAutocheckpointPages, cut back to
  // kJournalSizeLimitBytes). The path ":memory:" is a private in-memory
  // database (no file, no WAL). Throws StoreError.
  static Database open(const std::filesystem::path& path, const OpenOptions& options = {});

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  // A cached prepared statement for this SQL text, ready to bind.
  Query query(std::string_view sql);
  // Runs one or more statements with no parameters (schema, pragmas).
  void exec(std::string_view sql);

  std::int64_t last_insert_rowid() const;
  int changes() const;
  // Changes whenever another connection commits; a cheap "anything new?" poll.
  std::int64_t data_version();
  // Whether the file this connection writes is no longer the one at path()
  // (deleted, renamed, or replaced by another file): writes would be lost.
  bool has_moved() const;
  // Copies the WAL into the file and truncates it to zero bytes, so a full
  // disk gets its space back. Gives up quietly while readers hold the WAL.
  void checkpoint();
  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  Database(sqlite3* db, std::filesystem::path path);
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

// BEGIN IMMEDIATE in the constructor: the write lock is taken up front, so a
// writer waits (up to the busy timeout) instead of failing halfway. Rolls back
// in the destructor unless commit() was called. commit() refuses (StoreError,
// and nothing is written) when the file was deleted or replaced since it was
// opened (Database::has_moved), so nobody is told "saved" for records only an
// orphaned file holds. Not copyable; never throws from the destructor.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

// Throws StoreError with a message for people if rc is not OK/ROW/DONE.
void check(sqlite3* db, int rc, std::string_view what);

}  // namespace alliance::store
