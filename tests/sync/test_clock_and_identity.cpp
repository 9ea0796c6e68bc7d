// What the agent says about itself: its HLC node at enrolment, its wall clock
// with every push and pull, and the clock offset it measures and shows.
#include <doctest/doctest.h>

#include <cstdlib>

#include "common/util/hlc.hpp"
#include "harness.hpp"
#include "local_central.hpp"
#include "local_server.hpp"
#include "sync/agent.hpp"

namespace alliance::sync {

using test::LocalAnswer;
using test::LocalRequest;
using test::LocalServer;

namespace {

constexpr std::int64_t kTenMinutesMs = 10 * 60'000;

}  // namespace

TEST_CASE("enrolment sends the node id of the device's own clock values") {
  test::keep_traffic_local();
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  LocalServer server(test::central_ahead_by(0));
  test::enroll_locally(server, db, dir.path());

  const auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  auto enrol = protocol::decode_enroll_request(requests[0].body);
  REQUIRE(enrol.has_value());
  auto store = store::Store::open(db);
  CHECK_FALSE(enrol->hlc_node.empty());
  CHECK(enrol->hlc_node == store.device_id());

  // The node the kiosk writes into its changes' clocks is that same id.
  test::register_members(store, 1);
  const auto batch = store.next_batch(10, 1 << 20);
  REQUIRE(batch.size() == 1);
  auto change = protocol::decode_change(batch[0].payload);
  REQUIRE(change.has_value());
  auto hlc = util::parse_hlc(change->hlc);
  REQUIRE(hlc.has_value());
  CHECK(hlc->node == enrol->hlc_node);
}

TEST_CASE("push and pull carry the device clock, and status shows the measured offset") {
  test::keep_traffic_local();
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  LocalServer server(test::central_ahead_by(kTenMinutesMs));
  test::enroll_locally(server, db, dir.path());

  // Before any answer said what time it is, nothing is shown.
  auto before_json = test::run_process(test::sync_args("status", db, {"--json"}), dir.path());
  CHECK(before_json.out.find("\"clock_offset_ms\":null") != std::string::npos);
  auto before_text = test::run_process(test::sync_args("status", db), dir.path());
  CHECK(before_text.out.find("clock:") == std::string::npos);

  {
    auto store = store::Store::open(db);
    test::register_members(store, 3);
  }
  const std::int64_t started = test::wall_now_ms();
  auto once = test::run_process(test::sync_args("once", db), dir.path(), std::chrono::seconds(60));
  const std::int64_t finished = test::wall_now_ms();
  REQUIRE_MESSAGE(once.exit_code == 0, once.err);

  int timed = 0;
  for (const auto& r : server.requests()) {
    if (r.path != "/v1/sync/push" && r.path != "/v1/sync/pull") continue;
    INFO(r.path);
    const auto sent = r.header("x-alliance-device-time");
    REQUIRE(sent.has_value());
    const std::int64_t device_ms = std::strtoll(sent->c_str(), nullptr, 10);
    CHECK(device_ms >= started - 1000);
    CHECK(device_ms <= finished + 1000);
    ++timed;
  }
  CHECK(timed >= 2);  // at least one push and one pull

  auto json = test::run_process(test::sync_args("status", db, {"--json"}), dir.path());
  REQUIRE(json.exit_code == 0);
  const auto at = json.out.find("\"clock_offset_ms\":");
  REQUIRE(at != std::string::npos);
  const std::int64_t offset = std::strtoll(json.out.c_str() + at + 18, nullptr, 10);
  CHECK(offset > kTenMinutesMs - 5000);
  CHECK(offset < kTenMinutesMs + 5000);
  CHECK(json.out.find("\"clock\":\"device clock 10 min behind the server\"") != std::string::npos);

  auto text = test::run_process(test::sync_args("status", db), dir.path());
  CHECK(text.out.find("clock:         device clock 10 min behind the server\n") !=
        std::string::npos);
}

TEST_CASE("a server that sends no clock leaves the offset unknown") {
  test::keep_traffic_local();
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  LocalServer server([](const LocalRequest& r, LocalAnswer& a) {
    if (r.path == "/v1/devices/enroll") {
      a.send(test::enroll_answer());
    } else {
      a.send(test::json_answer(200, protocol::encode(test::pull_page({}, 0, 500))));
    }
  });
  test::enroll_locally(server, db, dir.path());
  auto once = test::run_process(test::sync_args("once", db), dir.path(), std::chrono::seconds(60));
  REQUIRE_MESSAGE(once.exit_code == 0, once.err);
  auto json = test::run_process(test::sync_args("status", db, {"--json"}), dir.path());
  CHECK(json.out.find("\"clock_offset_ms\":null,\"clock\":null") != std::string::npos);
}

TEST_CASE("clock offsets read as a person would say them") {
  CHECK(describe_clock_offset(0) == "device clock in step with the server");
  CHECK(describe_clock_offset(-999) == "device clock in step with the server");
  CHECK(describe_clock_offset(4'000) == "device clock 4 s behind the server");
  CHECK(describe_clock_offset(-4'400) == "device clock 4 s ahead of the server");
  CHECK(describe_clock_offset(3 * 60'000 + 10'000) == "device clock 3 min behind the server");
  CHECK(describe_clock_offset(-5 * 3'600'000) == "device clock 5 h ahead of the server");
  CHECK(describe_clock_offset(3 * 86'400'000LL) == "device clock 3 days behind the server");
}

}  // namespace alliance::sync
