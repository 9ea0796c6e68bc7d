// CSV and JSON forms of the stock list.
#include "central/admin/stock.hpp"

#include <sstream>

#include "common/protocol/codec.hpp"
#include "common/util/csv.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {

std::string stock_csv(const std::vector<StockLevel>& levels) {
  std::ostringstream out;
  util::CsvWriter writer(out);
  writer.row({"office", "pack_id", "on_hand", "updated_at", "updated_by"});
  for (const auto& s : levels) {
    writer.row({s.office, s.pack_id, std::to_string(s.on_hand), s.updated_at, s.updated_by});
  }
  return std::move(out).str();
}

std::string stock_json(const std::vector<StockLevel>& levels) {
  std::string out = "[";
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const StockLevel& s = levels[i];
    out += i == 0 ? "\n  " : ",\n  ";
    out += util::cat("{\"office\":", protocol::json_string(s.office),
                     ",\"pack_id\":", protocol::json_string(s.pack_id), ",\"on_hand\":", s.on_hand,
                     ",\"updated_at\":", protocol::json_string(s.updated_at),
                     ",\"updated_by\":", protocol::json_string(s.updated_by), "}");
  }
  out += levels.empty() ? "]\n" : "\n]\n";
  return out;
}

}  // namespace alliance::central
