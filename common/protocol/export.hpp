// Record exports shared by `alliance-kiosk export` and `alliance-central export`:
// the same kinds, formats, columns and quoting from both programs.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "common/protocol/wire.hpp"
#include "common/util/csv.hpp"

namespace alliance::protocol {

enum class ExportFormat { csv, json };

// "members", "requests" or "attendance"; nullopt for anything else.
std::optional<Entity> export_entity(std::string_view what);
// "csv" or "json"; nullopt for anything else.
std::optional<ExportFormat> export_format(std::string_view name);

// Writes one kind of record to out as the records come, so an export of any
// size streams. Does not own out.
//   csv   a UTF-8 byte order mark (Excel then reads accented names), a header
//         row (table_columns) and one row per record (table_row); CRLF line
//         ends; cells quoted and guarded against formulas (util::CsvWriter),
//         with E.164 numbers left alone in the phone columns (table_cells).
//   json  an array of records, one a line, each exactly encode_record's object.
// The bytes are the data exactly: to show an export on a terminal, pass it
// through model::escape_for_terminal.
class ExportWriter {
 public:
  // `language` names countries in the CSV's country_name column (table_row).
  ExportWriter(std::ostream& out, Entity entity, ExportFormat format,
               std::string_view language = "en");
  ExportWriter(const ExportWriter&) = delete;
  ExportWriter& operator=(const ExportWriter&) = delete;

  void add(const Record& record);
  // Ends the export (the JSON array's closing bracket); call once, last.
  void finish();

 private:
  std::ostream& out_;
  ExportFormat format_;
  std::string language_;
  util::CsvWriter csv_;
  bool first_ = true;
};

}  // namespace alliance::protocol
