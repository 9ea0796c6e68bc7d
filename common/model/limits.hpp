// The size limit of every field of every record and API v1 message, in one table.
//
// Record validation (kiosk forms, the CSV import, the server), the codec (for
// fields that exist only on the wire) and the tests all read their limits
// here; docs/api/openapi.yaml states the same numbers as maxLength/maxItems,
// and a contract test compares the two. Lengths count Unicode code points
// (what a person counts), not bytes; JSON size is bounded separately.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace alliance::model {

// What a field holds, so a test can make a well-formed value of any length.
enum class FieldShape {
  text,            // free text
  name,            // a person's name: letters, spaces, hyphens, apostrophes
  email,           // an e-mail address
  phone,           // a phone number as typed (E.164 once normalised)
  code,            // a code-list key or short machine code
  id,              // a record id: letters, digits, '-', '_', '.', ':'
  date,            // YYYY-MM-DD
  timestamp,       // ISO-8601 UTC
  hlc,             // a hybrid logical clock value (util/hlc.hpp)
  reference_code,  // XXXXX-XXXXX (or the legacy XXXX-XXXX)
  list,            // a list of objects: only max_items applies
};

struct FieldLimit {
  // "member", "event", "attendance", "pack", "request" for records; for wire
  // messages "change", "enroll_request", "enroll_response", "health",
  // "result", "error", "pulled_change", "pull_response".
  std::string_view message;
  // The field's path in the JSON object: "given_name", "consent.given_at",
  // "lines[].pack_id" (every element of a list of objects), "interest_groups".
  std::string_view path;
  // The field validation reports ("[]" becomes "[i]") and the middle part of
  // its error key "<message>.<key_field>.<problem>".
  std::string_view field;
  std::string_view key_field;
  std::size_t max_length;  // code points of the string, or of each string of a list; 0: none
  std::size_t max_items;   // items of a list; 0: not a list
  FieldShape shape;
};

// Lengths shared by several fields.
inline constexpr std::size_t kMaxNameLength = 100;     // a person's name
inline constexpr std::size_t kMaxTextLength = 200;     // names of things, organisations, places
inline constexpr std::size_t kMaxAddressLength = 500;  // a postal address
inline constexpr std::size_t kMaxEmailLength = 254;    // RFC 5321 path limit
inline constexpr std::size_t kMaxPhoneLength = 32;     // as typed, with spaces and brackets
inline constexpr std::size_t kMaxCodeLength = 64;      // code-list keys, machine codes
inline constexpr std::size_t kMaxIdLength = 64;        // record ids (UUIDs are 36)
inline constexpr std::size_t kMaxUuidLength = 36;
inline constexpr std::size_t kMaxPackIdLength = 40;
inline constexpr std::size_t kMaxOfficeLength = 100;
inline constexpr std::size_t kMaxCodePrefixLength = 8;  // three symbols today; room to grow
// An Ed25519 public key in base64 (32 bytes, 44 characters): USB bundles.
inline constexpr std::size_t kMaxSigningKeyLength = 44;
// YYYY-MM-DD is 10; room for a date and time typed by mistake, which is
// then "invalid" (write the date as YYYY-MM-DD) rather than "too long".
inline constexpr std::size_t kMaxDateLength = 32;
inline constexpr std::size_t kMaxTimestampLength = 40;  // 2026-03-01T09:15:00.000Z is 24
inline constexpr std::size_t kMaxReferenceCodeLength = 16;
// An HLC node: the device store's id (a UUID), or [A-Za-z0-9_-]{1,64}.
inline constexpr std::size_t kMaxHlcNodeLength = 64;
// "<18 digits>-<4 hex>-<node>".
inline constexpr std::size_t kMaxHlcLength = 24 + kMaxHlcNodeLength;
inline constexpr std::size_t kMaxMessageLength = 500;  // a server message for a person
inline constexpr std::size_t kMaxActorLength = 200;    // "device:<id> (<device name>)"
inline constexpr std::size_t kMaxDeviceNameLength = 100;

// Every limit, records first, then wire messages.
std::span<const FieldLimit> field_limits();
// The limits of one record or message, in table order.
std::span<const FieldLimit> field_limits(std::string_view message);
std::optional<FieldLimit> find_limit(std::string_view message, std::string_view path);
// The limit of a field the program knows exists; a missing one is a
// programming error and throws std::logic_error (every path is tested).
const FieldLimit& limit_of(std::string_view message, std::string_view path);

// The field as reported: "lines[].pack_id" with index 2 is "lines[2].pack_id".
std::string reported_field(const FieldLimit& limit, std::size_t index = 0);
// "<message>.<key_field>.<problem>", e.g. "member.given_name.too_long".
std::string limit_key(const FieldLimit& limit, std::string_view problem);

}  // namespace alliance::model
