// RFC 4180 CSV: reading organisers' spreadsheet files and writing exports.
#pragma once

#include <cstddef>
#include <expected>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alliance::util {

// One record and the physical line (1-based) its first field starts on, so a
// person can find it in a text editor even when quoted fields span lines.
struct CsvRecord {
  std::size_t line = 0;
  std::vector<std::string> fields;

  // An empty line: a single empty field. Spreadsheets leave these at the end.
  bool blank() const;
};

struct CsvError {
  std::size_t line = 0;
  // Stable i18n key: "csv.quote_not_closed" (a quoted field runs to the end of
  // the file) or "csv.text_after_quote" (e.g. "abc"x).
  std::string key;
  std::string message;  // English, for logs and the command line
};

// Reads all of text. Fields may be quoted ("a, b"), with doubled quotes for a
// quote ("say ""hi""") and commas and line breaks inside. Lines may end in
// CRLF, LF or a lone CR; a UTF-8 byte order mark at the very start is skipped.
// A quote inside an unquoted field is kept as text, as spreadsheets do. A line
// break after the last record does not start another one.
std::expected<std::vector<CsvRecord>, CsvError> parse_csv(std::string_view text,
                                                          char delimiter = ',');

// The delimiter of the first line: whichever of ',', ';' (what spreadsheets
// write in locales with a decimal comma) and tab ("Unicode text" and
// tab-separated files) it holds most of outside quotes; ',' on a tie or when
// it holds none.
char detect_delimiter(std::string_view text);

// A spreadsheet file's bytes as UTF-8, and the encoding they were read in.
struct DecodedText {
  std::string text;      // UTF-8 without a byte order mark
  std::string encoding;  // "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE", "Windows-1252"
};

// Reads what spreadsheets save: UTF-16 little- or big-endian after its byte
// order mark (Excel's "Unicode text"), UTF-8 with or without a byte order
// mark, and otherwise Windows-1252 (Excel's plain "CSV" and the French
// semicolon CSV): bytes that are not valid UTF-8 are taken as Windows-1252,
// which every byte decodes in. Unpaired UTF-16 surrogates become U+FFFD.
// Uses ICU converters; throws std::runtime_error only if ICU lacks one (a
// broken installation).
DecodedText decode_spreadsheet_text(std::string_view bytes);

// What a column holds, for the formula guard.
enum class CsvCell {
  text,
  phone,  // E.164 numbers such as +254712345678 are written as they are
};

// Formula injection: a spreadsheet runs a cell starting with = + - @, tab, CR
// or LF (or the full-width ＝ ＋ － ＠ some spreadsheets also accept), after
// any spaces, as a formula, so such cells get a leading ' that makes them text. The one
// exception is a phone column's cell that is '+' followed by 1 to 15 digits and
// nothing else, i.e. an E.164 number: it cannot call a function or reference
// another cell, and phone numbers must export unchanged. Which columns hold
// phones is declared by the table (protocol::table_cells), never guessed from
// the values, so "+1" in a name column is still guarded.
bool needs_formula_guard(std::string_view cell, CsvCell kind = CsvCell::text);

// One cell as it appears in the file: guarded against formulas, and quoted
// when it holds ',' or ';' (whatever the delimiter), a quote, a tab, a line
// break, or leading or trailing spaces. French, Portuguese and Spanish
// spreadsheets open a comma-separated file split at every ';' and ignore a
// quote that opens mid-field, so a part of the cell after a ';', a tab or a
// line break becomes a cell of its own there: a formula sign (= + - @ or
// full-width) at the start of such a part, after any spaces and quotes, also
// gets a ' in front ("x;=1+2" is written "x;'=1+2").
std::string csv_cell(std::string_view cell, CsvCell kind = CsvCell::text, char delimiter = ',');

struct CsvWriterOptions {
  char delimiter = ',';
  // A UTF-8 byte order mark before the first row, so Excel reads accented
  // names as UTF-8 (parse_csv skips it).
  bool byte_order_mark = false;
  // The kind of each column by position; columns beyond the list are text.
  std::vector<CsvCell> columns;
};

// Writes rows to out, each ended with CRLF as RFC 4180 asks. Does not own out.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out, CsvWriterOptions options = {})
      : out_(out), options_(std::move(options)) {}

  void row(const std::vector<std::string>& cells);

 private:
  std::ostream& out_;
  CsvWriterOptions options_;
  bool first_row_ = true;
};

}  // namespace alliance::util
