// alliance-central migrate: copies a SQLite central into an empty PostgreSQL database and verifies
// the copy.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

namespace alliance::central {

// One table as copied: its rows and an order-independent checksum of them
// (the sum of each row's SHA-256 prefix), equal in source and target.
struct TableCopy {
  std::string table;
  std::int64_t rows = 0;
  std::uint64_t checksum = 0;
};

// The tables a device depends on, copied in this order (devices before
// code_prefixes, which refers to them): meta (the change sequence and the
// server's clock), enrolment codes, devices with their token hashes,
// reference-code prefixes, records with their seq, applied change ids with
// their results. A new central table must be added here and to
// central/migrations/postgresql/.
const std::vector<std::string>& migrated_tables();

// Brings `sqlite_file` to the latest schema, then copies it, in one
// transaction on each side (the file is locked against writers meanwhile),
// into the PostgreSQL database at `url`, which must hold no central data;
// then counts and checksums every table on both sides. An error says what
// to do; nothing is committed on the target unless the copy completed.
std::expected<std::vector<TableCopy>, std::string> migrate_sqlite_to_postgresql(
    const std::string& sqlite_file, const std::string& url);

}  // namespace alliance::central
