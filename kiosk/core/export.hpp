// Exports of members, resource requests and attendance as CSV or JSON.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/store/store.hpp"

namespace alliance::kiosk {

enum class ExportFormat { csv, json };

// The CSV header for `what` (protocol::table_columns); throws std::invalid_argument
// for anything but "members", "requests" or "attendance".
const std::vector<std::string>& export_columns(std::string_view what);

// Writes every record of `what` ("members", "requests" or "attendance"),
// voided ones included, in id order, to out.
//   csv   a header row (export_columns) then one row per record
//         (protocol::table_row, the same format alliance-central exports),
//         CRLF line ends, cells guarded against formula injection (see
//         common/util/csv.hpp).
//   json  an array of records, each exactly protocol::encode_record's object.
// Throws std::invalid_argument before writing anything for an unknown `what`,
// and StoreError for database failures.
void export_records(store::Store& store, std::string_view what, ExportFormat format,
                    std::ostream& out);

}  // namespace alliance::kiosk
