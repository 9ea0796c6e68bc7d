// Venue hubs at the store (docs/ARCHITECTURE.md, "Venue hubs"): what a relay
// device may push upstream, the field clocks its pulls carry, the hub's queue
// of its desks' changes, and upstream's records merged into the hub field by
// field. Runs on SQLite and PostgreSQL.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "central/store/central_store.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/time.hpp"
#include "server_fixture.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace alliance;
using protocol::Entity;
using protocol::Outcome;

namespace {

struct Central {
  explicit Central(const std::string& name = "central")
      : store(central::CentralStore::open(test::central_db_spec(dir / (name + ".db")))) {}
  test::TempDir dir;
  std::unique_ptr<central::CentralStore> store;

  central::Device enrol(const std::string& office, const std::string& node, bool relay = false) {
    const std::string code = relay
                                 ? store->create_relay_enrolment_code(office, std::chrono::hours(1))
                                 : store->create_enrolment_code(office, std::chrono::hours(1));
    auto enrolled = store->enroll(
        {.code = code, .device_name = "Device " + node, .app_version = "test", .hlc_node = node});
    REQUIRE(enrolled.has_value());
    auto device = store->authenticate(enrolled->token);
    REQUIRE(device.has_value());
    return *device;
  }

  // Makes this database a hub enrolled upstream for `office`.
  void become_hub(const std::string& office) {
    auto saved = store->save_relay_enrolment({.upstream_url = "http://127.0.0.1:9",
                                              .device_id = "upstream-device",
                                              .token = "afk_test",
                                              .office = office,
                                              .hlc_node = "hub-node"});
    REQUIRE(saved.has_value());
  }
};

std::string clock(const std::string& node, int seconds_ago) {
  const auto now = util::to_unix_ms(std::chrono::system_clock::now());
  return test::hlc_at(now - seconds_ago * 1000LL, node);
}

model::Member held_member(central::CentralStore& store, const std::string& id) {
  for (auto& record : store.list(Entity::member)) {
    if (auto* m = std::get_if<model::Member>(&record); m != nullptr && m->id == id) return *m;
  }
  FAIL("no member " << id);
  return {};
}

std::string first_code(const protocol::PushResponse& response) {
  return response.results.empty() ? std::string() : response.results.front().code;
}

}  // namespace

TEST_CASE("a relay pushes its desks' changes under their clocks and a desk cannot") {
  Central central;
  const auto hub = central.enrol("Nairobi", "hub-1", true);
  const auto desk = central.enrol("Nairobi", "desk-direct");
  CHECK(hub.relay);
  CHECK_FALSE(desk.relay);

  // A change made at a desk of the hub, with that desk's clock.
  const auto relayed = test::change_of(test::member_with_id(1), clock("venue-desk-1", 5));
  CHECK(central.store->push(hub, {relayed}).results.at(0).outcome == Outcome::applied);
  // A plain device may not push another device's clock.
  const auto forged = test::change_of(test::member_with_id(2), clock("venue-desk-1", 4));
  CHECK(first_code(central.store->push(desk, {forged})) == "forged_clock");
  // Nor may a relay push the server's clock, or that of a device of another office.
  central.enrol("Mombasa", "mombasa-desk");
  const auto as_server = test::change_of(test::member_with_id(3), clock("central", 3));
  CHECK(first_code(central.store->push(hub, {as_server})) == "forged_clock");
  const auto as_other_office = test::change_of(test::member_with_id(4), clock("mombasa-desk", 3));
  CHECK(first_code(central.store->push(hub, {as_other_office})) == "forged_clock");
  // And a relay acts for its own office only.
  auto event = test::sample_event();
  event.id = "event-mombasa";
  event.office = "Mombasa";
  CHECK(first_code(central.store->push(hub, {test::change_of(event, clock("venue-desk-1", 2))})) ==
        "forbidden");
  CHECK(central.store->count_records(Entity::member) == 1);
}

TEST_CASE("a relay's pull carries each field's clock and a desk's pull does not") {
  Central central;
  const auto hub = central.enrol("Nairobi", "hub-1", true);
  const auto desk = central.enrol("Nairobi", "desk-a");
  auto member = test::member_with_id(1);
  const std::string created = clock("desk-a", 20);
  const std::string edited = clock("desk-a", 10);
  REQUIRE(central.store->push(desk, {test::change_of(member, created)}).results.at(0).outcome ==
          Outcome::applied);
  member.phone = "+254712345999";
  REQUIRE(
      central.store
          ->push(desk, {test::change_of(member, edited, {"phone"}, protocol::Operation::update)})
          .results.at(0)
          .outcome == Outcome::applied);

  const auto relay_page = central.store->pull(hub, 0, 100);
  REQUIRE(relay_page.changes.size() == 1);
  const auto& fields = relay_page.changes[0].field_hlcs;
  CHECK(std::find(fields.begin(), fields.end(), "phone=" + edited) != fields.end());
  CHECK(std::find(fields.begin(), fields.end(), "given_name=" + created) != fields.end());
  // It survives the wire.
  const auto decoded = protocol::decode_pull_response(protocol::encode(relay_page));
  REQUIRE(decoded.has_value());
  CHECK(decoded->changes.at(0).field_hlcs == fields);

  const auto other_desk = central.enrol("Nairobi", "desk-b");
  const auto desk_page = central.store->pull(other_desk, 0, 100);
  REQUIRE(desk_page.changes.size() == 1);
  CHECK(desk_page.changes[0].field_hlcs.empty());
  CHECK(protocol::encode(desk_page).find("field_hlcs") == std::string::npos);
}

