// alliance-central import-bundle: a device's USB bundle verified and applied
// through the same store calls as an online push and pull, and the signed
// answer written for the device (docs/ARCHITECTURE.md, "USB bundles").
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>

#include "central/store/central_store.hpp"

namespace alliance::central {

struct BundleImport {
  std::string device_id;
  std::int64_t sequence = 0;
  std::int64_t changes = 0;
  std::int64_t applied = 0;
  std::int64_t duplicate = 0;
  std::int64_t conflict = 0;
  std::int64_t rejected = 0;
  std::int64_t pulled = 0;
  bool more = false;  // more to pull than one answer holds
  std::size_t answer_bytes = 0;
};

// Reads `file` (bounded), refuses it with a message a person can act on, and
// with nothing changed, when it is cut short, altered, not signed by the
// device it names, made for another central, from a revoked device or one
// enrolled before bundles, or numbered no higher than a bundle already
// imported from that device. Otherwise pushes its changes as that device
// (CentralStore::push: its office, its clock id), pulls what the device
// would pull from its cursor, writes the signed answer to `answer` (mode
// 0600, replacing atomically), then records the bundle's number.
std::expected<BundleImport, std::string> import_bundle(CentralStore& store,
                                                       const std::filesystem::path& file,
                                                       const std::filesystem::path& answer);

}  // namespace alliance::central
