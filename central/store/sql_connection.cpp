// The two backends of central's SQL connection: SQLite through store::Database, PostgreSQL through
// libpq.
#include "central/store/sql_connection.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <unordered_map>
#include <vector>

#include "central/store/wal_checkpointer.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/strings.hpp"

namespace alliance::central::sql {
namespace {

// The advisory lock key every central writer of one PostgreSQL database takes ('ALCE').
constexpr std::int64_t kWriterLockKey = 0x414C4345;

// ---------------------------------------------------------------- SQLite

class SqliteQuery final : public QueryImpl {
 public:
  SqliteQuery(store::Database& db, std::string_view sql) : q_(db.query(sql)) {}
  void bind_int64(int index, std::int64_t value) override { q_.bind(index, value); }
  void bind_text(int index, std::string_view value) override { q_.bind(index, value); }
  void bind_null(int index) override { q_.bind(index, nullptr); }
  // A JSON array, which json_each reads (SQLite has no array parameters).
  void bind_list(int index, std::span<const std::optional<std::string_view>> values) override {
    std::string json = "[";
    for (const auto& value : values) {
      if (json.size() > 1) json += ',';
      json += value ? protocol::json_string(*value) : std::string("null");
    }
    json += ']';
    q_.bind(index, json);
  }
  bool step() override { return q_.step(); }
  void run() override { q_.run(); }
  bool is_null(int column) const override { return q_.is_null(column); }
  std::int64_t int64(int column) const override { return q_.int64(column); }
  std::string text(int column) const override { return q_.text(column); }

 private:
  store::Query q_;
};

class SqliteConnection final : public ConnectionImpl {
 public:
  SqliteConnection(store::Database db, bool background_checkpoints) : db_(std::move(db)) {
    if (background_checkpoints) checkpointer_ = std::make_unique<WalCheckpointer>(db_, db_.path());
  }
  Backend backend() const override { return Backend::sqlite; }
  std::unique_ptr<QueryImpl> query(std::string_view sql) override {
    return std::make_unique<SqliteQuery>(db_, sql);
  }
  void exec(std::string_view sql) override { db_.exec(sql); }
  int changes() const override { return db_.changes(); }
  void begin(TxKind) override { tx_ = std::make_unique<store::Transaction>(db_); }
  void commit() override {
    tx_->commit();
    tx_.reset();
  }
  void rollback() noexcept override { tx_.reset(); }
  store::Database* sqlite() override { return &db_; }

 private:
  store::Database db_;
  std::unique_ptr<store::Transaction> tx_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // after db_: stopped before it closes
};

// ---------------------------------------------------------------- PostgreSQL

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};

// libpq's messages end in a newline and may span lines; a log line is one line.
std::string one_line(const char* message) {
  std::string out;
  for (const char* c = message; c != nullptr && *c != '\0'; ++c) {
    if (*c == '\n') {
      if (c[1] != '\0') out += "; ";
    } else {
      out.push_back(*c);
    }
  }
  return out;
}

// ?N becomes $N outside quoted text; both name the N-th parameter.
std::string to_dollar_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '?') {
      c = '$';
    }
    out.push_back(c);
  }
  return out;
}

// A PostgreSQL array literal of texts: {"a","b\"c",NULL}. Every element is
// quoted, so no text can read as NULL or split the list.
std::string array_literal(std::span<const std::optional<std::string_view>> values) {
  std::size_t size = 2;
  for (const auto& value : values) size += value ? value->size() + 3 : 5;
  std::string out;
  out.reserve(size);
  out += '{';
  for (const auto& value : values) {
    if (out.size() > 1) out += ',';
    if (!value) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (const char c : *value) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

class PgConnection;

class PgQuery final : public QueryImpl {
 public:
  PgQuery(PgConnection& connection, std::string statement)
      : connection_(connection), statement_(std::move(statement)) {}
  void bind_int64(int index, std::int64_t value) override { slot(index) = std::to_string(value); }
  void bind_text(int index, std::string_view value) override { slot(index) = std::string(value); }
  void bind_null(int index) override { slot(index).reset(); }
  void bind_list(int index, std::span<const std::optional<std::string_view>> values) override {
    slot(index) = array_literal(values);
  }
  bool step() override;
  void run() override;
  bool is_null(int column) const override { return PQgetisnull(result_.get(), row_, column) != 0; }
  std::int64_t int64(int column) const override {
    const char* value = PQgetvalue(result_.get(), row_, column);
    if (value[0] == 't' && value[1] == '\0') return 1;  // boolean columns
    if (value[0] == 'f' && value[1] == '\0') return 0;
    std::int64_t out = 0;
    std::from_chars(value, value + PQgetlength(result_.get(), row_, column), out);
    return out;
  }
  std::string text(int column) const override {
    return std::string(PQgetvalue(result_.get(), row_, column),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row_, column)));
  }

 private:
  std::optional<std::string>& slot(int index) {
    if (static_cast<std::size_t>(index) > params_.size()) {
      params_.resize(static_cast<std::size_t>(index));
    }
    return params_[static_cast<std::size_t>(index) - 1];
  }
  void execute();

  PgConnection& connection_;
  std::string statement_;  // prepared statement name
  std::vector<std::optional<std::string>> params_;
  Result result_;
  int row_ = -1;
};

