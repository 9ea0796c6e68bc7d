// Exports: records as CSV rows (with the table's columns) or JSON array items.
#include "common/protocol/export.hpp"

#include "common/protocol/codec.hpp"
#include "common/protocol/table.hpp"

namespace alliance::protocol {

std::optional<Entity> export_entity(std::string_view what) {
  if (what == "members") return Entity::member;
  if (what == "requests") return Entity::request;
  if (what == "attendance") return Entity::attendance;
  return std::nullopt;
}

std::optional<ExportFormat> export_format(std::string_view name) {
  if (name == "csv") return ExportFormat::csv;
  if (name == "json") return ExportFormat::json;
  return std::nullopt;
}

ExportWriter::ExportWriter(std::ostream& out, Entity entity, ExportFormat format,
                           std::string_view language)
    : out_(out),
      format_(format),
      language_(language),
      csv_(out, {.byte_order_mark = true, .columns = table_cells(entity)}) {
  if (format_ == ExportFormat::csv) {
    csv_.row(table_columns(entity));
  } else {
    out_ << '[';
  }
}

void ExportWriter::add(const Record& record) {
  if (format_ == ExportFormat::csv) {
    csv_.row(table_row(record, language_));
  } else {
    out_ << (first_ ? "\n" : ",\n") << encode_record(record);
  }
  first_ = false;
}

void ExportWriter::finish() {
  if (format_ == ExportFormat::json) out_ << (first_ ? "]\n" : "\n]\n");
}

}  // namespace alliance::protocol