TEST_CASE("a hub queues the changes its desks push once it is enrolled upstream") {
  SUBCASE("a database that took desks' changes first cannot become a hub") {
    Central central;
    const auto desk = central.enrol("Nairobi", "desk-a");
    central.store->push(desk, {test::change_of(test::member_with_id(1), clock("desk-a", 5))});
    auto saved = central.store->save_relay_enrolment({.upstream_url = "http://127.0.0.1:9",
                                                      .device_id = "d",
                                                      .token = "t",
                                                      .office = "Nairobi"});
    REQUIRE_FALSE(saved.has_value());
    CHECK(saved.error().code == "desks_first");
    CHECK_FALSE(central.store->relay_enrolment().has_value());
  }
  SUBCASE("applied changes are queued once, in order, as they arrived") {
    Central central;
    const auto before = central.enrol("Nairobi", "desk-a");
    central.become_hub("Nairobi");
    REQUIRE(central.store->relay_enrolment().has_value());
    CHECK(central.store->relay_enrolment()->office == "Nairobi");
    const auto first = test::change_of(test::member_with_id(1), clock("desk-a", 9));
    const auto second = test::change_of(test::member_with_id(2), clock("desk-a", 8));
    auto invalid_member = test::member_with_id(3);
    invalid_member.given_name.clear();
    const auto invalid = test::change_of(invalid_member, clock("desk-a", 7));
    const auto answer = central.store->push(before, {first, second, first, invalid});
    CHECK(answer.results.at(2).outcome == Outcome::duplicate);
    CHECK(answer.results.at(3).outcome == Outcome::rejected);
    central.store->push(before, {second});  // a replay later: nothing more queued

    const auto waiting = central.store->relay_waiting(10);
    REQUIRE(waiting.size() == 2);
    CHECK(waiting[0].change.change_id == first.change_id);
    CHECK(waiting[1].change.change_id == second.change_id);
    CHECK(waiting[0].position < waiting[1].position);
    // As the desk sent it: the same payload, so upstream sees the same change.
    CHECK(protocol::encode(waiting[0].change) == protocol::encode(first));
    CHECK(central.store->relay_waiting(1).size() == 1);

    central.store->relay_answered({{waiting[0].position, "applied"}});
    CHECK(central.store->relay_waiting_count() == 1);
    central.store->relay_answered({{waiting[1].position, "duplicate"}});
    CHECK(central.store->relay_waiting_count() == 0);

    // Upstream went back in time: everything goes again, the pull starts over.
    central.store->relay_saw_upstream({.database_id = "up", .restore_epoch = 0, .server_seq = 40});
    CHECK(central.store->relay_cursor().upstream.server_seq == 40);
    central.store->relay_start_over({.database_id = "up", .restore_epoch = 1, .server_seq = 12});
    CHECK(central.store->relay_waiting_count() == 2);
    CHECK(central.store->relay_cursor().cursor == 0);
    CHECK(central.store->relay_cursor().upstream.restore_epoch == 1);
    CHECK(central.store->relay_cursor().upstream.server_seq == 12);
  }
}

