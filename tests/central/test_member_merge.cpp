// Merging two members who are one person (alliance-central merge): what moves,
// the tombstone devices pull, idempotence, refusals, and pushes that arrive
// for the dropped member after the merge.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "central/store/central_store.hpp"
#include "common/util/time.hpp"
#include "common/util/uuid.hpp"
#include "server_fixture.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;
using protocol::Entity;
using protocol::Outcome;

namespace {

// A device of `office` whose clock node is `node`.
central::Device enrol(central::CentralStore& central, const std::string& office,
                      const std::string& node) {
  const std::string code = central.create_enrolment_code(office, std::chrono::hours(1));
  auto enrolled = central.enroll(
      {.code = code, .device_name = "Desk " + node, .app_version = "test", .hlc_node = node});
  REQUIRE(enrolled.has_value());
  auto device = central.authenticate(enrolled->token);
  REQUIRE(device.has_value());
  return *device;
}

// A clock value of `node` `seconds_ago` seconds before now: within the
// server's bound, and ordered by the argument.
std::string clock(const std::string& node, int seconds_ago, std::uint32_t counter = 0) {
  const auto now = util::to_unix_ms(std::chrono::system_clock::now());
  return test::hlc_at(now - seconds_ago * 1000LL, node, counter);
}

protocol::ChangeResult push_one(central::CentralStore& central, const central::Device& device,
                                protocol::Change change) {
  const auto response = central.push(device, {std::move(change)});
  REQUIRE(response.results.size() == 1);
  return response.results.front();
}

template <class T>
T held(central::CentralStore& central, const std::string& id) {
  for (auto& record : central.list(protocol::entity_of(T{}))) {
    if (auto* r = std::get_if<T>(&record); r != nullptr && r->id == id) return *r;
  }
  FAIL("no record " << id);
  return {};
}

model::Attendance check_in(const std::string& member_id, const std::string& event_id,
                           const std::string& day) {
  return {.id = util::new_uuid_v7(),
          .member_id = member_id,
          .event_id = event_id,
          .day = day,
          .checked_in_at = day + "T09:00:00.000Z"};
}

model::ResourceRequest request_for(const std::string& member_id) {
  auto r = test::sample_request("Nairobi");
  r.id = util::new_uuid_v7();
  r.member_id = member_id;
  return r;
}

// One person registered on desk A and on desk B, each with a check-in on day
// one; B also checked them in on day two and took a request. A left the
// region empty, B filled it.
struct TwoRegistrations {
  test::TempDir dir;
  std::unique_ptr<central::CentralStore> central = central::CentralStore::open(dir / "central.db");
  central::Device desk_a = enrol(*central, "Nairobi", "node-a");
  central::Device desk_b = enrol(*central, "Nairobi", "node-b");
  std::string event_id = util::new_uuid_v7();
  model::Member on_a = test::member_with_id(1);
  model::Member on_b = test::member_with_id(1);
  model::Attendance a_day1 = check_in(on_a.id, event_id, "2026-11-28");
  model::Attendance b_day1 = check_in(on_b.id, event_id, "2026-11-28");
  model::Attendance b_day2 = check_in(on_b.id, event_id, "2026-11-29");
  model::ResourceRequest b_request = request_for(on_b.id);

  TwoRegistrations() {
    on_a.reference_code = "23456-789AB";
    on_b.reference_code = "2CDEF-GHJKM";
    on_a.region.clear();
    on_b.region = "Kisumu";
    on_b.phone = "+254722000111";
    for (auto& result : central
                            ->push(desk_a, {test::change_of(on_a, clock("node-a", 100, 1)),
                                            test::change_of(a_day1, clock("node-a", 100, 2))})
                            .results) {
      REQUIRE(result.outcome == Outcome::applied);
    }
    for (auto& result : central
                            ->push(desk_b, {test::change_of(on_b, clock("node-b", 90, 1)),
                                            test::change_of(b_day1, clock("node-b", 90, 2)),
                                            test::change_of(b_day2, clock("node-b", 90, 3)),
                                            test::change_of(b_request, clock("node-b", 90, 4))})
                            .results) {
      REQUIRE(result.outcome == Outcome::applied);
    }
  }
};

}  // namespace

