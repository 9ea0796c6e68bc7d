// CPU seconds (user plus system) as getrusage counts them, for the
// benchmarks' figures.
#pragma once

#include <sys/resource.h>

namespace alliance::bench {

// `who`: RUSAGE_SELF (this process, all its threads) or RUSAGE_CHILDREN
// (children waited for so far).
inline double cpu_seconds(int who = RUSAGE_SELF) {
  rusage usage{};
  getrusage(who, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// User plus system CPU seconds of this process so far.
inline double own_cpu_seconds() {
  return cpu_seconds(RUSAGE_SELF);
}

}  // namespace alliance::bench
