// Device identity in the clock: a change's HLC node must be the pushing
// device's own, and a clock far ahead of the server's is clamped to the
// server's, so it loses to any later legitimate edit.
#include <doctest/doctest.h>

#include "common/store/database.hpp"
#include "common/store/store.hpp"
#include "harness.hpp"
#include "hostile_device.hpp"

using namespace alliance;
using protocol::Operation;
using protocol::Outcome;

namespace {

constexpr std::int64_t kHour = 3'600'000;

model::Member held_member(test::TestServer& server, const std::string& id) {
  for (const auto& r : server.store().list(protocol::Entity::member)) {
    if (std::get<model::Member>(r).id == id) return std::get<model::Member>(r);
  }
  FAIL("no member " << id);
  return {};
}

}  // namespace

TEST_CASE("a change carrying another device's clock id is refused as forged") {
  test::TestServer server;
  auto a = test::enroll_desk(server, "Nairobi");
  auto a2 = test::enroll_desk(server, "Nairobi");
  auto b = test::enroll_desk(server, "Accra");
  const auto member = test::member_with_id(1);
  for (const std::string& node : {a2.node, b.node, std::string("central"), std::string("zzzz")}) {
    CAPTURE(node);
    const auto result =
        test::push_one(server, a, test::change_of(member, test::hlc_at(test::now_ms(), node)));
    CHECK(result.outcome == Outcome::rejected);
    CHECK(result.code == "forged_clock");
    CHECK_FALSE(result.server_record.has_value());
  }
  CHECK(server.store().count_records(protocol::Entity::member) == 0);
  CHECK(test::push_one(server, a, test::change_of(member, a.next_hlc())).outcome ==
        Outcome::applied);
}

TEST_CASE("a device enrolled without a clock id binds it on first push, and only its own") {
  test::TestServer server;
  const auto b = test::enroll_desk(server, "Accra", "accra-desk-node");
  const auto legacy = server.enroll("Nairobi");  // no hlc_node, as agents before API v1.1
  test::Desk desk{.enrolled = legacy, .node = "accra-desk-node"};
  // Another office's active device holds that node: it cannot be bound here.
  CHECK(test::push_one(server, desk, test::change_of(test::member_with_id(1), desk.next_hlc()))
            .code == "forged_clock");
  // Its own node binds on the first push (trust on first use)...
  desk.node = "nairobi-legacy-node";
  CHECK(test::push_one(server, desk, test::change_of(test::member_with_id(2), desk.next_hlc()))
            .outcome == Outcome::applied);
  // ...and from then on every change must carry it.
  desk.node = "another-node";
  CHECK(test::push_one(server, desk, test::change_of(test::member_with_id(3), desk.next_hlc()))
            .code == "forged_clock");
  bool bound = false;
  for (const auto& d : server.store().list_devices()) {
    if (d.id == legacy.device_id) bound = d.hlc_node == "nairobi-legacy-node";
  }
  CHECK(bound);
  CHECK(b.enrolled.office == "Accra");
}