TEST_CASE("upstream's records merge into a hub field by field and its desks pull them") {
  Central upstream("upstream");
  Central hub("hub");
  const auto hub_upstream = upstream.enrol("Nairobi", "hub-1", true);
  const auto office_desk = upstream.enrol("Nairobi", "office-desk");
  hub.become_hub("Nairobi");
  const auto venue_desk = hub.enrol("Nairobi", "venue-desk");

  // One person, registered at the office and relayed earlier to the hub.
  auto member = test::member_with_id(1);
  const auto created = test::change_of(member, clock("office-desk", 30));
  REQUIRE(upstream.store->push(office_desk, {created}).results.at(0).outcome == Outcome::applied);
  auto page = upstream.store->pull(hub_upstream, 0, 100);
  auto applied = hub.store->apply_upstream_page(page, "Nairobi", 0);
  REQUIRE(applied.has_value());
  CHECK(applied->written == 1);
  CHECK(hub.store->relay_cursor().cursor == page.next_cursor);
  CHECK(held_member(*hub.store, member.id).given_name == member.given_name);
  // The hub's desks pull it: it is the server's write there.
  CHECK(hub.store->pull(venue_desk, 0, 100).changes.size() == 1);

  // Then, at the venue, the desk corrects the name (newer); at the office, an
  // older edit of the name and a newer phone number arrive upstream.
  auto at_venue = member;
  at_venue.given_name = "Wanjiru";
  REQUIRE(hub.store
              ->push(venue_desk, {test::change_of(at_venue, clock("venue-desk", 10), {"given_name"},
                                                  protocol::Operation::update)})
              .results.at(0)
              .outcome == Outcome::applied);
  auto at_office = member;
  at_office.given_name = "Wanjeru";
  at_office.phone = "+254712345999";
  REQUIRE(upstream.store
              ->push(office_desk, {test::change_of(at_office, clock("office-desk", 20),
                                                   {"given_name"}, protocol::Operation::update),
                                   test::change_of(at_office, clock("office-desk", 5), {"phone"},
                                                   protocol::Operation::update)})
              .results.at(1)
              .outcome == Outcome::applied);
  const std::int64_t from = hub.store->relay_cursor().cursor;
  page = upstream.store->pull(hub_upstream, from, 100);
  REQUIRE(page.changes.size() == 1);
  // A page read from a cursor that has moved since writes nothing.
  CHECK_FALSE(hub.store->apply_upstream_page(page, "Nairobi", from + 1000).has_value());
  applied = hub.store->apply_upstream_page(page, "Nairobi", from);
  REQUIRE(applied.has_value());
  CHECK(applied->written == 1);
  const auto merged = held_member(*hub.store, member.id);
  CHECK(merged.given_name == "Wanjiru");   // the venue's newer name stays
  CHECK(merged.phone == "+254712345999");  // the office's newer phone arrives
  // The same page again changes nothing.
  applied = hub.store->apply_upstream_page(page, "Nairobi", page.next_cursor);
  REQUIRE(applied.has_value());
  CHECK(applied->written == 0);
  CHECK(applied->unchanged == 1);

  // A record of another office, or one that fails validation, is refused.
  auto foreign = test::sample_request("Mombasa");
  foreign.id = "request-mombasa";
  auto broken = test::member_with_id(2);
  broken.given_name.clear();
  protocol::PullResponse hostile{.changes = {{.seq = 1,
                                              .entity = Entity::request,
                                              .entity_id = foreign.id,
                                              .hlc = clock("office-desk", 1),
                                              .record = foreign},
                                             {.seq = 2,
                                              .entity = Entity::member,
                                              .entity_id = broken.id,
                                              .hlc = clock("office-desk", 1),
                                              .record = broken},
                                             {.seq = 3,
                                              .entity = Entity::member,
                                              .entity_id = member.id,
                                              .hlc = clock("office-desk", 1),
                                              .record = at_office,
                                              .field_hlcs = {"phone"}}},
                                 .next_cursor = page.next_cursor + 3};
  applied = hub.store->apply_upstream_page(hostile, "Nairobi", page.next_cursor);
  REQUIRE(applied.has_value());
  CHECK(applied->refused == 3);
  CHECK(applied->written == 0);
  CHECK(hub.store->count_records(Entity::request) == 0);
  CHECK(held_member(*hub.store, member.id).given_name == "Wanjiru");
}

TEST_CASE("a request made at a venue desk goes up and the office's decision comes back down") {
  Central upstream("upstream");
  Central hub("hub");
  const auto hub_upstream = upstream.enrol("Nairobi", "hub-1", true);
  hub.become_hub("Nairobi");
  const auto venue_desk = hub.enrol("Nairobi", "venue-desk");

  auto request = test::sample_request("Nairobi");
  request.id = "request-at-venue";
  REQUIRE(hub.store->push(venue_desk, {test::change_of(request, clock("venue-desk", 10))})
              .results.at(0)
              .outcome == Outcome::applied);
  // What the relay does: the queued change, as the desk sent it, pushed as the hub.
  const auto waiting = hub.store->relay_waiting(10);
  REQUIRE(waiting.size() == 1);
  const auto relayed = upstream.store->push(hub_upstream, {waiting[0].change});
  REQUIRE(relayed.results.at(0).outcome == Outcome::applied);
  hub.store->relay_answered({{waiting[0].position, "applied"}});

  REQUIRE(upstream.store->set_request_status(request.id, model::RequestStatus::approved,
                                             "admin:office"));
  const auto page = upstream.store->pull(hub_upstream, 0, 100);
  const auto applied = hub.store->apply_upstream_page(page, "Nairobi", 0);
  REQUIRE(applied.has_value());
  CHECK(applied->written == 1);
  CHECK(applied->refused == 0);
  // Nothing went back into the queue: upstream's writes are not relayed.
  CHECK(hub.store->relay_waiting_count() == 0);

  const auto desk_page = hub.store->pull(venue_desk, 0, 100);
  const auto it = std::find_if(desk_page.changes.begin(), desk_page.changes.end(),
                               [&](const auto& c) { return c.entity_id == request.id; });
  REQUIRE(it != desk_page.changes.end());
  const auto& at_desk = std::get<model::ResourceRequest>(it->record);
  CHECK(at_desk.status == model::RequestStatus::approved);
  const bool decided_by_office =
      std::any_of(at_desk.transitions.begin(), at_desk.transitions.end(), [](const auto& t) {
        return t.status == model::RequestStatus::approved && t.actor == "admin:office";
      });
  CHECK(decided_by_office);
}
