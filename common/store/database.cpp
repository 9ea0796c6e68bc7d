// RAII wrapper over sqlite3 with the project's connection pragmas.
#include "common/store/database.hpp"
#include "common/util/strings.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "common/model/text.hpp"
#include "common/store/file_health.hpp"

namespace alliance::store {
namespace {

std::string advice_for(int primary_code) {
  switch (primary_code) {
    case SQLITE_FULL:
      return "the disk is full; free some space and try again (nothing was saved)";
    case SQLITE_IOERR:
      return "the disk could not be written or read; check the storage device and try again "
             "(nothing was saved)";
    case SQLITE_READONLY:
      return "the database file is read-only; check its permissions";
    case SQLITE_CANTOPEN:
      return "the database file cannot be opened; check that the folder exists and is writable";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return "the database file is damaged or is not a database; restore it from a backup";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "the database stayed busy for too long; another program is holding it, try again";
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return "permission denied on the database file";
    default:
      return "database error";
  }
}

// Registered on every connection: folds text for member search, so that
// migrations can rebuild the search index in SQL.
void fold_sql_function(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const auto size = static_cast<std::size_t>(sqlite3_value_bytes(argv[0]));
  try {
    const std::string folded = model::fold_for_search(std::string_view(text, size));
    sqlite3_result_text(ctx, folded.c_str(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
  } catch (const std::exception& e) {
    // No exception may cross SQLite's C frames; the statement fails instead.
    sqlite3_result_error(ctx, e.what(), -1);
  }
}

}  // namespace

bool StoreError::is_disk_problem() const {
  const int primary = sqlite_code_ & 0xff;
  return primary == SQLITE_FULL || primary == SQLITE_IOERR;
}

bool StoreError::is_damaged() const {
  const int primary = sqlite_code_ & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

bool StoreError::is_not_writable() const {
  return (sqlite_code_ & 0xff) == SQLITE_READONLY;
}

void check(sqlite3* db, int rc, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  const int primary = rc & 0xff;
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw StoreError(rc, util::format("{}: {} ({})", what, advice_for(primary), detail));
}

Statement::Statement(sqlite3* db, std::string_view sql) {
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  check(db, rc, "preparing a statement");
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Query::Query(sqlite3* db, Statement& statement) : db_(db), stmt_(statement.handle()) {}

Query::~Query() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Query& Query::bind(int index, std::int64_t value) {
  check(db_, sqlite3_bind_int64(stmt_, index, value), "binding a value");
  return *this;
}

Query& Query::bind(int index, double value) {
  check(db_, sqlite3_bind_double(stmt_, index, value), "binding a value");
  return *this;
}

Query& Query::bind(int index, std::string_view value) {
  check(
      db_,
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      "binding a value");
  return *this;
}

Query& Query::bind(int index, std::nullptr_t) {
  check(db_, sqlite3_bind_null(stmt_, index), "binding a value");
  return *this;
}

Query& Query::bind(int index, const std::optional<int>& value) {
  return value ? bind(index, static_cast<std::int64_t>(*value)) : bind(index, nullptr);
}

bool Query::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  check(db_, rc, "running a statement");
  return false;
}

void Query::run() {
  while (step()) {
  }
}

bool Query::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
std::int64_t Query::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}
int Query::integer(int column) const {
  return sqlite3_column_int(stmt_, column);
}
double Query::real(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string Query::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (p == nullptr) return {};
  return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<int> Query::optional_int(int column) const {
  if (is_null(column)) return std::nullopt;
  return integer(column);
}

std::filesystem::perms database_file_mode(const std::filesystem::path& db_path) {
  using std::filesystem::perms;
  std::filesystem::path folder = db_path.parent_path();
  if (folder.empty()) folder = ".";
  struct stat st {};
  const bool shared =
      ::stat(folder.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & S_ISGID) != 0;
  return shared ? perms::owner_read | perms::owner_write | perms::group_read | perms::group_write
                : perms::owner_read | perms::owner_write;
}

namespace {

// A symbolic link whose target does not exist: SQLite would create the
// target through it with the umask's mode (world-readable), not ours.
void refuse_dangling_link(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec))) return;
  if (std::filesystem::exists(path, ec)) return;  // a link to an existing file is opened as usual
  const auto target = std::filesystem::read_symlink(path, ec);
  throw StoreError(SQLITE_CANTOPEN,
                   util::format("{} is a symbolic link to {}, which does not exist; the database "
                                "is not created through a link: remove the link, or pass --db the "
                                "real file's path",
                                path.string(), ec ? std::string("?") : target.string()));
}

}  // namespace

Database Database::open(const std::filesystem::path& path, const OpenOptions& options) {
  const std::string file = path.string();
  const bool in_memory = file == ":memory:";
  if (!in_memory) {
    refuse_dangling_link(path);
    if (!options.read_only) require_writable(path);
    repair_side_file_modes(path, !options.read_only);
  }
  if (options.check_integrity && !in_memory) {
    // Before our connection opens it: opening rebuilds the WAL index.
    if (auto cut = wal_cut_problem(path))
      throw StoreError(SQLITE_CORRUPT, damaged_message(path, *cut));
  }
  if (!in_memory && !options.read_only && options.create_if_missing &&
      !std::filesystem::exists(path)) {
    // Create the file ourselves so it has its mode from its first byte:
    // owner-only (0600), or 0660 in a setgid (shared) folder, where it also
    // takes the folder's group. fchmod because the umask would drop the group
    // write bit. SQLite gives its -wal and -shm files the same permissions.
    const auto mode = static_cast<mode_t>(database_file_mode(path));
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    const int open_errno = errno;
    if (fd < 0 && open_errno == EEXIST) refuse_dangling_link(path);  // made since the check above
    if (fd < 0 && open_errno != EEXIST) {
      throw StoreError(SQLITE_CANTOPEN, util::format("cannot create the database file {}: {}", file,
                                                     std::strerror(open_errno)));
    }
    if (fd >= 0) {
      const int chmod_rc = ::fchmod(fd, mode);
      const int chmod_errno = errno;
      ::close(fd);
      if (chmod_rc != 0) {
        throw StoreError(SQLITE_CANTOPEN, util::format("cannot set the mode of the database file "
                                                       "{}: {}",
                                                       file, std::strerror(chmod_errno)));
      }
    }
  }

  // SQLite's memory statistics take a process-wide mutex on every
  // allocation and free, which every connection's thread then queues on;
  // nothing here reads them (sqlite3_memory_used, heap limits). Settable only
  // before SQLite initialises, so once, before the first open.
  static const bool memory_statistics_off = [] {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  }();
  (void)memory_statistics_off;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (!options.read_only && options.create_if_missing) flags |= SQLITE_OPEN_CREATE;

  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  Database db(raw, path);  // owns raw even when opening failed
  if (rc != SQLITE_OK) {
    throw StoreError(rc, util::format("cannot open the database {}: {} ({})", file,
                                      advice_for(rc & 0xff), sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  check(raw,
        sqlite3_create_function_v2(raw, "alliance_fold", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                   fold_sql_function, nullptr, nullptr, nullptr),
        "registering the search function");

  try {
    // A file that is not a database fails here, on its first read.
    if (!options.read_only && !in_memory) {
      auto q = db.query("PRAGMA journal_mode=WAL");
      if (!q.step() || q.text(0) != "wal") {
        throw StoreError(SQLITE_CANTOPEN,
                         util::format("cannot switch {} to write-ahead logging; is the folder on a "
                                      "network share? Use a local disk",
                                      file));
      }
      db.exec(util::format("PRAGMA wal_autocheckpoint={}; PRAGMA journal_size_limit={};",
                           kWalAutocheckpointPages, kJournalSizeLimitBytes));
      // SQLite made any missing -wal/-shm with the file's own mode.
      repair_side_file_modes(path, true);
    }
    db.exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;");
  } catch (const StoreError& e) {
    const int primary = e.sqlite_code() & 0xff;
    if (options.check_integrity && (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)) {
      throw StoreError(e.sqlite_code(), damaged_message(path, e.what()));
    }
    throw;
  }
  if (options.check_integrity) {
    const auto report = check_integrity(db, false);
    if (!report.ok)
      throw StoreError(SQLITE_CORRUPT, damaged_message(path, report.problems.front()));
  }
  return db;
}

Database::Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      statements_(std::move(other.statements_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    statements_.clear();
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    statements_ = std::move(other.statements_);
  }
  return *this;
}

Database::~Database() {
  statements_.clear();  // finalize statements before closing the connection
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Query Database::query(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it == statements_.end()) {
    it = statements_.emplace(std::string(sql), std::make_unique<Statement>(db_, sql)).first;
  }
  return Query(db_, *it->second);
}

void Database::exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw StoreError(rc, util::format("running SQL: {} ({})", advice_for(rc & 0xff), detail));
  }
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}
int Database::changes() const {
  return sqlite3_changes(db_);
}

std::int64_t Database::data_version() {
  auto q = query("PRAGMA data_version");
  q.step();
  return q.int64(0);
}

bool Database::has_moved() const {
  int moved = 0;
  if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK) return false;
  return moved != 0;
}

void Database::checkpoint() {
  // TRUNCATE waits (through the busy handler) for readers to leave the WAL;
  // a busy answer only means the next checkpoint does the work.
  const int rc =
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) check(db_, rc, "checkpointing");
}

Transaction::Transaction(Database& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!done_) {
    // A failed rollback leaves SQLite to roll back on close; never throw here.
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  if (db_.has_moved()) {
    throw StoreError(SQLITE_READONLY_DBMOVED,
                     util::format("the database file {} was deleted or replaced while this program "
                                  "had it open; nothing was saved. Stop the kiosk and the sync "
                                  "agent, put the right file back (or restore a backup: "
                                  "alliance-sync restore), and start them again",
                                  db_.path().string()));
  }
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace alliance::store
