// RFC 4180 CSV reader and writer, with line numbers and formula-injection guards.
#include "common/util/csv.hpp"

#include <algorithm>

#include "common/util/strings.hpp"

namespace alliance::util {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
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
    }
  }
  return semicolons > commas ? ';' : ',';
}

bool needs_formula_guard(std::string_view cell) {
  if (cell.empty()) return false;
  constexpr std::string_view kTriggers = "=+-@\t\r";
  if (kTriggers.find(cell.front()) == std::string_view::npos) return false;
  const std::string_view rest = cell.substr(1);
  const bool e164 = cell.front() == '+' && !rest.empty() && rest.size() <= 15 &&
                    std::all_of(rest.begin(), rest.end(), is_digit);
  return !e164;
}

std::string csv_cell(std::string_view cell, bool guard_formulas, char delimiter) {
  std::string value;
  if (guard_formulas && needs_formula_guard(cell)) value += '\'';
  value += cell;
  const bool quote =
      value.find_first_of(std::string{'"', '\r', '\n', delimiter}) != std::string::npos ||
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
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += delimiter_;
    line += csv_cell(cells[i], guard_, delimiter_);
  }
  line += "\r\n";
  out_ << line;
}

}  // namespace alliance::util
