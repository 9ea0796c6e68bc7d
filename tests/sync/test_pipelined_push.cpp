// Pushes sent ahead: the agent sends the next batches before the previous
// answer comes (each on a connection of its own), and every guarantee holds:
// each change applied once, acknowledged only from its own answer, and two
// changes of one record never in flight together.
#include <doctest/doctest.h>

#include "central/console/accounts.hpp"
#include "fault_proxy.hpp"
#include "harness.hpp"
#include "sync/agent.hpp"

namespace alliance::test {
namespace {

sync::AgentOptions small_batches(bool pipelined, std::size_t window = 3) {
  sync::AgentOptions o;
  o.http.connect_timeout_ms = 2000;
  o.backoff = {.base = std::chrono::milliseconds(50), .cap = std::chrono::milliseconds(500)};
  o.seed = 1;
  o.batch_max_changes = 100;
  o.pipeline_pushes = pipelined;
  o.push_window = window;
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
  const auto d = entry(4);
  const std::vector<store::OutboxEntry> first{a, b};
  const std::vector<store::OutboxEntry> second{d};
  CHECK(sync::may_send_ahead({&first}, {c}));
  CHECK(sync::may_send_ahead({&first, &second}, {c}));
  auto same_record = c;
  same_record.entity_id = b.entity_id;  // a later change of b's record
  CHECK_FALSE(sync::may_send_ahead({&first}, {c, same_record}));
  // Any batch in flight counts, not only the first.
  CHECK(sync::may_send_ahead({&first}, {d}));
  CHECK_FALSE(sync::may_send_ahead({&first, &second}, {d}));
  auto damaged = c;
  damaged.payload = "{not a change";
  CHECK_FALSE(sync::may_send_ahead({&first}, {damaged}));
  CHECK_FALSE(sync::may_send_ahead({&first, &second}, {damaged}));
}

TEST_CASE("pushes keep up to a window of batches in flight, each change applied and acked once") {
  keep_traffic_local();
  struct Case {
    bool pipelined;
    std::size_t window;
    std::int64_t batches;  // of 1000 changes, at most 100 a batch
  };
  // A window filled from empty is staggered so its batches do not end
  // together: 2 → 50, 100 × 9, 50; 3 → 33, 66, 100 × 9, 1.
  for (const Case c :
       {Case{false, 3, 10}, Case{true, 1, 10}, Case{true, 2, 11}, Case{true, 3, 12}}) {
    CAPTURE(c.pipelined);
    CAPTURE(c.window);
    Enrolled e;
    register_members(e.kiosk, 1000);
    sync::Agent agent(e.kiosk, small_batches(c.pipelined, c.window));
    const auto result = agent.attempt();
    REQUIRE(result.report.ok());
    CHECK(result.report.applied == 1000);
    CHECK(result.report.batches == c.batches);
    CHECK(e.kiosk.queue_counts().pending == 0);
    CHECK(e.kiosk.queue_counts().acked == 1000);
    CHECK(e.server.store().count_applied_changes() == 1000);
    CHECK(e.server.store().count_records(protocol::Entity::member) == 1000);
    // Each batch in flight travels on a connection of its own.
    CHECK(e.proxy.connections() == static_cast<int>(c.pipelined ? c.window : 1));
  }
}

TEST_CASE("a lost answer while two batches are in flight leaves the unanswered changes pending") {
  keep_traffic_local();
  Enrolled e;
  register_members(e.kiosk, 150);
  // A window of two, staggered: batches of 50 and 100 go out at once on two
  // connections; one of the two answers is lost after central committed it.
  // Which one depends on which connection the proxy accepts first: if it is
  // the first batch's, the second's answer goes unused too (changes are
  // acknowledged in order).
  e.proxy.force({Fault::none, Fault::lost_response});
  sync::Agent agent(e.kiosk, small_batches(true, 2));
  const auto first = agent.attempt();
  CHECK_FALSE(first.report.ok());
  CHECK(e.proxy.connections() == 2);
  CHECK(e.server.store().count_applied_changes() == 150);  // central has both
  const auto counts = e.kiosk.queue_counts();
  CHECK(counts.acked == first.report.applied);
  CHECK((counts.acked == 0 || counts.acked == 50));
  CHECK(counts.acked + counts.pending == 150);

  const auto again = agent.attempt();
  REQUIRE(again.report.ok());
  CHECK(again.report.duplicate == counts.pending);  // the replays, answered from central's record
  CHECK(again.report.applied == 0);
  CHECK(e.kiosk.queue_counts().pending == 0);
  CHECK(e.kiosk.queue_counts().acked == 150);
  CHECK(e.server.store().count_applied_changes() == 150);
  CHECK(e.server.store().count_records(protocol::Entity::member) == 150);
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
  register_members(e.kiosk, 98, 1);  // the request and its cancellation 100 changes apart
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
