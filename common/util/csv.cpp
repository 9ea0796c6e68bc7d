// RFC 4180 CSV reader and writer, with line numbers and formula-injection guards.
#include "common/util/csv.hpp"

#include <unicode/ucnv.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "common/model/text.hpp"

#include "common/util/strings.hpp"

namespace alliance::util {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// = + - @, or their full-width forms (U+FF1D ＝, U+FF0B ＋, U+FF0D －, U+FF20 ＠),
// which some spreadsheets read as the ASCII ones.
bool starts_with_formula_sign(std::string_view text) {
  if (text.empty()) return false;
  if (std::string_view("=+-@").find(text.front()) != std::string_view::npos) return true;
  constexpr std::string_view kFullWidth[] = {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D",
                                             "\xEF\xBC\xA0"};
  return std::any_of(std::begin(kFullWidth), std::end(kFullWidth),
                     [&](std::string_view sign) { return text.starts_with(sign); });
}

// Where some spreadsheet starts a new cell whatever the quoting: ';' (the
// list separator of French, Portuguese and Spanish), tab, and line breaks.
// Each also makes a formula when it leads a cell.
bool is_split(char c) {
  return c == ';' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

bool CsvRecord::blank() const {
  return fields.size() == 1 && fields[0].empty();
}

std::expected<std::vector<CsvRecord>, CsvError> parse_csv(std::string_view text, char delimiter) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  std::vector<CsvRecord> records;
  std::size_t i = 0;
  std::size_t line = 1;

  // Consumes a line break at i, if there is one; CRLF counts once.
  auto take_line_break = [&]() {
    if (i < text.size() && text[i] == '\r') {
      ++i;
      if (i < text.size() && text[i] == '\n') ++i;
      ++line;
      return true;
    }
    if (i < text.size() && text[i] == '\n') {
      ++i;
      ++line;
      return true;
    }
    return false;
  };

  while (i < text.size()) {
    CsvRecord record{.line = line, .fields = {}};
    for (;;) {
      std::string field;
      if (i < text.size() && text[i] == '"') {
        const std::size_t opened_on = line;
        ++i;
        for (;;) {
          if (i >= text.size()) {
            return std::unexpected(
                CsvError{opened_on, "csv.quote_not_closed",
                         format("line {}: a quoted field is never closed", opened_on)});
          }
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\r' || c == '\n') {
            const std::size_t start = i;
            take_line_break();
            field.append(text.substr(start, i - start));
            continue;
          }
          field += c;
          ++i;
        }
        if (i < text.size() && text[i] != delimiter && text[i] != '\r' && text[i] != '\n') {
          return std::unexpected(CsvError{
              line, "csv.text_after_quote",
              format("line {}: text follows a closing quote; quote the whole field", line)});
        }
      } else {
        const std::size_t start = i;
        while (i < text.size() && text[i] != delimiter && text[i] != '\r' && text[i] != '\n') ++i;
        field.assign(text.substr(start, i - start));
      }
      record.fields.push_back(std::move(field));
      if (i < text.size() && text[i] == delimiter) {
        ++i;
        continue;
      }
      take_line_break();
      break;
    }
    records.push_back(std::move(record));
  }
  return records;
}

char detect_delimiter(std::string_view text) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  std::size_t commas = 0;
  std::size_t semicolons = 0;
  std::size_t tabs = 0;
  bool quoted = false;
  for (const char c : text) {
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && (c == '\n' || c == '\r')) {
      break;
    } else if (!quoted && c == ',') {
      ++commas;
    } else if (!quoted && c == ';') {
      ++semicolons;
    } else if (!quoted && c == '\t') {
      ++tabs;
    }
  }
  if (tabs > commas && tabs > semicolons) return '\t';
  return semicolons > commas ? ';' : ',';
}

namespace {

// bytes in ICU's `encoding` to UTF-8; what cannot be decoded becomes U+FFFD.
std::string convert_to_utf8(std::string_view bytes, const char* encoding) {
  // UTF-8 needs at most 3 bytes per UTF-16 unit (2 bytes) and per single byte.
  std::string out(bytes.size() * 3 + 4, '\0');
  UErrorCode status = U_ZERO_ERROR;
  const int32_t length =
      ucnv_convert("UTF-8", encoding, out.data(), static_cast<int32_t>(out.size()), bytes.data(),
                   static_cast<int32_t>(bytes.size()), &status);
  if (U_FAILURE(status)) {
    throw std::runtime_error(format("cannot convert from {}: {}", encoding, u_errorName(status)));
  }
  out.resize(static_cast<std::size_t>(length));
  return out;
}

}  // namespace

DecodedText decode_spreadsheet_text(std::string_view bytes) {
  if (bytes.starts_with("\xFF\xFE")) {
    return {convert_to_utf8(bytes.substr(2), "UTF-16LE"), "UTF-16LE"};
  }
  if (bytes.starts_with("\xFE\xFF")) {
    return {convert_to_utf8(bytes.substr(2), "UTF-16BE"), "UTF-16BE"};
  }
  if (bytes.starts_with(kBom)) {
    bytes.remove_prefix(kBom.size());
    if (model::is_valid_utf8(bytes)) return {std::string(bytes), "UTF-8 with BOM"};
    return {convert_to_utf8(bytes, "windows-1252"), "Windows-1252"};
  }
  if (model::is_valid_utf8(bytes)) return {std::string(bytes), "UTF-8"};
  return {convert_to_utf8(bytes, "windows-1252"), "Windows-1252"};
}

bool needs_formula_guard(std::string_view cell, CsvCell kind) {
  // Spreadsheets that trim cells on import would see " =1+2" as a formula too.
  cell.remove_prefix(std::min(cell.find_first_not_of(' '), cell.size()));
  if (cell.empty()) return false;
  const bool control = cell.front() == '\t' || cell.front() == '\r' || cell.front() == '\n';
  if (!starts_with_formula_sign(cell) && !control) return false;
  const std::string_view rest = cell.substr(1);
  const bool e164 = kind == CsvCell::phone && cell.front() == '+' && !rest.empty() &&
                    rest.size() <= 15 && std::all_of(rest.begin(), rest.end(), is_digit);
  return !e164;
}

std::string csv_cell(std::string_view cell, CsvCell kind, char delimiter) {
  std::string value;
  if (needs_formula_guard(cell, kind)) value += '\'';
  // A spreadsheet that splits on ';' (or tabs) opens a comma-separated file as
  // one column split at every ';', and does not honour a quote that opens in
  // the middle of its field: what follows a ';', a tab or a line break inside
  // this cell starts a cell of its own there. A formula sign at such a start,
  // after any spaces and quotes, gets its own '.
  for (std::size_t i = 0; i < cell.size(); ++i) {
    value += cell[i];
    if (!is_split(cell[i])) continue;
    std::size_t next = i + 1;
    while (next < cell.size() && (cell[next] == ' ' || cell[next] == '"')) value += cell[next++];
    if (starts_with_formula_sign(cell.substr(next))) value += '\'';
    i = next - 1;
  }
  const bool quote = value.find_first_of(std::string{'"', ',', ';', '\t', '\r', '\n', delimiter}) !=
                         std::string::npos ||
                     (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) return value;
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void CsvWriter::row(const std::vector<std::string>& cells) {
  std::string line;
  if (first_row_ && options_.byte_order_mark) line += kBom;
  first_row_ = false;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += options_.delimiter;
    const CsvCell kind = i < options_.columns.size() ? options_.columns[i] : CsvCell::text;
    line += csv_cell(cells[i], kind, options_.delimiter);
  }
  line += "\r\n";
  out_ << line;
}

}  // namespace alliance::util