class PgConnection final : public ConnectionImpl {
 public:
  PgConnection(const std::string& url, const ConnectOptions& options) : url_(url) {
    const std::string timeout = std::to_string(options.connect_timeout_s);
    // Every statement and every lock wait is bounded; a stuck server or
    // lock becomes an error instead of a request that never ends.
    const std::string settings = util::format(
        "-c statement_timeout={} -c lock_timeout={} -c idle_in_transaction_session_timeout={}",
        options.statement_timeout_ms, options.busy_timeout_ms, options.statement_timeout_ms * 2);
    // Keywords after dbname override what the URL says.
    const char* keywords[] = {"dbname", "connect_timeout", "options", "application_name", nullptr};
    const char* values[] = {url.c_str(), timeout.c_str(), settings.c_str(), "alliance-central",
                            nullptr};
    conn_.reset(PQconnectdbParams(keywords, values, 1));
    if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
      const std::string why = conn_ ? one_line(PQerrorMessage(conn_.get())) : "out of memory";
      throw SqlError("", util::cat("cannot connect to PostgreSQL at ", redact_url(url), ": ", why,
                                   " (is the server running, and does the database exist?)"));
    }
    PQsetErrorVerbosity(conn_.get(), PQERRORS_DEFAULT);
    exec("SET client_min_messages = warning");
  }

  Backend backend() const override { return Backend::postgresql; }

  std::unique_ptr<QueryImpl> query(std::string_view sql) override {
    auto found = statements_.find(std::string(sql));
    if (found == statements_.end()) {
      const std::string name = util::cat("s", statements_.size() + 1);
      Result prepared(
          PQprepare(conn_.get(), name.c_str(), to_dollar_placeholders(sql).c_str(), 0, nullptr));
      check(prepared.get(), PGRES_COMMAND_OK, "preparing a statement");
      found = statements_.emplace(std::string(sql), name).first;
    }
    return std::make_unique<PgQuery>(*this, found->second);
  }

  void exec(std::string_view sql) override {
    Result r(PQexec(conn_.get(), std::string(sql).c_str()));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) check(r.get(), PGRES_COMMAND_OK, "a statement");
  }

  int changes() const override { return changes_; }

  void begin(TxKind kind) override {
    if (PQstatus(conn_.get()) != CONNECTION_OK) reconnect();
    try {
      if (kind == TxKind::snapshot) {
        exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
      } else {
        exec(util::cat("BEGIN; SELECT pg_advisory_xact_lock(", kWriterLockKey, ")"));
      }
    } catch (...) {
      // No Transaction exists to roll back a BEGIN whose lock wait timed out.
      rollback();
      throw;
    }
  }
  void commit() override { exec("COMMIT"); }
  void rollback() noexcept override {
    if (PQstatus(conn_.get()) != CONNECTION_OK) return;
    PQclear(PQexec(conn_.get(), "ROLLBACK"));
  }

  PGresult* run_prepared(const std::string& name,
                         const std::vector<std::optional<std::string>>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    return PQexecPrepared(conn_.get(), name.c_str(), static_cast<int>(values.size()), values.data(),
                          nullptr, nullptr, 0);
  }
  void set_changes(int n) { changes_ = n; }

  void check(PGresult* r, ExecStatusType expected, std::string_view what) {
    if (r != nullptr && PQresultStatus(r) == expected) return;
    const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const std::string message =
        one_line(r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(conn_.get()));
    if (PQstatus(conn_.get()) != CONNECTION_OK) {
      throw SqlError(
          state != nullptr ? state : "",
          util::cat("the connection to PostgreSQL at ", redact_url(url_), " was lost: ", message));
    }
    throw SqlError(state != nullptr ? state : "",
                   util::cat("PostgreSQL refused ", what, ": ", message));
  }

 private:
  // After the server restarted or the network dropped: one new connection
  // (bounded by connect_timeout); the prepared statements went with the old one.
  void reconnect() {
    PQreset(conn_.get());
    statements_.clear();
    if (PQstatus(conn_.get()) != CONNECTION_OK) {
      throw SqlError("", util::cat("cannot reconnect to PostgreSQL at ", redact_url(url_), ": ",
                                   one_line(PQerrorMessage(conn_.get()))));
    }
  }

  std::string url_;
  std::unique_ptr<PGconn, ConnDeleter> conn_;
  std::unordered_map<std::string, std::string> statements_;
  int changes_ = 0;
};

