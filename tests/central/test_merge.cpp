// Field-level last-writer-wins and the request lifecycle rules.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "central/merge.hpp"
#include "common/util/strings.hpp"
#include "server_fixture.hpp"

using namespace alliance;
using central::HeldRecord;
using central::merge;
using protocol::Entity;

namespace {

model::ResourceRequest sample_request(const std::string& id) {
  model::ResourceRequest r;
  r.id = id;
  r.member_id = util::new_uuid_v7();
  r.lines = {{.pack_id = "CP-TOOLKIT-01", .quantity = 2}};
  r.office = "Nairobi";
  r.transitions = {{.status = model::RequestStatus::requested,
                    .actor = "desk",
                    .at = "2026-11-28T10:00:00.000Z"}};
  return r;
}

}  // namespace

TEST_CASE("a new record takes every field at the change's clock") {
  const auto m = test::member_with_id(1);
  const auto result = merge(nullptr, m, test::hlc_at(1000), {});
  CHECK_FALSE(result.lost);
  CHECK(result.held.hlc == test::hlc_at(1000));
  CHECK(result.held.clocks.at("phone") == test::hlc_at(1000));
  CHECK(std::get<model::Member>(result.held.record).phone == m.phone);
}

TEST_CASE("disjoint field updates from two devices both survive in any order") {
  const auto base = test::member_with_id(1);
  const auto created = merge(nullptr, base, test::hlc_at(1000), {});
  auto a = base;
  a.region = "Mombasa";
  auto b = base;
  b.email = "new@example.org";
  const auto ab = merge(&created.held, a, test::hlc_at(2000, "a"), {"region"});
  const auto ab2 = merge(&ab.held, b, test::hlc_at(1500, "b"), {"email"});
  const auto ba = merge(&created.held, b, test::hlc_at(1500, "b"), {"email"});
  const auto ba2 = merge(&ba.held, a, test::hlc_at(2000, "a"), {"region"});
  CHECK_FALSE(ab2.lost);
  CHECK_FALSE(ba2.lost);
  CHECK(protocol::encode_record(ab2.held.record) == protocol::encode_record(ba2.held.record));
  CHECK(std::get<model::Member>(ab2.held.record).region == "Mombasa");
  CHECK(std::get<model::Member>(ab2.held.record).email == "new@example.org");
}

TEST_CASE("an older write to the same field loses and is reported as lost") {
  const auto base = test::member_with_id(1);
  const auto created = merge(nullptr, base, test::hlc_at(1000), {});
  auto newer = base;
  newer.region = "Kisumu";
  auto older = base;
  older.region = "Nakuru";
  const auto first = merge(&created.held, newer, test::hlc_at(3000, "a"), {"region"});
  const auto second = merge(&first.held, older, test::hlc_at(2000, "b"), {"region"});
  CHECK(second.lost);
  CHECK(std::get<model::Member>(second.held.record).region == "Kisumu");
  CHECK(second.held.hlc == test::hlc_at(3000, "a"));
}

TEST_CASE("equal wall times are broken by the node id") {
  const auto base = test::member_with_id(1);
  const auto created = merge(nullptr, base, test::hlc_at(1000), {});
  auto a = base;
  a.region = "From A";
  auto b = base;
  b.region = "From B";
  const auto xa = merge(&created.held, a, test::hlc_at(5000, "aaa"), {"region"});
  const auto x = merge(&xa.held, b, test::hlc_at(5000, "bbb"), {"region"});
  const auto yb = merge(&created.held, b, test::hlc_at(5000, "bbb"), {"region"});
  const auto y = merge(&yb.held, a, test::hlc_at(5000, "aaa"), {"region"});
  CHECK(std::get<model::Member>(x.held.record).region == "From B");
  CHECK(std::get<model::Member>(y.held.record).region == "From B");
}

TEST_CASE("a request status only moves forward and cancelled wins") {
  const auto id = util::new_uuid_v7();
  const auto base = sample_request(id);
  const auto created = merge(nullptr, base, test::hlc_at(1000), {});
  auto approved = base;
  approved.status = model::RequestStatus::approved;
  approved.transitions.push_back({.status = model::RequestStatus::approved,
                                  .actor = "office",
                                  .at = "2026-11-28T11:00:00.000Z"});
  const auto step1 =
      merge(&created.held, approved, test::hlc_at(2000, "central"), {"status", "transitions"});
  // A stale device sends "requested" with a newer clock: status stays approved.
  auto stale = base;
  stale.contact_name = "Updated";
  const auto step2 = merge(&step1.held, stale, test::hlc_at(3000, "a"), {"contact_name", "status"});
  CHECK(step2.lost);
  const auto& held = std::get<model::ResourceRequest>(step2.held.record);
  CHECK(held.status == model::RequestStatus::approved);
  CHECK(held.contact_name == "Updated");
  CHECK(held.transitions.size() == 2);
  auto cancelled = base;
  cancelled.status = model::RequestStatus::cancelled;
  cancelled.transitions.push_back({.status = model::RequestStatus::cancelled,
                                   .actor = "desk",
                                   .at = "2026-11-28T10:30:00.000Z"});
  const auto step3 =
      merge(&step2.held, cancelled, test::hlc_at(1500, "b"), {"status", "transitions"});
  const auto& final_request = std::get<model::ResourceRequest>(step3.held.record);
  CHECK(final_request.status == model::RequestStatus::cancelled);
  CHECK(final_request.transitions.size() == 3);
  CHECK(final_request.transitions[1].status == model::RequestStatus::cancelled);
}

