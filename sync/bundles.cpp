// USB bundles on the device: export-bundle and import-bundle.
#include "sync/bundles.hpp"

#include <algorithm>
#include <chrono>

#include "common/bundle/bundle.hpp"
#include "common/bundle/signing.hpp"
#include "common/protocol/codec.hpp"
#include "common/store/backup.hpp"
#include "common/store/file_health.hpp"
#include "common/util/log.hpp"
#include "common/util/private_file.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::sync {
namespace {

// Meta keys: the number of the last bundle exported, and of the last bundle
// whose answer was applied.
constexpr std::string_view kLastExported = "sync.bundle_exported";
constexpr std::string_view kLastAnswered = "sync.bundle_answered";

// A bundle may not fill the whole file bound with push requests: leave room
// for the header and the signature.
constexpr std::size_t kExportBytes = bundle::kMaxBundleBytes - 1024 * 1024;

std::int64_t meta_number(store::Store& store, std::string_view key) {
  const auto text = store.meta(key).value_or("0");
  try {
    return std::stoll(text);
  } catch (const std::exception&) {
    return 0;
  }
}

std::string short_key(std::string_view key) {
  return util::cat(key.substr(0, 8), "…");
}

// The enrolment a bundle needs: one with this device's key and central's.
std::expected<store::DeviceCredentials, std::string> bundle_credentials(store::Store& store) {
  auto credentials = store::load_credentials(store);
  if (!credentials) {
    return std::unexpected(
        "this database is not enrolled; enrol it first (alliance-sync enroll --server URL "
        "--code CODE), then make or apply bundles");
  }
  if (!bundle::is_secret_key(credentials->signing_key)) {
    return std::unexpected(
        "this device was enrolled before USB bundles and has no signing key registered with "
        "central; enrol it again with a new code (alliance-central enroll-code, then "
        "alliance-sync enroll), then export");
  }
  if (!bundle::is_public_key(credentials->central_key)) {
    return std::unexpected(
        "this device does not know central's bundle key (central is older than USB bundles, "
        "or gave none at enrolment); update central, then enrol again or sync online once");
  }
  return *credentials;
}

}  // namespace

std::expected<BundleExport, std::string> export_bundle(store::Store& store,
                                                       const std::filesystem::path& out) {
  auto credentials = bundle_credentials(store);
  if (!credentials) return std::unexpected(credentials.error());
  std::error_code ec;
  if (std::filesystem::symlink_status(out, ec).type() != std::filesystem::file_type::not_found) {
    return std::unexpected(util::cat(out.string(),
                                     " already exists; a bundle never overwrites a file: choose "
                                     "another name or move the old file away"));
  }

  bundle::Bundle made;
  made.header.kind = bundle::Kind::changes;
  made.header.device_id = credentials->device_id;
  made.header.central_key = credentials->central_key;
  made.header.created_at = util::iso8601_utc(std::chrono::system_clock::now());
  made.header.cursor = store.pull_cursor();
  made.header.pull_own = store.meta(store::kMetaPullOwnRecords) == "1";
  made.header.new_code_prefix = store.reference_code_prefix().empty();

  BundleExport result;
  std::size_t bytes = 0;
  std::int64_t after = 0;
  while (true) {
    auto batch = store.next_batch(kBundleBatchChanges, kBundleBatchBytes, after, true);
    if (batch.empty()) break;
    after = batch.back().seq;
    std::vector<std::string_view> payloads;
    for (const auto& e : batch) {
      // A damaged change would spoil its whole request: it stays for
      // alliance-sync once/run to set aside, and the rest goes.
      if (change_damage(e)) continue;
      payloads.emplace_back(e.payload);
    }
    if (payloads.empty()) continue;
    std::string part = protocol::encode_push_request_from_encoded(payloads);
    if (bytes + part.size() > kExportBytes || made.parts.size() + 1 >= bundle::kMaxParts) {
      result.left = store.pending_count() - result.changes;
      break;
    }
    bytes += part.size();
    result.changes += static_cast<std::int64_t>(payloads.size());
    made.parts.push_back(std::move(part));
  }
  made.header.push_parts = static_cast<std::int64_t>(made.parts.size());

  // Larger than every earlier bundle of this device, and than the clock:
  // a database restored from a backup still numbers its next bundle higher.
  const std::int64_t now_ms = util::to_unix_ms(std::chrono::system_clock::now());
  made.header.sequence = std::max(now_ms, meta_number(store, kLastExported) + 1);
  {
    store::Transaction tx(store.db());
    store.set_meta(kLastExported, std::to_string(made.header.sequence));
    tx.commit();
  }
  const std::string sealed = bundle::seal(made, credentials->signing_key);
  if (auto written = util::write_new_private_file(out, sealed); !written) {
    return std::unexpected(written.error().message);
  }
  result.sequence = made.header.sequence;
  result.bytes = sealed.size();
  log::info("sync.bundle_exported",
            {{"sequence", result.sequence}, {"changes", result.changes}, {"bytes", result.bytes}});
  return result;
}

