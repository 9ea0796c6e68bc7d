// API v1 wire types: what alliance-sync and alliance-central exchange as JSON.
//
// docs/api/openapi.yaml is the contract these types implement. Records on the
// wire are the model structs themselves; encode/decode (codec.hpp) writes
// named fields only, omits empty strings, empty lists and absent optionals, and
// ignores unknown fields when reading, so either side can add fields later.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/model/event.hpp"
#include "common/model/member.hpp"
#include "common/model/resource.hpp"
#include "common/model/validation.hpp"

namespace alliance::protocol {

inline constexpr int kApiVersion = 1;
// Version of the JSON payload layout; every message carries it as "schema".
// A reader accepts its own version and refuses newer ones with a clear error.
inline constexpr int kSchemaVersion = 1;

enum class Entity { member, event, attendance, pack, request };
// "void" is a keyword-free spelling on the wire; the enum uses void_record.
enum class Operation { create, update, void_record, transition };

using Record = std::variant<model::Member, model::TrainingEvent, model::Attendance,
                            model::ResourcePack, model::ResourceRequest>;

// One change made on a device: the unit of the outbox, of push, and of
// idempotency (change_id is applied at most once, forever).
struct Change {
  int schema = kSchemaVersion;
  std::string change_id;  // UUIDv7
  Entity entity = Entity::member;
  std::string entity_id;
  Operation op = Operation::create;
  std::string hlc;  // see util/hlc.hpp; orders changes for last-writer-wins
  // Field names this change sets; empty for create (all fields). Lets the
  // server merge field by field instead of overwriting whole records.
  std::vector<std::string> changed_fields;
  Record record;  // the record as the device holds it after the change
};

enum class Outcome { applied, duplicate, conflict, rejected };

// Refusal codes whose cause can go away while the change stays as it is (a
// server that judged the device's clock ahead, a size limit, a busy server):
// the agent holds such a change and sends it again later. Every other
// refusal (validation_failed, forbidden, ...) waits for staff to resend or
// discard it (sync/README.md, "Rejected, held and quarantined changes").
inline bool refusal_may_clear(std::string_view code) {
  return code == "clock_ahead" || code == "too_large" || code == "rate_limited" ||
         code == "unavailable";
}

struct ChangeResult {
  std::string change_id;
  Outcome outcome = Outcome::applied;
  std::string code;     // machine code for rejected/conflict, e.g. "validation_failed"
  std::string message;  // for a person, no personal data
  std::vector<model::FieldError> errors;  // field errors when rejected for validation
  std::optional<Record> server_record;    // what the server now holds, on conflict
};

struct HealthResponse {
  int schema = kSchemaVersion;
  std::string status = "ok";
  int api_version = kApiVersion;
  std::string server_version;
};

struct EnrollRequest {
  int schema = kSchemaVersion;
  std::string code;         // one-time enrolment code
  std::string device_name;  // free text chosen by staff, e.g. "Desk 2"
  std::string app_version;
  // The node id in the HLC values of this device's changes (util/hlc.hpp);
  // the server binds it to the device so no device can write with another's.
  std::string hlc_node;
  // The device's Ed25519 public key (base64, 44 characters) with which it
  // signs USB bundles (common/bundle); "" from an agent older than bundles.
  std::string signing_key;
};

struct EnrollResponse {
  int schema = kSchemaVersion;
  std::string device_id;
  std::string token;  // bearer token; the server keeps only its hash
  std::string office;
  // Reference codes this device mints begin with it (util/reference_code);
  // "" from a central that hands none out.
  std::string code_prefix;
  // Central's Ed25519 public key (base64), with which it signs the answers
  // to USB bundles; "" from a central older than bundles.
  std::string signing_key;
};

struct PushRequest {
  int schema = kSchemaVersion;
  std::vector<Change> changes;
};

// Which central database answered and how far its change sequence has come.
// The agent remembers it and notices from it that central went back in time
// (restored from a backup), then sends again what central may no longer hold
// (sync/README.md, "Central restored from a backup"). database_id empty: a
// central that sends none (older than this field); the agent checks nothing.
struct CentralLineage {
  std::string database_id;         // made with the database; its backups keep it
  std::int64_t restore_epoch = 0;  // backups put in place with alliance-central restore
  std::int64_t server_seq = 0;     // the highest change sequence value handed out; never falls
  // Central's Ed25519 public key for USB bundle answers (as EnrollResponse
  // gives it), so devices enrolled before bundles learn it on their next
  // push or pull; "" from a central older than bundles.
  std::string signing_key;
};

struct PushResponse {
  int schema = kSchemaVersion;
  std::vector<ChangeResult> results;  // one per change, same order
  std::int64_t server_time_ms = 0;    // the server's wall clock (Unix ms); 0: not sent
  CentralLineage central;
};

// A change as the server's sequence delivers it to pull.
struct PulledChange {
  std::int64_t seq = 0;  // server's monotonic change sequence
  Entity entity = Entity::member;
  std::string entity_id;
  std::string hlc;
  Record record;  // the server's merged record after this change
  // Each field's clock, "field=hlc" (central/merge.hpp FieldClocks): sent
  // only to a relay (a venue hub), which merges the record field by field
  // into its own store; empty for every other device.
  std::vector<std::string> field_hlcs;
};

struct PullResponse {
  int schema = kSchemaVersion;
  std::vector<PulledChange> changes;
  std::int64_t next_cursor = 0;     // pass back as ?cursor= to continue
  bool more = false;                // true if changes remain after next_cursor
  std::int64_t server_time_ms = 0;  // the server's wall clock (Unix ms); 0: not sent
  // A new reference-code prefix for the device, only when the pull asked for
  // one (code_prefix=new: enrolled before prefixes, or restored from a backup).
  std::string code_prefix;
  CentralLineage central;
  // Whether central holds the change id the pull named (acked=CHANGE_ID: the
  // newest change it acknowledged to this device); absent when none was named.
  std::optional<bool> acked_held;
};

// Request header in which the agent sends its own wall clock (Unix ms) with
// every push and pull, so the server can record each device's clock offset.
inline constexpr std::string_view kDeviceTimeHeader = "X-Alliance-Device-Time";

// Request header in which the agent sends, with every push and pull, its
// queue depth: how many of its changes wait to be acknowledged (outbox rows
// still pending, held ones included, the ones this push carries too) as the
// request leaves. Central records the last one per device.
inline constexpr std::string_view kQueueDepthHeader = "X-Alliance-Queue-Depth";

// Response header of a held pull (API v1 wait=) that ended with nothing new
// for the device: the answer is 204 with no body, and this header carries
// central's lineage, "<database_id> <restore_epoch> <server_seq>", which the
// device checks as it checks every page's (codec.hpp encodes and reads it).
inline constexpr std::string_view kCentralHeader = "X-Alliance-Central";

// Every non-2xx answer: a stable machine code and a message a person can act on.
struct ErrorBody {
  std::string code;  // e.g. "malformed_json", "unauthorized", "too_large"
  std::string message;
  std::vector<model::FieldError> errors;
};

}  // namespace alliance::protocol
