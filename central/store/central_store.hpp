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
#include <string_view>
#include <vector>

#include "common/model/member.hpp"
#include "common/protocol/wire.hpp"
#include "common/store/database.hpp"
#include "common/store/migrations.hpp"
#include "common/util/hlc.hpp"

namespace alliance::central {

// 'ALCE' marks a file as a central store.
inline constexpr std::int32_t kCentralApplicationId = 0x414C4345;
const store::Schema& central_schema();

struct StoreFailure {
  // "invalid_code", "code_expired", "code_used", "hlc_node_in_use",
  // "unauthorized", "device_revoked", "not_found", "invalid_transition",
  // "validation_failed".
  std::string code;
  std::string message;
  std::vector<model::FieldError> errors;
};

template <class T>
using StoreResult = std::expected<T, StoreFailure>;

// An authenticated device: it acts for `office` only, and its changes must
// carry `hlc_node` in their clocks.
struct Device {
  std::string id;
  std::string name;
  std::string office;
  bool revoked = false;
  std::string hlc_node;              // empty until bound (devices enrolled before schema 2)
  std::int64_t last_contact_ms = 0;  // 0: never
  std::optional<std::int64_t> clock_offset_ms;
};

// A device as `alliance-central devices` lists it.
struct DeviceListing {
  std::string id;
  std::string name;
  std::string office;
  std::string app_version;
  std::string enrolled_at;
  std::string hlc_node;
  std::string last_contact_at;                  // empty: never
  std::optional<std::int64_t> clock_offset_ms;  // device clock minus server clock
  std::string revoked_at;                       // empty: active
};

// The node id in the server's own HLC values; no device may enrol with it.
inline constexpr std::string_view kServerHlcNode = "central";
// Whether `node` may be a device's HLC node: [A-Za-z0-9_-]{1,64} (a UUID
// fits), and not the server's own.
bool is_device_hlc_node(std::string_view node);

// A member as central holds it, with the office whose devices wrote it.
struct OfficeMember {
  std::string office;
  model::Member member;
};

// Why `office` cannot be an enrolment code's office (empty, over
// model::kMaxOfficeLength, control characters), or nullopt if it can.
std::optional<std::string> office_name_problem(std::string_view office);

// The identity the server writes as the actor of a device's status change:
// "device:<id> (<name>)".
std::string device_actor(const Device& device);

inline constexpr std::chrono::milliseconds kDefaultMaxClockAhead = std::chrono::minutes(5);
inline constexpr std::size_t kDefaultMaxPullBytes = 1024 * 1024;

struct PushOptions {
  // A change whose clock is further ahead of the server's is applied with
  // the server's clock instead (clamped, code "clock_clamped").
  std::chrono::milliseconds max_clock_ahead = kDefaultMaxClockAhead;
  // X-Alliance-Device-Time (Unix ms), when the device sent a sane one.
  std::optional<std::int64_t> device_time_ms;
};

struct PullOptions {
  // Encoded records per page; a page always carries at least one change.
  std::size_t max_bytes = kDefaultMaxPullBytes;
  std::optional<std::int64_t> device_time_ms;
  // Also the records this device changed last (normally left out: it has
  // them). A device restored from a backup asks for them once.
  bool include_own = false;
  // Hand the device a new reference-code prefix (API v1 code_prefix=new).
  bool new_code_prefix = false;
};

// Reference-code prefixes a device may hold: one per enrolment, and one per
// restore from a backup; past this a pull hands out no more (the device then
// mints unallocated codes, which are still valid).
inline constexpr int kMaxCodePrefixesPerDevice = 16;

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
  // code (only its hash is stored). `office` must pass office_name_problem;
  // throws std::invalid_argument otherwise.
  std::string create_enrolment_code(const std::string& office, std::chrono::seconds ttl);

  // Exchanges a code for a new device and its bearer token, binding the
  // request's hlc_node (already checked with is_device_hlc_node) to it:
  // "hlc_node_in_use" if an active device of another office holds it.
  StoreResult<protocol::EnrollResponse> enroll(const protocol::EnrollRequest& request);

  // The device a bearer token belongs to: "unauthorized" if unknown,
  // "device_revoked" if revoked.
  StoreResult<Device> authenticate(std::string_view token);

  // Revokes a device; false if there is no such device.
  bool revoke_device(const std::string& device_id);

  // The reference-code prefixes handed to a device, oldest first.
  std::vector<std::string> code_prefixes_of(const std::string& device_id);

  // Every device, oldest enrolment first.
  std::vector<DeviceListing> list_devices();

  // Applies a batch in one transaction: one result per change, in order.
  // Enforces the authorization model (docs/ARCHITECTURE.md): the device's
  // office only, its own HLC node, request statuses a desk may set, and the
  // server's identity as the actor of new status transitions. Records the
  // contact and clock offset, and sets server_time_ms.
  protocol::PushResponse push(const Device& device, const std::vector<protocol::Change>& changes,
                              const PushOptions& options = {});

  // Changes after `cursor` that `device` should see: at most `limit`, and
  // no more encoded bytes than options.max_bytes past the first. Records the
  // contact and clock offset, and sets server_time_ms. With
  // options.new_code_prefix, also hands the device a new reference-code
  // prefix (none once it holds kMaxCodePrefixesPerDevice).
  protocol::PullResponse pull(const Device& device, std::int64_t cursor, int limit,
                              const PullOptions& options = {});

  // Writes packs and events as the server's own changes (all fields).
  StoreResult<CatalogImport> import_catalog(std::vector<model::ResourcePack> packs,
                                            std::vector<model::TrainingEvent> events);

  // A regional office's decision on a request, which devices then pull;
  // `actor` is the authenticated identity that made it, e.g. "admin:<user>".
  StoreResult<model::ResourceRequest> set_request_status(const std::string& request_id,
                                                         model::RequestStatus status,
                                                         const std::string& actor);

  // Every record of one entity, in change order.
  std::vector<protocol::Record> list(protocol::Entity entity);
  // Every member with the office whose devices wrote it, in change order;
  // only office `office` when it is not empty.
  std::vector<OfficeMember> list_members(const std::string& office = {});

  // The database file (the console opens its own connection to it).
  const std::filesystem::path& path() const { return db_.path(); }

  // For tests and operators: rows in records for one entity, and applied change ids.
  std::int64_t count_records(protocol::Entity entity);
  std::int64_t count_applied_changes();

 private:
  explicit CentralStore(store::Database db);

  protocol::ChangeResult apply(Device& device, const protocol::Change& change,
                               const std::string& payload_hash, const PushOptions& options);
  protocol::ChangeResult decide(Device& device, const protocol::Change& change,
                                const PushOptions& options);
  bool bind_hlc_node(Device& device, const std::string& node);
  bool node_taken_elsewhere(const std::string& node, const std::string& office);
  // Inside a write transaction: a prefix nobody has had, recorded as
  // `device_id`'s; "" when none is left after a bounded number of tries.
  std::string allocate_code_prefix(const std::string& device_id);
  std::optional<std::string> office_of(protocol::Entity entity, const std::string& id);
  void note_contact(const Device& device, std::optional<std::int64_t> device_time_ms);
  void write_server_record(const protocol::Record& record, const std::string& office);
  std::int64_t next_seq();
  util::Hlc next_server_hlc();

  std::mutex mutex_;
  store::Database db_;
};

}  // namespace alliance::central
