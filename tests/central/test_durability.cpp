// Durability: the real alliance-central binary is SIGKILLed after acknowledging
// pushes; after a restart everything acknowledged is still there.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "../support/free_port.hpp"
#include "central_process.hpp"
#include "server_fixture.hpp"

using namespace alliance;

#ifndef ALLIANCE_CENTRAL_BINARY
#error "ALLIANCE_CENTRAL_BINARY must name the alliance-central executable"
#endif

TEST_CASE("everything acknowledged survives a SIGKILL of the server") {
  test::TempDir dir;
  const std::string db = test::central_db_spec(dir / "central.db");
  std::string code_a;
  std::string code_b;
  {
    auto store = central::CentralStore::open(db);
    code_a = store->create_enrolment_code("Nairobi", std::chrono::hours(1));
    code_b = store->create_enrolment_code("Nairobi", std::chrono::hours(1));
  }
  const int port = test::free_port();
  std::set<std::string> acknowledged;
  protocol::EnrollResponse a;
  protocol::EnrollResponse b;
  {
    test::CentralProcess child(db, port);
    REQUIRE(child.wait_ready());
    httplib::Client client("127.0.0.1", port);
    for (auto* pair : {&a, &b}) {
      auto res = client.Post(
          "/v1/devices/enroll",
          protocol::encode(protocol::EnrollRequest{.code = pair == &a ? code_a : code_b}),
          "application/json");
      REQUIRE(res);
      REQUIRE(res->status == 200);
      *pair = *protocol::decode_enroll_response(res->body);
    }
    for (int batch = 0; batch < 10; ++batch) {
      std::vector<protocol::Change> changes;
      for (int i = 0; i < 20; ++i) {
        changes.push_back(
            test::change_of(test::member_with_id(batch * 20 + i), test::hlc_at(1000 + batch, "a")));
      }
      const auto response = test::push(client, a.token, changes);
      REQUIRE(response.results.size() == changes.size());
      for (std::size_t i = 0; i < changes.size(); ++i) {
        if (response.results[i].outcome == protocol::Outcome::applied) {
          acknowledged.insert(changes[i].entity_id);
        }
      }
    }
    child.kill_now();
  }
  REQUIRE(acknowledged.size() == 200);

  test::CentralProcess restarted(db, port);
  REQUIRE(restarted.wait_ready());
  httplib::Client client("127.0.0.1", port);
  std::set<std::string> pulled;
  std::int64_t cursor = 0;
  for (int page = 0; page < 50; ++page) {
    const auto response = test::pull(client, b.token, cursor, 50);
    for (const auto& c : response.changes) pulled.insert(c.entity_id);
    cursor = response.next_cursor;
    if (!response.more) break;
  }
  CHECK(pulled == acknowledged);
  CHECK(restarted.terminate() == 0);
}
