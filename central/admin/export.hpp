// export: members, requests or attendance as CSV (header row, RFC 4180 quoting) or JSON.
#pragma once

#include <string>
#include <vector>

#include "common/protocol/wire.hpp"

namespace alliance::central {

// A header row and one row per record (protocol::table_columns/table_row, the
// same format the kiosk exports), lines ending in CRLF, cells guarded against
// spreadsheet formula injection (see common/util/csv.hpp).
std::string export_csv(protocol::Entity entity, const std::vector<protocol::Record>& records);
// A JSON array of API v1 records.
std::string export_json(const std::vector<protocol::Record>& records);

}  // namespace alliance::central
