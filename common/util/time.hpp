// Wall-clock helpers: ISO-8601 UTC timestamps and local calendar dates.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace alliance::util {

using SystemTime = std::chrono::system_clock::time_point;

// Milliseconds since the Unix epoch.
std::int64_t to_unix_ms(SystemTime t);
// "2026-11-28T21:30:05.123Z"
std::string iso8601_utc(SystemTime t);
std::string iso8601_utc_from_ms(std::int64_t unix_ms);
// "2026-11-28": the local calendar date at the desk, which is the attendance day.
std::string local_date(SystemTime t);

}  // namespace alliance::util
