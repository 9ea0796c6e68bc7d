// The catalogue file import-catalog reads: {"schema":1,"packs":[...],"events":[...]},
// each element an API v1 record (see assets/demo/catalog.json).
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/event.hpp"
#include "common/model/resource.hpp"

namespace alliance::central {

struct Catalog {
  std::vector<model::ResourcePack> packs;
  std::vector<model::TrainingEvent> events;
};

// Parses the file's text; the error names the element that could not be read.
std::expected<Catalog, std::string> parse_catalog(std::string_view json);

}  // namespace alliance::central
