// The shared attempt windows (rate_limits.hpp) on SQLite and PostgreSQL.
#include "central/store/rate_limits.hpp"

#include <algorithm>

#include "central/crypto.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {

std::optional<int> count_shared_attempt(sql::Connection& db, std::string_view scope,
                                        std::string_view key, int max_attempts,
                                        std::chrono::seconds window, std::int64_t now_ms) {
  const std::int64_t window_ms = std::chrono::milliseconds(window).count();
  const std::int64_t oldest_kept = now_ms - window_ms;
  const std::string key_hash = sha256_hex(util::cat(scope, "\n", key));
  // The write transaction serialises counters of every process (PostgreSQL:
  // the writers' advisory lock; SQLite: BEGIN IMMEDIATE), so two processes
  // cannot both take the last attempt.
  sql::Transaction tx(db);
  db.query("DELETE FROM rate_attempts WHERE scope = ?1 AND at_ms <= ?2")
      .bind_all(scope, oldest_kept)
      .run();
  auto counted = db.query(
      "SELECT COUNT(*), COALESCE(MIN(at_ms), 0) FROM rate_attempts "
      "WHERE scope = ?1 AND key_hash = ?2");
  counted.bind_all(scope, key_hash);
  counted.step();
  const std::int64_t attempts = counted.int64(0);
  const std::int64_t first_at = counted.int64(1);
  if (attempts >= max_attempts) {
    tx.commit();  // keeps the deletions
    const std::int64_t wait_ms = first_at + window_ms - now_ms;
    return static_cast<int>(std::max<std::int64_t>(1, (wait_ms + 999) / 1000));
  }
  db.query("INSERT INTO rate_attempts (scope, key_hash, at_ms) VALUES (?1, ?2, ?3)")
      .bind_all(scope, key_hash, now_ms)
      .run();
  tx.commit();
  return std::nullopt;
}

}  // namespace alliance::central
