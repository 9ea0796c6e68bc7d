// Backups of a database and restoring one: a consistent copy taken while the
// programs using it run, checked before it is written or used. The device
// store's backup and restore are here in full; central's add their own steps
// around the generic ones (central/admin/backup.*).
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/store/migrations.hpp"

namespace alliance::store {

// Meta key set by restore_database: the agent's next pull asks for this
// device's own records too (API v1 pull own=1), then clears it.
inline constexpr std::string_view kMetaPullOwnRecords = "sync.pull_own_records";

struct BackupInfo {
  std::uint64_t bytes = 0;
  std::string device_id;  // the copied database's device (meta device_id)
};

// Copies the database at db_path with SQLite's online backup API (one read
// snapshot: consistent while other programs write) into memory, runs the
// full integrity check on the copy, and writes it to `out` as a new file,
// mode 0600, never over anything already there (util::write_new_private_file).
// The copy is a plain SQLite file (rollback journal): it can be opened on a
// read-only stick. Errors come back as a message naming the file and the fix.
std::expected<BackupInfo, std::string> backup_database(const std::filesystem::path& db_path,
                                                       const std::filesystem::path& out);
// The same for a database of `schema` (a central store, say).
std::expected<BackupInfo, std::string> backup_database(const std::filesystem::path& db_path,
                                                       const std::filesystem::path& out,
                                                       const Schema& schema);

// Whether another process has the database open: every SQLite connection to
// a WAL database holds a shared lock on its -shm file while it is open.
bool database_in_use(const std::filesystem::path& db_path);

struct RestoreInfo {
  BackupInfo backup;
  std::filesystem::path moved_aside;  // where the replaced file went ("" if there was none)
};

// Replaces the database at db_path with the backup. Refused while any
// program has db_path open (stop the kiosk and the agent first), and when
// the backup is not an intact device database. The file being replaced is
// kept, with its -wal and -shm, as db_path.replaced-<UTC time>; the restored
// file gets the intended mode (database_file_mode). The backup's outbox comes
// back as it was: changes it holds as waiting are sent again and the server
// answers those it already has as duplicates (change ids are idempotency
// keys). The pull cursor is reset, so the next pull brings back, once, all
// the server holds for this device's office, its own records made after the
// backup included.
// The part of a restore every database shares: refused while any program
// has db_path open (`stop_first` tells a person what to stop) and when the
// backup is not an intact database of `schema` of this version or older;
// the replaced file is kept with its -wal and -shm as
// db_path.replaced-<UTC time>, and the backup is written in its place with
// the intended mode. The caller then opens (and migrates) it.
std::expected<RestoreInfo, std::string> replace_with_backup(const std::filesystem::path& db_path,
                                                            const std::filesystem::path& backup,
                                                            const Schema& schema,
                                                            std::string_view stop_first);

std::expected<RestoreInfo, std::string> restore_database(const std::filesystem::path& db_path,
                                                         const std::filesystem::path& backup);

}  // namespace alliance::store