void PgQuery::execute() {
  result_.reset(connection_.run_prepared(statement_, params_));
  const auto status = PQresultStatus(result_.get());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    const char* tuples = PQcmdTuples(result_.get());
    int n = 0;
    std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), n);
    connection_.set_changes(n);
    return;
  }
  connection_.check(result_.get(), PGRES_COMMAND_OK, "a statement");
}

bool PgQuery::step() {
  if (row_ < 0 && !result_) execute();
  ++row_;
  return row_ < PQntuples(result_.get());
}

void PgQuery::run() {
  execute();
}

}  // namespace

bool SqlError::retryable() const {
  return sqlstate_ == "40001" || sqlstate_ == "40P01" || sqlstate_ == "23505";
}

bool is_postgresql_url(std::string_view spec) {
  return spec.starts_with("postgresql://") || spec.starts_with("postgres://");
}

std::string redact_url(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto authority_end = url.find_first_of("/?", scheme + 3);
  const auto at = url.rfind('@', authority_end);
  if (at == std::string_view::npos || at < scheme) return std::string(url);
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return util::cat(url.substr(0, colon), ":***", url.substr(at));
}

std::string Connection::in_list(int index) const {
  if (backend() == Backend::postgresql) return util::cat("= ANY(CAST(?", index, " AS TEXT[]))");
  return util::cat("IN (SELECT value FROM json_each(?", index, "))");
}

Connection Connection::open(const std::string& spec, const ConnectOptions& options) {
  if (is_postgresql_url(spec)) return Connection(std::make_unique<PgConnection>(spec, options));
  auto db =
      store::Database::open(spec, store::OpenOptions{.busy_timeout_ms = options.busy_timeout_ms});
  // A batch of 500 changes dirties more pages than SQLite's default 2 MiB
  // cache holds; spilling them mid-transaction costs a write per page.
  db.exec("PRAGMA cache_size=-65536");
  return Connection(
      std::make_unique<SqliteConnection>(std::move(db), options.background_checkpoints));
}

Transaction::Transaction(Connection& db, TxKind kind) : db_(db) {
  db_.impl().begin(kind);
}

Transaction::~Transaction() {
  if (!done_) db_.impl().rollback();
}

void Transaction::commit() {
  db_.impl().commit();
  done_ = true;
}

int postgresql_schema_version(Connection& db) {
  auto exists = db.query("SELECT to_regclass('alliance_schema') IS NOT NULL");
  exists.step();
  if (exists.int64(0) == 0) return 0;
  auto q = db.query("SELECT version FROM alliance_schema");
  return q.step() ? q.integer(0) : 0;
}

void migrate_postgresql(Connection& db, const store::Schema& schema) {
  Transaction tx(db);
  {
    auto exists = db.query("SELECT to_regclass('alliance_schema') IS NOT NULL");
    exists.step();
    if (exists.int64(0) == 0) {
      auto tables = db.query("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()");
      tables.step();
      if (tables.int64(0) > 0) {
        throw store::StoreError(
            0, util::cat("this PostgreSQL database holds tables that are not a ", schema.what,
                         "; give alliance-central a database of its own (createdb)"));
      }
      db.exec(util::cat(
          "CREATE TABLE alliance_schema (application_id INTEGER NOT NULL, version INTEGER NOT "
          "NULL); INSERT INTO alliance_schema VALUES (",
          schema.application_id, ", 0)"));
    }
  }
  int version = 0;
  {
    auto q = db.query("SELECT application_id, version FROM alliance_schema");
    if (!q.step() || q.int64(0) != schema.application_id) {
      throw store::StoreError(0, util::cat("this PostgreSQL database is not a ", schema.what,
                                           "; give alliance-central a database of its own"));
    }
    version = q.integer(1);
  }
  if (version > schema.latest_version()) {
    throw store::StoreError(
        0, util::format("this {} has schema version {}, newer than this program knows ({}); "
                        "upgrade alliance-central",
                        schema.what, version, schema.latest_version()));
  }
  for (const auto& migration : schema.migrations) {
    if (migration.version <= version) continue;
    db.exec(migration.sql);
    db.query("UPDATE alliance_schema SET version = ?1").bind(1, migration.version).run();
  }
  tx.commit();
}

}  // namespace alliance::central::sql
