// The office console's keys of members, check-ins and requests (table
// record_keys, schema 7): the fields its pages count, filter and search by,
// as indexed columns beside each record's JSON, kept up to date by
// catch_up_record_keys (by the change sequence) rather than by every write,
// and rebuilt when the search keys' rules change (model::search_key_version).
#pragma once

#include <cstdint>
#include <string>

#include "central/store/sql_connection.hpp"
#include "common/protocol/wire.hpp"

namespace alliance::central {

// Writes (or replaces) the keys of `record` of `office`; nothing for events and packs.
void write_record_keys(sql::Connection& db, const protocol::Record& record,
                       const std::string& office);

// Brings the keys up to date with the records: writes the keys of every
// record saved since the last catch-up (meta 'record_keys_seq' is the change
// sequence they reflect), or rebuilds them all when they were made by other
// rules than this build's (meta 'record_keys': the first open after the
// upgrade to schema 7, a new ICU). Pushes do not write keys, so ingest does
// not pay for the console's seven indexes; the console catches up before it
// reads them and in the background. Without a write when nothing is new;
// otherwise one write transaction under the writers' lock, which other
// connections wait for; `per_transaction` records at most in each, which
// bounds how long pushes wait. Returns the number of records whose keys it
// wrote.
std::int64_t catch_up_record_keys(sql::Connection& db, std::int64_t per_transaction = 20'000);

}  // namespace alliance::central
