// JSON encoding and decoding of the API v1 wire types (cereal underneath).
//
// Decoding never throws and never crashes on hostile input: text is checked
// for size, UTF-8 validity, syntax, nesting depth, duplicate keys and NUL
// characters before it reaches the parser; fields that exist only on the wire
// are held to their limits (model/limits.hpp) as they are read, and every
// parser or type error comes back as a DecodeError value. Record fields are
// bounded by record validation instead, so one bad record rejects one change.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

#include "common/protocol/wire.hpp"

namespace alliance::protocol {

struct DecodeError {
  // Stable codes: "malformed_json", "invalid_utf8", "too_deep", "too_large",
  // "duplicate_key", "nul_character", "too_long", "too_many", "wrong_type",
  // "missing_field", "invalid_value", "unsupported_schema".
  std::string code;
  std::string message;  // names the field, never echoes the value
};

template <class T>
using Decoded = std::expected<T, DecodeError>;

inline constexpr std::size_t kMaxJsonDepth = 32;
inline constexpr std::size_t kMaxJsonBytes = 16 * 1024 * 1024;

// Checks that text is at most kMaxJsonBytes, valid UTF-8, well-formed JSON
// nested at most max_depth deep, with no key twice in one object and no
// U+0000 in any key or string, with one non-recursive SAX pass (so it cannot
// exhaust the stack). The message names the path of the offending value.
std::optional<DecodeError> check_json_text(std::string_view text,
                                           std::size_t max_depth = kMaxJsonDepth);

std::string_view to_string(Entity v);
std::string_view to_string(Operation v);
std::string_view to_string(Outcome v);
std::optional<Entity> entity_from(std::string_view s);
std::optional<Operation> operation_from(std::string_view s);
std::optional<Outcome> outcome_from(std::string_view s);
Entity entity_of(const Record& record);

std::string encode(const Change& v);
std::string encode(const ChangeResult& v);
std::string encode(const HealthResponse& v);
std::string encode(const EnrollRequest& v);
std::string encode(const EnrollResponse& v);
std::string encode(const PushRequest& v);
std::string encode(const PushResponse& v);
std::string encode(const PullResponse& v);
std::string encode(const ErrorBody& v);
std::string encode_record(const Record& v);  // a bare record object, e.g. for exports

// `text` as a JSON string literal, quotes included, for small documents put
// together by hand (admin listings).
std::string json_string(std::string_view text);

// A push body made from changes already encoded (as the outbox stores them),
// without decoding and re-encoding each one.
std::string encode_push_request_from_encoded(const std::vector<std::string_view>& changes);

Decoded<Change> decode_change(std::string_view json);
Decoded<HealthResponse> decode_health_response(std::string_view json);
Decoded<EnrollRequest> decode_enroll_request(std::string_view json);
Decoded<EnrollResponse> decode_enroll_response(std::string_view json);
Decoded<PushRequest> decode_push_request(std::string_view json);
Decoded<PushResponse> decode_push_response(std::string_view json);
Decoded<PullResponse> decode_pull_response(std::string_view json);
Decoded<ErrorBody> decode_error_body(std::string_view json);
Decoded<Record> decode_record(Entity entity, std::string_view json);

// The value of kCentralHeader: "<database_id> <restore_epoch> <server_seq>".
// Reading refuses anything else (an id of 1 to 64 letters, digits and '-',
// two non-negative integers).
std::string encode_lineage_header(const CentralLineage& lineage);
std::optional<CentralLineage> decode_lineage_header(std::string_view value);

}  // namespace alliance::protocol
