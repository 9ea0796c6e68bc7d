// CSV: RFC 4180 reading with line numbers, and writing with formula guards.
#include <doctest/doctest.h>

#include <sstream>

#include "common/util/csv.hpp"

using namespace alliance;
using util::parse_csv;

namespace {

using Fields = std::vector<std::string>;

}  // namespace

TEST_CASE("csv reads plain records with LF or CRLF and no trailing empty record") {
  for (const std::string text : {"a,b,c\n1,2,3\n", "a,b,c\r\n1,2,3\r\n", "a,b,c\n1,2,3"}) {
    auto r = parse_csv(text);
    REQUIRE(r.has_value());
    REQUIRE(r->size() == 2);
    CHECK((*r)[0].fields == Fields{"a", "b", "c"});
    CHECK((*r)[1].fields == Fields{"1", "2", "3"});
    CHECK((*r)[0].line == 1);
    CHECK((*r)[1].line == 2);
  }
}

TEST_CASE("csv quoted fields keep commas quotes and line breaks and lines are counted") {
  const std::string text =
      "name,note\r\n"
      "\"Okafor, Chidi\",\"said \"\"hi\"\"\"\r\n"
      "\"Multi\nline\",\"two\r\nbreaks\nhere\"\r\n"
      "last,\"\"\r\n";
  auto r = parse_csv(text);
  REQUIRE(r.has_value());
  REQUIRE(r->size() == 4);
  CHECK((*r)[1].fields == Fields{"Okafor, Chidi", "said \"hi\""});
  CHECK((*r)[2].fields == Fields{"Multi\nline", "two\r\nbreaks\nhere"});
  CHECK((*r)[2].line == 3);
  CHECK((*r)[3].line == 7);  // the record above spans lines 3 to 6
  CHECK((*r)[3].fields == Fields{"last", ""});
}

TEST_CASE("csv skips a UTF-8 byte order mark only at the start") {
  auto r = parse_csv("\xEF\xBB\xBFgiven_name,family_name\nAmina,Wanjiru\n");
  REQUIRE(r.has_value());
  REQUIRE(r->size() == 2);
  CHECK((*r)[0].fields[0] == "given_name");
  auto later = parse_csv("a\n\xEF\xBB\xBFx\n");
  REQUIRE(later.has_value());
  CHECK((*later)[1].fields[0] == "\xEF\xBB\xBFx");
}

TEST_CASE("csv empty fields blank lines and a lone CR") {
  auto r = parse_csv(",,\n\nx\ry\n");
  REQUIRE(r.has_value());
  REQUIRE(r->size() == 4);
  CHECK((*r)[0].fields == Fields{"", "", ""});
  CHECK_FALSE((*r)[0].blank());
  CHECK((*r)[1].blank());
  CHECK((*r)[1].line == 2);
  CHECK((*r)[2].fields == Fields{"x"});
  CHECK((*r)[3].fields == Fields{"y"});
  CHECK((*r)[3].line == 4);

  auto empty = parse_csv("");
  REQUIRE(empty.has_value());
  CHECK(empty->empty());
}

TEST_CASE("csv keeps a stray quote inside an unquoted field as text") {
  auto r = parse_csv("5\" screen,b\n");
  REQUIRE(r.has_value());
  CHECK((*r)[0].fields == Fields{"5\" screen", "b"});
}

TEST_CASE("csv reports an unclosed quote on the line where it opened") {
  auto r = parse_csv("a,b\nc,\"open\nstill open\nand more\n");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().line == 2);
  CHECK(r.error().key == "csv.quote_not_closed");
  CHECK(r.error().message.find("line 2") != std::string::npos);
}

TEST_CASE("csv reports text after a closing quote") {
  auto r = parse_csv("a,b\n\"x\ny\"z,b\n");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().line == 3);
  CHECK(r.error().key == "csv.text_after_quote");
}

TEST_CASE("csv semicolon files are detected and read") {
  CHECK(util::detect_delimiter("given_name;family_name;note\n") == ';');
  CHECK(util::detect_delimiter("given_name,family_name\n") == ',');
  CHECK(util::detect_delimiter("\"a;b;c\",d\n") == ',');
  auto r = parse_csv("a;\"b;c\";d\n", ';');
  REQUIRE(r.has_value());
  CHECK((*r)[0].fields == Fields{"a", "b;c", "d"});
}

