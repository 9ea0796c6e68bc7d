// The database file's health: writable by its mode, side files with the
// right mode, intact (integrity checks, a cut WAL), and the disk space left.
//
// Database::open calls these before and after it opens a file, so every
// program refuses a file it must not write with a message that names the
// file and the fix. Errors are StoreError, as everywhere in common/store.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace alliance::store {

class Database;

// Below this much free space on the database's file system, new records
// (registrations, check-ins, requests, imports: anything queued for sync) are
// refused, while the agent still records acknowledgements and pulled records.
inline constexpr std::uint64_t kLowSpaceBytes = 1024 * 1024;
// The staff sync panel warns below this much free space.
inline constexpr std::uint64_t kSpaceWarningBytes = 16 * 1024 * 1024;
// The reserve file the agent keeps next to the database and gives up when a
// write of acknowledgements finds the disk full.
inline constexpr std::uint64_t kReserveBytes = 256 * 1024;
// The WAL is checkpointed every this many pages and cut back to this size.
inline constexpr int kWalAutocheckpointPages = 256;
inline constexpr std::int64_t kJournalSizeLimitBytes = 1024 * 1024;

// Whether the mode bits give this process's user write access. root passes
// access(2) whatever the mode, so the bits are read as a person means them:
// a 0444 file is read-only for root too.
bool mode_allows_writing(const struct stat& st);

// Refuses (StoreError, SQLITE_READONLY) a database file, or its folder, that
// the mode bits or a read-only mount keep this process from writing, with the
// chmod that fixes it. A missing file is fine (it will be created).
void require_writable(const std::filesystem::path& db_path);

// Gives -wal and -shm the database's intended mode (database_file_mode) when
// they have another one, e.g. 0444 files left by a program that ran while the
// database was read-only. With `must` a file that cannot be repaired throws
// StoreError naming it and the fix; otherwise it is left as it is.
void repair_side_file_modes(const std::filesystem::path& db_path, bool must);

// A WAL shorter than the frames its index (-shm) says were committed: the
// file was cut (copied half-way, truncated), and committed records are gone.
// Returns what is wrong, or nothing when there is no WAL, no index, or they
// agree. Call before any connection of this process opens the file: opening
// rebuilds the index and hides the loss.
std::optional<std::string> wal_cut_problem(const std::filesystem::path& db_path);

struct IntegrityReport {
  bool ok = true;
  std::vector<std::string> problems;  // SQLite's lines, at most 100
};
// PRAGMA quick_check (full = false: structure, seconds on a large file) or
// integrity_check (full = true: also every index against its table).
IntegrityReport check_integrity(Database& db, bool full);

// What a damaged file's refusal says: the file, the problem, the recovery.
std::string damaged_message(const std::filesystem::path& db_path, const std::string& problem);

// Free bytes for an unprivileged user on the file system holding db_path, or
// nothing when it cannot be read.
std::optional<std::uint64_t> free_space(const std::filesystem::path& db_path);

// Throws StoreError (SQLITE_FULL) when less than kLowSpaceBytes are free:
// called before every write that queues a change for sync.
void refuse_new_records_if_disk_low(const std::filesystem::path& db_path);

// The reserve file next to the database (db_path + "-reserve").
std::filesystem::path reserve_path(const std::filesystem::path& db_path);
// Creates the reserve (kReserveBytes, mode 0600) when it is missing and the
// disk has room for it and kLowSpaceBytes more. Never throws.
void keep_disk_reserve(const std::filesystem::path& db_path);
// Runs `write`; when it fails because the disk is full, gives up the reserve
// and runs it once more. For writes that must happen (acknowledgements).
void with_disk_reserve(const std::filesystem::path& db_path, const std::function<void()>& write);

}  // namespace alliance::store
