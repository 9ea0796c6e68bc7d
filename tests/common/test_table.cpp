// The shared tabular form of records: a cell per column, and rows that survive CSV.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "common/protocol/codec.hpp"
#include "common/protocol/table.hpp"
#include "common/util/csv.hpp"
#include "support/fixtures.hpp"

using namespace alliance;

namespace {

// One record of every kind, with lists, optionals and a cell a spreadsheet
// would otherwise run as a formula.
std::vector<protocol::Record> one_of_each() {
  auto member = test::sample_member(3);
  member.id = "m-1";
  member.organisation = "Care, \"Hope\" & Co";
  member.region = "=1+2";
  member.birth_year = std::nullopt;
  auto event = test::sample_event();
  event.id = "e-1";
  model::Attendance attendance{
      .id = "a-1", .member_id = "m-1", .event_id = "e-1", .day = "2026-11-28"};
  model::ResourcePack pack{.id = "CP-TOOLKIT-01", .title = "Toolkit", .languages = {"en", "fr"}};
  model::ResourceRequest request;
  request.id = "r-1";
  request.member_id = "m-1";
  request.lines = {{"CP-TOOLKIT-01", 2}, {"GUIDE-2", 1}};
  request.contact_phone = "+254712345678";
  return {member, event, attendance, pack, request};
}

}  // namespace

TEST_CASE("every entity's row has one cell per column") {
  for (const auto& record : one_of_each()) {
    const auto entity = protocol::entity_of(record);
    CAPTURE(static_cast<int>(entity));
    const auto& columns = protocol::table_columns(entity);
    CHECK_FALSE(columns.empty());
    CHECK(columns.front() == "id");
    CHECK(protocol::table_row(record).size() == columns.size());
  }
}

TEST_CASE("cells: lists joined by semicolons, request lines as PACKxQTY, booleans as words") {
  const auto records = one_of_each();
  const auto cell = [](const protocol::Record& record, std::string_view column) {
    const auto& columns = protocol::table_columns(protocol::entity_of(record));
    const auto row = protocol::table_row(record);
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == column) return row[i];
    }
    FAIL("no column ", column);
    return std::string();
  };
  CHECK(cell(records[0], "interest_groups") == "child_protection;case_management");
  CHECK(cell(records[0], "consent_given") == "true");
  CHECK(cell(records[0], "voided") == "false");
  CHECK(cell(records[0], "birth_year") == "");
  CHECK(cell(records[0], "years_experience") == "5");
  CHECK(cell(records[3], "languages") == "en;fr");
  CHECK(cell(records[4], "lines") == "CP-TOOLKIT-01x2;GUIDE-2x1");
}

TEST_CASE("the country_name column names the country in the language asked for") {
  const auto records = one_of_each();
  const auto cell = [](const protocol::Record& record, std::string_view column,
                       std::string_view language) {
    const auto& columns = protocol::table_columns(protocol::entity_of(record));
    const auto row = protocol::table_row(record, language);
    const auto at = std::find(columns.begin(), columns.end(), column);
    REQUIRE(at != columns.end());
    return row.at(static_cast<std::size_t>(at - columns.begin()));
  };
  // The member and the event are in Kenya.
  CHECK(cell(records[0], "country", "pt") == "KE");
  CHECK(cell(records[0], "country_name", "en") == "Kenya");
  CHECK(cell(records[0], "country_name", "pt") == "Quénia");
  CHECK(cell(records[0], "country_name", "es") == "Kenia");
  CHECK(cell(records[1], "country_name", "pt") == "Quénia");
  CHECK(cell(records[1], "country_name", "xx") == "Kenya");  // unknown language: English
  auto nowhere = std::get<model::Member>(records[0]);
  nowhere.country = "";
  CHECK(cell(nowhere, "country_name", "fr") == "");
}

TEST_CASE("rows written with the CSV writer read back cell for cell") {
  for (const auto& record : one_of_each()) {
    const auto entity = protocol::entity_of(record);
    CAPTURE(static_cast<int>(entity));
    const auto& columns = protocol::table_columns(entity);
    const auto row = protocol::table_row(record);
    const auto& cells = protocol::table_cells(entity);
    REQUIRE(cells.size() == columns.size());
    std::ostringstream out;
    util::CsvWriter writer(out, {.columns = cells});
    writer.row(columns);
    writer.row(row);

    auto back = util::parse_csv(out.str());
    REQUIRE(back.has_value());
    REQUIRE(back->size() == 2);
    CHECK((*back)[0].fields == columns);
    REQUIRE((*back)[1].fields.size() == row.size());
    for (std::size_t i = 0; i < row.size(); ++i) {
      CAPTURE(columns[i]);
      // Only a formula-like cell changes: it comes back as text, with a '.
      const std::string expected =
          util::needs_formula_guard(row[i], cells[i]) ? "'" + row[i] : row[i];
      CHECK((*back)[1].fields[i] == expected);
    }
  }
}

TEST_CASE("the phone columns are declared by the table, not guessed from values") {
  const auto phones = [](protocol::Entity entity) {
    std::vector<std::string> out;
    const auto& columns = protocol::table_columns(entity);
    const auto& cells = protocol::table_cells(entity);
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (cells.at(i) == util::CsvCell::phone) out.push_back(columns[i]);
    }
    return out;
  };
  CHECK(phones(protocol::Entity::member) == std::vector<std::string>{"phone"});
  CHECK(phones(protocol::Entity::request) == std::vector<std::string>{"contact_phone"});
  CHECK(phones(protocol::Entity::attendance).empty());
  CHECK(phones(protocol::Entity::event).empty());
  CHECK(phones(protocol::Entity::pack).empty());
}
