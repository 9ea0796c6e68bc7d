// The table of field limits; docs/api/openapi.yaml repeats these numbers.
#include "common/model/limits.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <stdexcept>

#include "common/util/strings.hpp"

namespace alliance::model {
namespace {

using S = FieldShape;

// A field reported and keyed by its own name.
constexpr FieldLimit text(std::string_view message, std::string_view path, std::size_t length,
                          FieldShape shape) {
  return {message, path, path, path, length, 0, shape};
}

// A list of strings: each at most `length`, at most `items` of them.
constexpr FieldLimit strings(std::string_view message, std::string_view path, std::size_t length,
                             std::size_t items, FieldShape shape) {
  return {message, path, path, path, length, items, shape};
}

// A list of objects: at most `items` of them.
constexpr FieldLimit objects(std::string_view message, std::string_view path, std::size_t items) {
  return {message, path, path, path, 0, items, S::list};
}

// A field whose report or key differs from its path (nested, or in a list of objects).
constexpr FieldLimit nested(std::string_view message, std::string_view path, std::string_view field,
                            std::string_view key_field, std::size_t length, FieldShape shape) {
  return {message, path, field, key_field, length, 0, shape};
}

constexpr FieldLimit kLimits[] = {
    // Member
    text("member", "id", kMaxIdLength, S::id),
    text("member", "reference_code", kMaxReferenceCodeLength, S::reference_code),
    text("member", "given_name", kMaxNameLength, S::name),
    text("member", "family_name", kMaxNameLength, S::name),
    text("member", "gender", kMaxCodeLength, S::code),
    text("member", "contact_person", kMaxNameLength, S::name),
    text("member", "phone", kMaxPhoneLength, S::phone),
    text("member", "email", kMaxEmailLength, S::email),
    text("member", "country", kMaxCodeLength, S::code),
    text("member", "region", kMaxTextLength, S::text),
    text("member", "organisation", kMaxTextLength, S::text),
    text("member", "organisation_type", kMaxCodeLength, S::code),
    text("member", "role", kMaxCodeLength, S::code),
    text("member", "qualification", kMaxCodeLength, S::code),
    strings("member", "interest_groups", kMaxCodeLength, 16, S::code),
    text("member", "preferred_language", kMaxCodeLength, S::code),
    // The form shows consent as one field.
    nested("member", "consent.text_version", "consent", "consent", kMaxCodeLength, S::text),
    nested("member", "consent.given_at", "consent.given_at", "consent", kMaxTimestampLength,
           S::timestamp),
    text("member", "event_id", kMaxIdLength, S::id),
    text("member", "created_at", kMaxTimestampLength, S::timestamp),
    text("member", "updated_at", kMaxTimestampLength, S::timestamp),
    text("member", "hlc", kMaxHlcLength, S::hlc),
    text("member", "void_reason", kMaxTextLength, S::text),
    text("member", "merged_into", kMaxIdLength, S::id),

    // TrainingEvent
    text("event", "id", kMaxIdLength, S::id),
    text("event", "name", kMaxTextLength, S::text),
    text("event", "place", kMaxTextLength, S::text),
    text("event", "country", kMaxCodeLength, S::code),
    text("event", "start_date", kMaxDateLength, S::date),
    text("event", "end_date", kMaxDateLength, S::date),
    text("event", "organiser", kMaxTextLength, S::text),
    text("event", "office", kMaxOfficeLength, S::text),
    text("event", "hlc", kMaxHlcLength, S::hlc),
    text("event", "updated_at", kMaxTimestampLength, S::timestamp),

    // Attendance
    text("attendance", "id", kMaxIdLength, S::id),
    text("attendance", "member_id", kMaxIdLength, S::id),
    text("attendance", "event_id", kMaxIdLength, S::id),
    text("attendance", "day", kMaxDateLength, S::date),
    text("attendance", "checked_in_at", kMaxTimestampLength, S::timestamp),
    text("attendance", "hlc", kMaxHlcLength, S::hlc),

    // ResourcePack
    text("pack", "id", kMaxPackIdLength, S::id),
    text("pack", "title", kMaxTextLength, S::text),
    strings("pack", "languages", 8, 64, S::code),
    objects("pack", "stock", 200),
    nested("pack", "stock[].office", "stock[].office", "stock", kMaxOfficeLength, S::text),
    text("pack", "hlc", kMaxHlcLength, S::hlc),
    text("pack", "updated_at", kMaxTimestampLength, S::timestamp),

    // ResourceRequest
    text("request", "id", kMaxIdLength, S::id),
    text("request", "reference_code", kMaxReferenceCodeLength, S::reference_code),
    text("request", "member_id", kMaxIdLength, S::id),
    text("request", "organisation_name", kMaxTextLength, S::text),
    text("request", "contact_name", kMaxNameLength, S::text),
    text("request", "contact_phone", kMaxPhoneLength, S::phone),
    text("request", "contact_email", kMaxEmailLength, S::email),
    objects("request", "lines", 50),
    nested("request", "lines[].pack_id", "lines[].pack_id", "pack_id", kMaxPackIdLength, S::id),
    text("request", "delivery_address", kMaxAddressLength, S::text),
    text("request", "office", kMaxOfficeLength, S::text),
    text("request", "event_id", kMaxIdLength, S::id),
    objects("request", "transitions", 32),
    nested("request", "transitions[].actor", "transitions[].actor", "transitions", kMaxActorLength,
           S::text),
    nested("request", "transitions[].at", "transitions[].at", "transitions", kMaxTimestampLength,
           S::timestamp),
    text("request", "received_by", kMaxNameLength, S::text),
    text("request", "created_at", kMaxTimestampLength, S::timestamp),
    text("request", "updated_at", kMaxTimestampLength, S::timestamp),
    text("request", "hlc", kMaxHlcLength, S::hlc),

    // Wire messages: checked by the codec when reading.
    text("change", "change_id", kMaxUuidLength, S::id),
    text("change", "entity_id", kMaxIdLength, S::id),
    text("change", "hlc", kMaxHlcLength, S::hlc),
    strings("change", "changed_fields", kMaxCodeLength, 64, S::code),
    text("enroll_request", "code", kMaxCodeLength, S::code),
    text("enroll_request", "device_name", kMaxDeviceNameLength, S::text),
    text("enroll_request", "app_version", kMaxCodeLength, S::code),
    text("enroll_request", "hlc_node", kMaxHlcNodeLength, S::id),
    text("enroll_request", "signing_key", kMaxSigningKeyLength, S::code),
    text("enroll_response", "device_id", kMaxIdLength, S::id),
    text("enroll_response", "token", 256, S::code),
    text("enroll_response", "office", kMaxOfficeLength, S::text),
    text("enroll_response", "code_prefix", kMaxCodePrefixLength, S::code),
    text("enroll_response", "signing_key", kMaxSigningKeyLength, S::code),
    text("pull_response", "code_prefix", kMaxCodePrefixLength, S::code),
    text("pull_response", "database_id", kMaxIdLength, S::id),
    text("pull_response", "signing_key", kMaxSigningKeyLength, S::code),
    text("push_response", "database_id", kMaxIdLength, S::id),
    text("push_response", "signing_key", kMaxSigningKeyLength, S::code),
    text("health", "status", kMaxCodeLength, S::code),
    text("health", "server_version", kMaxCodeLength, S::code),
    text("result", "change_id", kMaxUuidLength, S::id),
    text("result", "code", kMaxCodeLength, S::code),
    text("result", "message", kMaxMessageLength, S::text),
    objects("result", "errors", 256),
    nested("result", "errors[].field", "errors[].field", "errors", 128, S::code),
    nested("result", "errors[].key", "errors[].key", "errors", 128, S::code),
    text("pulled_change", "entity_id", kMaxIdLength, S::id),
    text("pulled_change", "hlc", kMaxHlcLength, S::hlc),
    // "field=hlc" for each field, to relays only: a field name, '=', an HLC.
    strings("pulled_change", "field_hlcs", kMaxCodeLength + 1 + kMaxHlcLength, 64, S::code),
    text("error", "code", kMaxCodeLength, S::code),
    text("error", "message", kMaxMessageLength, S::text),
    objects("error", "errors", 256),
    nested("error", "errors[].field", "errors[].field", "errors", 128, S::code),
    nested("error", "errors[].key", "errors[].key", "errors", 128, S::code),
};

}  // namespace

std::span<const FieldLimit> field_limits() {
  return kLimits;
}

std::span<const FieldLimit> field_limits(std::string_view message) {
  // Each message's entries are contiguous in the table.
  const auto first = std::find_if(std::begin(kLimits), std::end(kLimits),
                                  [&](const FieldLimit& l) { return l.message == message; });
  const auto last = std::find_if(first, std::end(kLimits),
                                 [&](const FieldLimit& l) { return l.message != message; });
  return {first, last};
}

namespace {

// Limits are asked for every field of every record validated or decoded:
// walking the table was 2-3% of central's ingest CPU (issue 15), and
// std::unordered_map's out-of-line hashing still 2%. So: FNV-1a inline, and an
// open-addressed table of pointers into kLimits four times its size.
std::uint64_t limit_hash(std::string_view message, std::string_view path) {
  std::uint64_t hash = 14695981039346656037ull;
  const auto mix = [&](std::string_view text) {
    for (const char c : text) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ull;
    }
  };
  mix(message);
  hash ^= 0xff;  // no byte of either text: "ab"+"c" and "a"+"bc" differ
  hash *= 1099511628211ull;
  mix(path);
  return hash;
}

const FieldLimit* indexed_limit(std::string_view message, std::string_view path) {
  constexpr std::size_t kSlots = std::bit_ceil(std::size(kLimits) * 4);
  static const std::array<const FieldLimit*, kSlots> slots = [] {
    std::array<const FieldLimit*, kSlots> built{};
    for (const FieldLimit& l : kLimits) {
      std::size_t at = limit_hash(l.message, l.path) & (kSlots - 1);
      while (built[at] != nullptr &&
             !(built[at]->message == l.message && built[at]->path == l.path)) {
        at = (at + 1) & (kSlots - 1);
      }
      if (built[at] == nullptr) built[at] = &l;  // the first of a repeated key wins
    }
    return built;
  }();
  for (std::size_t at = limit_hash(message, path) & (kSlots - 1);; at = (at + 1) & (kSlots - 1)) {
    const FieldLimit* limit = slots[at];
    if (limit == nullptr) return nullptr;
    if (limit->path == path && limit->message == message) return limit;
  }
}

}  // namespace

std::optional<FieldLimit> find_limit(std::string_view message, std::string_view path) {
  if (const FieldLimit* limit = indexed_limit(message, path)) return *limit;
  return std::nullopt;
}

const FieldLimit& limit_of(std::string_view message, std::string_view path) {
  if (const FieldLimit* limit = indexed_limit(message, path)) return *limit;
  throw std::logic_error(util::cat("no field limit for ", message, ".", path));
}

std::string reported_field(const FieldLimit& limit, std::size_t index) {
  std::string out(limit.field);
  if (const auto brackets = out.find("[]"); brackets != std::string::npos) {
    out.replace(brackets, 2, util::cat("[", index, "]"));
  }
  return out;
}

std::string limit_key(const FieldLimit& limit, std::string_view problem) {
  return util::cat(limit.message, ".", limit.key_field, ".", problem);
}

}  // namespace alliance::model
