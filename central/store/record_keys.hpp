// The office console's keys of members, check-ins and requests (table
// record_keys, schema 7): the fields its pages count, filter and search by,
// as indexed columns beside each record's JSON. Every write of a record
// (central_store.cpp's save) writes its keys in the same transaction; they
// are rebuilt when the search keys' rules change (model::search_key_version).
#pragma once

#include <string>

#include "central/store/sql_connection.hpp"
#include "common/protocol/wire.hpp"

namespace alliance::central {

// Writes (or replaces) the keys of `record` of `office`; nothing for events and packs.
void write_record_keys(sql::Connection& db, const protocol::Record& record,
                       const std::string& office);

// Rebuilds every record's keys when they were made by other rules than this
// build's (the first open after the upgrade to schema 7, a new ICU): in one
// write transaction, which other processes opening at once wait for.
// Returns whether it rebuilt them.
bool refresh_record_keys(sql::Connection& db);

}  // namespace alliance::central
