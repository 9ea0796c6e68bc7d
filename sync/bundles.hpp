// USB bundles on the device: export what central has not acknowledged into
// one signed file, and apply central's signed answer as a push answer and
// pull pages would be applied (docs/ARCHITECTURE.md, "USB bundles").
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>

#include "common/store/store.hpp"
#include "sync/agent.hpp"

namespace alliance::sync {

// Changes per push request in a bundle, and payload bytes per request: what
// an online push sends at most, so central reads them the same way.
inline constexpr std::size_t kBundleBatchChanges = 500;
inline constexpr std::size_t kBundleBatchBytes = 512 * 1024;

struct BundleExport {
  std::int64_t sequence = 0;
  std::int64_t changes = 0;
  std::int64_t left = 0;  // pending changes that did not fit (a later bundle takes them)
  std::size_t bytes = 0;
};

// Writes every change of this device not yet acknowledged (pending and
// held; damaged ones are set aside as the agent does) to a new file `out`
// (mode 0600; an existing file is refused), signed with the device's key.
// Refused with a message when the device is not enrolled, or enrolled before
// bundles (no key). The bundle's number is remembered before the file is
// written, so every later bundle gets a higher one.
std::expected<BundleExport, std::string> export_bundle(store::Store& store,
                                                       const std::filesystem::path& out);

struct AnswerImport {
  std::int64_t sequence = 0;  // of the bundle it answers
  SyncReport report;          // acknowledgements, refusals and pulled records
  bool pull_skipped = false;  // the device's pull cursor went back since export
  bool more = false;          // central had more to send than one answer holds
};

// Verifies central's answer `file` (central's key as this device knows it,
// this device's id, a bundle number not imported before) and applies it:
// results through Agent::record_results, pulled records through
// Store::apply_pulled, skipping those the device already pulled online.
// Anything refused changes nothing and comes back as a message.
std::expected<AnswerImport, std::string> import_answer(store::Store& store, Agent& agent,
                                                       const std::filesystem::path& file);

}  // namespace alliance::sync
