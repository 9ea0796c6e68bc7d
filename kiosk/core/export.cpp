// Exports: records streamed from the store to CSV rows or JSON array items.
#include "kiosk/core/export.hpp"

#include <sstream>
#include <stdexcept>

#include "common/protocol/table.hpp"
#include "common/util/private_file.hpp"
#include "common/util/strings.hpp"

namespace alliance::kiosk {
namespace {

protocol::Entity parse_what(std::string_view what) {
  if (auto entity = protocol::export_entity(what)) return *entity;
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
      break;  // export_entity never yields these
  }
}

}  // namespace

const std::vector<std::string>& export_columns(std::string_view what) {
  return protocol::table_columns(parse_what(what));
}

void export_records(store::Store& store, std::string_view what, ExportFormat format,
                    std::ostream& out, std::string_view language) {
  const protocol::Entity entity = parse_what(what);
  protocol::ExportWriter writer(out, entity, format, language);
  walk(store, entity, [&](const auto& record) { writer.add(protocol::Record(record)); });
  writer.finish();
}

std::expected<std::filesystem::path, std::string> export_to_folder(
    store::Store& store, std::string_view what, const std::filesystem::path& folder,
    std::string_view stamp, std::string_view language) {
  std::ostringstream csv;
  export_records(store, what, ExportFormat::csv, csv, language);
  const std::string contents = std::move(csv).str();
  // Two exports within a second get distinct names; a name already taken is
  // never overwritten. The bound keeps a folder full of look-alikes from
  // turning this into a long loop.
  constexpr int kMaxSuffix = 100;
  for (int n = 1; n <= kMaxSuffix; ++n) {
    const std::string suffix = n == 1 ? "" : util::cat("-", n);
    const auto path = folder / util::cat(what, "-", stamp, suffix, ".csv");
    auto written = util::write_new_private_file(path, contents);
    if (written) return path;
    if (!written.error().exists) return std::unexpected(written.error().message);
  }
  return std::unexpected(util::format("{} files named {}-{}-N.csv already exist in {}", kMaxSuffix,
                                      what, stamp, folder.string()));
}

}  // namespace alliance::kiosk
