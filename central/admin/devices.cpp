// CSV and JSON forms of the device list.
#include "central/admin/devices.hpp"

#include <sstream>

#include "common/protocol/codec.hpp"
#include "common/util/csv.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {
namespace {

// A number, or "" when absent.
std::string number_text(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : std::string();
}

// A JSON number, or null when absent.
std::string number_or_null(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : std::string("null");
}

// A JSON string, or null for an empty value.
std::string json_or_null(const std::string& value) {
  return value.empty() ? std::string("null") : protocol::json_string(value);
}

}  // namespace

std::string devices_csv(const std::vector<DeviceListing>& devices) {
  std::ostringstream out;
  util::CsvWriter writer(out);
  writer.row({"id", "name", "office", "hlc_node", "app_version", "enrolled_at", "last_contact_at",
              "clock_offset_ms", "revoked_at", "queue_depth", "queue_depth_at", "relay"});
  for (const auto& d : devices) {
    writer.row({d.id, d.name, d.office, d.hlc_node, d.app_version, d.enrolled_at, d.last_contact_at,
                number_text(d.clock_offset_ms), d.revoked_at, number_text(d.queue_depth),
                d.queue_depth_at, d.relay ? "yes" : "no"});
  }
  return std::move(out).str();
}

std::string devices_json(const std::vector<DeviceListing>& devices) {
  std::string out = "[";
  for (std::size_t i = 0; i < devices.size(); ++i) {
    const DeviceListing& d = devices[i];
    out += i == 0 ? "\n  " : ",\n  ";
    out += util::cat(
        "{\"id\":", protocol::json_string(d.id), ",\"name\":", protocol::json_string(d.name),
        ",\"office\":", protocol::json_string(d.office), ",\"hlc_node\":", json_or_null(d.hlc_node),
        ",\"app_version\":", protocol::json_string(d.app_version),
        ",\"enrolled_at\":", protocol::json_string(d.enrolled_at),
        ",\"last_contact_at\":", json_or_null(d.last_contact_at),
        ",\"clock_offset_ms\":", number_or_null(d.clock_offset_ms),
        ",\"revoked\":", d.revoked_at.empty() ? "false" : "true",
        ",\"revoked_at\":", json_or_null(d.revoked_at),
        ",\"queue_depth\":", number_or_null(d.queue_depth),
        ",\"queue_depth_at\":", json_or_null(d.queue_depth_at),
        ",\"relay\":", d.relay ? "true" : "false", "}");
  }
  out += devices.empty() ? "]\n" : "\n]\n";
  return out;
}

}  // namespace alliance::central
