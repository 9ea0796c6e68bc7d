// alliance-central's own SQLite store: devices, enrolment codes, merged records,
// applied change ids and the change sequence pull walks.
//
// Thread safety: every public method may be called from any thread; one
// connection is shared behind a mutex, and each push batch is one write
// transaction, so concurrent pushes of the same change id apply it once.
// Other processes (the admin commands) may write the same file at once.
// Errors: domain refusals come back as StoreFailure values; SQLite problems
// (busy past the timeout, disk full) throw store::StoreError.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/protocol/wire.hpp"
#include "common/store/database.hpp"
#include "common/store/migrations.hpp"
#include "common/util/hlc.hpp"

namespace alliance::central {

// 'ALCE' marks a file as a central store.
inline constexpr std::int32_t kCentralApplicationId = 0x414C4345;
const store::Schema& central_schema();

struct StoreFailure {
  // "invalid_code", "code_expired", "code_used", "unauthorized",
  // "device_revoked", "not_found", "invalid_transition", "validation_failed".
  std::string code;
  std::string message;
  std::vector<model::FieldError> errors;
};

template <class T>
using StoreResult = std::expected<T, StoreFailure>;

struct Device {
  std::string id;
  std::string name;
  std::string office;
  bool revoked = false;
};

struct CatalogImport {
  int packs = 0;
  int events = 0;
};

class CentralStore {
 public:
  // Opens (creating if missing) and migrates the file. Throws StoreError.
  static std::unique_ptr<CentralStore> open(const std::filesystem::path& path,
                                            int busy_timeout_ms = 10'000);

  CentralStore(CentralStore&&) = delete;
  CentralStore(const CentralStore&) = delete;

  // A new single-use code for `office`, valid for `ttl`; returns the plain
  // code (only its hash is stored).
  std::string create_enrolment_code(const std::string& office, std::chrono::seconds ttl);

  // Exchanges a code for a new device and its bearer token.
  StoreResult<protocol::EnrollResponse> enroll(const protocol::EnrollRequest& request);

  // The device a bearer token belongs to: "unauthorized" if unknown,
  // "device_revoked" if revoked.
  StoreResult<Device> authenticate(std::string_view token);

  // Revokes a device; false if there is no such device.
  bool revoke_device(const std::string& device_id);

  // Applies a batch in one transaction: one result per change, in order.
  protocol::PushResponse push(const Device& device, const std::vector<protocol::Change>& changes);

  // Changes after `cursor` that `device` should see, at most `limit`.
  protocol::PullResponse pull(const Device& device, std::int64_t cursor, int limit);

  // Writes packs and events as the server's own changes (all fields).
  StoreResult<CatalogImport> import_catalog(std::vector<model::ResourcePack> packs,
                                            std::vector<model::TrainingEvent> events);

  // A regional office's decision on a request, which devices then pull.
  StoreResult<model::ResourceRequest> set_request_status(const std::string& request_id,
                                                         model::RequestStatus status,
                                                         const std::string& actor);

  // Every record of one entity, in change order.
  std::vector<protocol::Record> list(protocol::Entity entity);

  // For tests and operators: rows in records for one entity, and applied change ids.
  std::int64_t count_records(protocol::Entity entity);
  std::int64_t count_applied_changes();

 private:
  explicit CentralStore(store::Database db);

  protocol::ChangeResult apply(const Device& device, const protocol::Change& change,
                               const std::string& payload_hash);
  void write_server_record(const protocol::Record& record, const std::string& office);
  std::int64_t next_seq();
  util::Hlc next_server_hlc();

  std::mutex mutex_;
  store::Database db_;
};

}  // namespace alliance::central