TEST_CASE("a merge moves check-ins and requests to the kept member and leaves a tombstone") {
  TwoRegistrations f;
  auto& central = *f.central;
  const auto merged = central.merge_members(f.on_a.id, f.on_b.id, "admin:test");
  REQUIRE(merged.has_value());
  CHECK_FALSE(merged->already_merged);
  CHECK(merged->actor == "admin:test");
  CHECK(merged->attendance_moved == 1);
  CHECK(merged->attendance_folded == 1);
  CHECK(merged->requests_moved == 1);
  CHECK(merged->fields_filled == std::vector<std::string>{"region"});

  // Day two moved; day one was the same visit as A's: voided, left on B's member.
  CHECK(held<model::Attendance>(central, f.b_day2.id).member_id == f.on_a.id);
  const auto day1 = held<model::Attendance>(central, f.b_day1.id);
  CHECK(day1.member_id == f.on_b.id);
  CHECK(day1.voided);
  CHECK_FALSE(held<model::Attendance>(central, f.a_day1.id).voided);
  CHECK(held<model::ResourceRequest>(central, f.b_request.id).member_id == f.on_a.id);
  const auto kept = held<model::Member>(central, f.on_a.id);
  CHECK(kept.region == "Kisumu");     // empty on the kept member: filled
  CHECK(kept.phone == f.on_a.phone);  // set on the kept member: its own
  CHECK(kept.merged_into.empty());
  const auto tombstone = held<model::Member>(central, f.on_b.id);
  CHECK(tombstone.merged_into == f.on_a.id);
  CHECK(tombstone.voided);
  CHECK(tombstone.void_reason == "merged into " + f.on_a.reference_code);

  SUBCASE("every device of the office pulls the tombstone and the moved records") {
    for (const auto* desk : {&f.desk_a, &f.desk_b}) {
      const auto page = central.pull(*desk, 0, 500);
      bool tombstone_seen = false;
      for (const auto& change : page.changes) {
        if (const auto* m = std::get_if<model::Member>(&change.record); m && m->id == f.on_b.id) {
          tombstone_seen = m->merged_into == f.on_a.id && m->voided;
        }
      }
      CHECK(tombstone_seen);
    }
    // Desk A pulls its own member again: the region was filled from B's.
    const auto page = central.pull(f.desk_a, 0, 500);
    CHECK(std::any_of(page.changes.begin(), page.changes.end(), [&](const auto& c) {
      const auto* m = std::get_if<model::Member>(&c.record);
      return m != nullptr && m->id == f.on_a.id && m->region == "Kisumu";
    }));
  }

  SUBCASE("merging the same pair again changes nothing and says so") {
    const auto before = central.pull(f.desk_a, 0, 500).next_cursor;
    const auto again = central.merge_members(f.on_a.id, f.on_b.id, "admin:someone-else");
    REQUIRE(again.has_value());
    CHECK(again->already_merged);
    CHECK(again->actor == "admin:test");  // the first merge's
    CHECK(again->attendance_moved == 0);
    CHECK(central.pull(f.desk_a, 0, 500).next_cursor == before);
  }
}

