// Wall-clock helpers.
#include "common/util/time.hpp"

#include <cstdio>
#include <ctime>

namespace alliance::util {

std::int64_t to_unix_ms(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string iso8601_utc_from_ms(std::int64_t unix_ms) {
  // Floor division, so times before 1970 still format correctly.
  std::int64_t seconds = unix_ms / 1000;
  std::int64_t ms = unix_ms % 1000;
  if (ms < 0) {
    ms += 1000;
    seconds -= 1;
  }
  const auto tt = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&tt, &utc);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms));
  return buf;
}

std::string iso8601_utc(SystemTime t) {
  return iso8601_utc_from_ms(to_unix_ms(t));
}

std::string local_date(SystemTime t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm local{};
  localtime_r(&tt, &local);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", local.tm_year + 1900, local.tm_mon + 1,
                local.tm_mday);
  return buf;
}

}  // namespace alliance::util
