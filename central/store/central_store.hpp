// alliance-central's own store, on SQLite or PostgreSQL: devices, enrolment codes,
// merged records, applied change ids and the change sequence pull walks.
//
// Thread safety: every public method may be called from any thread; one
// connection is shared behind a mutex, and each push batch is one write
// transaction, so concurrent pushes of the same change id apply it once.
// Other processes (the admin commands, other central processes on one
// PostgreSQL database) may write the same database at once: writers take
// one lock per database (sql::TxKind::write), so seq order is commit order
// and a pull's snapshot never skips a change (docs/ARCHITECTURE.md).
// Errors: domain refusals come back as StoreFailure values; database problems
// (busy past the timeout, disk full, server unreachable) throw store::StoreError.
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
#include <utility>
#include <vector>

#include "central/merge.hpp"
#include "central/store/prepare_pool.hpp"
#include "central/store/push_batch.hpp"
#include "central/store/sql_connection.hpp"
#include "common/model/member.hpp"
#include "common/protocol/wire.hpp"
#include "common/store/database.hpp"
#include "common/store/migrations.hpp"
#include "common/util/hlc.hpp"

namespace alliance::central {

// 'ALCE' marks a file as a central store.
inline constexpr std::int32_t kCentralApplicationId = 0x414C4345;
const store::Schema& central_schema();
// Brings a connection's database (either backend) to the latest central schema.
void migrate_central(sql::Connection& db);

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
  std::optional<std::int64_t> queue_depth;  // the last one it reported
  // A venue hub enrolled with a relay code: it forwards its own desks'
  // changes, whose clocks carry the desks' nodes (docs/ARCHITECTURE.md,
  // "Venue hubs"), and its pulls carry each field's clock.
  bool relay = false;
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
  // Changes the device's agent last said were waiting to be acknowledged
  // (X-Alliance-Queue-Depth), and when central recorded that; nullopt and
  // empty while it has never reported one (an agent from before schema 9).
  std::optional<std::int64_t> queue_depth;
  std::string queue_depth_at;
  bool relay = false;  // a venue hub (enroll-code --relay)
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
  // X-Alliance-Queue-Depth, when the device sent a sane one.
  std::optional<std::int64_t> queue_depth;
  // Where the batch is prepared (prepare_pool.hpp); on the calling thread when null.
  PreparePool* preparers = nullptr;
};

struct PullOptions {
  // Encoded records per page; a page always carries at least one change.
  std::size_t max_bytes = kDefaultMaxPullBytes;
  std::optional<std::int64_t> device_time_ms;
  std::optional<std::int64_t> queue_depth;
  // Also the records this device changed last (normally left out: it has
  // them). A device restored from a backup asks for them once.
  bool include_own = false;
  // Hand the device a new reference-code prefix (API v1 code_prefix=new).
  bool new_code_prefix = false;
  // A change id the device holds as acknowledged (API v1 acked=): the answer
  // says whether this database still holds it (acked_held).
  std::string acked_change;
};

// Reference-code prefixes a device may hold: one per enrolment, and one per
// restore from a backup; past this a pull hands out no more (the device then
// mints unallocated codes, which are still valid).
inline constexpr int kMaxCodePrefixesPerDevice = 16;

struct CatalogImport {
  int packs = 0;
  int events = 0;
};

// What `alliance-central merge KEEP DROP` did (central/store/member_merge.cpp).
struct MemberMerge {
  std::string keep_id;
  std::string drop_id;
  // Nothing changed: drop was merged into keep before (merged_at and actor
  // are that merge's).
  bool already_merged = false;
  std::string merged_at;      // ISO-8601 UTC
  std::string actor;          // e.g. "admin:<user>"
  int attendance_moved = 0;   // drop's check-ins now keep's
  int attendance_folded = 0;  // drop's check-ins on a day keep was checked in: voided, left on drop
  int requests_moved = 0;
  int tombstones_moved = 0;                // members merged into drop before, now merged into keep
  std::vector<std::string> fields_filled;  // keep's empty person fields taken from drop
};

