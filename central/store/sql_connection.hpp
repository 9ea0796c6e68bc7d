// Central's SQL connection: one interface over SQLite (a file) and PostgreSQL (libpq).
//
// Call sites read like common/store/database.hpp's: db.query(sql).bind_all(...)
// then step()/text(i)/int64(i) or run(), and an RAII Transaction. SQL uses
// ?N placeholders (rewritten to $N once per statement for PostgreSQL) and only
// what both engines accept. Errors are exceptions (store::StoreError, or
// SqlError for PostgreSQL with its SQLSTATE); callers at a boundary turn them
// into values.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/store/database.hpp"
#include "common/store/migrations.hpp"

namespace alliance::central::sql {

enum class Backend { sqlite, postgresql };

// A PostgreSQL error: sqlstate is the five-character SQLSTATE ("" when the
// connection itself failed).
class SqlError : public store::StoreError {
 public:
  SqlError(std::string sqlstate, const std::string& message)
      : store::StoreError(0, message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  // A serialization failure, a deadlock or a unique violation between
  // concurrent transactions: running the whole transaction again may succeed.
  bool retryable() const;

 private:
  std::string sqlstate_;
};

// Whether `spec` names a PostgreSQL database (postgresql:// or postgres://).
bool is_postgresql_url(std::string_view spec);
// The URL with any password replaced by "***", for messages and logs.
std::string redact_url(std::string_view url);

class QueryImpl {
 public:
  virtual ~QueryImpl() = default;
  virtual void bind_int64(int index, std::int64_t value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_null(int index) = 0;
  // A list of texts (SQL NULL where nullopt) as one parameter: a text[] on
  // PostgreSQL, a JSON array on SQLite (read with Connection::in_list).
  virtual void bind_list(int index, std::span<const std::optional<std::string_view>> values) = 0;
  virtual bool step() = 0;
  virtual void run() = 0;
  virtual bool is_null(int column) const = 0;
  virtual std::int64_t int64(int column) const = 0;
  virtual std::string text(int column) const = 0;
};

// One use of a statement: bind (1-based), then step() through rows or run().
class Query {
 public:
  explicit Query(std::unique_ptr<QueryImpl> impl) : impl_(std::move(impl)) {}

  Query& bind(int index, std::int64_t value) {
    impl_->bind_int64(index, value);
    return *this;
  }
  Query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, std::string_view value) {
    impl_->bind_text(index, value);
    return *this;
  }
  Query& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, std::nullptr_t) {
    impl_->bind_null(index);
    return *this;
  }
  // Binds a whole list as one parameter, so one statement serves any number
  // of keys (Connection::in_list) or rows; nullopt is SQL NULL.
  Query& bind_list(int index, std::span<const std::optional<std::string_view>> values) {
    impl_->bind_list(index, values);
    return *this;
  }
  Query& bind_list(int index, const std::vector<std::string>& values) {
    const std::vector<std::optional<std::string_view>> views(values.begin(), values.end());
    return bind_list(index, views);
  }

  template <class... Args>
  Query& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  bool step() { return impl_->step(); }
  void run() { impl_->run(); }
  bool is_null(int column) const { return impl_->is_null(column); }
  // A boolean column (PostgreSQL's t/f) reads as 1/0.
  std::int64_t int64(int column) const { return impl_->int64(column); }
  int integer(int column) const { return static_cast<int>(int64(column)); }
  std::string text(int column) const { return impl_->text(column); }

 private:
  std::unique_ptr<QueryImpl> impl_;
};

// What a transaction does. Both are BEGIN IMMEDIATE on SQLite (one writer at
// a time). On PostgreSQL a write transaction takes one advisory lock that
// every writer of the database takes (so writers of all central processes
// run one after another and each sees all commits before it), and a snapshot
// transaction reads one REPEATABLE READ snapshot without that lock (pull:
// its rows and the sequence's high-water mark are the same instant).
enum class TxKind { write, snapshot };

class ConnectionImpl {
 public:
  virtual ~ConnectionImpl() = default;
  virtual Backend backend() const = 0;
  virtual std::unique_ptr<QueryImpl> query(std::string_view sql) = 0;
  virtual void exec(std::string_view sql) = 0;
  // Rows changed by the last run().
  virtual int changes() const = 0;
  virtual void begin(TxKind kind) = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  // SQLite only: the file's database (migrations, backups); nullptr otherwise.
  virtual store::Database* sqlite() { return nullptr; }
};

struct ConnectOptions {
  // How long a writer waits for another's lock (PostgreSQL: lock_timeout).
  int busy_timeout_ms = 10'000;
  // PostgreSQL: bounds on connecting and on any one statement.
  int connect_timeout_s = 10;
  int statement_timeout_ms = 30'000;
  // SQLite: checkpoint the write-ahead log on a thread of its own rather than
  // inside the commits (wal_checkpointer.hpp), for the store's writer.
  bool background_checkpoints = false;
};

class Connection {
 public:
  // A PostgreSQL URL (postgresql://USER@HOST:PORT/DBNAME, postgres://..., a
  // socket folder as ?host=/path) or a SQLite file path. Throws StoreError
  // with a message naming the (redacted) URL when it cannot connect.
  static Connection open(const std::string& spec, const ConnectOptions& options = {});

  Backend backend() const { return impl_->backend(); }
  Query query(std::string_view sql) { return Query(impl_->query(sql)); }
  // The condition "is one of the list bound (bind_list) at parameter
  // `index`", to follow a column: `= ANY(CAST(?N AS TEXT[]))` on PostgreSQL,
  // `IN (SELECT value FROM json_each(?N))` on SQLite.
  std::string in_list(int index) const;
  void exec(std::string_view sql) { impl_->exec(sql); }
  int changes() const { return impl_->changes(); }
  ConnectionImpl& impl() { return *impl_; }

 private:
  explicit Connection(std::unique_ptr<ConnectionImpl> impl) : impl_(std::move(impl)) {}
  std::unique_ptr<ConnectionImpl> impl_;
};

// Begins in the constructor, rolls back in the destructor unless committed.
// Not nestable; never throws from the destructor.
class Transaction {
 public:
  explicit Transaction(Connection& db, TxKind kind = TxKind::write);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& db_;
  bool done_ = false;
};

// Brings a PostgreSQL database up to the latest of `schema` in one
// transaction (under the writers' lock, so processes starting together
// migrate once). The version lives in table alliance_schema. Refuses a
// database that holds other tables but no alliance_schema (another
// application's), and one written by a newer version.
void migrate_postgresql(Connection& db, const store::Schema& schema);

// The schema version of a PostgreSQL database (0 when it has none).
int postgresql_schema_version(Connection& db);

}  // namespace alliance::central::sql
