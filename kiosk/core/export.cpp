// Exports: records streamed from the store to CSV rows or JSON array items.
#include "kiosk/core/export.hpp"

#include <stdexcept>

#include "common/protocol/codec.hpp"
#include "common/protocol/table.hpp"
#include "common/util/csv.hpp"
#include "common/util/strings.hpp"

namespace alliance::kiosk {
namespace {

protocol::Entity parse_what(std::string_view what) {
  if (what == "members") return protocol::Entity::member;
  if (what == "requests") return protocol::Entity::request;
  if (what == "attendance") return protocol::Entity::attendance;
  throw std::invalid_argument(
      util::format("cannot export \"{}\": choose members, requests or attendance", what));
}

// Hands each record of the kind to visit, in id order.
template <class Sink>
void walk(store::Store& store, protocol::Entity entity, Sink&& visit) {
  switch (entity) {
    case protocol::Entity::member:
      store.for_each_member(visit);
      break;
    case protocol::Entity::request:
      store.for_each_request(visit);
      break;
    case protocol::Entity::attendance:
      store.for_each_attendance(visit);
      break;
    case protocol::Entity::event:
    case protocol::Entity::pack:
      break;  // parse_what never yields these
  }
}

}  // namespace

const std::vector<std::string>& export_columns(std::string_view what) {
  return protocol::table_columns(parse_what(what));
}

void export_records(store::Store& store, std::string_view what, ExportFormat format,
                    std::ostream& out) {
  const protocol::Entity entity = parse_what(what);
  if (format == ExportFormat::csv) {
    util::CsvWriter writer(out);
    writer.row(protocol::table_columns(entity));
    walk(store, entity,
         [&](const auto& record) { writer.row(protocol::table_row(protocol::Record(record))); });
    return;
  }
  out << '[';
  bool first = true;
  walk(store, entity, [&](const auto& record) {
    out << (first ? "\n" : ",\n") << protocol::encode_record(protocol::Record(record));
    first = false;
  });
  out << (first ? "]\n" : "\n]\n");
}

}  // namespace alliance::kiosk
