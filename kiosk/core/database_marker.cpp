// The kiosk database's marker file (database_marker.hpp).
#include "kiosk/core/database_marker.hpp"

#include <system_error>

#include "common/util/log.hpp"
#include "common/util/private_file.hpp"

namespace alliance::kiosk {

namespace fs = std::filesystem;

fs::path database_marker(const fs::path& database) {
  fs::path marker = database;
  marker += ".in-use";
  return marker;
}

bool database_missing(const fs::path& database) {
  if (database == ":memory:") return false;
  std::error_code ec;
  return fs::exists(database_marker(database), ec) && !fs::exists(database, ec) && !ec;
}

void mark_database_in_use(const fs::path& database) {
  if (database == ":memory:") return;
  std::error_code ec;
  if (fs::exists(database_marker(database), ec)) return;
  auto written = util::write_new_private_file(
      database_marker(database),
      "The kiosk database next to this file is in use. If the database is missing,\n"
      "alliance-kiosk refuses to start a new one: restore it (alliance-sync restore)\n"
      "or start anew on purpose with alliance-kiosk --new-database.\n");
  if (!written && !written.error().exists) {
    log::warn("kiosk.marker_not_written", {{"reason", log::Text(written.error().message)}});
  }
}

}  // namespace alliance::kiosk
