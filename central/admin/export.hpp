// export: members, requests or attendance as CSV or JSON, in the format the kiosk exports too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/protocol/export.hpp"
#include "common/protocol/wire.hpp"

namespace alliance::central {

// The records as protocol::ExportWriter writes them (CSV: byte order mark,
// header row, quoting and formula guards; JSON: an array of API v1 records).
// The bytes are the data exactly; the command line escapes control
// characters before they reach a terminal.
// The CSV's country_name column names countries in `language` (en, fr, pt, es).
std::string export_text(protocol::Entity entity, protocol::ExportFormat format,
                        const std::vector<protocol::Record>& records,
                        std::string_view language = "en");

}  // namespace alliance::central
