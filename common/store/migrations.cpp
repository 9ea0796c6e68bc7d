// Applies embedded SQL migrations and guards against foreign or newer files.
#include "common/store/migrations.hpp"
#include "common/util/strings.hpp"

#include <sqlite3.h>

#include <charconv>

namespace alliance::store {

Schema make_schema(std::string_view what, std::int32_t application_id,
                   std::span<const EmbeddedFile> files) {
  Schema schema{what, application_id, {}};
  for (const auto& file : files) {
    int version = 0;
    const auto [end, ec] =
        std::from_chars(file.name.data(), file.name.data() + file.name.size(), version);
    if (ec != std::errc{} || end == file.name.data() || *end != '_') {
      throw std::logic_error(
          util::format("migration file {} must be named NNNN_name.sql", file.name));
    }
    if (version != static_cast<int>(schema.migrations.size()) + 1) {
      throw std::logic_error(util::format("migration {} is out of sequence", file.name));
    }
    schema.migrations.push_back({version, file.name, file.content});
  }
  return schema;
}

const Schema& device_schema() {
  // 'ALFK' marks a file as an Alliance Field Kit device store.
  static const Schema schema = make_schema("kiosk database", 0x414C464B, embedded_migrations());
  return schema;
}

int schema_version(Database& db) {
  auto q = db.query("PRAGMA user_version");
  q.step();
  return q.integer(0);
}

namespace {

std::int32_t application_id(Database& db) {
  auto q = db.query("PRAGMA application_id");
  q.step();
  return static_cast<std::int32_t>(q.int64(0));
}

bool has_tables(Database& db) {
  auto q = db.query("SELECT count(*) FROM sqlite_schema");
  q.step();
  return q.int64(0) > 0;
}

}  // namespace

void migrate(Database& db, const Schema& schema, int target_version) {
  const int latest = schema.latest_version();
  const int target = target_version < 0 ? latest : target_version;
  Transaction tx(db);
  const int current = schema_version(db);
  const std::int32_t app_id = application_id(db);
  const std::string file = db.path().string();
  if (app_id != schema.application_id && (app_id != 0 || has_tables(db))) {
    throw StoreError(
        SQLITE_NOTADB,
        util::format("{} is not an Alliance Field Kit {}; check the --db path", file, schema.what));
  }
  if (current > latest) {
    throw StoreError(SQLITE_CANTOPEN,
                     util::format("{} was written by a newer version of Alliance Field Kit (schema "
                                  "{}, this program knows up to {}); install the newer version to "
                                  "open it",
                                  file, current, latest));
  }
  if (current >= target) return;  // nothing to do; the transaction rolls back harmlessly
  for (const auto& m : schema.migrations) {
    if (m.version <= current || m.version > target) continue;
    try {
      db.exec(m.sql);
    } catch (const StoreError& e) {
      throw StoreError(e.sqlite_code(), util::format("upgrading {} to schema {} ({}) failed: {}",
                                                     file, m.version, m.name, e.what()));
    }
  }
  db.exec(util::format("PRAGMA application_id = {}; PRAGMA user_version = {};",
                       schema.application_id, target));
  tx.commit();
}

}  // namespace alliance::store
