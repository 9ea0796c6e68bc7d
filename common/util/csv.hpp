// RFC 4180 CSV: reading organisers' spreadsheet files and writing exports.
#pragma once

#include <cstddef>
#include <expected>
#include <ostream>
#include <string>
#include <string_view>
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

// ';' when the first line has more semicolons than commas outside quotes (what
// spreadsheets write in locales with a decimal comma), otherwise ','.
char detect_delimiter(std::string_view text);

// Formula injection: a spreadsheet runs a cell starting with = + - @ (or tab
// or CR) as a formula, so such cells get a leading ' that makes them text.
// The one exception is a cell that is '+' followed by 1 to 15 digits and
// nothing else, i.e. an E.164 phone number: it cannot call a function or
// reference another cell, and phone numbers must export unchanged.
bool needs_formula_guard(std::string_view cell);

// One cell as it appears in the file: guarded when asked, and quoted when it
// holds the delimiter, a quote, a line break, or leading or trailing spaces.
std::string csv_cell(std::string_view cell, bool guard_formulas, char delimiter = ',');

// Writes rows to out, each ended with CRLF as RFC 4180 asks. Does not own out.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out, bool guard_formulas = true, char delimiter = ',')
      : out_(out), guard_(guard_formulas), delimiter_(delimiter) {}

  void row(const std::vector<std::string>& cells);

 private:
  std::ostream& out_;
  bool guard_;
  char delimiter_;
};

}  // namespace alliance::util
