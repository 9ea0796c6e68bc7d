// CSV and JSON exports of the central store's records.
#include "central/admin/export.hpp"

#include <sstream>

#include "common/protocol/codec.hpp"
#include "common/protocol/table.hpp"
#include "common/util/csv.hpp"

namespace alliance::central {

std::string export_csv(protocol::Entity entity, const std::vector<protocol::Record>& records) {
  std::ostringstream out;
  util::CsvWriter writer(out);
  writer.row(protocol::table_columns(entity));
  for (const auto& record : records) writer.row(protocol::table_row(record));
  return std::move(out).str();
}

std::string export_json(const std::vector<protocol::Record>& records) {
  std::string out = "[";
  for (std::size_t i = 0; i < records.size(); ++i) {
    out += i == 0 ? "\n  " : ",\n  ";
    out += protocol::encode_record(records[i]);
  }
  out += records.empty() ? "]\n" : "\n]\n";
  return out;
}

}  // namespace alliance::central
