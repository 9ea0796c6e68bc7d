// Records as rows of text cells, one definition shared by every export.
#include "common/protocol/table.hpp"

#include <array>
#include <iterator>
#include <optional>

#include "common/model/codes.hpp"
#include "common/model/country_names.hpp"
#include "common/util/csv.hpp"
#include "common/util/strings.hpp"

namespace alliance::protocol {
namespace {

std::string flag(bool value) {
  return value ? "true" : "false";
}

std::string number(const std::optional<int>& value) {
  return value ? std::to_string(*value) : std::string();
}

std::vector<std::string> row_of(const model::Member& m, std::string_view language) {
  return {m.id,
          m.reference_code,
          std::string(model::to_string(m.kind)),
          m.given_name,
          m.family_name,
          m.organisation,
          m.contact_person,
          m.gender,
          number(m.birth_year),
          m.phone,
          m.email,
          m.country,
          std::string(model::country_name(m.country, language)),
          m.region,
          m.organisation_type,
          m.role,
          number(m.years_experience),
          m.qualification,
          util::join(m.interest_groups, ';'),
          flag(m.e_updates),
          m.preferred_language,
          flag(m.consent.given),
          m.consent.text_version,
          m.consent.given_at,
          m.event_id,
          m.created_at,
          m.updated_at,
          flag(m.voided),
          m.void_reason};
}

std::vector<std::string> row_of(const model::TrainingEvent& e, std::string_view language) {
  return {e.id,          std::string(model::to_string(e.kind)),
          e.name,        e.place,
          e.country,     std::string(model::country_name(e.country, language)),
          e.start_date,  e.end_date,
          e.organiser,   e.office,
          flag(e.voided)};
}

std::vector<std::string> row_of(const model::Attendance& a, std::string_view) {
  return {a.id, a.member_id, a.event_id, a.day, a.checked_in_at, flag(a.voided)};
}

std::vector<std::string> row_of(const model::ResourcePack& p, std::string_view) {
  return {p.id, p.title, util::join(p.languages, ';'), std::string(model::to_string(p.format)),
          flag(p.retired)};
}

std::vector<std::string> row_of(const model::ResourceRequest& r, std::string_view) {
  std::vector<std::string> lines;
  for (const auto& line : r.lines) lines.push_back(util::cat(line.pack_id, 'x', line.quantity));
  return {r.id,
          r.reference_code,
          r.member_id,
          r.organisation_name,
          r.contact_name,
          r.contact_phone,
          r.contact_email,
          util::join(lines, ';'),
          std::string(model::to_string(r.delivery)),
          r.delivery_address,
          r.office,
          r.event_id,
          std::string(model::to_string(r.status)),
          r.received_by,
          r.created_at,
          r.updated_at};
}

// Each entity's columns in order, with what they hold. Phone columns are
// declared here, so the CSV writer spares E.164 numbers in them and nowhere else.
struct Column {
  std::string_view name;
  util::CsvCell cell = util::CsvCell::text;
};

constexpr auto kPhone = util::CsvCell::phone;

const std::vector<Column>& layout(Entity entity) {
  static const std::vector<Column> members = {{"id"},
                                              {"reference_code"},
                                              {"kind"},
                                              {"given_name"},
                                              {"family_name"},
                                              {"organisation"},
                                              {"contact_person"},
                                              {"gender"},
                                              {"birth_year"},
                                              {"phone", kPhone},
                                              {"email"},
                                              {"country"},
                                              {"country_name"},
                                              {"region"},
                                              {"organisation_type"},
                                              {"role"},
                                              {"years_experience"},
                                              {"qualification"},
                                              {"interest_groups"},
                                              {"e_updates"},
                                              {"preferred_language"},
                                              {"consent_given"},
                                              {"consent_version"},
                                              {"consent_at"},
                                              {"event_id"},
                                              {"created_at"},
                                              {"updated_at"},
                                              {"voided"},
                                              {"void_reason"}};
  static const std::vector<Column> events = {
      {"id"},         {"kind"},     {"name"},      {"place"},  {"country"}, {"country_name"},
      {"start_date"}, {"end_date"}, {"organiser"}, {"office"}, {"voided"}};
  static const std::vector<Column> attendance = {{"id"},  {"member_id"},     {"event_id"},
                                                 {"day"}, {"checked_in_at"}, {"voided"}};
  static const std::vector<Column> packs = {
      {"id"}, {"title"}, {"languages"}, {"format"}, {"retired"}};
  static const std::vector<Column> requests = {
      {"id"},           {"reference_code"},        {"member_id"},     {"organisation_name"},
      {"contact_name"}, {"contact_phone", kPhone}, {"contact_email"}, {"lines"},
      {"delivery"},     {"delivery_address"},      {"office"},        {"event_id"},
      {"status"},       {"received_by"},           {"created_at"},    {"updated_at"}};
  switch (entity) {
    case Entity::member:
      return members;
    case Entity::event:
      return events;
    case Entity::attendance:
      return attendance;
    case Entity::pack:
      return packs;
    case Entity::request:
      return requests;
  }
  return members;
}

constexpr Entity kEntities[] = {Entity::member, Entity::event, Entity::attendance, Entity::pack,
                                Entity::request};

// Picks one thing from every column of every entity, once.
template <class Pick>
auto per_entity(Pick pick) {
  std::array<std::vector<decltype(pick(Column{}))>, std::size(kEntities)> lists;
  for (const Entity entity : kEntities) {
    for (const Column& column : layout(entity)) {
      lists[static_cast<std::size_t>(entity)].push_back(pick(column));
    }
  }
  return lists;
}

}  // namespace

const std::vector<std::string>& table_columns(Entity entity) {
  static const auto names = per_entity([](const Column& c) { return std::string(c.name); });
  return names[static_cast<std::size_t>(entity)];
}

const std::vector<util::CsvCell>& table_cells(Entity entity) {
  static const auto cells = per_entity([](const Column& c) { return c.cell; });
  return cells[static_cast<std::size_t>(entity)];
}

std::vector<std::string> table_row(const Record& record, std::string_view language) {
  return std::visit([&](const auto& r) { return row_of(r, language); }, record);
}

}  // namespace alliance::protocol
