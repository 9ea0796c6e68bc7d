// The shared attempt windows (central/store/rate_limits.hpp) on two separate
// connections to one database, as two central processes would hold them.
#include <doctest/doctest.h>

#include "../support/temp_dir.hpp"
#include "../support/test_database.hpp"
#include "central/store/central_store.hpp"
#include "central/store/rate_limits.hpp"

using namespace alliance;
using namespace std::chrono_literals;

TEST_CASE("attempts counted on one connection are seen by another: one limit for every process") {
  test::TempDir dir;
  const std::string spec = test::central_db_spec(dir / "central.db");
  central::CentralStore::open(spec);  // the schema
  auto first = central::sql::Connection::open(spec);
  auto second = central::sql::Connection::open(spec);
  constexpr std::int64_t t0 = 1'800'000'000'000;

  // Three attempts allowed per minute, taken alternately on both connections.
  CHECK_FALSE(central::count_shared_attempt(first, "login.account", "alice", 3, 60s, t0));
  CHECK_FALSE(central::count_shared_attempt(second, "login.account", "alice", 3, 60s, t0 + 1000));
  CHECK_FALSE(central::count_shared_attempt(first, "login.account", "alice", 3, 60s, t0 + 2000));
  const auto refused = central::count_shared_attempt(second, "login.account", "alice", 3, 60s,
                                                     t0 + 10'000);
  REQUIRE(refused.has_value());
  CHECK(*refused == 50);  // the first attempt leaves the window at t0 + 60 s
  // A refused attempt is not counted, so the wait does not grow.
  CHECK(central::count_shared_attempt(first, "login.account", "alice", 3, 60s, t0 + 20'000) ==
        40);

  // Other keys and other scopes have their own windows.
  CHECK_FALSE(central::count_shared_attempt(first, "login.account", "bob", 3, 60s, t0 + 20'000));
  CHECK_FALSE(central::count_shared_attempt(first, "login.address", "alice", 3, 60s, t0 + 20'000));

  // Once the first attempt is older than the window, one more is allowed.
  CHECK_FALSE(central::count_shared_attempt(second, "login.account", "alice", 3, 60s, t0 + 60'001));
  CHECK(central::count_shared_attempt(first, "login.account", "alice", 3, 60s, t0 + 60'002));

  // Keys are stored hashed, and expired attempts of a scope are deleted.
  auto names = first.query("SELECT COUNT(*) FROM rate_attempts WHERE key_hash = 'alice'");
  REQUIRE(names.step());
  CHECK(names.int64(0) == 0);
  CHECK_FALSE(central::count_shared_attempt(first, "login.account", "carol", 3, 60s, t0 + 600'000));
  auto left = first.query("SELECT COUNT(*) FROM rate_attempts WHERE scope = 'login.account'");
  REQUIRE(left.step());
  CHECK(left.int64(0) == 1);  // only carol's, inside the window
}
