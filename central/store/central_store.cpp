// The central store: enrolment, authentication, push with idempotency and merge, pull.
#include "central/store/central_store.hpp"

#include <algorithm>
#include <utility>

#include "central/crypto.hpp"
#include "central/merge.hpp"
#include "central/store/embedded_migrations.hpp"
#include "common/model/codes.hpp"
#include "common/model/validation.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"
#include "common/util/uuid.hpp"

namespace alliance::central {
namespace {

using protocol::ChangeResult;
using protocol::Entity;
using protocol::Outcome;
using protocol::Record;

constexpr std::size_t kMaxHlcLength = 128;
constexpr std::string_view kServerNode = "central";

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
  if (hlc.size() > kMaxHlcLength || !util::parse_hlc(hlc)) return false;
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

struct HeldRow {
  HeldRecord held;
  std::string office;
};

std::optional<HeldRow> load(store::Database& db, Entity entity, const std::string& id) {
  auto q =
      db.query("SELECT json, field_hlcs, hlc, office FROM records WHERE entity = ?1 AND id = ?2");
  q.bind_all(protocol::to_string(entity), id);
  if (!q.step()) return std::nullopt;
  auto record = protocol::decode_record(entity, q.text(0));
  if (!record) {
    throw store::StoreError(0, util::cat("a stored ", protocol::to_string(entity),
                                         " record cannot be read: ", record.error().message));
  }
  return HeldRow{
      .held = {.record = std::move(*record), .clocks = decode_clocks(q.text(1)), .hlc = q.text(2)},
      .office = q.text(3)};
}

void save(store::Database& db, const HeldRecord& held, const std::string& office, std::int64_t seq,
          const std::string& last_device) {
  db.query(
        "INSERT INTO records (entity, id, office, json, field_hlcs, hlc, seq, last_device) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (entity, id) DO UPDATE SET "
        "office = excluded.office, json = excluded.json, field_hlcs = excluded.field_hlcs, "
        "hlc = excluded.hlc, seq = excluded.seq, last_device = excluded.last_device")
      .bind_all(protocol::to_string(protocol::entity_of(held.record)), record_id(held.record),
                office, protocol::encode_record(held.record), encode_clocks(held.clocks), held.hlc,
                seq, last_device)
      .run();
}

// The office a new record belongs to; pull sends a device its own office's records.
std::string office_for(const Record& record, const std::string& device_office) {
  if (const auto* request = std::get_if<model::ResourceRequest>(&record)) {
    if (!request->office.empty()) return request->office;
  }
  if (const auto* event = std::get_if<model::TrainingEvent>(&record)) return event->office;
  return device_office;
}

std::optional<ChangeResult> decode_stored_result(const std::string& json) {
  auto decoded =
      protocol::decode_push_response(util::cat("{\"schema\":1,\"results\":[", json, "]}"));
  if (!decoded || decoded->results.size() != 1) return std::nullopt;
  return std::move(decoded->results.front());
}

}  // namespace

const store::Schema& central_schema() {
  static const store::Schema schema =
      store::make_schema("central database", kCentralApplicationId, store::central_migrations());
  return schema;
}

std::unique_ptr<CentralStore> CentralStore::open(const std::filesystem::path& path,
                                                 int busy_timeout_ms) {
  auto db = store::Database::open(path, store::OpenOptions{.busy_timeout_ms = busy_timeout_ms});
  store::migrate(db, central_schema());
  return std::unique_ptr<CentralStore>(new CentralStore(std::move(db)));
}

CentralStore::CentralStore(store::Database db) : db_(std::move(db)) {}

std::string CentralStore::create_enrolment_code(const std::string& office,
                                                std::chrono::seconds ttl) {
  std::lock_guard lock(mutex_);
  const std::string code = random_enrolment_code();
  store::Transaction tx(db_);
  db_.query(
         "INSERT INTO enrolment_codes (code_hash, office, created_at, expires_at_ms) "
         "VALUES (?1, ?2, ?3, ?4)")
      .bind_all(sha256_hex(normalize_enrolment_code(code)), office, now_iso(),
                now_ms() + static_cast<std::int64_t>(ttl.count()) * 1000)
      .run();
  tx.commit();
  return code;
}

StoreResult<protocol::EnrollResponse> CentralStore::enroll(const protocol::EnrollRequest& request) {
  std::lock_guard lock(mutex_);
  const std::string code_hash = sha256_hex(normalize_enrolment_code(request.code));
  store::Transaction tx(db_);
  std::string office;
  {
    auto q = db_.query(
        "SELECT office, expires_at_ms, used_at IS NOT NULL FROM enrolment_codes "
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
  }
  protocol::EnrollResponse response{
      .device_id = util::new_uuid_v7(), .token = "afk_" + random_hex(32), .office = office};
  const std::string now = now_iso();
  db_.query(
         "INSERT INTO devices (id, token_hash, name, office, app_version, enrolled_at) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind_all(response.device_id, sha256_hex(response.token), request.device_name, office,
                request.app_version, now)
      .run();
  db_.query("UPDATE enrolment_codes SET used_at = ?1, device_id = ?2 WHERE code_hash = ?3")
      .bind_all(now, response.device_id, code_hash)
      .run();
  tx.commit();
  return response;
}

StoreResult<Device> CentralStore::authenticate(std::string_view token) {
  std::lock_guard lock(mutex_);
  auto q = db_.query(
      "SELECT id, name, office, revoked_at IS NOT NULL FROM devices "
      "WHERE token_hash = ?1");
  q.bind(1, sha256_hex(token));
  if (!q.step()) {
    return std::unexpected(StoreFailure{"unauthorized", "the bearer token is not valid"});
  }
  Device device{
      .id = q.text(0), .name = q.text(1), .office = q.text(2), .revoked = q.int64(3) != 0};
  if (device.revoked) {
    return std::unexpected(
        StoreFailure{"device_revoked", "this device has been revoked; enrol it again"});
  }
  return device;
}

bool CentralStore::revoke_device(const std::string& device_id) {
  std::lock_guard lock(mutex_);
  store::Transaction tx(db_);
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

std::int64_t CentralStore::next_seq() {
  auto q = db_.query(
      "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'change_seq' "
      "RETURNING CAST(value AS INTEGER)");
  if (!q.step()) throw store::StoreError(0, "the central database has no change sequence");
  return q.int64(0);
}

util::Hlc CentralStore::next_server_hlc() {
  std::optional<util::Hlc> last;
  {
    auto q = db_.query("SELECT value FROM meta WHERE key = 'hlc'");
    if (q.step()) last = util::parse_hlc(q.text(0));
  }
  util::HybridClock clock(std::string(kServerNode), last);
  const util::Hlc hlc = clock.now();
  db_.query("UPDATE meta SET value = ?1 WHERE key = 'hlc'").bind(1, hlc.to_string()).run();
  return hlc;
}

protocol::PushResponse CentralStore::push(const Device& device,
                                          const std::vector<protocol::Change>& changes) {
  std::lock_guard lock(mutex_);
  protocol::PushResponse response;
  response.results.reserve(changes.size());
  store::Transaction tx(db_);
  for (const auto& change : changes) {
    response.results.push_back(apply(device, change, sha256_hex(protocol::encode(change))));
  }
  tx.commit();
  return response;
}

ChangeResult CentralStore::apply(const Device& device, const protocol::Change& change,
                                 const std::string& payload_hash) {
  if (!util::is_uuid(change.change_id)) {
    return rejected(change, "invalid_change", "change_id must be a UUID");
  }
  {
    auto q =
        db_.query("SELECT payload_hash, result_json FROM applied_changes WHERE change_id = ?1");
    q.bind(1, change.change_id);
    if (q.step()) {
      if (q.text(0) != payload_hash) {
        return rejected(change, "change_id_reused",
                        "this change id was already used for a different change");
      }
      auto stored = decode_stored_result(q.text(1));
      if (!stored) throw store::StoreError(0, "a stored change result cannot be read");
      if (stored->outcome != Outcome::rejected) stored->outcome = Outcome::duplicate;
      return std::move(*stored);
    }
  }

  const Entity entity = protocol::entity_of(change.record);
  ChangeResult result;
  Record incoming = change.record;
  if (change.entity_id.empty() || change.entity_id != record_id(incoming)) {
    result = rejected(change, "invalid_change", "entity_id must equal the record's id");
  } else if (entity == Entity::pack) {
    result = rejected(change, "read_only_entity", "the catalogue is changed on the server only");
  } else if (!valid_hlc(change.hlc)) {
    result = rejected(change, "invalid_hlc", "hlc is not a valid hybrid logical clock value");
  } else if (util::parse_hlc(change.hlc)->wall_ms >
             now_ms() + util::HybridClock::kMaxForwardDriftMs) {
    // A device whose clock is far ahead would otherwise win every field forever.
    result = rejected(change, "clock_ahead",
                      "the change's clock is more than a day ahead of the server's; fix the "
                      "device's date and time");
  } else if (auto errors = validate(incoming); !errors.empty()) {
    result =
        rejected(change, "validation_failed", "the record has invalid fields", std::move(errors));
  } else {
    const auto existing = load(db_, entity, change.entity_id);
    MergeResult merged =
        merge(existing ? &existing->held : nullptr, incoming, change.hlc, change.changed_fields);
    // The device's own copy carries the change's clock once acknowledged.
    std::visit([&](auto& r) { r.hlc = merged.held.hlc; }, incoming);
    const bool verbatim = !merged.lost && protocol::encode_record(merged.held.record) ==
                                              protocol::encode_record(incoming);
    save(db_, merged.held, existing ? existing->office : office_for(incoming, device.office),
         next_seq(), verbatim ? device.id : std::string());
    result.change_id = change.change_id;
    if (merged.lost) {
      result.outcome = Outcome::conflict;
      result.code = "conflict";
      result.message =
          "a newer change from elsewhere won on some fields; server_record is what the server "
          "holds";
      result.server_record = std::move(merged.held.record);
    } else {
      result.outcome = Outcome::applied;
    }
  }
  db_.query(
         "INSERT INTO applied_changes (change_id, payload_hash, device_id, entity, entity_id, "
         "outcome, result_json, applied_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      .bind_all(change.change_id, payload_hash, device.id, protocol::to_string(entity),
                change.entity_id, protocol::to_string(result.outcome), protocol::encode(result),
                now_iso())
      .run();
  return result;
}

protocol::PullResponse CentralStore::pull(const Device& device, std::int64_t cursor, int limit) {
  std::lock_guard lock(mutex_);
  protocol::PullResponse response;
  // One transaction: the rows and the sequence's high-water mark are one snapshot.
  store::Transaction tx(db_);
  std::int64_t last_seq = cursor;
  {
    auto q = db_.query(
        "SELECT entity, id, hlc, json, seq FROM records WHERE seq > ?1 AND last_device <> ?2 "
        "AND (entity IN ('event', 'pack') OR office = ?3) ORDER BY seq LIMIT ?4");
    q.bind_all(cursor, device.id, device.office, static_cast<std::int64_t>(limit) + 1);
    while (q.step()) {
      if (static_cast<int>(response.changes.size()) == limit) {
        response.more = true;
        break;
      }
      const auto entity = protocol::entity_from(q.text(0));
      if (!entity) continue;
      auto record = protocol::decode_record(*entity, q.text(3));
      if (!record) throw store::StoreError(0, "a stored record cannot be read");
      last_seq = q.int64(4);
      response.changes.push_back(protocol::PulledChange{.seq = last_seq,
                                                        .entity = *entity,
                                                        .entity_id = q.text(1),
                                                        .hlc = q.text(2),
                                                        .record = std::move(*record)});
    }
  }
  if (!response.more) {
    auto q = db_.query("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'change_seq'");
    if (q.step()) last_seq = std::max(last_seq, q.int64(0));
  }
  response.next_cursor = last_seq;
  tx.commit();
  return response;
}

void CentralStore::write_server_record(const Record& record, const std::string& office) {
  const Entity entity = protocol::entity_of(record);
  const auto existing = load(db_, entity, record_id(record));
  const std::string hlc = next_server_hlc().to_string();
  MergeResult merged = merge(existing ? &existing->held : nullptr, record, hlc, {});
  save(db_, merged.held, existing ? existing->office : office, next_seq(), std::string());
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
  store::Transaction tx(db_);
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
  std::lock_guard lock(mutex_);
  store::Transaction tx(db_);
  const auto existing = load(db_, Entity::request, request_id);
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
  model::ResourceRequest next = held;
  const std::string now = now_iso();
  next.status = status;
  next.transitions.push_back({.status = status, .actor = actor, .at = now});
  next.updated_at = now;
  const std::string hlc = next_server_hlc().to_string();
  MergeResult merged = merge(&existing->held, next, hlc, {"status", "transitions"});
  save(db_, merged.held, existing->office, next_seq(), std::string());
  tx.commit();
  return std::get<model::ResourceRequest>(merged.held.record);
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
