// Attempt windows every central process on one database shares (sign-in and
// enrolment limits), so N processes behind a load balancer allow what one
// would. One row per counted attempt inside the window; keys are stored
// hashed (they are addresses and typed names).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "central/store/sql_connection.hpp"

namespace alliance::central {

// Counts an attempt of `key` in `scope` at `now_ms` (Unix ms, shared by
// every process) inside one write transaction of `db`: nullopt when it is
// within max_attempts per window, else the seconds to wait (the attempt is
// then not counted). Expired attempts of the scope are deleted on the way,
// so the table holds at most the attempts inside one window. Throws
// store::StoreError.
std::optional<int> count_shared_attempt(sql::Connection& db, std::string_view scope,
                                        std::string_view key, int max_attempts,
                                        std::chrono::seconds window, std::int64_t now_ms);

}  // namespace alliance::central
