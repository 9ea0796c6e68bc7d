// JSON encoding and decoding of the API v1 wire types (cereal underneath).
//
// Decoding never throws and never crashes on hostile input: text is checked
// for size, UTF-8 validity and nesting depth before it reaches the parser, and
// every parser or type error comes back as a DecodeError value.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

#include "common/protocol/wire.hpp"

namespace alliance::protocol {

struct DecodeError {
  // Stable codes: "malformed_json", "invalid_utf8", "too_deep", "too_large",
  // "wrong_type", "missing_field", "invalid_value", "unsupported_schema".
  std::string code;
  std::string message;  // names the field, never echoes the value
};

template <class T>
using Decoded = std::expected<T, DecodeError>;

inline constexpr std::size_t kMaxJsonDepth = 32;
inline constexpr std::size_t kMaxJsonBytes = 16 * 1024 * 1024;

// Checks that text is valid UTF-8, at most kMaxJsonBytes, and nested at most
// max_depth deep, without parsing it (so it cannot exhaust the stack).
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

}  // namespace alliance::protocol