TEST_CASE("field clocks: set, add and raise, in field order, equal by what they hold") {
  const std::string older = test::hlc_at(1);
  const std::string newer = test::hlc_at(2);
  central::FieldClocks clocks;
  clocks.set("phone", older);
  clocks.add("email", newer);
  clocks.add("phone", newer);  // has one: unchanged
  CHECK(clocks.at("phone") == older);
  clocks.raise("phone", newer);
  CHECK(clocks.at("phone") == newer);
  clocks.raise("phone", older);  // never goes back
  CHECK(clocks.at("phone") == newer);
  clocks.raise("region", older);  // none yet: given
  CHECK(clocks.find("region") == std::optional<std::string_view>(older));
  CHECK_FALSE(clocks.find("gender"));
  CHECK_THROWS_AS(clocks.at("gender"), std::out_of_range);
  std::vector<std::string> order;
  for (const auto& [field, clock] : clocks) order.emplace_back(field);
  CHECK(order == std::vector<std::string>{"email", "phone", "region"});
  // "older" is no longer phone's clock but stays in its list: equality is by
  // each field's clock, not by how either side holds them.
  const central::FieldClocks same{{"phone", newer}, {"region", older}, {"email", newer}};
  CHECK(clocks == same);
  clocks.set("email", older);
  CHECK_FALSE(clocks == same);
}

TEST_CASE("field clocks survive their text form, which names the newest clock only once") {
  const std::string newest = test::hlc_at(2, "n");
  central::FieldClocks clocks{
      {"email", test::hlc_at(1)}, {"region", newest}, {"phone", newest}, {"role", ""}};
  const std::string text = central::encode_clocks(Entity::member, clocks, newest);
  CHECK(central::decode_clocks(Entity::member, text, newest) == clocks);
  // The newest clock is not spelled out; the others are.
  CHECK(text.find(newest) == std::string::npos);
  CHECK(text.find(test::hlc_at(1)) != std::string::npos);
  CHECK(central::decode_clocks(Entity::member, "", newest).empty());
  // Rows written before schema 12 spell out every clock.
  const std::string old_form = "email\t" + test::hlc_at(1) + "\nregion\t" + newest + "\n";
  CHECK(central::decode_clocks(Entity::member, old_form, newest) ==
        central::FieldClocks{{"email", test::hlc_at(1)}, {"region", newest}});
}

TEST_CASE("a record's clocks as created are written as a count of its entity's fields") {
  const std::string newest = test::hlc_at(5, "n");
  // Rows written as "*N" name the first N of these in every later version:
  // the lists may only grow at their end.
  const std::vector<std::string_view> member_fields{"kind",
                                                    "reference_code",
                                                    "given_name",
                                                    "family_name",
                                                    "gender",
                                                    "birth_year",
                                                    "contact_person",
                                                    "phone",
                                                    "email",
                                                    "country",
                                                    "region",
                                                    "organisation",
                                                    "organisation_type",
                                                    "role",
                                                    "years_experience",
                                                    "qualification",
                                                    "interest_groups",
                                                    "e_updates",
                                                    "preferred_language",
                                                    "consent",
                                                    "event_id",
                                                    "created_at",
                                                    "voided",
                                                    "void_reason",
                                                    "merged_into"};
  const auto listed = central::clock_fields(Entity::member);
  REQUIRE(listed.size() >= member_fields.size());
  CHECK(std::equal(member_fields.begin(), member_fields.end(), listed.begin()));
  const auto request_fields = central::clock_fields(Entity::request);
  REQUIRE(request_fields.size() >= 2);
  CHECK(request_fields[0] == "status");
  CHECK(request_fields[1] == "transitions");

  // A record of each entity as merge() creates it: "*N", and back.
  const std::vector<protocol::Record> created{test::sample_member(3), test::sample_event(),
                                              test::sample_request()};
  for (const auto& record : created) {
    const auto entity = protocol::entity_of(record);
    CAPTURE(protocol::to_string(entity));
    const auto merged = central::merge(nullptr, record, newest, {});
    const std::string text = central::encode_clocks(entity, merged.held.clocks, newest);
    CHECK(text == util::cat('*', central::clock_fields(entity).size()));
    CHECK(central::decode_clocks(entity, text, newest) == merged.held.clocks);
  }

  // The first fields only, at the newest clock: still a count.
  central::FieldClocks first_three{
      {"kind", newest}, {"reference_code", newest}, {"given_name", newest}};
  CHECK(central::encode_clocks(Entity::member, first_three, newest) == "*3");
  CHECK(central::decode_clocks(Entity::member, "*3", newest) == first_three);
  // Anything else is spelled out: one older clock, or fields that are not the first ones.
  central::FieldClocks older = first_three;
  older.set("given_name", test::hlc_at(4, "n"));
  CHECK(central::encode_clocks(Entity::member, older, newest).starts_with("given_name\t"));
  const central::FieldClocks not_first{{"kind", newest}, {"given_name", newest}};
  CHECK(central::encode_clocks(Entity::member, not_first, newest) == "given_name\nkind\n");
  CHECK(central::encode_clocks(Entity::member, {}, newest).empty());

  // A count the entity cannot have is an error, not a guess.
  const std::vector<std::string> bad_counts{
      "*0",  "*",   "*x",
      "*3x", "*-1", util::cat('*', central::clock_fields(Entity::member).size() + 1)};
  for (const auto& bad : bad_counts) {
    CAPTURE(bad);
    CHECK_THROWS_AS(central::decode_clocks(Entity::member, bad, newest), std::runtime_error);
  }
}