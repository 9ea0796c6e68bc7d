// The central store: enrolment, authentication, push with idempotency and merge, pull.
#include "central/store/central_store.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <thread>
#include <utility>

#include "central/crypto.hpp"
#include "central/merge.hpp"
#include "central/store/embedded_migrations.hpp"
#include "central/store/rate_limits.hpp"
#include "central/store/record_keys.hpp"
#include "central/store/retrying.hpp"
#include "common/bundle/signing.hpp"
#include "common/model/codes.hpp"
#include "common/model/text.hpp"
#include "common/model/validation.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/log.hpp"
#include "common/util/reference_code.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"
#include "common/util/uuid.hpp"

namespace alliance::central {
namespace {

using protocol::ChangeResult;
using protocol::Entity;
using protocol::Outcome;
using protocol::Record;

// A device's last contact is written at most this often, unless its clock
// offset moved by more than kOffsetResolutionMs or it reported another queue
// depth: a pull stays a read.
constexpr std::int64_t kContactResolutionMs = 30'000;
constexpr std::int64_t kOffsetResolutionMs = 1'000;

// Random draws for a free reference-code prefix before giving up: with 95 %
// of the 28,830 prefixes taken, 200 draws all miss with probability 3.5e-5.
constexpr int kCodePrefixDraws = 200;

std::string now_iso() {
  return util::iso8601_utc(std::chrono::system_clock::now());
}
std::int64_t now_ms() {
  return util::to_unix_ms(std::chrono::system_clock::now());
}

std::string record_id(const Record& record) {
  return std::visit([](const auto& r) { return r.id; }, record);
}

bool valid_hlc(std::string_view hlc) {
  if (hlc.size() > model::kMaxHlcLength || !util::parse_hlc(hlc)) return false;
  return std::none_of(hlc.begin(), hlc.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

int current_year() {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return static_cast<int>(std::chrono::year_month_day(today).year());
}

// Normalises in place and returns the field errors.
model::FieldErrors validate(Record& record) {
  return std::visit(
      [](auto& r) -> model::FieldErrors {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, model::Member>) {
          return model::normalize_and_validate(
              r, model::ValidationContext{.default_country = r.country,
                                          .current_year = current_year()});
        } else if constexpr (std::is_same_v<T, model::ResourceRequest>) {
          return model::normalize_and_validate(
              r, model::ValidationContext{.current_year = current_year()});
        } else {
          return model::normalize_and_validate(r);
        }
      },
      record);
}

ChangeResult rejected(const protocol::Change& change, std::string code, std::string message,
                      model::FieldErrors errors = {}) {
  return ChangeResult{.change_id = change.change_id,
                      .outcome = Outcome::rejected,
                      .code = std::move(code),
                      .message = std::move(message),
                      .errors = std::move(errors)};
}

// The names of the fields a merge wrote (their clocks moved), joined by ','
// for applied_changes.changed_fields (schema 7).
std::string written_field_names(const FieldClocks& before, const FieldClocks& after) {
  std::string out;
  for (const auto& [name, clock] : after) {
    if (before.find(name) == clock) continue;
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

ChangeResult forbidden(const protocol::Change& change, std::string message) {
  return rejected(change, "forbidden", std::move(message));
}

// Whether pull would send this device a record of `entity` held for `office`:
// conflict answers carry only such records.
bool may_pull(const Device& device, Entity entity, const std::string& office) {
  if (entity == Entity::event || entity == Entity::pack) return true;
  return !device.office.empty() && office == device.office;
}

// Devices create requests (status requested), cancel them and hand them out
// (delivered, model::device_may_set); approving, preparing and
// dispatching are decisions made centrally. New transitions get the server's
// identity for the device as their actor; transitions the server already
// holds (same status and time) are kept as it holds them. Returns a
// rejection, or nullopt with `incoming` rewritten; `rewritten` tells whether
// any actor changed.
std::optional<ChangeResult> screen_request_status(const protocol::Change& change,
                                                  const Device& device,
                                                  const model::ResourceRequest* held,
                                                  model::ResourceRequest& incoming,
                                                  bool& rewritten) {
  using model::RequestStatus;
  const auto refuse = [&](std::string_view status) {
    return rejected(change, "forbidden_transition",
                    util::cat("a device may create, cancel or deliver a request, not set it to ",
                              status, "; approvals come from the regional office"));
  };
  if (held == nullptr) {
    if (incoming.status != RequestStatus::requested) {
      return refuse(model::to_string(incoming.status));
    }
  } else if (!model::device_may_set(incoming.status) &&
             model::status_rank(incoming.status) > model::status_rank(held->status)) {
    // Moving on to a status only central sets. A status behind the server's
    // is a stale view, which the merge settles (the status never goes back).
    return refuse(model::to_string(incoming.status));
  }
  const std::string actor = device_actor(device);
  for (auto& transition : incoming.transitions) {
    const model::StatusTransition* known = nullptr;
    if (held != nullptr) {
      for (const auto& h : held->transitions) {
        if (h.status == transition.status && h.at == transition.at) {
          known = &h;
          break;
        }
      }
    }
    if (known != nullptr) {
      if (known->actor != transition.actor) rewritten = true;
      transition.actor = known->actor;
      continue;
    }
    const bool allowed = held == nullptr ? transition.status == RequestStatus::requested
                                         : model::device_may_set(transition.status);
    if (!allowed) return refuse(model::to_string(transition.status));
    if (transition.actor != actor) rewritten = true;
    transition.actor = actor;
  }
  return std::nullopt;
}

// A change applied as sent, with nothing to add (no code, message, errors or
// record), is stored as an empty result (schema 16): the outcome column
// already says "applied", and it is most of what a central stores.
bool stored_as_empty(const ChangeResult& result) {
  return result.outcome == Outcome::applied && result.code.empty() && result.message.empty() &&
         result.errors.empty() && !result.server_record;
}

std::optional<ChangeResult> decode_stored_result(const std::string& change_id,
                                                 const std::string& json) {
  if (json.empty()) return ChangeResult{.change_id = change_id, .outcome = Outcome::applied};
  auto decoded =
      protocol::decode_push_response(util::cat("{\"schema\":1,\"results\":[", json, "]}"));
  if (!decoded || decoded->results.size() != 1) return std::nullopt;
  return std::move(decoded->results.front());
}

}  // namespace

bool is_device_hlc_node(std::string_view node) {
  if (node.empty() || node.size() > model::kMaxHlcNodeLength || node == kServerHlcNode) {
    return false;
  }
  return std::all_of(node.begin(), node.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

std::optional<std::string> office_name_problem(std::string_view office) {
  if (!model::is_valid_utf8(office)) return "the office name is not valid UTF-8";
  const std::string cleaned = model::collapse_whitespace(office);
  if (cleaned.empty()) {
    return "an enrolment code needs the office its device will act for (--office NAME)";
  }
  if (cleaned != office) return "the office name has leading, trailing or repeated spaces";
  if (model::has_control_characters(office)) return "the office name has control characters";
  if (model::utf8_length(office) > model::kMaxOfficeLength) {
    return util::cat("the office name is longer than ", model::kMaxOfficeLength, " characters");
  }
  return std::nullopt;
}

std::string device_actor(const Device& device) {
  return util::cat("device:", device.id, " (", device.name, ")");
}

const store::Schema& central_schema() {
  static const store::Schema schema =
      store::make_schema("central database", kCentralApplicationId, store::central_migrations());
  return schema;
}

const store::Schema& central_postgresql_schema() {
  static const store::Schema schema = store::make_schema("central database", kCentralApplicationId,
                                                         store::central_postgresql_migrations());
  return schema;
}

void migrate_central(sql::Connection& db) {
  if (auto* file = db.impl().sqlite()) {
    store::migrate(*file, central_schema());
  } else {
    sql::migrate_postgresql(db, central_postgresql_schema());
  }
  catch_up_record_keys(db);
}

std::unique_ptr<CentralStore> CentralStore::open(const std::string& db_spec, int busy_timeout_ms) {
  auto db = sql::Connection::open(db_spec, sql::ConnectOptions{.busy_timeout_ms = busy_timeout_ms,
                                                               .background_checkpoints = true});
  migrate_central(db);
  // The identity is made with the database and copied by every backup, so a
  // restored database keeps it; a database made before it gets one now.
  {
    sql::Transaction tx(db);
    db.query(
          "INSERT INTO meta (key, value) VALUES ('database_id', ?1), ('restore_epoch', '0') "
          "ON CONFLICT (key) DO NOTHING")
        .bind_all(util::new_uuid_v7())
        .run();
    // Central's signing identity for USB bundle answers (schema 10): kept
    // with the data, so backups, restores, migrate and every process on one
    // PostgreSQL database share it. The two rows are written together.
    bool has_signing_key = false;
    {
      auto q = db.query("SELECT 1 FROM meta WHERE key = 'bundle_secret_key'");
      has_signing_key = q.step();
    }
    if (!has_signing_key) {
      const auto keys = bundle::new_signing_key_pair();
      db.query(
            "INSERT INTO meta (key, value) VALUES ('bundle_public_key', ?1), "
            "('bundle_secret_key', ?2) ON CONFLICT (key) DO NOTHING")
          .bind_all(keys.public_key, keys.secret_key)
          .run();
    }
    tx.commit();
  }
  auto store = std::unique_ptr<CentralStore>(new CentralStore(std::move(db)));
  store->db_spec_ = db_spec;
  store->auth_db_ =
      sql::Connection::open(db_spec, sql::ConnectOptions{.busy_timeout_ms = busy_timeout_ms});
  return store;
}

CentralStore::CentralStore(sql::Connection db) : db_(std::move(db)) {}

std::optional<int> CentralStore::count_attempt(std::string_view scope, std::string_view key,
                                               int max_attempts, std::chrono::seconds window) {
  const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  return retrying("rate_limit", [&] {
    std::lock_guard lock(mutex_);
    return count_shared_attempt(db_, scope, key, max_attempts, window, now_ms);
  });
}

std::string CentralStore::create_enrolment_code(const std::string& office,
                                                std::chrono::seconds ttl) {
  return create_code(office, ttl, false);
}

std::string CentralStore::create_relay_enrolment_code(const std::string& office,
                                                      std::chrono::seconds ttl) {
  return create_code(office, ttl, true);
}

std::string CentralStore::create_code(const std::string& office, std::chrono::seconds ttl,
                                      bool relay) {
  if (auto problem = office_name_problem(office)) throw std::invalid_argument(*problem);
  std::lock_guard lock(mutex_);
  const std::string code = random_enrolment_code();
  sql::Transaction tx(db_);
  db_.query(
         "INSERT INTO enrolment_codes (code_hash, office, created_at, expires_at_ms, relay) "
         "VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind_all(sha256_hex(normalize_enrolment_code(code)), office, now_iso(),
                now_ms() + static_cast<std::int64_t>(ttl.count()) * 1000, relay ? 1 : 0)
      .run();
  tx.commit();
  return code;
}

bool CentralStore::node_taken_elsewhere(const std::string& node, const std::string& office) {
  auto q = db_.query(
      "SELECT 1 FROM devices WHERE hlc_node = ?1 AND revoked_at IS NULL AND office <> ?2 LIMIT 1");
  q.bind_all(node, office);
  return q.step();
}

StoreResult<protocol::EnrollResponse> CentralStore::enroll(const protocol::EnrollRequest& request) {
  return retrying("enroll", [&] { return enroll_once(request); });
}

StoreResult<protocol::EnrollResponse> CentralStore::enroll_once(
    const protocol::EnrollRequest& request) {
  std::lock_guard lock(mutex_);
  const std::string code_hash = sha256_hex(normalize_enrolment_code(request.code));
  sql::Transaction tx(db_);
  std::string office;
  bool relay = false;
  {
    auto q = db_.query(
        "SELECT office, expires_at_ms, used_at IS NOT NULL, relay FROM enrolment_codes "
        "WHERE code_hash = ?1");
    q.bind(1, code_hash);
    if (!q.step()) {
      return std::unexpected(StoreFailure{"invalid_code", "this enrolment code is not valid"});
    }
    if (q.int64(2) != 0) {
      return std::unexpected(StoreFailure{
          "code_used", "this enrolment code has already been used; ask for a new one"});
    }
    if (q.int64(1) <= now_ms()) {
      return std::unexpected(
          StoreFailure{"code_expired", "this enrolment code has expired; ask for a new one"});
    }
    office = q.text(0);
    relay = q.int64(3) != 0;
  }
  // Codes made before offices were required: a device without an office
  // could act for no one, so it is not made at all.
  if (office.empty()) {
    return std::unexpected(StoreFailure{
        "invalid_code", "this enrolment code names no office; ask for a new one made for it"});
  }
  if (!request.hlc_node.empty() && node_taken_elsewhere(request.hlc_node, office)) {
    return std::unexpected(StoreFailure{
        "hlc_node_in_use",
        "this device's clock id belongs to an active device of another office; revoke that "
        "device first, or enrol from a fresh device database"});
  }
  protocol::EnrollResponse response{
      .device_id = util::new_uuid_v7(), .token = "afk_" + random_hex(32), .office = office};
  const std::string now = now_iso();
  auto insert = db_.query(
      "INSERT INTO devices (id, token_hash, name, office, app_version, enrolled_at, hlc_node, "
      "signing_key, relay) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  insert.bind_all(response.device_id, sha256_hex(response.token), request.device_name, office,
                  request.app_version, now);
  insert.bind(9, relay ? 1 : 0);
  if (request.hlc_node.empty()) {
    insert.bind(7, nullptr);
  } else {
    insert.bind(7, request.hlc_node);
  }
  if (request.signing_key.empty()) {
    insert.bind(8, nullptr);
  } else {
    insert.bind(8, request.signing_key);
  }
  insert.run();
  response.signing_key = read_lineage().signing_key;
  response.code_prefix = allocate_code_prefix(response.device_id);
  if (response.code_prefix.empty()) {
    return std::unexpected(StoreFailure{
        "no_code_prefix_left",
        "this server has handed out every reference-code prefix; ask the operator to revoke "
        "unused devices' enrolments or to start a new deployment"});
  }
  db_.query("UPDATE enrolment_codes SET used_at = ?1, device_id = ?2 WHERE code_hash = ?3")
      .bind_all(now, response.device_id, code_hash)
      .run();
  tx.commit();
  return response;
}

std::string CentralStore::allocate_code_prefix(const std::string& device_id) {
  const std::string now = now_iso();
  for (int draw = 0; draw < kCodePrefixDraws; ++draw) {
    const std::string prefix = util::random_reference_prefix();
    auto insert = db_.query(
        "INSERT INTO code_prefixes (prefix, device_id, allocated_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (prefix) DO NOTHING");
    insert.bind_all(prefix, device_id, now);
    insert.run();
    if (db_.changes() == 1) return prefix;
  }
  return {};
}

std::vector<std::string> CentralStore::code_prefixes_of(const std::string& device_id) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> prefixes;
  auto q = db_.query(
      "SELECT prefix FROM code_prefixes WHERE device_id = ?1 ORDER BY allocated_at, prefix");
  q.bind_all(device_id);
  while (q.step()) prefixes.push_back(q.text(0));
  return prefixes;
}

StoreResult<Device> CentralStore::authenticate(std::string_view token) {
  std::lock_guard lock(auth_mutex_);
  auto q = auth_db_->query(
      "SELECT id, name, office, revoked_at IS NOT NULL, COALESCE(hlc_node, ''), "
      "COALESCE(last_contact_ms, 0), clock_offset_ms, queue_depth, relay FROM devices "
      "WHERE token_hash = ?1");
  q.bind(1, sha256_hex(token));
  if (!q.step()) {
    return std::unexpected(StoreFailure{"unauthorized", "the bearer token is not valid"});
  }
  Device device{
      .id = q.text(0),
      .name = q.text(1),
      .office = q.text(2),
      .revoked = q.int64(3) != 0,
      .hlc_node = q.text(4),
      .last_contact_ms = q.int64(5),
      .clock_offset_ms = q.is_null(6) ? std::nullopt : std::optional<std::int64_t>(q.int64(6)),
      .queue_depth = q.is_null(7) ? std::nullopt : std::optional<std::int64_t>(q.int64(7)),
      .relay = q.int64(8) != 0};
  if (device.revoked) {
    return std::unexpected(
        StoreFailure{"device_revoked", "this device has been revoked; enrol it again"});
  }
  return device;
}

bool CentralStore::revoke_device(const std::string& device_id) {
  std::lock_guard lock(mutex_);
  sql::Transaction tx(db_);
  db_.query("UPDATE devices SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL")
      .bind_all(now_iso(), device_id)
      .run();
  bool found = false;
  {
    auto q = db_.query("SELECT 1 FROM devices WHERE id = ?1");
    q.bind(1, device_id);
    found = q.step();
  }
  tx.commit();
  return found;
}

std::vector<DeviceListing> CentralStore::list_devices() {
  std::lock_guard lock(mutex_);
  std::vector<DeviceListing> out;
  auto q = db_.query(
      "SELECT id, name, office, app_version, enrolled_at, COALESCE(hlc_node, ''), "
      "COALESCE(last_contact_at, ''), clock_offset_ms, COALESCE(revoked_at, ''), queue_depth, "
      "COALESCE(queue_depth_at, ''), relay FROM devices ORDER BY enrolled_at, id");
  while (q.step()) {
    out.push_back(DeviceListing{
        .id = q.text(0),
        .name = q.text(1),
        .office = q.text(2),
        .app_version = q.text(3),
        .enrolled_at = q.text(4),
        .hlc_node = q.text(5),
        .last_contact_at = q.text(6),
        .clock_offset_ms = q.is_null(7) ? std::nullopt : std::optional<std::int64_t>(q.int64(7)),
        .revoked_at = q.text(8),
        .queue_depth = q.is_null(9) ? std::nullopt : std::optional<std::int64_t>(q.int64(9)),
        .queue_depth_at = q.text(10),
        .relay = q.int64(11) != 0});
  }
  return out;
}

std::int64_t CentralStore::next_seq() {
  if (batch_seq_) return ++*batch_seq_;
  auto q = db_.query(
      "UPDATE meta SET value = CAST(value AS BIGINT) + 1 WHERE key = 'change_seq' "
      "RETURNING CAST(value AS BIGINT)");
  if (!q.step()) throw store::StoreError(0, "the central database has no change sequence");
  return q.int64(0);
}

protocol::CentralLineage CentralStore::read_lineage() {
  protocol::CentralLineage lineage;
  auto q = db_.query(
      "SELECT key, value FROM meta WHERE key IN ('database_id', 'restore_epoch', 'change_seq', "
      "'bundle_public_key')");
  while (q.step()) {
    const std::string key = q.text(0);
    if (key == "database_id") {
      lineage.database_id = q.text(1);
    } else if (key == "bundle_public_key") {
      lineage.signing_key = q.text(1);
    } else {
      const std::string value = q.text(1);
      std::int64_t number = 0;
      std::from_chars(value.data(), value.data() + value.size(), number);
      (key == "restore_epoch" ? lineage.restore_epoch : lineage.server_seq) = number;
    }
  }
  return lineage;
}

protocol::CentralLineage CentralStore::lineage() {
  std::lock_guard lock(mutex_);
  return read_lineage();
}

std::int64_t CentralStore::mark_restored(std::int64_t replaced_epoch) {
  std::lock_guard lock(mutex_);
  sql::Transaction tx(db_);
  const std::int64_t epoch = std::max(read_lineage().restore_epoch, replaced_epoch) + 1;
  db_.query(
         "INSERT INTO meta (key, value) VALUES ('restore_epoch', ?1), ('restored_at', ?2) "
         "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .bind_all(std::to_string(epoch), now_iso())
      .run();
  tx.commit();
  log::info("central.restored", {{"restore_epoch", epoch}});
  return epoch;
}

util::Hlc CentralStore::next_server_hlc() {
  std::optional<util::Hlc> last;
  {
    auto q = db_.query("SELECT value FROM meta WHERE key = 'hlc'");
    if (q.step()) last = util::parse_hlc(q.text(0));
  }
  util::HybridClock clock(std::string(kServerHlcNode), last);
  const util::Hlc hlc = clock.now();
  db_.query("UPDATE meta SET value = ?1 WHERE key = 'hlc'").bind(1, hlc.to_string()).run();
  return hlc;
}

void CentralStore::note_contact(const Device& device, std::optional<std::int64_t> device_time_ms,
                                std::optional<std::int64_t> queue_depth) {
  const std::int64_t now = now_ms();
  const std::optional<std::int64_t> offset =
      device_time_ms ? std::optional<std::int64_t>(*device_time_ms - now) : std::nullopt;
  const bool stale = now - device.last_contact_ms >= kContactResolutionMs;
  const bool moved = offset && (!device.clock_offset_ms ||
                                std::abs(*offset - *device.clock_offset_ms) >= kOffsetResolutionMs);
  const bool new_depth = queue_depth && queue_depth != device.queue_depth;
  if (!stale && !moved && !new_depth) return;
  // One statement for all three; a value the device did not send (or sent
  // broken) keeps what is stored, with the time it was stored.
  const std::string now_text = util::iso8601_utc_from_ms(now);
  auto q = db_.query(
      "UPDATE devices SET last_contact_at = ?1, last_contact_ms = ?2, "
      "clock_offset_ms = COALESCE(?3, clock_offset_ms), queue_depth = COALESCE(?4, queue_depth), "
      "queue_depth_at = COALESCE(?5, queue_depth_at) WHERE id = ?6");
  q.bind(1, now_text).bind(2, now);
  if (offset) {
    q.bind(3, *offset);
  } else {
    q.bind(3, nullptr);
  }
  if (queue_depth) {
    q.bind(4, *queue_depth).bind(5, now_text);
  } else {
    q.bind(4, nullptr).bind(5, nullptr);
  }
  q.bind(6, device.id).run();
}

bool CentralStore::bind_hlc_node(Device& device, const std::string& node) {
  if (!is_device_hlc_node(node) || node_taken_elsewhere(node, device.office)) return false;
  db_.query("UPDATE devices SET hlc_node = ?1 WHERE id = ?2 AND hlc_node IS NULL")
      .bind_all(node, device.id)
      .run();
  device.hlc_node = node;
  return true;
}

std::optional<std::string> CentralStore::office_of(Entity entity, const std::string& id) {
  if (batch_) {
    if (auto known = batch_->office(entity, id)) return std::move(*known);
  }
  auto q = db_.query("SELECT office FROM records WHERE entity = ?1 AND id = ?2");
  q.bind_all(protocol::to_string(entity), id);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

std::optional<StoredRecord> CentralStore::load_stored(Entity entity, const std::string& id) {
  if (!batch_) return read_stored_record(db_, entity, id);
  if (const auto* known = batch_->record(entity, id)) return *known;
  auto stored = read_stored_record(db_, entity, id);
  batch_->remember_record(entity, id, stored);
  return stored;
}

void CentralStore::save_stored(HeldRecord held, const std::string& office, std::int64_t seq,
                               const std::string& last_device, std::optional<std::string> json,
                               std::optional<std::string> field_hlcs) {
  const Entity entity = protocol::entity_of(held.record);
  RecordRow row{.entity = std::string(protocol::to_string(entity)),
                .id = record_id(held.record),
                .office = office,
                .json = json ? std::move(*json) : protocol::encode_record(held.record),
                .field_hlcs = field_hlcs ? std::move(*field_hlcs)
                                         : encode_clocks(entity, held.clocks, held.hlc),
                .hlc = held.hlc,
                .seq = seq,
                .last_device = last_device};
  if (!batch_) {
    write_record_row(db_, row);
    return;
  }
  batch_->write_record(std::move(row), StoredRecord{.held = std::move(held), .office = office});
}

std::optional<AppliedChange> CentralStore::applied_change(const std::string& change_id) {
  if (const auto* known = batch_->applied(change_id)) return *known;
  std::optional<AppliedChange> stored;
  auto q = db_.query("SELECT payload_hash, result_json FROM applied_changes WHERE change_id = ?1");
  q.bind(1, change_id);
  if (q.step()) stored = AppliedChange{.payload_hash = q.text(0), .result_json = q.text(1)};
  batch_->remember_applied(change_id, stored);
  return stored;
}

protocol::PushResponse CentralStore::push(const Device& device,
                                          const std::vector<protocol::Change>& changes,
                                          const PushOptions& options) {
  std::vector<PreparedChange> prepared;
  const auto prepare_all = [&] {
    prepared.clear();
    prepared.reserve(changes.size());
    for (const auto& change : changes) prepared.push_back(prepare(device, change));
  };
  if (options.preparers != nullptr) {
    options.preparers->run(prepare_all);
  } else {
    prepare_all();
  }
  bool first_attempt = true;
  return retrying("push", [&] {
    // decide() takes what prepare() made (no copy under the lock), so an
    // attempt after a rolled-back one prepares again.
    if (!std::exchange(first_attempt, false)) prepare_all();
    return push_once(device, changes, prepared, options);
  });
}

CentralStore::PreparedChange CentralStore::prepare(const Device& device,
                                                   const protocol::Change& change) {
  PreparedChange prepared{.payload_hash = sha256_hex(protocol::encode(change)),
                          .incoming = change.record};
  // What the server writes itself makes the record differ from what the
  // device holds, so the device pulls it back (decide's `rewritten`).
  const auto fill_office = [&](std::string& office) {
    if (office.empty()) {
      office = device.office;
      prepared.office_filled = true;
    }
  };
  if (auto* event = std::get_if<model::TrainingEvent>(&prepared.incoming)) {
    fill_office(event->office);
  }
  if (auto* request = std::get_if<model::ResourceRequest>(&prepared.incoming)) {
    fill_office(request->office);
  }
  prepared.errors = validate(prepared.incoming);
  // An edit is almost always of a record central holds, which merges under
  // the lock; a record new to central is prepared here.
  if (change.op == protocol::Operation::create && prepared.errors.empty() &&
      valid_hlc(change.hlc)) {
    MergeResult fresh = merge(nullptr, prepared.incoming, change.hlc, change.changed_fields);
    std::string json = protocol::encode_record(fresh.held.record);
    std::string field_hlcs =
        encode_clocks(protocol::entity_of(fresh.held.record), fresh.held.clocks, fresh.held.hlc);
    prepared.fresh = FreshRecord{.held = std::move(fresh.held),
                                 .json = std::move(json),
                                 .field_hlcs = std::move(field_hlcs)};
  }
  return prepared;
}

protocol::PushResponse CentralStore::push_once(const Device& device,
                                               const std::vector<protocol::Change>& changes,
                                               std::vector<PreparedChange>& prepared,
                                               const PushOptions& options) {
  // The batch's memory is freed here, after the lock is released (declared
  // before it): thousands of records and results, a tenth of the locked time.
  std::optional<PushBatch> finished;
  std::lock_guard lock(mutex_);
  protocol::PushResponse response;
  response.results.reserve(changes.size());
  Device acting = device;  // its HLC node may be bound by the first change
  sql::Transaction tx(db_);
  note_contact(acting, options.device_time_ms, options.queue_depth);
  // The batch's sequence numbers are counted in memory and written back once.
  // The write transaction (BEGIN IMMEDIATE) and mutex_ are held from the read
  // to the commit, so no other writer takes a number in between: seq order
  // stays commit order, and a rollback takes the numbers back with the rows.
  std::int64_t first_seq = 0;
  {
    auto q = db_.query("SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'change_seq'");
    if (!q.step()) throw store::StoreError(0, "the central database has no change sequence");
    first_seq = q.int64(0);
  }
  {
    auto q = db_.query("SELECT 1 FROM meta WHERE key = 'relay_office'");
    relaying_ = q.step();
  }
  batch_seq_ = first_seq;
  batch_.emplace();
  struct EndBatch {
    std::optional<std::int64_t>& seq;
    std::optional<PushBatch>& batch;
    std::optional<PushBatch>& finished;
    ~EndBatch() {
      seq.reset();
      finished = std::move(batch);
      batch.reset();
    }
  } end_batch{batch_seq_, batch_, finished};
  read_batch_keys(changes, prepared);
  // One time for the whole batch: its changes are written in one transaction
  // (and formatting a time per change was 2% of the locked section).
  const std::string applied_at = now_iso();
  for (std::size_t i = 0; i < changes.size(); ++i) {
    response.results.push_back(apply(acting, changes[i], prepared[i], options, applied_at));
  }
  batch_->flush(db_);
  if (*batch_seq_ != first_seq) {
    db_.query("UPDATE meta SET value = ?1 WHERE key = 'change_seq'")
        .bind(1, std::to_string(*batch_seq_))
        .run();
  }
  // After the batch's sequence is written back: server_seq counts this batch.
  response.central = read_lineage();
  tx.commit();
  response.server_time_ms = now_ms();
  return response;
}

void CentralStore::read_batch_keys(const std::vector<protocol::Change>& changes,
                                   const std::vector<PreparedChange>& prepared) {
  std::vector<std::string> change_ids;
  std::map<Entity, std::vector<std::string>> record_ids;
  std::vector<std::string> named_members;  // by check-ins and requests: their offices
  std::vector<std::string> merge_keys;     // members whose merge decides where a change goes
  change_ids.reserve(changes.size());
  merge_keys.reserve(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const auto& change = changes[i];
    if (util::is_uuid(change.change_id)) change_ids.push_back(change.change_id);
    if (!change.entity_id.empty()) {
      record_ids[protocol::entity_of(change.record)].push_back(change.entity_id);
    }
    std::visit(
        [&](const auto& r) {
          using T = std::decay_t<decltype(r)>;
          if constexpr (std::is_same_v<T, model::Member>) {
            merge_keys.push_back(r.id);
          } else if constexpr (std::is_same_v<T, model::Attendance> ||
                               std::is_same_v<T, model::ResourceRequest>) {
            if (!r.member_id.empty()) {
              named_members.push_back(r.member_id);
              merge_keys.push_back(r.member_id);
            }
          }
        },
        prepared[i].incoming);
  }
  batch_->read_applied(db_, std::move(change_ids));
  for (auto& [entity, ids] : record_ids) batch_->read_records(db_, entity, std::move(ids));
  batch_->read_offices(db_, Entity::member, std::move(named_members));
  batch_->read_merges(db_, std::move(merge_keys));
}

ChangeResult CentralStore::apply(Device& device, const protocol::Change& change,
                                 PreparedChange& prepared, const PushOptions& options,
                                 const std::string& applied_at) {
  const std::string& payload_hash = prepared.payload_hash;
  if (!util::is_uuid(change.change_id)) {
    return rejected(change, "invalid_change", "change_id must be a UUID");
  }
  bool redecide = false;
  if (const auto applied = applied_change(change.change_id)) {
    if (applied->payload_hash != payload_hash) {
      return rejected(change, "change_id_reused",
                      "this change id was already used for a different change");
    }
    auto stored = decode_stored_result(change.change_id, applied->result_json);
    if (!stored) throw store::StoreError(0, "a stored change result cannot be read");
    if (stored->outcome == Outcome::rejected) {
      // A refusal changed nothing, so deciding the same change again is
      // safe, and a device resending it after the cause went away (a limit
      // raised, an office set up, the catalogue or a record arrived) gets
      // the answer of now.
      redecide = true;
    } else {
      stored->outcome = Outcome::duplicate;
      // The replay may come from another device, or the record may have
      // moved since: send only what this device may pull now.
      if (stored->server_record) {
        const Entity entity = protocol::entity_of(*stored->server_record);
        const auto office = office_of(entity, record_id(*stored->server_record));
        if (!office || !may_pull(device, entity, *office)) stored->server_record.reset();
      }
      return std::move(*stored);
    }
  }
  std::optional<std::string> written_fields;
  ChangeResult result = decide(device, change, prepared, options, written_fields);
  if (relaying_ && (result.outcome == Outcome::applied || result.outcome == Outcome::conflict)) {
    queue_for_relay(change);
  }
  batch_->write_applied(
      AppliedChangeRow{
          .change_id = change.change_id,
          .payload_hash = payload_hash,
          .device_id = device.id,
          .entity = std::string(protocol::to_string(protocol::entity_of(change.record))),
          .entity_id = change.entity_id,
          .outcome = std::string(protocol::to_string(result.outcome)),
          .result_json = stored_as_empty(result) ? std::string() : protocol::encode(result),
          .applied_at = applied_at,
          .changed_fields = std::move(written_fields)},
      redecide);
  return result;
}

ChangeResult CentralStore::decide(Device& device, const protocol::Change& change,
                                  PreparedChange& prepared, const PushOptions& options,
                                  std::optional<std::string>& written_fields) {
  std::optional<FreshRecord> fresh = std::exchange(prepared.fresh, std::nullopt);
  const Entity entity = protocol::entity_of(change.record);
  if (change.entity_id.empty() || change.entity_id != record_id(change.record)) {
    return rejected(change, "invalid_change", "entity_id must equal the record's id");
  }
  if (entity == Entity::pack) {
    return rejected(change, "read_only_entity", "the catalogue is changed on the server only");
  }
  if (device.office.empty()) {
    return forbidden(change,
                     "this device was enrolled without an office and may change nothing; enrol "
                     "it again with a code made for its office");
  }
  if (!valid_hlc(change.hlc)) {
    return rejected(change, "invalid_hlc", "hlc is not a valid hybrid logical clock value");
  }
  util::Hlc hlc = *util::parse_hlc(change.hlc);
  if (device.relay) {
    // A hub forwards its desks' changes: any device's clock, but never the
    // server's or that of an active device of another office.
    if (!is_device_hlc_node(hlc.node) || node_taken_elsewhere(hlc.node, device.office)) {
      return rejected(change, "forged_clock",
                      "the change's clock id is not a device's, or belongs to a device of "
                      "another office");
    }
  } else if (device.hlc_node.empty() && !bind_hlc_node(device, hlc.node)) {
    // Devices enrolled before the node was bound at enrolment bind it now.
    return rejected(change, "forged_clock",
                    "the change's clock id cannot be bound to this device: it is not a valid "
                    "device id or belongs to a device of another office");
  }
  if (!device.relay && hlc.node != device.hlc_node) {
    return rejected(change, "forged_clock",
                    "the change's clock carries another device's id; a device pushes only the "
                    "changes it made itself");
  }
  // A clock far ahead would let this change beat every edit made meanwhile:
  // it takes the server's clock instead (keeping the device's node), so any
  // later edit wins over it, and nothing is stranded on the device.
  const bool clamped = hlc.wall_ms > now_ms() + options.max_clock_ahead.count();
  if (clamped) {
    const util::Hlc server = next_server_hlc();
    hlc.wall_ms = server.wall_ms;
    hlc.counter = server.counter;
  }
  const std::string hlc_text = clamped ? hlc.to_string() : change.hlc;

  const auto existing = load_stored(entity, change.entity_id);
  if (existing && existing->office != device.office) {
    return forbidden(change, util::cat("this record belongs to another office; this device acts "
                                       "for ",
                                       device.office, " only"));
  }
  // What the server writes itself makes the record differ from what the
  // device holds, so the device pulls it back.
  bool rewritten = prepared.office_filled;
  // Normalised by prepare(); taken, not copied: decide() runs under the lock,
  // and push() prepares again for another attempt.
  Record incoming = std::move(prepared.incoming);
  if (!prepared.errors.empty()) {
    return rejected(change, "validation_failed", "the record has invalid fields", prepared.errors);
  }

  // Members merged at central (member_merge.cpp): an edit of a merged-away
  // member goes to the kept one, records naming it are re-pointed, and only
  // central sets merged_into.
  if (auto* member = std::get_if<model::Member>(&incoming)) {
    if (const std::string keep = kept_member_of(member->id); !keep.empty()) {
      return apply_to_kept_member(change, *member, hlc_text, keep);
    }
    if (!member->merged_into.empty()) {
      member->merged_into.clear();
      rewritten = true;
    }
  }
  point_at_kept_member(incoming, rewritten);

  const auto member_elsewhere = [&](const std::string& member_id) {
    if (member_id.empty()) return false;
    const auto office = office_of(Entity::member, member_id);
    return office && *office != device.office;
  };
  if (const auto* event = std::get_if<model::TrainingEvent>(&incoming);
      event != nullptr && event->office != device.office) {
    return forbidden(change, util::cat("a device may create and change events of its own office (",
                                       device.office, ") only"));
  }
  if (const auto* attendance = std::get_if<model::Attendance>(&incoming);
      attendance != nullptr && member_elsewhere(attendance->member_id)) {
    return forbidden(change, "the member belongs to another office");
  }
  if (auto* request = std::get_if<model::ResourceRequest>(&incoming)) {
    if (request->office != device.office) {
      return forbidden(change, util::cat("a device may route requests to its own office (",
                                         device.office, ") only"));
    }
    if (member_elsewhere(request->member_id)) {
      return forbidden(change, "the member belongs to another office");
    }
    const auto* held =
        existing ? std::get_if<model::ResourceRequest>(&existing->held.record) : nullptr;
    if (auto refusal = screen_request_status(change, device, held, *request, rewritten)) {
      return std::move(*refusal);
    }
  }

  // Nothing rewritten means `incoming` is prepare()'s record, which is what
  // `fresh` was made from, at the change's own clock.
  const bool take_fresh = fresh && !existing && !clamped && !rewritten;
  MergeResult merged;
  std::string merged_json;
  std::optional<std::string> field_hlcs;
  if (take_fresh) {
    merged.held = std::move(fresh->held);
    merged_json = std::move(fresh->json);
    field_hlcs = std::move(fresh->field_hlcs);
  } else {
    merged = merge(existing ? &existing->held : nullptr, incoming, hlc_text, change.changed_fields);
    merged_json = protocol::encode_record(merged.held.record);
  }
  // A record new to central merges to the incoming one itself (merge.cpp),
  // so only an edit of a held record is compared, with the device's own copy
  // as it holds it once acknowledged: at the change's clock.
  const auto as_acknowledged = [&] {
    std::visit([&](auto& r) { r.hlc = merged.held.hlc; }, incoming);
    return protocol::encode_record(incoming);
  };
  const bool verbatim =
      !merged.lost && !rewritten && !clamped && (!existing || merged_json == as_acknowledged());
  const std::string office = existing ? existing->office : device.office;
  written_fields =
      existing ? written_field_names(existing->held.clocks, merged.held.clocks) : std::string("*");
  // The conflict's answer carries what the server holds.
  std::optional<Record> held_record;
  if (merged.lost && may_pull(device, entity, office)) held_record = merged.held.record;
  save_stored(std::move(merged.held), office, next_seq(), verbatim ? device.id : std::string(),
              std::move(merged_json), std::move(field_hlcs));

  ChangeResult result{.change_id = change.change_id};
  if (merged.lost) {
    result.outcome = Outcome::conflict;
    result.code = "conflict";
    result.message = clamped ? "the change's clock was ahead of the server's and was replaced; "
                               "newer values from elsewhere won on some fields"
                             : "a newer change from elsewhere won on some fields; server_record "
                               "is what the server holds";
    // After the checks above this is always the device's own office's
    // record; the check (may_pull, above) stays so that no change to them
    // can leak one.
    result.server_record = std::move(held_record);
  } else {
    result.outcome = Outcome::applied;
    if (clamped) {
      result.code = "clock_clamped";
      result.message = util::cat(
          "the change's clock was more than ", options.max_clock_ahead.count() / 1000,
          " seconds ahead of the server's; it was applied with the server's clock, and the "
          "device's clock should be corrected");
    }
  }
  return result;
}

protocol::PullResponse CentralStore::pull(const Device& device, std::int64_t cursor, int limit,
                                          const PullOptions& options) {
  return retrying("pull", [&] { return pull_once(device, cursor, limit, options); });
}

protocol::PullResponse CentralStore::pull_once(const Device& device, std::int64_t cursor, int limit,
                                               const PullOptions& options) {
  std::lock_guard lock(mutex_);
  protocol::PullResponse response;
  // One transaction: the rows and the sequence's high-water mark are one snapshot.
  sql::Transaction tx(db_, sql::TxKind::snapshot);
  note_contact(device, options.device_time_ms, options.queue_depth);
  if (options.new_code_prefix) {
    auto held = db_.query("SELECT count(*) FROM code_prefixes WHERE device_id = ?1");
    held.bind_all(device.id);
    held.step();
    if (held.int64(0) < kMaxCodePrefixesPerDevice) {
      response.code_prefix = allocate_code_prefix(device.id);
    } else {
      log::warn("central.code_prefixes_exhausted", {{"device", log::Id(device.id)}});
    }
  }
  std::int64_t last_seq = cursor;
  std::size_t bytes = 0;
  {
    auto q = db_.query(
        "SELECT entity, id, hlc, json, seq, field_hlcs FROM records WHERE seq > ?1 "
        "AND (?5 OR last_device <> ?2) "
        "AND (entity IN ('event', 'pack') OR (office = ?3 AND office <> '')) ORDER BY seq "
        "LIMIT ?4");
    q.bind_all(cursor, device.id, device.office, static_cast<std::int64_t>(limit) + 1,
               options.include_own);
    while (q.step()) {
      const std::string json = q.text(3);
      // What this change adds to the page, its envelope included.
      const std::size_t size = json.size() + q.text(1).size() + q.text(2).size() + 64;
      if (static_cast<int>(response.changes.size()) == limit ||
          (!response.changes.empty() && bytes + size > options.max_bytes)) {
        response.more = true;
        break;
      }
      const auto entity = protocol::entity_from(q.text(0));
      if (!entity) continue;
      auto record = protocol::decode_record(*entity, json);
      if (!record) throw store::StoreError(0, "a stored record cannot be read");
      bytes += size;
      last_seq = q.int64(4);
      protocol::PulledChange pulled{.seq = last_seq,
                                    .entity = *entity,
                                    .entity_id = q.text(1),
                                    .hlc = q.text(2),
                                    .record = std::move(*record)};
      if (device.relay) {
        // A hub merges field by field, as this server does (merge.hpp).
        for (const auto& [field, clock] : decode_clocks(*entity, q.text(5), q.text(2))) {
          pulled.field_hlcs.push_back(util::cat(field, '=', clock));
        }
        bytes += pulled.field_hlcs.size() * 48;
      }
      response.changes.push_back(std::move(pulled));
    }
  }
  if (!response.more) {
    auto q = db_.query("SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'change_seq'");
    if (q.step()) last_seq = std::max(last_seq, q.int64(0));
  }
  response.next_cursor = last_seq;
  response.central = read_lineage();
  if (!options.acked_change.empty()) {
    auto q = db_.query("SELECT 1 FROM applied_changes WHERE change_id = ?1");
    q.bind_all(options.acked_change);
    response.acked_held = q.step();
  }
  tx.commit();
  response.server_time_ms = now_ms();
  return response;
}

void CentralStore::write_server_record(const Record& record, const std::string& office) {
  const Entity entity = protocol::entity_of(record);
  const auto existing = load_stored(entity, record_id(record));
  const std::string hlc = next_server_hlc().to_string();
  MergeResult merged = merge(existing ? &existing->held : nullptr, record, hlc, {});
  save_stored(merged.held, existing ? existing->office : office, next_seq(), std::string());
}

void CentralStore::queue_for_relay(const protocol::Change& change) {
  db_.query(
         "INSERT INTO relay_queue (change_id, change_json) VALUES (?1, ?2) "
         "ON CONFLICT (change_id) DO NOTHING")
      .bind_all(change.change_id, protocol::encode(change))
      .run();
}

std::optional<UpstreamApply> CentralStore::apply_upstream_page(const protocol::PullResponse& page,
                                                               const std::string& office,
                                                               std::int64_t from_cursor) {
  return retrying("upstream_page", [&]() -> std::optional<UpstreamApply> {
    std::lock_guard lock(mutex_);
    UpstreamApply counts;
    sql::Transaction tx(db_, sql::TxKind::write);
    {
      auto q = db_.query("SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'relay_cursor'");
      const std::int64_t cursor = q.step() ? q.int64(0) : 0;
      if (cursor != from_cursor) return std::nullopt;
    }
    for (const auto& change : page.changes) {
      if (!merge_upstream_record(change, office, counts)) ++counts.refused;
    }
    db_.query(
           "INSERT INTO meta (key, value) VALUES ('relay_cursor', ?1) "
           "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(1, std::to_string(page.next_cursor))
        .run();
    tx.commit();
    return counts;
  });
}

bool CentralStore::merge_upstream_record(const protocol::PulledChange& change,
                                         const std::string& office, UpstreamApply& counts) {
  Record record = change.record;
  const Entity entity = protocol::entity_of(record);
  if (!valid_hlc(change.hlc) || record_id(record) != change.entity_id ||
      !validate(record).empty()) {
    return false;
  }
  // Each field's clock as upstream holds it; a field it sent none for is
  // left as the hub holds it.
  std::map<std::string, std::vector<std::string>, std::less<>> fields_by_clock;
  FieldClocks clocks;
  for (const auto& item : change.field_hlcs) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || !valid_hlc(std::string_view(item).substr(eq + 1))) {
      return false;
    }
    const std::string field = item.substr(0, eq);
    const std::string clock = item.substr(eq + 1);
    fields_by_clock[clock].push_back(field);
    clocks.set(field, clock);
  }
  std::string record_office = office;
  if (const auto* event = std::get_if<model::TrainingEvent>(&record)) record_office = event->office;
  if (entity == Entity::pack) record_office.clear();
  if (const auto* request = std::get_if<model::ResourceRequest>(&record);
      request != nullptr && request->office != office) {
    return false;
  }
  const auto existing = load_stored(entity, change.entity_id);
  if (existing && existing->office != record_office && entity != Entity::event) return false;

  HeldRecord merged;
  if (!existing) {
    merged = merge(nullptr, record, change.hlc, {}).held;
    for (const auto& [field, clock] : clocks) {
      if (merged.clocks.find(field)) merged.clocks.set(field, clock);
    }
  } else if (fields_by_clock.empty()) {
    merged = merge(&existing->held, record, change.hlc, {}).held;
  } else {
    merged = existing->held;
    for (const auto& [clock, fields] : fields_by_clock) {
      merged = merge(&merged, record, clock, fields).held;
    }
  }
  std::string json = protocol::encode_record(merged.record);
  if (existing && existing->held.clocks == merged.clocks &&
      json == protocol::encode_record(existing->held.record)) {
    ++counts.unchanged;
    return true;
  }
  // Written as the server's: every desk pulls it, none has it yet.
  save_stored(merged, existing ? existing->office : record_office, next_seq(), std::string(),
              std::move(json));
  ++counts.written;
  return true;
}

StoreResult<CatalogImport> CentralStore::import_catalog(std::vector<model::ResourcePack> packs,
                                                        std::vector<model::TrainingEvent> events) {
  for (std::size_t i = 0; i < packs.size(); ++i) {
    if (auto errors = model::normalize_and_validate(packs[i]); !errors.empty()) {
      return std::unexpected(StoreFailure{
          "validation_failed", util::format("pack {} ({}) has invalid fields", i, packs[i].id),
          std::move(errors)});
    }
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].id.empty()) events[i].id = util::new_uuid_v7();
    if (auto errors = model::normalize_and_validate(events[i]); !errors.empty()) {
      return std::unexpected(StoreFailure{
          "validation_failed", util::format("event {} ({}) has invalid fields", i, events[i].id),
          std::move(errors)});
    }
  }
  std::lock_guard lock(mutex_);
  sql::Transaction tx(db_);
  const std::string now = now_iso();
  for (auto& pack : packs) {
    pack.updated_at = now;
    write_server_record(pack, std::string());
  }
  for (auto& event : events) {
    event.updated_at = now;
    write_server_record(event, event.office);
  }
  tx.commit();
  return CatalogImport{.packs = static_cast<int>(packs.size()),
                       .events = static_cast<int>(events.size())};
}

StoreResult<model::ResourceRequest> CentralStore::set_request_status(const std::string& request_id,
                                                                     model::RequestStatus status,
                                                                     const std::string& actor) {
  auto decided = decide_request(request_id, status, actor);
  if (!decided) return std::unexpected(std::move(decided.error()));
  return std::move(decided->request);
}

StoreResult<RequestDecision> CentralStore::decide_request(const std::string& request_id,
                                                          model::RequestStatus status,
                                                          const std::string& actor) {
  std::lock_guard lock(mutex_);
  sql::Transaction tx(db_);
  const auto existing = load_stored(Entity::request, request_id);
  if (!existing) {
    return std::unexpected(StoreFailure{"not_found", "there is no request with this id"});
  }
  const auto& held = std::get<model::ResourceRequest>(existing->held.record);
  if (!model::can_transition(held.status, status)) {
    return std::unexpected(
        StoreFailure{"invalid_transition",
                     util::cat("a request cannot move from ", model::to_string(held.status), " to ",
                               model::to_string(status))});
  }
  std::vector<StockMove> moves;
  if (status == model::RequestStatus::dispatched) {
    auto taken = take_stock(existing->office, held, actor);
    if (!taken) return std::unexpected(std::move(taken.error()));  // rolls back
    moves = std::move(*taken);
  }
  model::ResourceRequest next = held;
  const std::string now = now_iso();
  next.status = status;
  next.transitions.push_back({.status = status, .actor = actor, .at = now});
  next.updated_at = now;
  const std::string hlc = next_server_hlc().to_string();
  MergeResult merged = merge(&existing->held, next, hlc, {"status", "transitions"});
  save_stored(merged.held, existing->office, next_seq(), std::string());
  tx.commit();
  return RequestDecision{.request = std::get<model::ResourceRequest>(merged.held.record),
                         .stock_moves = std::move(moves)};
}

void CentralStore::write_server_change(StoredRecord& stored, const Record& record,
                                       const std::vector<std::string>& changed_fields,
                                       std::string_view hlc) {
  const std::string clock = hlc.empty() ? next_server_hlc().to_string() : std::string(hlc);
  MergeResult merged = merge(&stored.held, record, clock, changed_fields);
  save_stored(merged.held, stored.office, next_seq(), std::string());
  stored.held = std::move(merged.held);
}

void CentralStore::send_again(const StoredRecord& stored) {
  save_stored(stored.held, stored.office, next_seq(), std::string());
}

std::vector<Record> CentralStore::list(Entity entity) {
  std::lock_guard lock(mutex_);
  std::vector<Record> out;
  auto q = db_.query("SELECT json FROM records WHERE entity = ?1 ORDER BY seq");
  q.bind(1, protocol::to_string(entity));
  while (q.step()) {
    auto record = protocol::decode_record(entity, q.text(0));
    if (record) out.push_back(std::move(*record));
  }
  return out;
}

std::vector<OfficeMember> CentralStore::list_members(const std::string& office) {
  std::lock_guard lock(mutex_);
  std::vector<OfficeMember> out;
  auto q = db_.query(
      "SELECT office, json FROM records WHERE entity = 'member' AND (?1 = '' OR office = ?1) "
      "ORDER BY seq");
  q.bind(1, office);
  while (q.step()) {
    auto record = protocol::decode_record(Entity::member, q.text(1));
    if (record) out.push_back({q.text(0), std::get<model::Member>(std::move(*record))});
  }
  return out;
}

std::vector<std::pair<std::string, Record>> CentralStore::list_with_offices(
    Entity entity, const std::string& office) {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, Record>> out;
  auto q = db_.query(
      "SELECT office, json FROM records WHERE entity = ?1 AND (?2 = '' OR office = ?2) "
      "ORDER BY seq");
  q.bind_all(protocol::to_string(entity), office);
  while (q.step()) {
    auto record = protocol::decode_record(entity, q.text(1));
    if (record) out.emplace_back(q.text(0), std::move(*record));
  }
  return out;
}

std::int64_t CentralStore::count_records(Entity entity) {
  std::lock_guard lock(mutex_);
  auto q = db_.query("SELECT COUNT(*) FROM records WHERE entity = ?1");
  q.bind(1, protocol::to_string(entity));
  q.step();
  return q.int64(0);
}

std::int64_t CentralStore::count_applied_changes() {
  std::lock_guard lock(mutex_);
  auto q = db_.query("SELECT COUNT(*) FROM applied_changes");
  q.step();
  return q.int64(0);
}

}  // namespace alliance::central