// Stock of one resource pack on hand at one office (central schema 8). A
// pack without a row is untracked: dispatching it changes no stock.
struct StockLevel {
  std::string office;
  std::string pack_id;
  std::int64_t on_hand = 0;
  std::string updated_at;  // ISO-8601 UTC
  std::string updated_by;  // e.g. "console:<user>", "admin:<user>"
};

// One change of on-hand stock: before is nullopt when the pack was untracked.
struct StockMove {
  std::string office;
  std::string pack_id;
  std::optional<std::int64_t> before;
  std::int64_t after = 0;
};

// The largest on-hand quantity `set_stock` accepts.
inline constexpr std::int64_t kMaxStockQuantity = 10'000'000;

// A decision on a request and the stock it took (dispatch only).
struct RequestDecision {
  model::ResourceRequest request;
  std::vector<StockMove> stock_moves;
};

// A device as a USB bundle import sees it (CentralStore::bundle_device).
struct BundleDevice {
  Device device;            // revoked set when it is
  std::string signing_key;  // its Ed25519 public key, base64; "" before bundles
  std::int64_t last_bundle = 0;
};

// Central's Ed25519 key pair for signing bundle answers (base64).
struct BundleSigner {
  std::string public_key;
  std::string secret_key;
};

// A venue hub's enrolment with its upstream central (alliance-central relay).
struct RelayEnrolment {
  std::string upstream_url;
  std::string device_id;
  std::string token;
  std::string office;
  std::string hlc_node;
};

// A desk's change the hub applied, waiting to be relayed upstream.
struct QueuedChange {
  std::int64_t position = 0;
  protocol::Change change;
};

// Where the hub's pull from upstream stands, and the upstream it has seen
// (its lineage, server_seq the highest seen): a different database, a new
// restore count or a fallen sequence means upstream went back in time.
struct RelayCursor {
  std::int64_t cursor = 0;
  protocol::CentralLineage upstream;
};

// What applying one page pulled from upstream did to the hub.
struct UpstreamApply {
  int written = 0;    // records the hub's desks will pull
  int unchanged = 0;  // already held as they are (the hub's own relayed changes)
  int refused = 0;    // failed validation or named another office: not written
};

