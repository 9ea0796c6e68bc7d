// alliance-central import-bundle: verify, apply, answer.
#include "central/admin/bundles.hpp"

#include <chrono>

#include "common/bundle/bundle.hpp"
#include "common/bundle/signing.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/log.hpp"
#include "common/util/private_file.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::central {
namespace {

// Records per pull page, as an online pull asks by default.
constexpr int kPullPageRecords = 500;
// Room left in an answer for its header, push answers and signature.
constexpr std::size_t kAnswerPullBytes = bundle::kMaxBundleBytes - 64 * 1024 * 1024;
// As many changes per push request as serve takes (ApiLimits::max_changes).
constexpr std::size_t kMaxChangesPerRequest = 1000;

std::string short_key(std::string_view key) {
  return util::cat(key.substr(0, 8), "…");
}

std::unexpected<std::string> refused(std::string_view code, std::string message) {
  // The reason's code only: a refused file's contents are never logged.
  log::warn("central.bundle_refused", {{"reason", log::Text(code)}});
  return std::unexpected(std::move(message));
}

}  // namespace

std::expected<BundleImport, std::string> import_bundle(CentralStore& store,
                                                       const std::filesystem::path& file,
                                                       const std::filesystem::path& answer) {
  auto bytes = bundle::read_file(file);
  if (!bytes) return refused(bytes.error().code, bytes.error().message);
  auto opened = bundle::open(*bytes);
  if (!opened) return refused(opened.error().code, opened.error().message);
  const bundle::Header& header = opened->bundle.header;
  if (header.kind != bundle::Kind::changes) {
    return refused("answer_given",
                   "this is central's answer to a bundle, not a device's bundle: apply it on the "
                   "device (alliance-sync import-bundle)");
  }
  const BundleSigner signer = store.bundle_signer();
  if (header.central_key != signer.public_key) {
    return refused(
        "other_central",
        util::cat("this bundle was made for another central (key ", short_key(header.central_key),
                  "), not this one (key ", short_key(signer.public_key),
                  "); nothing was changed. Import it at the central the device is "
                  "enrolled with"));
  }
  const auto found = store.bundle_device(header.device_id);
  if (!found) {
    return refused("unknown_device", util::cat("the bundle names device ", header.device_id,
                                               ", which is not enrolled with this central; "
                                               "nothing was changed"));
  }
  if (found->signing_key.empty()) {
    return refused("no_device_key",
                   util::cat("device ", header.device_id,
                             " was enrolled before USB bundles and has no signing key "
                             "registered; nothing was changed. Enrol it again with a new code "
                             "(enroll-code, then alliance-sync enroll on the device)"));
  }
  if (!opened->signed_by(found->signing_key)) {
    return refused("bad_signature",
                   util::cat("the bundle's signature does not match device ", header.device_id,
                             "'s key: it was altered or damaged after it was made, or another "
                             "device made it; nothing was changed. Make a new bundle on the "
                             "device"));
  }
  if (found->device.revoked) {
    return refused("device_revoked", util::cat("device ", header.device_id,
                                               " is revoked: its bundles are refused; nothing "
                                               "was changed"));
  }
  if (header.sequence <= found->last_bundle) {
    return refused(
        "already_imported",
        util::cat(
            "bundle ", header.sequence, " of device ", header.device_id,
            header.sequence == found->last_bundle
                ? std::string(" was already imported")
                : util::cat(" is older than bundle ", found->last_bundle, ", already imported"),
            "; nothing was changed. To sync again, make a new bundle on the device "
            "(alliance-sync export-bundle)"));
  }

  // Every request is read before any is applied: refused whole or applied whole.
  std::vector<protocol::PushRequest> requests;
  const auto& parts = opened->bundle.parts;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i >= static_cast<std::size_t>(header.push_parts)) {
      return refused("damaged",
                     "the device's bundle holds parts other than its changes; "
                     "nothing was changed. Make a new bundle");
    }
    auto request = protocol::decode_push_request(parts[i]);
    if (!request) {
      return refused("damaged", util::cat("the device's bundle holds changes central cannot "
                                          "read (",
                                          request.error().message,
                                          "); nothing was changed. Make a new bundle"));
    }
    if (request->changes.size() > kMaxChangesPerRequest) {
      return refused("damaged",
                     util::cat("a part of the bundle holds more than ", kMaxChangesPerRequest,
                               " changes; nothing was changed. Make a new bundle"));
    }
    requests.push_back(std::move(*request));
  }

  const Device& device = found->device;
  BundleImport result{.device_id = device.id, .sequence = header.sequence};
  bundle::Bundle reply;
  for (const auto& request : requests) {
    const auto pushed = store.push(device, request.changes);
    for (const auto& r : pushed.results) {
      ++result.changes;
      switch (r.outcome) {
        case protocol::Outcome::applied:
          ++result.applied;
          break;
        case protocol::Outcome::duplicate:
          ++result.duplicate;
          break;
        case protocol::Outcome::conflict:
          ++result.conflict;
          break;
        case protocol::Outcome::rejected:
          ++result.rejected;
          break;
      }
    }
    reply.parts.push_back(protocol::encode(pushed));
  }
  reply.header = {.kind = bundle::Kind::answer,
                  .device_id = device.id,
                  .central_key = signer.public_key,
                  .sequence = header.sequence,
                  .created_at = util::iso8601_utc(std::chrono::system_clock::now()),
                  .cursor = header.cursor,
                  .pull_own = header.pull_own,
                  .new_code_prefix = header.new_code_prefix,
                  .push_parts = static_cast<std::int64_t>(reply.parts.size())};

  // What the device would pull from its cursor, page by page, up to what one
  // answer holds (the device exchanges another bundle for the rest).
  std::size_t pulled_bytes = 0;
  std::int64_t cursor = header.cursor;
  bool first_page = true;
  while (true) {
    if (pulled_bytes >= kAnswerPullBytes || reply.parts.size() + 1 >= bundle::kMaxParts) {
      result.more = true;
      break;
    }
    auto page = store.pull(
        device, cursor, kPullPageRecords,
        {.include_own = header.pull_own, .new_code_prefix = first_page && header.new_code_prefix});
    first_page = false;
    result.pulled += static_cast<std::int64_t>(page.changes.size());
    const bool advanced = page.next_cursor > cursor;
    cursor = page.next_cursor;
    std::string encoded = protocol::encode(page);
    pulled_bytes += encoded.size();
    reply.parts.push_back(std::move(encoded));
    if (!page.more || !advanced) break;
  }

  const std::string sealed = bundle::seal(reply, signer.secret_key);
  if (auto written = util::write_private_file(answer, sealed); !written) {
    // The changes are applied (a new import of this bundle answers them as
    // duplicates); only the answer is missing.
    return std::unexpected(util::cat(written.error().message,
                                     "; the bundle's changes were applied, but its answer was "
                                     "not written: import the bundle again with another --answer"));
  }
  result.answer_bytes = sealed.size();
  store.record_bundle(device.id, header.sequence);
  log::info("central.bundle_imported", {{"device", log::Id(device.id)},
                                        {"sequence", header.sequence},
                                        {"changes", result.changes},
                                        {"applied", result.applied},
                                        {"duplicate", result.duplicate},
                                        {"rejected", result.rejected},
                                        {"pulled", result.pulled}});
  return result;
}

}  // namespace alliance::central