TEST_CASE("csv formula guard spares E.164 numbers in phone columns only") {
  using util::CsvCell;
  CHECK(util::needs_formula_guard("=1+2"));
  CHECK(util::needs_formula_guard("@SUM(A1)"));
  CHECK(util::needs_formula_guard("-2+3"));
  CHECK(util::needs_formula_guard("+1+cmd"));
  CHECK(util::needs_formula_guard("\tx"));
  CHECK(util::needs_formula_guard("\rx"));
  CHECK(util::needs_formula_guard("\nx"));
  CHECK(util::needs_formula_guard("  =1+2"));  // spreadsheets may trim before reading
  // Full-width signs, which some spreadsheets read as their ASCII forms.
  CHECK(
      util::needs_formula_guard("\xEF\xBC\x9D"
                                "1+2"));  // ＝
  CHECK(
      util::needs_formula_guard("\xEF\xBC\x8B"
                                "1"));  // ＋
  CHECK(
      util::needs_formula_guard("\xEF\xBC\x8D"
                                "1"));  // －
  CHECK(
      util::needs_formula_guard("\xEF\xBC\xA0"
                                "x"));  // ＠
  CHECK(util::needs_formula_guard("+", CsvCell::phone));
  CHECK(util::needs_formula_guard("+1234567890123456", CsvCell::phone));  // 16 digits: not E.164
  CHECK(util::needs_formula_guard("+2547+1", CsvCell::phone));
  CHECK_FALSE(util::needs_formula_guard("+254712345678", CsvCell::phone));
  // Outside a phone column a number-like '+' cell is guarded: nothing is guessed from values.
  CHECK(util::needs_formula_guard("+254712345678"));
  CHECK_FALSE(util::needs_formula_guard("Amina"));
  CHECK_FALSE(util::needs_formula_guard("'=already text"));
  CHECK_FALSE(util::needs_formula_guard(""));
  CHECK_FALSE(util::needs_formula_guard("   "));

  CHECK(util::csv_cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
  CHECK(util::csv_cell("=1+2") == "'=1+2");
  CHECK(util::csv_cell("+254712345678", CsvCell::phone) == "+254712345678");
  CHECK(util::csv_cell("+254712345678") == "'+254712345678");
  CHECK(util::csv_cell("plain") == "plain");
  CHECK(util::csv_cell("a,b") == "\"a,b\"");
  CHECK(util::csv_cell(" padded") == "\" padded\"");
  CHECK(util::csv_cell("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("csv cells holding either delimiter, a tab or a line break are quoted") {
  // A spreadsheet in a locale with a decimal comma splits on ';' even in a
  // comma-separated file: such cells are quoted whatever the delimiter.
  for (const char delimiter : {',', ';'}) {
    CAPTURE(delimiter);
    CHECK(util::csv_cell("a;b", util::CsvCell::text, delimiter) == "\"a;b\"");
    CHECK(util::csv_cell("a,b", util::CsvCell::text, delimiter) == "\"a,b\"");
    CHECK(util::csv_cell("a\tb", util::CsvCell::text, delimiter) == "\"a\tb\"");
    CHECK(util::csv_cell("a\rb", util::CsvCell::text, delimiter) == "\"a\rb\"");
    CHECK(util::csv_cell("say \"hi\"", util::CsvCell::text, delimiter) == "\"say \"\"hi\"\"\"");
    CHECK(util::csv_cell("-1;=2", util::CsvCell::text, delimiter) == "\"'-1;'=2\"");
  }
}

TEST_CASE("csv guards a formula sign wherever a semicolon-splitting spreadsheet starts a cell") {
  // Excel in French, Portuguese or Spanish opens a comma file split at every
  // ';' and keeps a quote that opens mid-field as text: after a ';', a tab or
  // a line break inside a cell, a new cell starts there.
  CHECK(util::csv_cell("x;=1+2") == "\"x;'=1+2\"");
  CHECK(util::csv_cell("x; @SUM(A1)") == "\"x; '@SUM(A1)\"");
  CHECK(util::csv_cell("x;\"=1+2") == "\"x;\"\"'=1+2\"");
  CHECK(util::csv_cell("a\n-1") == "\"a\n'-1\"");
  CHECK(util::csv_cell("a\r\n+1") == "\"a\r\n'+1\"");
  CHECK(util::csv_cell("a\t=1") == "\"a\t'=1\"");
  CHECK(util::csv_cell("a;\xEF\xBC\x9D"
                       "1") ==
        "\"a;'\xEF\xBC\x9D"
        "1\"");
  // Plain lists and text after a ';' are left as they are, and so is a
  // leading ';' (it starts nothing a spreadsheet could run).
  CHECK(util::csv_cell("child_protection;case_management") ==
        "\"child_protection;case_management\"");
  CHECK(util::csv_cell(";x") == "\";x\"");
  CHECK(util::csv_cell("a,=1") == "\"a,=1\"");  // quoted: no spreadsheet splits it at ','

  // Read back, the only change is the ' before each guarded sign.
  const std::string cell = "=a;=b\n@c";
  auto back = parse_csv(util::csv_cell(cell) + "\r\n");
  REQUIRE(back.has_value());
  CHECK((*back)[0].fields == Fields{"'=a;'=b\n'@c"});
}

TEST_CASE("csv writer output reads back to the same cells") {
  const std::vector<Fields> rows = {
      {"id", "name", "note", "phone"},
      {"1", "Okafor, Chidi", "said \"hi\"\nthen left", "+254712345678"},
      {"2", "", " spaced ", "0712 345 678"},
      {"3", "Núñez", "=cmd", "@x"}};
  std::ostringstream out;
  util::CsvWriter writer(out, {.columns = {util::CsvCell::text, util::CsvCell::text,
                                           util::CsvCell::text, util::CsvCell::phone}});
  for (const auto& row : rows) writer.row(row);
  CHECK(out.str().starts_with("id,name,note,phone\r\n"));

  auto back = parse_csv(out.str());
  REQUIRE(back.has_value());
  REQUIRE(back->size() == rows.size());
  CHECK((*back)[0].fields == rows[0]);
  CHECK((*back)[1].fields == rows[1]);
  CHECK((*back)[2].fields == rows[2]);
  CHECK((*back)[3].fields == Fields{"3", "Núñez", "'=cmd", "'@x"});
  CHECK((*back)[3].line == 5);  // row 1 holds a line break
}

TEST_CASE("csv writer puts a byte order mark before the first row only when asked") {
  std::ostringstream with_mark;
  util::CsvWriter marked(with_mark, {.byte_order_mark = true});
  marked.row({"given_name"});
  marked.row({"Amélie"});
  CHECK(with_mark.str() == "\xEF\xBB\xBFgiven_name\r\nAmélie\r\n");
  auto back = parse_csv(with_mark.str());
  REQUIRE(back.has_value());
  CHECK((*back)[0].fields == Fields{"given_name"});

  std::ostringstream without;
  util::CsvWriter plain(without);
  plain.row({"given_name"});
  CHECK(without.str() == "given_name\r\n");
}
