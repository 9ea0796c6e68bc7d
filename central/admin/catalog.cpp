// Splits a catalogue file into records and decodes each with the API v1 codec.
#include "central/admin/catalog.hpp"

// cereal's json.hpp first: it makes rapidjson's assertions throw.
#include <cereal/archives/json.hpp>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/protocol/codec.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {
namespace {

std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::expected<Catalog, std::string> parse_catalog(std::string_view json) {
  if (auto problem = protocol::check_json_text(json)) {
    return std::unexpected(util::cat("the catalogue is not usable JSON: ", problem->message));
  }
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return std::unexpected(std::string("the catalogue must be a JSON object"));
  }
  Catalog catalog;
  for (const char* list : {"packs", "events"}) {
    if (!doc.HasMember(list)) continue;
    const auto& items = doc[list];
    if (!items.IsArray()) return std::unexpected(util::cat("\"", list, "\" must be a list"));
    const bool packs = std::string_view(list) == "packs";
    for (rapidjson::SizeType i = 0; i < items.Size(); ++i) {
      auto record = protocol::decode_record(
          packs ? protocol::Entity::pack : protocol::Entity::event, to_json(items[i]));
      if (!record) {
        return std::unexpected(util::format("{}[{}]: {}", list, i, record.error().message));
      }
      if (packs) {
        catalog.packs.push_back(std::get<model::ResourcePack>(std::move(*record)));
      } else {
        catalog.events.push_back(std::get<model::TrainingEvent>(std::move(*record)));
      }
    }
  }
  return catalog;
}

}  // namespace alliance::central
