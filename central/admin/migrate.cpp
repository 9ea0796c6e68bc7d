// Copies every central table from SQLite to PostgreSQL, column by column, and compares counts and
// checksums.
#include "central/admin/migrate.hpp"

#include <filesystem>

#include "central/crypto.hpp"
#include "central/store/central_store.hpp"
#include "central/store/sql_connection.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {
namespace {

std::vector<std::string> columns_of(sql::Connection& sqlite, const std::string& table) {
  std::vector<std::string> columns;
  auto q = sqlite.query("SELECT name FROM pragma_table_info(?1) ORDER BY cid");
  q.bind(1, table);
  while (q.step()) columns.push_back(q.text(0));
  return columns;
}

std::string select_all(const std::string& table, const std::vector<std::string>& columns) {
  return util::cat("SELECT ", util::join(columns, ','), " FROM ", table);
}

// What one row adds to its table's checksum: NULL and '' differ, and so do
// ("ab","c") and ("a","bc").
std::uint64_t row_hash(sql::Query& q, std::size_t columns) {
  std::string row;
  for (std::size_t i = 0; i < columns; ++i) {
    const int column = static_cast<int>(i);
    if (q.is_null(column)) {
      row += "\x01N";
    } else {
      const std::string value = q.text(column);
      row += util::cat("\x02", value.size(), ":", value);
    }
  }
  return std::stoull(sha256_hex(row).substr(0, 16), nullptr, 16);
}

TableCopy summarize(sql::Connection& db, const std::string& table,
                    const std::vector<std::string>& columns) {
  TableCopy copy{.table = table};
  auto q = db.query(select_all(table, columns));
  while (q.step()) {
    ++copy.rows;
    copy.checksum += row_hash(q, columns.size());
  }
  return copy;
}

}  // namespace

const std::vector<std::string>& migrated_tables() {
  static const std::vector<std::string> tables = {
      "meta",          "enrolment_codes", "devices",       "code_prefixes",
      "records",       "applied_changes", "member_merges", "console_users",
      "console_audit", "pack_stock",      "record_keys",   "relay_queue"};
  return tables;
}

std::expected<std::vector<TableCopy>, std::string> migrate_sqlite_to_postgresql(
    const std::string& sqlite_file, const std::string& url) {
  if (!sql::is_postgresql_url(url)) {
    return std::unexpected("--to must be a PostgreSQL URL: postgresql://USER@HOST:PORT/DBNAME");
  }
  if (sql::is_postgresql_url(sqlite_file) || !std::filesystem::is_regular_file(sqlite_file)) {
    return std::unexpected(
        util::cat("--from must be an existing central SQLite file; ", sqlite_file, " is not one"));
  }
  CentralStore::open(sqlite_file);  // the latest schema, as serve would bring it to
  auto source = sql::Connection::open(sqlite_file);
  auto target = sql::Connection::open(url);
  if (sql::postgresql_schema_version(target) != 0) {
    return std::unexpected(
        util::cat("the PostgreSQL database at ", sql::redact_url(url),
                  " already holds a central database; migrate into a new, empty one (createdb)"));
  }
  CentralStore::open(url);  // creates the schema; refuses another application's tables

  std::vector<TableCopy> copied;
  {
    sql::Transaction reading(source);  // writers wait: one consistent copy
    sql::Transaction writing(target);
    for (const auto& table : migrated_tables()) {
      if (table != "meta") {
        auto held = target.query(util::cat("SELECT count(*) FROM ", table));
        held.step();
        if (held.int64(0) != 0) {
          return std::unexpected(util::cat("the PostgreSQL database at ", sql::redact_url(url),
                                           " already holds central data (table ", table,
                                           "); migrate into a new, empty one"));
        }
      }
    }
    target.exec("DELETE FROM meta");
    for (const auto& table : migrated_tables()) {
      const auto columns = columns_of(source, table);
      std::vector<std::string> placeholders;
      for (std::size_t i = 1; i <= columns.size(); ++i) placeholders.push_back(util::cat("?", i));
      const std::string insert = util::cat("INSERT INTO ", table, " (", util::join(columns, ','),
                                           ") VALUES (", util::join(placeholders, ','), ")");
      TableCopy copy{.table = table};
      auto rows = source.query(select_all(table, columns));
      while (rows.step()) {
        auto put = target.query(insert);
        for (std::size_t i = 0; i < columns.size(); ++i) {
          const int column = static_cast<int>(i);
          if (rows.is_null(column)) {
            put.bind(column + 1, nullptr);
          } else {
            put.bind(column + 1, rows.text(column));
          }
        }
        put.run();
        ++copy.rows;
        copy.checksum += row_hash(rows, columns.size());
      }
      copied.push_back(copy);
    }
    // Audit ids were copied as they are: the identity continues after them.
    target
        .query(
            "SELECT setval(pg_get_serial_sequence('console_audit', 'id'), "
            "(SELECT COALESCE(MAX(id), 0) + 1 FROM console_audit), false)")
        .step();
    target
        .query(
            "SELECT setval(pg_get_serial_sequence('relay_queue', 'position'), "
            "(SELECT COALESCE(MAX(position), 0) + 1 FROM relay_queue), false)")
        .step();
    writing.commit();
  }
  for (const auto& expected : copied) {
    const auto found = summarize(target, expected.table, columns_of(source, expected.table));
    if (found.rows != expected.rows || found.checksum != expected.checksum) {
      return std::unexpected(util::format(
          "the copy of table {} differs ({} rows, checksum {}; the file has {} rows, "
          "checksum {}); drop the PostgreSQL database and run migrate again",
          expected.table, found.rows, found.checksum, expected.rows, expected.checksum));
    }
  }
  return copied;
}

}  // namespace alliance::central
