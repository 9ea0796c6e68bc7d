// The tabular form of records: one column list and one row per record kind, so
// CSV exports from the kiosk and from central line up when an office merges them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/protocol/wire.hpp"
#include "common/util/csv.hpp"

namespace alliance::protocol {

// The header for entity's rows, in column order; the reference lives forever.
// Both programs export through this list, so a change here changes both.
const std::vector<std::string>& table_columns(Entity entity);

// What each column holds, in the same order: the phone columns (member phone,
// request contact_phone) are declared here, so the CSV writer leaves E.164
// numbers in them as they are and guards a leading '+' everywhere else.
const std::vector<util::CsvCell>& table_cells(Entity entity);

// One cell per table_columns(entity of record), as plain text: empty for an
// absent value, booleans as true/false, enums as their wire names, lists joined
// by ';' and request lines as "PACKxQTY;PACKxQTY" with an ASCII x. No quoting
// and no formula guard: that is the writer's job (util::CsvWriter). The
// country_name column (members, events) names the country column's ISO code
// in `language` ("en", "fr", "pt" or "es"; iso-codes' names).
std::vector<std::string> table_row(const Record& record, std::string_view language = "en");

}  // namespace alliance::protocol
