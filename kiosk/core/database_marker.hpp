// The note that a kiosk database existed: a file next to it, so a kiosk
// restarted after its database was deleted does not silently start a new,
// empty, un-enrolled one (where anyone at a terminal could set a staff PIN).
#pragma once

#include <filesystem>

namespace alliance::kiosk {

// "<database>.in-use" in the database's folder.
std::filesystem::path database_marker(const std::filesystem::path& database);

// The marker says a database was here and the file is gone. A ":memory:"
// database, or one never marked, is never missing.
bool database_missing(const std::filesystem::path& database);

// Notes that `database` is in use (the kiosk started on it). Owner-only,
// written once; a marker that cannot be written is not an error (the kiosk
// only loses this check), so this never throws.
void mark_database_in_use(const std::filesystem::path& database);

}  // namespace alliance::kiosk
