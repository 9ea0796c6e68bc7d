// What central learns of a device's queue: the agent sends its queue depth
// (X-Alliance-Queue-Depth) with every push and pull, and central's device row
// and the office console's devices page show the last one. The real
// alliance-sync binary against a real central on 127.0.0.1.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "central/console_client.hpp"
#include "common/util/time.hpp"
#include "harness.hpp"
#include "local_central.hpp"
#include "local_server.hpp"

namespace alliance::sync {
namespace {

using test::LocalAnswer;
using test::LocalRequest;
using test::LocalServer;

// The value of the request's queue-depth header, or -1 without one.
std::int64_t depth_sent(const LocalRequest& r) {
  const auto value = r.header("x-alliance-queue-depth");
  return value ? std::strtoll(value->c_str(), nullptr, 10) : -1;
}

central::DeviceListing device_row(central::CentralStore& central) {
  const auto devices = central.list_devices();
  if (devices.size() != 1) throw std::runtime_error("expected one enrolled device");
  return devices.front();
}

std::string iso_now() {
  return util::iso8601_utc_from_ms(test::wall_now_ms());
}

}  // namespace

TEST_CASE("every push and pull carries the changes waiting as the request leaves") {
  test::keep_traffic_local();
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  LocalServer server(test::central_ahead_by(0));
  test::enroll_locally(server, db, dir.path());
  {
    auto store = store::Store::open(db);
    test::register_members(store, 25);
  }
  auto once = test::run_process(test::sync_args("once", db, {"--batch-changes", "10"}), dir.path(),
                                std::chrono::seconds(60));
  REQUIRE_MESSAGE(once.exit_code == 0, once.err);

  std::vector<std::int64_t> pushes;
  std::vector<std::int64_t> pulls;
  for (const auto& r : server.requests()) {
    if (r.path == "/v1/sync/push") {
      const auto batch = protocol::decode_push_request(r.body);
      REQUIRE(batch.has_value());
      const std::int64_t depth = depth_sent(r);
      // The queue counts the changes this push carries, never more than there were.
      CHECK(depth >= static_cast<std::int64_t>(batch->changes.size()));
      CHECK(depth <= 25);
      pushes.push_back(depth);
    } else if (r.path == "/v1/sync/pull") {
      pulls.push_back(depth_sent(r));
    }
  }
  // Three in flight, staggered (3, 6, 10), then the last 6 after the first answer.
  REQUIRE(pushes.size() == 4);
  CHECK(*std::max_element(pushes.begin(), pushes.end()) == 25);
  // A batch sent after others were acknowledged counts fewer.
  CHECK(*std::min_element(pushes.begin(), pushes.end()) < 25);
  REQUIRE_FALSE(pulls.empty());
  CHECK(pulls.back() == 0);  // pulled after everything was acknowledged
}

TEST_CASE("central's device row and devices page show the queue depth the agent reported") {
  test::keep_traffic_local();
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  const std::string central_db = test::central_db_spec(dir / "central.db");
  constexpr int kHeld = 4;
  std::size_t limit = 0;
  {
    // Three ordinary registrations and four too large for a strict central:
    // those stay on the kiosk, held, after the others are acknowledged.
    auto store = store::Store::open(db);
    std::size_t normal = 0;
    for (const auto& id : test::register_members(store, 3)) {
      normal = std::max(normal, store.changes_for(id)[0].payload.size());
    }
    std::size_t smallest_large = SIZE_MAX;
    for (int i = 0; i < kHeld; ++i) {
      auto big = test::sample_member(50 + i);
      big.organisation = std::string(200, 'o');
      big.region = std::string(200, 'r');
      big.contact_person = std::string(100, 'c');
      auto saved = store.register_member(big, test::kenya_context());
      REQUIRE(saved.has_value());
      smallest_large =
          std::min(smallest_large, store.changes_for(saved->member.id)[0].payload.size());
    }
    // Room for any one ordinary change, not for a large one.
    limit = (normal + smallest_large) / 2 + 32;
    REQUIRE(smallest_large > limit);
  }
  std::string reported_at;
  {
    central::ServerOptions strict;
    strict.limits.max_body_bytes = limit;
    test::TestServer server(central_db, strict);
    test::enroll_with_binary(server, db, test::local_url(server), dir.path());
    CHECK_FALSE(device_row(server.store()).queue_depth.has_value());  // nothing reported yet

    const std::string before = iso_now();
    auto once = test::run_process(test::sync_args("once", db, {"--retry-held-after", "60"}),
                                  dir.path(), std::chrono::seconds(60));
    const std::string after = iso_now();
    CHECK(once.exit_code == 1);  // changes are held
    CHECK(once.err.find(util::cat(kHeld, " changes are held")) != std::string::npos);
    CHECK(test::central_member_ids(server.store()).size() == 3);

    // The kiosk's own count, and the one central recorded from the last pull.
    auto status = test::run_process(test::sync_args("status", db, {"--json"}), dir.path());
    CHECK(status.out.find(util::cat("\"queue_depth\":", kHeld, ",")) != std::string::npos);
    const auto row = device_row(server.store());
    CHECK(row.queue_depth == kHeld);
    CHECK(row.queue_depth_at >= before);
    CHECK(row.queue_depth_at <= after);
    reported_at = row.queue_depth_at.substr(0, 16);

    // The office's manager sees it on the devices page.
    console_test::add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
    console_test::Browser manager(server);
    REQUIRE(manager.login("alice")->status == 303);
    const auto page = manager.get("/console/devices");
    REQUIRE(page);
    CHECK(page->status == 200);
    const auto at = page->body.find("<tr id=\"d-" + row.id + "\">");
    REQUIRE(at != std::string::npos);
    const std::string tr = page->body.substr(at, page->body.find("</tr>", at) - at);
    CHECK(
        console_test::contains(tr, util::cat("<td>", kHeld, " waiting (", reported_at, ")</td>")));
  }
  // The limit raised (a restart on another port here): the held changes go,
  // and the next report says nothing waits.
  test::TestServer server(central_db, central::ServerOptions{});
  {
    auto store = store::Store::open(db);
    test::point_at(store, server);
    auto resent = store.rejected_changes();
    REQUIRE(resent.size() == static_cast<std::size_t>(kHeld));
    for (const auto& change : resent) REQUIRE(store.resend(change.change_id));
  }
  auto once = test::run_process(test::sync_args("once", db), dir.path(), std::chrono::seconds(60));
  CHECK_MESSAGE(once.exit_code == 0, once.err);
  CHECK(test::central_member_ids(server.store()).size() == 3 + kHeld);
  const auto row = device_row(server.store());
  CHECK(row.queue_depth == 0);
  CHECK(row.queue_depth_at.substr(0, 16) >= reported_at);
}

}  // namespace alliance::sync