std::expected<AnswerImport, std::string> import_answer(store::Store& store, Agent& agent,
                                                       const std::filesystem::path& file) {
  auto credentials = bundle_credentials(store);
  if (!credentials) return std::unexpected(credentials.error());
  auto bytes = bundle::read_file(file);
  if (!bytes) return std::unexpected(bytes.error().message);
  auto opened = bundle::open(*bytes);
  if (!opened) return std::unexpected(opened.error().message);
  const bundle::Header& header = opened->bundle.header;
  if (header.kind != bundle::Kind::answer) {
    return std::unexpected(
        "this is a device's bundle, not central's answer: import it at central "
        "(alliance-central import-bundle), then apply the answer it writes here");
  }
  if (header.central_key != credentials->central_key) {
    return std::unexpected(util::cat(
        "this answer was made by another central (key ", short_key(header.central_key),
        ") than the one this device is enrolled with (key ", short_key(credentials->central_key),
        "); nothing was changed. Import the device's bundle at its own central"));
  }
  if (!opened->signed_by(credentials->central_key)) {
    return std::unexpected(
        "the answer's signature does not match central's key: it was altered or damaged "
        "after central wrote it; nothing was changed. Copy it again, or import the device's "
        "bundle at central again");
  }
  if (header.device_id != credentials->device_id) {
    return std::unexpected(util::cat("this answer is for device ", header.device_id,
                                     ", but this database is device ", credentials->device_id,
                                     "; nothing was changed. Apply it on the device that made "
                                     "the bundle"));
  }
  const std::int64_t answered = meta_number(store, kLastAnswered);
  if (header.sequence <= answered) {
    return std::unexpected(util::cat(
        "this answer (to bundle ", header.sequence, ") was already applied",
        header.sequence < answered ? util::cat(", and a newer one (to bundle ", answered, ") since")
                                   : std::string(),
        "; nothing was changed"));
  }

  // Everything is read before anything is written: all or nothing refused.
  const auto& parts = opened->bundle.parts;
  const auto push_parts = static_cast<std::size_t>(header.push_parts);
  std::vector<protocol::PushResponse> answers;
  std::vector<protocol::PullResponse> pages;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i < push_parts) {
      auto answer = protocol::decode_push_response(parts[i]);
      if (!answer) {
        return std::unexpected(
            util::cat("central's answer holds a push answer this agent "
                      "cannot read (",
                      answer.error().message, "); nothing was changed"));
      }
      answers.push_back(std::move(*answer));
    } else {
      auto page = protocol::decode_pull_response(parts[i]);
      if (!page) {
        return std::unexpected(
            util::cat("central's answer holds pulled records this agent "
                      "cannot read (",
                      page.error().message, "); nothing was changed"));
      }
      pages.push_back(std::move(*page));
    }
  }

  AnswerImport result{.sequence = header.sequence};
  for (const auto& answer : answers) {
    // The changes answered, as this device holds them now; an answer for a
    // change it does not hold (a database restored since) is left out.
    std::vector<store::OutboxEntry> batch;
    std::vector<protocol::ChangeResult> results;
    for (const auto& r : answer.results) {
      auto entry = store.outbox_entry(r.change_id);
      if (!entry) continue;
      batch.push_back(std::move(*entry));
      results.push_back(r);
    }
    agent.record_results(batch, results, result.report);
    result.report.pushed += static_cast<std::int64_t>(results.size());
  }

  // Pulled records: only past the device's own cursor (it may have pulled
  // online since the export), and only when the pages reach back to it.
  std::int64_t cursor = store.pull_cursor();
  if (!pages.empty() && cursor < header.cursor) {
    result.pull_skipped = true;
  } else {
    bool asked_prefix = header.new_code_prefix;
    for (const auto& page : pages) {
      if (asked_prefix && store.reference_code_prefix().empty()) {
        agent.adopt_code_prefix(page.code_prefix);
      }
      asked_prefix = false;
      std::vector<protocol::PulledChange> fresh;
      for (const auto& change : page.changes) {
        if (change.seq > cursor) fresh.push_back(change);
      }
      const std::int64_t next = std::max(cursor, page.next_cursor);
      store::with_disk_reserve(store.db().path(), [&] { store.apply_pulled(fresh, next); });
      result.report.pulled += static_cast<std::int64_t>(fresh.size());
      cursor = next;
      result.more = page.more;
    }
    if (header.pull_own && !result.more && !pages.empty()) {
      store::Transaction tx(store.db());
      store.set_meta(store::kMetaPullOwnRecords, "0");
      tx.commit();
    }
  }
  {
    store::Transaction tx(store.db());
    store.set_meta(kLastAnswered, std::to_string(header.sequence));
    tx.commit();
  }
  log::info("sync.bundle_answer_applied", {{"sequence", header.sequence},
                                           {"applied", result.report.applied},
                                           {"duplicate", result.report.duplicate},
                                           {"rejected", result.report.rejected},
                                           {"pulled", result.report.pulled}});
  return result;
}

}  // namespace alliance::sync