class CentralStore {
 public:
  // Opens and migrates the database: a PostgreSQL URL (sql::is_postgresql_url)
  // or a SQLite file (created if missing). Throws StoreError.
  static std::unique_ptr<CentralStore> open(const std::string& db_spec,
                                            int busy_timeout_ms = 10'000);

  sql::Backend backend() const { return db_.backend(); }

  CentralStore(CentralStore&&) = delete;
  CentralStore(const CentralStore&) = delete;

  // A new single-use code for `office`, valid for `ttl`; returns the plain
  // code (only its hash is stored). `office` must pass office_name_problem;
  // throws std::invalid_argument otherwise.
  std::string create_enrolment_code(const std::string& office, std::chrono::seconds ttl);

  // The same for a venue hub's upstream enrolment (enroll-code --relay): the
  // device enrolled with it is a relay (Device::relay).
  std::string create_relay_enrolment_code(const std::string& office, std::chrono::seconds ttl);

  // Exchanges a code for a new device and its bearer token, binding the
  // request's hlc_node (already checked with is_device_hlc_node) to it:
  // "hlc_node_in_use" if an active device of another office holds it.
  StoreResult<protocol::EnrollResponse> enroll(const protocol::EnrollRequest& request);

  // The device a bearer token belongs to: "unauthorized" if unknown,
  // "device_revoked" if revoked.
  StoreResult<Device> authenticate(std::string_view token);

  // Counts a sign-in or enrolment attempt in the window every process on
  // this database shares (count_shared_attempt): nullopt, or seconds to wait.
  std::optional<int> count_attempt(std::string_view scope, std::string_view key, int max_attempts,
                                   std::chrono::seconds window);

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
  // The same, saying what stock it took: marking a request dispatched takes
  // its packs off the office's tracked stock in the same transaction, and is
  // refused with "insufficient_stock" (nothing saved) when a tracked pack
  // would fall below zero. Untracked packs (no stock ever set) are not counted.
  StoreResult<RequestDecision> decide_request(const std::string& request_id,
                                              model::RequestStatus status,
                                              const std::string& actor);

  // Stock (central/store/stock.cpp). Sets the on-hand quantity of `pack_id`
  // at `office` (0..kMaxStockQuantity); "validation_failed" for a bad office,
  // pack id or quantity.
  StoreResult<StockMove> set_stock(const std::string& office, const std::string& pack_id,
                                   std::int64_t quantity, const std::string& actor);
  // Tracked stock of `office` (every office when empty), by office and pack.
  std::vector<StockLevel> list_stock(const std::string& office = {});

  // The office whose devices wrote member `member_id`, if it exists.
  std::optional<std::string> office_of_member(const std::string& member_id);
  // Every office that holds members, sorted.
  std::vector<std::string> member_offices();

  // Merges member `drop_id` into `keep_id`, one person registered twice, in
  // one transaction of server writes that every device of the office pulls:
  // drop's attendance and requests move to keep (a check-in on an event and
  // day keep already has a check-in for is voided instead and stays on drop),
  // members merged into drop before now point at keep, keep's empty person
  // fields (model::Member; merge.hpp person_fields) are filled from drop,
  // and drop becomes a tombstone (merged_into = keep, voided). `actor` is
  // recorded with the merge. Merging the same pair again changes nothing and
  // says already_merged. Refusals: "same_member", "not_found",
  // "different_offices", "different_kinds", "keep_merged", "keep_voided",
  // "merged_elsewhere". Pushed changes naming drop afterwards are applied to
  // keep (docs/ARCHITECTURE.md, "Merging members").
  StoreResult<MemberMerge> merge_members(const std::string& keep_id, const std::string& drop_id,
                                         const std::string& actor);

  // Every record of one entity, in change order.
  std::vector<protocol::Record> list(protocol::Entity entity);
  // Every member with the office whose devices wrote it, in change order;
  // only office `office` when it is not empty.
  std::vector<OfficeMember> list_members(const std::string& office = {});
  // Every record of one entity with the office its row belongs to, in change
  // order; only office `office` when it is not empty (the console's exports).
  std::vector<std::pair<std::string, protocol::Record>> list_with_offices(
      protocol::Entity entity, const std::string& office = {});

  // USB bundles (central/store/bundles.cpp, docs/ARCHITECTURE.md).
  // The device a bundle names, revoked or not, with its registered public
  // key ("" when enrolled before bundles) and the number of the newest bundle
  // imported from it (0: none); nullopt when no device has this id.
  std::optional<BundleDevice> bundle_device(const std::string& device_id);
  // Central's own signing key pair for bundle answers (made at open).
  BundleSigner bundle_signer();
  // Records that the device's bundle `sequence` was imported; false (and
  // nothing written) when one numbered as high or higher was recorded first.
  bool record_bundle(const std::string& device_id, std::int64_t sequence);

  // Venue hubs, the hub's side (central/store/relay.cpp, docs/ARCHITECTURE.md).
  // Its upstream enrolment, once alliance-central relay has made one.
  std::optional<RelayEnrolment> relay_enrolment();
  // Saves the upstream enrolment; from then on every desk change this
  // database applies is queued for upstream. Refused with "desks_first" when
  // desks' changes were applied here before (they were never queued), and
  // with "office_changed" when it replaces one for another office.
  StoreResult<RelayEnrolment> save_relay_enrolment(const RelayEnrolment& enrolment);
  // Queued changes not yet answered upstream, oldest first, at most `limit`.
  std::vector<QueuedChange> relay_waiting(std::size_t limit);
  std::int64_t relay_waiting_count();
  // Upstream answered these queued changes (position, outcome): they stop
  // waiting. A refusal that may clear is not recorded here; it waits.
  void relay_answered(const std::vector<std::pair<std::int64_t, std::string>>& answered);
  RelayCursor relay_cursor();
  // Records the highest upstream sequence seen (pushes and pulls report it).
  void relay_saw_upstream(const protocol::CentralLineage& upstream);
  // Upstream went back in time (restored, or another database): every
  // queued change waits again and the pull starts from the beginning, both
  // harmless to repeat (original change ids, field clocks).
  void relay_start_over(const protocol::CentralLineage& upstream);
  // Merges a page pulled from upstream from `from_cursor` into this database
  // field by field (PulledChange::field_hlcs) as writes every desk pulls,
  // and moves the relay cursor to page.next_cursor, in one transaction;
  // nullopt (nothing written) when the cursor is no longer `from_cursor`
  // (the relay started over meanwhile). Members, attendance and requests
  // must be of `office`; a record that fails validation or names another
  // office is refused and counted.
  std::optional<UpstreamApply> apply_upstream_page(const protocol::PullResponse& page,
                                                   const std::string& office,
                                                   std::int64_t from_cursor);

  // This database's identity, restore count and change sequence, as every
  // push and pull answer carries them (protocol::CentralLineage).
  protocol::CentralLineage lineage();

  // Called by `alliance-central restore` on the file it has just put in
  // place: the restore count becomes one more than the larger of the
  // backup's and `replaced_epoch` (the replaced file's), so devices notice.
  // Returns the new count.
  std::int64_t mark_restored(std::int64_t replaced_epoch);
  // The --db it was opened with, a file or a URL (the console opens its own
  // connection to it).
  const std::string& db_spec() const { return db_spec_; }

  // For tests and operators: rows in records for one entity, and applied change ids.
  std::int64_t count_records(protocol::Entity entity);
  std::int64_t count_applied_changes();

 private:
  explicit CentralStore(sql::Connection db);

  // Runs body again when concurrent transactions of several central
  // processes collided (sql::SqlError::retryable), at most
  // kMaxTransactionAttempts times in all.
  template <class Body>
  auto retrying(std::string_view what, Body&& body) -> decltype(body());
  static constexpr int kMaxTransactionAttempts = 8;
  StoreResult<protocol::EnrollResponse> enroll_once(const protocol::EnrollRequest& request);
  std::string create_code(const std::string& office, std::chrono::seconds ttl, bool relay);
  // What a change needs that the database does not decide: its payload
  // hash and the record normalised and validated. Worked out before the
  // writers' lock is taken, so pushes of several devices do it in parallel.
  // A record new to central as decide() would store it: the incoming record
  // with every field at the change's clock (merge.cpp), encoded.
  struct FreshRecord {
    HeldRecord held;
    std::string json;
    std::string field_hlcs;
  };
  struct PreparedChange {
    std::string payload_hash;
    protocol::Record incoming;  // normalised; events and requests carry the device's office
    bool office_filled = false;
    model::FieldErrors errors;
    // Made by prepare(), outside the store's lock, for a valid create; decide()
    // takes it when central holds no such record and neither the clock nor the
    // record was rewritten. Once taken it is gone, so a retried batch merges.
    std::optional<FreshRecord> fresh;
  };
  static PreparedChange prepare(const Device& device, const protocol::Change& change);
  protocol::PushResponse push_once(const Device& device,
                                   const std::vector<protocol::Change>& changes,
                                   std::vector<PreparedChange>& prepared,
                                   const PushOptions& options);
  protocol::PullResponse pull_once(const Device& device, std::int64_t cursor, int limit,
                                   const PullOptions& options);

  // Reads what the batch's changes name into batch_, one statement per table.
  void read_batch_keys(const std::vector<protocol::Change>& changes,
                       const std::vector<PreparedChange>& prepared);
  // What applied_changes holds for a change id, inside a push batch.
  std::optional<AppliedChange> applied_change(const std::string& change_id);
  // `applied_at`: the batch's one time, when its transaction is written.
  protocol::ChangeResult apply(Device& device, const protocol::Change& change,
                               PreparedChange& prepared, const PushOptions& options,
                               const std::string& applied_at);
  // `written_fields`: the fields the change wrote (schema 7), when it was merged.
  protocol::ChangeResult decide(Device& device, const protocol::Change& change,
                                PreparedChange& prepared, const PushOptions& options,
                                std::optional<std::string>& written_fields);
  bool bind_hlc_node(Device& device, const std::string& node);
  bool node_taken_elsewhere(const std::string& node, const std::string& office);
  // Inside a write transaction: a prefix nobody has had, recorded as
  // `device_id`'s; "" when none is left after a bounded number of tries.
  std::string allocate_code_prefix(const std::string& device_id);
  std::optional<std::string> office_of(protocol::Entity entity, const std::string& id);
  // Inside the decision's transaction: takes `request`'s packs off the
  // tracked stock of `office`, or says which pack falls short.
  StoreResult<std::vector<StockMove>> take_stock(const std::string& office,
                                                 const model::ResourceRequest& request,
                                                 const std::string& actor);
  // Inside the push or pull transaction: last contact, clock offset and
  // queue depth, written only when something moved (or every 30 s).
  void note_contact(const Device& device, std::optional<std::int64_t> device_time_ms,
                    std::optional<std::int64_t> queue_depth);
  void write_server_record(const protocol::Record& record, const std::string& office);
  // Inside the push batch: queues a desk's change for upstream when this
  // database is a venue hub (relaying_).
  void queue_for_relay(const protocol::Change& change);
  // Inside the upstream page's transaction: one pulled record merged in.
  bool merge_upstream_record(const protocol::PulledChange& change, const std::string& office,
                             UpstreamApply& counts);

  // A record as stored, or as the open push batch wrote it.
  std::optional<StoredRecord> load_stored(protocol::Entity entity, const std::string& id);
  // Writes a record at `seq` (`json` and `field_hlcs`: encode_record's and
  // encode_clocks' text, when the caller has them): at once, or with the
  // open push batch before it commits.
  void save_stored(HeldRecord held, const std::string& office, std::int64_t seq,
                   const std::string& last_device, std::optional<std::string> json = std::nullopt,
                   std::optional<std::string> field_hlcs = std::nullopt);

  // Member merges (member_merge.cpp), inside the push or merge transaction.
  // Merges `record` into `stored` as a change of `changed_fields` at `hlc`
  // (empty: the server's next HLC), saves it as the server's write, which
  // every device in scope pulls, and keeps `stored` up to date.
  void write_server_change(StoredRecord& stored, const protocol::Record& record,
                           const std::vector<std::string>& changed_fields,
                           std::string_view hlc = {});
  // Saves `stored` unchanged at the next sequence value, as the server's:
  // every device in scope pulls it again.
  void send_again(const StoredRecord& stored);
  // The member `member_id` was merged into ("" when it was not): one read.
  std::string kept_member_of(const std::string& member_id);
  // A pushed member change for a member merged into `keep_id`: its changed
  // person fields go to keep at the change's clock, and drop's tombstone is
  // sent again so the pushing device pulls it over its own copy.
  protocol::ChangeResult apply_to_kept_member(const protocol::Change& change,
                                              const model::Member& incoming, const std::string& hlc,
                                              const std::string& keep_id);
  // A pushed attendance or request naming a merged member: re-pointed to the
  // kept one (an attendance on a day the kept member has one is voided
  // instead); `rewritten` is set when anything changed.
  void point_at_kept_member(protocol::Record& incoming, bool& rewritten);
  // The next change sequence number: counted in memory while a push batch
  // is open (read once, written back once before it commits), else one
  // statement per call.
  std::int64_t next_seq();
  protocol::CentralLineage read_lineage();
  util::Hlc next_server_hlc();

  std::mutex mutex_;
  sql::Connection db_;
  std::string db_spec_;
  // authenticate()'s own connection: the first read of every request does not
  // wait for a push holding mutex_ (a SQLite reader sees the last commit while
  // the writer works; PostgreSQL runs the two connections apart).
  std::mutex auth_mutex_;
  std::optional<sql::Connection> auth_db_;
  // The last sequence number handed out by the open push batch, if any.
  std::optional<std::int64_t> batch_seq_;
  // The open push batch's reads and writes (push_once only).
  std::optional<PushBatch> batch_;
  // Whether the open push batch's changes are queued for upstream (a hub).
  bool relaying_ = false;
};

}  // namespace alliance::central
