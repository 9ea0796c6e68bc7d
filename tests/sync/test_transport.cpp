// The libcurl transport and API client against a real server and the fault proxy.
#include <doctest/doctest.h>

#include <thread>

#include "common/store/store.hpp"
#include "fault_proxy.hpp"
#include "harness.hpp"
#include "sync/agent.hpp"
#include "sync/api_client.hpp"
#include "sync/transport/http_client.hpp"

namespace alliance::sync {

using test::Fault;
using test::FaultPlan;
using test::FaultProxy;
using test::TestServer;

namespace {

HttpOptions quick_options() {
  HttpOptions o;
  o.user_agent = user_agent();
  o.connect_timeout_ms = 2000;
  o.low_speed_time_s = 2;
  o.low_speed_limit = 1;
  return o;
}

}  // namespace

TEST_CASE("a gzip push is applied and one connection serves many requests") {
  test::keep_traffic_local();
  TestServer server;
  FaultProxy proxy(server.port(), FaultPlan{});
  const auto enrolled = server.enroll();
  ApiClient client(proxy.url() + "/", quick_options());
  client.set_token(enrolled.token);

  std::vector<protocol::Change> changes;
  for (int i = 0; i < 50; ++i) {
    changes.push_back(test::change_of(test::member_with_id(i), test::hlc_at(1000 + i)));
  }
  auto pushed = client.push(test::push_body(changes), 0);
  REQUIRE(pushed.has_value());
  REQUIRE(pushed->results.size() == 50);
  CHECK(pushed->results[0].outcome == protocol::Outcome::applied);
  CHECK(client.stats().body_bytes_sent * 3 < client.stats().body_bytes_raw);

  // Another device sees them (a device is not sent its own changes back).
  const auto other = server.enroll();
  ApiClient reader(proxy.url(), quick_options());
  reader.set_token(other.token);
  const int before = proxy.connections();
  for (int i = 0; i < 20; ++i) {
    auto page = reader.pull(0, 10, {}, 0);
    REQUIRE(page.has_value());
    CHECK(page->changes.size() == 10);
  }
  // One handle keeps its connection; cpp-httplib closes one after 5 requests.
  CHECK(proxy.connections() - before <= 4);
  CHECK(reader.stats().requests == 20);
}

TEST_CASE("network failures and HTTP errors come back as classified values") {
  test::keep_traffic_local();
  TestServer server;
  FaultProxy proxy(server.port(), FaultPlan{});

  // Nothing listens on the proxy's old port once it is gone.
  int dead_port = 0;
  {
    FaultProxy gone(server.port(), FaultPlan{});
    dead_port = gone.port();
  }
  ApiClient nowhere("http://127.0.0.1:" + std::to_string(dead_port), quick_options());
  auto refused = nowhere.pull(0, 10, {}, 0);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().kind == FailureKind::transient);
  CHECK(refused.error().code == "connect");

  ApiClient bad_token(proxy.url(), quick_options());
  bad_token.set_token("afk1_not_a_token");
  auto unauthorized = bad_token.pull(0, 10, {}, 0);
  REQUIRE_FALSE(unauthorized.has_value());
  CHECK(unauthorized.error().kind == FailureKind::unauthorized);
  CHECK(unauthorized.error().http_status == 401);

  proxy.force({Fault::http_429, Fault::http_503, Fault::http_500});
  for (const int status : {429, 503, 500}) {
    ApiClient c(proxy.url(), quick_options());
    auto r = c.pull(0, 10, {}, 0);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == FailureKind::transient);
    CHECK(r.error().http_status == status);
    if (status != 500) {
      REQUIRE(r.error().retry_after.has_value());
      CHECK(r.error().retry_after->count() == 1000);
    }
  }
}

TEST_CASE("a stalled transfer is abandoned by the low-speed limit") {
  test::keep_traffic_local();
  TestServer server;
  FaultProxy proxy(server.port(), FaultPlan{});
  proxy.force({Fault::black_hole});
  ApiClient client(proxy.url(), quick_options());
  const auto start = std::chrono::steady_clock::now();
  auto r = client.pull(0, 10, {}, 0);
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == FailureKind::transient);
  CHECK(r.error().code == "timeout");
  CHECK(took < std::chrono::seconds(6));
}

TEST_CASE("raising the stop flag abandons a request in flight") {
  test::keep_traffic_local();
  TestServer server;
  FaultProxy proxy(server.port(), FaultPlan{});
  proxy.force({Fault::black_hole});
  std::atomic<bool> stop{false};
  auto options = quick_options();
  options.low_speed_time_s = 60;
  options.stop = &stop;
  HttpClient http(options);
  std::thread raiser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
  });
  const auto start = std::chrono::steady_clock::now();
  auto r = http.get(proxy.url() + "/v1/health", {});
  const auto took = std::chrono::steady_clock::now() - start;
  raiser.join();
  REQUIRE(r.error.has_value());
  CHECK(r.error->code == "aborted");
  CHECK(took < std::chrono::milliseconds(1800));
}

}  // namespace alliance::sync
