// Pushes sent ahead: the agent sends the next batch before the previous
// answer comes (on a second connection), and every guarantee still holds:
// each change applied once, acknowledged only from its own answer, and two
// changes of one record never in flight together.
#include <doctest/doctest.h>

#include "central/console/accounts.hpp"
#include "fault_proxy.hpp"
#include "harness.hpp"
#include "sync/agent.hpp"

namespace alliance::test {
namespace {

sync::AgentOptions small_batches(bool pipelined) {
  sync::AgentOptions o;
  o.http.connect_timeout_ms = 2000;
  o.backoff = {.base = std::chrono::milliseconds(50), .cap = std::chrono::milliseconds(500)};
  o.seed = 1;
  o.batch_max_changes = 100;
  o.pipeline_pushes = pipelined;
  return o;
}

// A queued change of a new member, as the outbox holds it.
store::OutboxEntry entry(std::int64_t seq) {
  store::OutboxEntry e;
  e.seq = seq;
  e.entity = "member";
  e.op = "upsert";
  const auto change = change_of(member_with_id(static_cast<int>(seq)), hlc_at(1000 + seq, "n1"));
  e.change_id = change.change_id;
  e.entity_id = change.entity_id;
  e.payload = protocol::encode(change);
  return e;
}

struct Enrolled {
  TestServer server;
  FaultProxy proxy{server.port(), FaultPlan{}};
  TempDir dir;
  store::Store kiosk = store::Store::open(dir / "kiosk.db");

  Enrolled() {
    const auto enrolled = server.enroll();
    store::save_credentials(kiosk, {.server_url = proxy.url(),
                                    .device_id = enrolled.device_id,
                                    .token = enrolled.token,
                                    .office = enrolled.office});
  }
};

}  // namespace

TEST_CASE("a batch is sent ahead only when no record of it is still in flight") {
  const auto a = entry(1);
  const auto b = entry(2);
  const auto c = entry(3);
  CHECK(sync::may_send_ahead({a, b}, {c}));
  auto same_record = c;
  same_record.entity_id = b.entity_id;  // a later change of b's record
  CHECK_FALSE(sync::may_send_ahead({a, b}, {c, same_record}));
  auto damaged = c;
  damaged.payload = "{not a change";
  CHECK_FALSE(sync::may_send_ahead({a, b}, {damaged}));
}

TEST_CASE("pushes go two batches at a time, and each change is applied and acknowledged once") {
  keep_traffic_local();
  for (const bool pipelined : {true, false}) {
    CAPTURE(pipelined);
    Enrolled e;
    register_members(e.kiosk, 1000);
    sync::Agent agent(e.kiosk, small_batches(pipelined));
    const auto result = agent.attempt();
    REQUIRE(result.report.ok());
    CHECK(result.report.applied == 1000);
    CHECK(result.report.batches == 10);
    CHECK(e.kiosk.queue_counts().pending == 0);
    CHECK(e.kiosk.queue_counts().acked == 1000);
    CHECK(e.server.store().count_applied_changes() == 1000);
    CHECK(e.server.store().count_records(protocol::Entity::member) == 1000);
    // The batch sent ahead travels on a second connection.
    CHECK(e.proxy.connections() == (pipelined ? 2 : 1));
  }
}

TEST_CASE("a lost answer while two batches are in flight leaves the unanswered changes pending") {
  keep_traffic_local();
  Enrolled e;
  register_members(e.kiosk, 200);
  // Two batches of 100 go out at once on two connections; one of the two
  // answers is lost after central committed it. Which one depends on which
  // connection the proxy accepts first: if it is the first batch's, the
  // second's answer goes unused too (changes are acknowledged in order).
  e.proxy.force({Fault::none, Fault::lost_response});
  sync::Agent agent(e.kiosk, small_batches(true));
  const auto first = agent.attempt();
  CHECK_FALSE(first.report.ok());
  CHECK(e.proxy.connections() == 2);
  CHECK(e.server.store().count_applied_changes() == 200);  // central has both
  const auto counts = e.kiosk.queue_counts();
  CHECK(counts.acked == first.report.applied);
  CHECK((counts.acked == 0 || counts.acked == 100));
  CHECK(counts.acked + counts.pending == 200);

  const auto again = agent.attempt();
  REQUIRE(again.report.ok());
  CHECK(again.report.duplicate == counts.pending);  // the replays, answered from central's record
  CHECK(again.report.applied == 0);
  CHECK(e.kiosk.queue_counts().pending == 0);
  CHECK(e.kiosk.queue_counts().acked == 200);
  CHECK(e.server.store().count_applied_changes() == 200);
  CHECK(e.server.store().count_records(protocol::Entity::member) == 200);
}

TEST_CASE("a request and its cancellation in consecutive batches both arrive, in order") {
  keep_traffic_local();
  Enrolled e;
  const auto ids = register_members(e.kiosk, 1);
  model::ResourceRequest draft;
  draft.member_id = ids.front();
  draft.lines = {{.pack_id = "CP-TOOLKIT-01", .quantity = 1}};
  draft.delivery = model::DeliveryPreference::pickup;
  draft.office = "Nairobi";
  auto request = e.kiosk.create_request(draft, kenya_context(), "Desk 1");
  REQUIRE(request.has_value());
  register_members(e.kiosk, 98, 1);  // the first batch: member, request, 98 members
  auto cancelled =
      e.kiosk.transition_request(request->id, model::RequestStatus::cancelled, "Desk 1");
  REQUIRE(cancelled.has_value());
  register_members(e.kiosk, 150, 99);

  sync::Agent agent(e.kiosk, small_batches(true));
  const auto result = agent.attempt();
  REQUIRE(result.report.ok());
  CHECK(result.report.rejected == 0);
  CHECK(result.report.held == 0);
  CHECK(e.kiosk.queue_counts().pending == 0);
  const auto held = central::AccountStore::open(e.server.db_spec())->find_request(request->id);
  REQUIRE(held.has_value());
  CHECK(held->request.status == model::RequestStatus::cancelled);
}

}  // namespace alliance::test
