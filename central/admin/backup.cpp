// alliance-central backup and restore over the shared SQLite backup code.
#include "central/admin/backup.hpp"

#include <charconv>

#include "central/store/central_store.hpp"
#include "common/store/database.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {
namespace {

// The restore count of the file about to be replaced; 0 when it cannot be read.
std::int64_t restore_epoch_of(const std::filesystem::path& db) {
  std::error_code ec;
  if (!std::filesystem::exists(db, ec)) return 0;
  try {
    auto file = store::Database::open(db, {.create_if_missing = false, .read_only = true});
    auto q = file.query("SELECT value FROM meta WHERE key = 'restore_epoch'");
    if (!q.step()) return 0;
    const std::string value = q.text(0);
    std::int64_t epoch = 0;
    std::from_chars(value.data(), value.data() + value.size(), epoch);
    return epoch;
  } catch (const store::StoreError&) {
    return 0;  // a damaged file: the backup's own count is raised instead
  }
}

}  // namespace

std::expected<store::BackupInfo, std::string> backup_central(const std::filesystem::path& db,
                                                             const std::filesystem::path& out) {
  return store::backup_database(db, out, central_schema());
}

std::expected<CentralRestore, std::string> restore_central(const std::filesystem::path& db,
                                                           const std::filesystem::path& backup) {
  const std::int64_t replaced_epoch = restore_epoch_of(db);
  auto replaced = store::replace_with_backup(
      db, backup, central_schema(),
      "Stop alliance-central first (systemctl stop alliance-central; also any admin command "
      "still running)");
  if (!replaced) return std::unexpected(replaced.error());
  try {
    auto store = CentralStore::open(db);  // upgrades an older backup as serve would
    store->mark_restored(replaced_epoch);
    return CentralRestore{.replaced = *replaced, .lineage = store->lineage()};
  } catch (const store::StoreError& e) {
    return std::unexpected(
        util::format("{} was restored but cannot be opened: {}", db.string(), e.what()));
  }
}

}  // namespace alliance::central