TEST_CASE("a clock an hour ahead is clamped and loses to a later legitimate edit") {
  test::TestServer server;
  auto fast = test::enroll_desk(server, "Nairobi");
  auto honest = test::enroll_desk(server, "Nairobi");
  auto member = test::member_with_id(1);
  REQUIRE(test::push_one(server, honest, test::change_of(member, honest.next_hlc())).outcome ==
          Outcome::applied);

  // An edit stamped an hour ahead: applied, but with the server's clock.
  auto forged = member;
  forged.region = "From the future";
  const auto ahead = test::hlc_at(test::now_ms() + kHour, fast.node);
  const auto change = test::change_of(forged, ahead, {"region"}, Operation::update);
  const auto before = test::now_ms();
  const auto result = test::push_one(server, fast, change);
  CHECK(result.outcome == Outcome::applied);
  CHECK(result.code == "clock_clamped");
  CHECK(result.message.find("clock") != std::string::npos);
  const auto held = held_member(server, member.id);
  CHECK(held.region == "From the future");
  const auto clock = util::parse_hlc(held.hlc);
  REQUIRE(clock);
  CHECK(clock->node == fast.node);
  CHECK(clock->wall_ms >= before - 1000);
  CHECK(clock->wall_ms <= test::now_ms() + 1000);
  // A replay answers from the stored result.
  const auto replay = test::push_one(server, fast, change);
  CHECK(replay.outcome == Outcome::duplicate);
  CHECK(replay.code == "clock_clamped");

  // A later honest edit wins, as it would have against an honest clock.
  auto fixed = member;
  fixed.region = "Kisumu";
  CHECK(test::push_one(server, honest,
                       test::change_of(fixed, honest.next_hlc(), {"region"}, Operation::update))
            .outcome == Outcome::applied);
  CHECK(held_member(server, member.id).region == "Kisumu");

  // The fast device pulls the server's version back (its own copy is not what the server holds).
  const auto page = test::pull(*server.client(), fast.enrolled.token, 0);
  bool pulled = false;
  for (const auto& c : page.changes) pulled = pulled || c.entity_id == member.id;
  CHECK(pulled);
}

TEST_CASE("a clock a little ahead, within the bound, is kept as it is") {
  test::TestServer server;
  auto desk = test::enroll_desk(server, "Nairobi");
  const auto member = test::member_with_id(1);
  const auto hlc = test::hlc_at(test::now_ms() + 4 * 60'000, desk.node);
  const auto result = test::push_one(server, desk, test::change_of(member, hlc));
  CHECK(result.outcome == Outcome::applied);
  CHECK(result.code.empty());
  CHECK(held_member(server, member.id).hlc == hlc);
  // With a tighter bound the same clock is clamped.
  test::TestServer strict(central::ApiLimits{.max_clock_ahead = std::chrono::seconds(30)});
  auto other = test::enroll_desk(strict, "Nairobi");
  const auto ahead = test::hlc_at(test::now_ms() + 4 * 60'000, other.node);
  CHECK(test::push_one(strict, other, test::change_of(member, ahead)).code == "clock_clamped");
}

TEST_CASE(
    "the real agent of a kiosk whose clock runs an hour ahead converges on the clamped "
    "record") {
  test::keep_traffic_local();
  test::TestServer server;
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  auto kiosk = store::Store::open(db);
  test::enroll_with_binary(server, db, test::local_url(server), dir.path());
  // The kiosk's persisted clock is an hour ahead, as after a wrong date was set.
  const auto node = kiosk.device_id();
  {
    store::Transaction tx(kiosk.db());
    kiosk.set_meta("hlc", test::hlc_at(test::now_ms() + kHour, node));
    tx.commit();
  }
  const auto ids = test::register_members(kiosk, 3);
  const auto sent_hlc = kiosk.find_member(ids.front())->hlc;
  REQUIRE(util::parse_hlc(sent_hlc)->wall_ms > test::now_ms() + kHour / 2);

  auto first = test::run_process(test::sync_args("once", db), dir.path());
  INFO(first.out);
  INFO(first.err);
  CHECK(first.exit_code == 0);
  CHECK(kiosk.queue_counts().pending == 0);
  CHECK(kiosk.queue_counts().rejected == 0);
  // Central holds the records with its own clock and the kiosk's node...
  const auto held = held_member(server, ids.front());
  const auto clock = util::parse_hlc(held.hlc);
  REQUIRE(clock);
  CHECK(clock->node == node);
  CHECK(clock->wall_ms <= test::now_ms() + 1000);
  // ...and the kiosk, after pulling, holds what central holds.
  auto second = test::run_process(test::sync_args("once", db), dir.path());
  CHECK(second.exit_code == 0);
  for (const auto& id : ids) {
    CAPTURE(id);
    CHECK(kiosk.find_member(id)->hlc == held_member(server, id).hlc);
  }
}