TEST_CASE("a merge is refused with a reason for the wrong pairs") {
  TwoRegistrations f;
  auto& central = *f.central;
  const auto refused = [&](const std::string& keep, const std::string& drop) {
    const auto result = central.merge_members(keep, drop, "admin:test");
    REQUIRE_FALSE(result.has_value());
    CHECK_FALSE(result.error().message.empty());
    return result.error().code;
  };
  CHECK(refused(f.on_a.id, f.on_a.id) == "same_member");
  CHECK(refused(f.on_a.id, util::new_uuid_v7()) == "not_found");
  CHECK(refused(util::new_uuid_v7(), f.on_a.id) == "not_found");

  // Another office's member.
  const auto mombasa = enrol(central, "Mombasa", "node-m");
  const auto elsewhere = test::member_with_id(2);
  REQUIRE(push_one(central, mombasa, test::change_of(elsewhere, clock("node-m", 50))).outcome ==
          Outcome::applied);
  CHECK(refused(f.on_a.id, elsewhere.id) == "different_offices");

  // An organisation and an individual.
  auto organisation = test::member_with_id(3);
  organisation.kind = model::MemberKind::organisation;
  organisation.given_name.clear();
  organisation.family_name.clear();
  organisation.contact_person = "Grace Achieng";
  organisation.organisation = "Hope Centre";
  REQUIRE(push_one(central, f.desk_a, test::change_of(organisation, clock("node-a", 50))).outcome ==
          Outcome::applied);
  CHECK(refused(f.on_a.id, organisation.id) == "different_kinds");

  // A voided member is not kept.
  auto voided = test::member_with_id(4);
  voided.voided = true;
  REQUIRE(push_one(central, f.desk_a, test::change_of(voided, clock("node-a", 40))).outcome ==
          Outcome::applied);
  CHECK(refused(voided.id, f.on_a.id) == "keep_voided");

  // After B's member is merged into A's: B's is not kept, nor merged elsewhere.
  REQUIRE(central.merge_members(f.on_a.id, f.on_b.id, "admin:test").has_value());
  auto third = test::member_with_id(5);
  REQUIRE(push_one(central, f.desk_a, test::change_of(third, clock("node-a", 30))).outcome ==
          Outcome::applied);
  CHECK(refused(f.on_b.id, third.id) == "keep_merged");
  CHECK(refused(third.id, f.on_b.id) == "merged_elsewhere");
  // Nothing a refusal touched changed.
  CHECK_FALSE(held<model::Member>(central, third.id).voided);
}

TEST_CASE("a member merged into one that is merged later points at the last kept member") {
  TwoRegistrations f;
  auto& central = *f.central;
  auto third = test::member_with_id(6);
  REQUIRE(push_one(central, f.desk_a, test::change_of(third, clock("node-a", 30))).outcome ==
          Outcome::applied);
  REQUIRE(central.merge_members(f.on_a.id, f.on_b.id, "admin:test").has_value());
  const auto second = central.merge_members(third.id, f.on_a.id, "admin:test");
  REQUIRE(second.has_value());
  CHECK(second->tombstones_moved == 1);
  CHECK(held<model::Member>(central, f.on_b.id).merged_into == third.id);
  CHECK(held<model::Member>(central, f.on_a.id).merged_into == third.id);
  CHECK(held<model::Attendance>(central, f.b_day2.id).member_id == third.id);
}

