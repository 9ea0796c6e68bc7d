// alliance-central backup and restore: a consistent copy of a running central
// (SQLite's online backup API), and a restore the devices notice.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>

#include "common/protocol/wire.hpp"
#include "common/store/backup.hpp"

namespace alliance::central {

// Copies the central database at `db` into a new owner-only file `out` while
// `serve` keeps running; the copy is checked (full integrity check, a central
// database) before it is written. Errors name the file and the fix.
std::expected<store::BackupInfo, std::string> backup_central(const std::filesystem::path& db,
                                                             const std::filesystem::path& out);

struct CentralRestore {
  store::RestoreInfo replaced;
  protocol::CentralLineage lineage;  // of the restored database, restore count raised
};

// Puts `backup` in place of `db` (refused while serve or another command has
// it open; the replaced file is kept as db.replaced-<UTC time>), then raises
// its restore count past both the backup's and the replaced file's, so every
// device's next push or pull sees central went back and sends again what it
// holds (sync/recovery.hpp).
std::expected<CentralRestore, std::string> restore_central(const std::filesystem::path& db,
                                                           const std::filesystem::path& backup);

}  // namespace alliance::central
