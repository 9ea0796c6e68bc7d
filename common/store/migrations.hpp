// Numbered schema migrations, kept as SQL files and applied in one transaction.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/store/database.hpp"
#include "common/store/embedded.hpp"

namespace alliance::store {

struct Migration {
  int version = 0;  // from the file name: 0001_initial.sql is version 1
  std::string_view name;
  std::string_view sql;
};

// A schema: its migrations in order and the application id that marks its files.
struct Schema {
  std::string_view what;  // "kiosk database", "central database": used in messages
  std::int32_t application_id = 0;
  std::vector<Migration> migrations;

  int latest_version() const { return migrations.empty() ? 0 : migrations.back().version; }
};

// Parses "NNNN_name.sql" files into migrations; throws if numbering has gaps.
Schema make_schema(std::string_view what, std::int32_t application_id,
                   std::span<const EmbeddedFile> files);

// The kiosk's device store schema (records, outbox, sync state).
const Schema& device_schema();

// The schema version of an open database (PRAGMA user_version).
int schema_version(Database& db);

// Brings the database up to `target_version` (default: the latest) in one
// transaction. Refuses, with a message that says to upgrade, a file written by
// a newer version, and a file that belongs to another application.
void migrate(Database& db, const Schema& schema, int target_version = -1);

}  // namespace alliance::store