TEST_CASE("changes pushed for the dropped member after the merge go to the kept one") {
  TwoRegistrations f;
  auto& central = *f.central;
  REQUIRE(central.merge_members(f.on_a.id, f.on_b.id, "admin:test").has_value());

  SUBCASE("an edit made offline before the merge was pulled updates the kept member") {
    auto edited = f.on_b;
    edited.email = "amina.new@example.org";
    edited.phone = "+254733000222";
    // Made at desk B after desk A's registration: the newer clock wins per field.
    const auto result = push_one(
        central, f.desk_b,
        test::change_of(edited, clock("node-b", 10), {"email"}, protocol::Operation::update));
    CHECK(result.outcome == Outcome::applied);
    CHECK(result.code == "member_merged");
    const auto kept = held<model::Member>(central, f.on_a.id);
    CHECK(kept.email == "amina.new@example.org");
    CHECK(kept.phone == f.on_a.phone);  // not among the changed fields
    const auto tombstone = held<model::Member>(central, f.on_b.id);
    CHECK(tombstone.merged_into == f.on_a.id);
    CHECK(tombstone.voided);
    CHECK(tombstone.email == f.on_b.email);
    // Desk B pulls the tombstone again over its own edited copy.
    const auto page = central.pull(f.desk_b, 0, 500);
    CHECK(std::any_of(page.changes.begin(), page.changes.end(), [&](const auto& c) {
      const auto* m = std::get_if<model::Member>(&c.record);
      return m != nullptr && m->id == f.on_b.id && m->merged_into == f.on_a.id;
    }));
  }

  SUBCASE("an edit older than the kept member's value loses field by field") {
    auto edited = f.on_b;
    edited.phone = "+254733000333";
    const auto result = push_one(
        central, f.desk_b,
        test::change_of(edited, clock("node-b", 200), {"phone"}, protocol::Operation::update));
    CHECK(result.code == "member_merged");
    CHECK(held<model::Member>(central, f.on_a.id).phone == f.on_a.phone);
  }

  SUBCASE("restoring or voiding the dropped member does not resurrect it or void the kept one") {
    auto restored = f.on_b;
    restored.voided = false;
    push_one(central, f.desk_b,
             test::change_of(restored, clock("node-b", 5), {"voided", "void_reason"},
                             protocol::Operation::update));
    CHECK(held<model::Member>(central, f.on_b.id).voided);
    auto voided = f.on_b;
    voided.voided = true;
    voided.void_reason = "registered twice";
    push_one(central, f.desk_b,
             test::change_of(voided, clock("node-b", 4), {"voided", "void_reason"},
                             protocol::Operation::void_record));
    CHECK_FALSE(held<model::Member>(central, f.on_a.id).voided);
    CHECK(held<model::Member>(central, f.on_b.id).merged_into == f.on_a.id);
  }

  SUBCASE("a new check-in and a new request for the dropped member are re-pointed") {
    const auto day3 = check_in(f.on_b.id, f.event_id, "2026-11-30");
    const auto again_day1 = check_in(f.on_b.id, f.event_id, "2026-11-28");
    const auto request = request_for(f.on_b.id);
    const auto results = central
                             .push(f.desk_b, {test::change_of(day3, clock("node-b", 3, 1)),
                                              test::change_of(again_day1, clock("node-b", 3, 2)),
                                              test::change_of(request, clock("node-b", 3, 3))})
                             .results;
    for (const auto& r : results) CHECK(r.outcome == Outcome::applied);
    CHECK(held<model::Attendance>(central, day3.id).member_id == f.on_a.id);
    // Day one is already A's visit: the second check-in is voided on B's member.
    const auto folded = held<model::Attendance>(central, again_day1.id);
    CHECK(folded.member_id == f.on_b.id);
    CHECK(folded.voided);
    CHECK(held<model::ResourceRequest>(central, request.id).member_id == f.on_a.id);
    // Re-pointed by the server, so desk B pulls them back.
    const auto page = central.pull(f.desk_b, 0, 500);
    CHECK(std::any_of(page.changes.begin(), page.changes.end(),
                      [&](const auto& c) { return c.entity_id == day3.id; }));
  }
}

TEST_CASE("a device cannot set merged_into, only central merges") {
  TwoRegistrations f;
  auto& central = *f.central;
  auto forged = test::member_with_id(7);
  forged.merged_into = f.on_a.id;
  const auto result = push_one(central, f.desk_a, test::change_of(forged, clock("node-a", 20)));
  CHECK(result.outcome == Outcome::applied);
  CHECK(held<model::Member>(central, forged.id).merged_into.empty());
  // Rewritten by the server, so the device pulls the server's version back.
  const auto page = central.pull(f.desk_a, 0, 500);
  CHECK(std::any_of(page.changes.begin(), page.changes.end(),
                    [&](const auto& c) { return c.entity_id == forged.id; }));
}
