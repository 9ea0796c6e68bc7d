// Exports of members, resource requests and attendance as CSV or JSON.
#pragma once

#include <expected>
#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/protocol/export.hpp"
#include "common/store/store.hpp"

namespace alliance::kiosk {

using ExportFormat = protocol::ExportFormat;

// The CSV header for `what` (protocol::table_columns); throws std::invalid_argument
// for anything but "members", "requests" or "attendance".
const std::vector<std::string>& export_columns(std::string_view what);

// Writes every record of `what` ("members", "requests" or "attendance"),
// voided ones included, in id order, to out, in the format alliance-central
// exports too (protocol::ExportWriter: CSV with a byte order mark, a header
// row, quoting and formula guards; or a JSON array of API v1 records).
// The CSV's country_name column names countries in `language` (en, fr, pt, es).
// Throws std::invalid_argument before writing anything for an unknown `what`,
// and StoreError for database failures.
void export_records(store::Store& store, std::string_view what, ExportFormat format,
                    std::ostream& out, std::string_view language = "en");

// The staff screen's export: every record of `what` as CSV in a new file
// "<what>-<stamp>.csv" in folder ("<what>-<stamp>-2.csv" and so on if that
// name is taken), created readable by its owner only and never written
// through a symbolic link or over an existing file (util::write_new_private_file).
// Returns the file written, or a message for the notice bar.
std::expected<std::filesystem::path, std::string> export_to_folder(
    store::Store& store, std::string_view what, const std::filesystem::path& folder,
    std::string_view stamp, std::string_view language = "en");

}  // namespace alliance::kiosk
