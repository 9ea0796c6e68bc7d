// UUIDv7 ids (RFC 9562): time-ordered, made on the device, unique without coordination.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace alliance::util {

// A new UUIDv7 in canonical lower-case form. Within one process ids are
// strictly increasing, even for many ids in the same millisecond (a 12-bit
// counter in rand_a, reseeded each millisecond) and when the wall clock steps
// back (the last timestamp is reused until the clock catches up).
// Thread-safe.
std::string new_uuid_v7();

// The same, for a given Unix time in ms (tests and benchmarks).
std::string new_uuid_v7_at(std::int64_t unix_ms);

// Canonical 8-4-4-4-12 lower-case hex with version 7 and the RFC variant.
bool is_uuid_v7(std::string_view s);
// Any UUID in canonical lower-case 8-4-4-4-12 form, of any version.
bool is_uuid(std::string_view s);

// The 48-bit Unix-ms timestamp a UUIDv7 carries; -1 if s is not a UUID.
std::int64_t uuid_v7_unix_ms(std::string_view s);

}  // namespace alliance::util
