// CSV and JSON exports of the central store's records.
#include "central/admin/export.hpp"

#include <sstream>

namespace alliance::central {

std::string export_text(protocol::Entity entity, protocol::ExportFormat format,
                        const std::vector<protocol::Record>& records, std::string_view language) {
  std::ostringstream out;
  protocol::ExportWriter writer(out, entity, format, language);
  for (const auto& record : records) writer.add(record);
  writer.finish();
  return std::move(out).str();
}

}  // namespace alliance::central
