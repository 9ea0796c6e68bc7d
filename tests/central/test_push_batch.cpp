// A push batch reads what it names once and writes once (central/store/push_batch.hpp): changes
// of one batch that depend on each other still see each other, as when each was its own batch.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "central/store/central_store.hpp"
#include "common/util/hlc.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"
#include "common/util/uuid.hpp"
#include "server_fixture.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace alliance;
using protocol::Entity;
using protocol::Outcome;

namespace {

struct Central {
  test::TempDir dir;
  std::unique_ptr<central::CentralStore> store =
      central::CentralStore::open(test::central_db_spec(dir / "central.db"));

  central::Device enrol(const std::string& office, const std::string& node) {
    const std::string code = store->create_enrolment_code(office, std::chrono::hours(1));
    auto enrolled = store->enroll(
        {.code = code, .device_name = "Desk " + node, .app_version = "test", .hlc_node = node});
    REQUIRE(enrolled.has_value());
    auto device = store->authenticate(enrolled->token);
    REQUIRE(device.has_value());
    return *device;
  }

  std::int64_t rows(const std::string& sql) {
    auto db = central::sql::Connection::open(store->db_spec());
    auto q = db.query(sql);
    REQUIRE(q.step());
    return q.int64(0);
  }
};

// A clock value of `node` `seconds_ago` seconds before now, ordered by the arguments.
std::string clock(const std::string& node, int seconds_ago, std::uint32_t counter = 0) {
  const auto now = util::to_unix_ms(std::chrono::system_clock::now());
  return test::hlc_at(now - seconds_ago * 1000LL, node, counter);
}

model::Member held_member(central::CentralStore& store, const std::string& id) {
  for (auto& record : store.list(Entity::member)) {
    if (auto* m = std::get_if<model::Member>(&record); m != nullptr && m->id == id) return *m;
  }
  FAIL("no member " << id);
  return {};
}

std::vector<Outcome> outcomes(const protocol::PushResponse& response) {
  std::vector<Outcome> out;
  for (const auto& r : response.results) out.push_back(r.outcome);
  return out;
}

}  // namespace

TEST_CASE("a batch holding one change id twice applies it once and answers the copy duplicate") {
  Central central;
  const auto desk = central.enrol("Nairobi", "node-a");
  const auto change = test::change_of(test::member_with_id(1), clock("node-a", 10));
  const auto response = central.store->push(desk, {change, change});
  REQUIRE(response.results.size() == 2);
  CHECK(response.results[0].outcome == Outcome::applied);
  CHECK(response.results[1].outcome == Outcome::duplicate);
  CHECK(response.results[1].change_id == change.change_id);
  CHECK(central.store->count_applied_changes() == 1);
  CHECK(central.store->count_records(Entity::member) == 1);

  SUBCASE("and a copy with another payload is refused as a reused id") {
    auto reused = change;
    std::get<model::Member>(reused.record).family_name = "Otieno";
    const auto again = central.store->push(desk, {change, reused});
    CHECK(again.results[0].outcome == Outcome::duplicate);
    CHECK(again.results[1].outcome == Outcome::rejected);
    CHECK(again.results[1].code == "change_id_reused");
    CHECK(held_member(*central.store, change.entity_id).family_name ==
          std::get<model::Member>(change.record).family_name);
  }
}

TEST_CASE("a refused change held twice in one batch is decided twice and stored once") {
  Central central;
  const auto desk = central.enrol("Nairobi", "node-a");
  auto bad = test::member_with_id(2);
  bad.given_name.clear();
  bad.family_name.clear();
  const auto change = test::change_of(bad, clock("node-a", 10));
  const auto response = central.store->push(desk, {change, change});
  CHECK(outcomes(response) == std::vector{Outcome::rejected, Outcome::rejected});
  CHECK(response.results[1].code == response.results[0].code);
  CHECK(central.store->count_applied_changes() == 1);
  CHECK(central.store->count_records(Entity::member) == 0);
  // Decided again in a later batch too, still one row.
  const auto later = central.store->push(desk, {change});
  CHECK(later.results[0].outcome == Outcome::rejected);
  CHECK(central.store->count_applied_changes() == 1);
}

TEST_CASE("one record edited twice in a batch: the second edit merges over the first") {
  Central central;
  const auto desk = central.enrol("Nairobi", "node-a");
  auto member = test::member_with_id(3);
  const auto created = test::change_of(member, clock("node-a", 30));
  auto renamed = member;
  renamed.family_name = "Wanjiru";
  const auto rename =
      test::change_of(renamed, clock("node-a", 20), {"family_name"}, protocol::Operation::update);
  auto moved = member;  // the region changed, the name as it was before the rename
  moved.region = "Kisumu";
  const auto move =
      test::change_of(moved, clock("node-a", 10), {"region"}, protocol::Operation::update);
  // An edit older than the rename loses the name field.
  auto stale = member;
  stale.family_name = "Old";
  const auto late =
      test::change_of(stale, clock("node-a", 25), {"family_name"}, protocol::Operation::update);
  const auto response = central.store->push(desk, {created, rename, move, late});
  CHECK(outcomes(response) ==
        std::vector{Outcome::applied, Outcome::applied, Outcome::applied, Outcome::conflict});
  REQUIRE(response.results[3].server_record.has_value());
  const auto& answered = std::get<model::Member>(*response.results[3].server_record);
  CHECK(answered.family_name == "Wanjiru");
  CHECK(answered.region == "Kisumu");
  const auto held = held_member(*central.store, member.id);
  CHECK(held.family_name == "Wanjiru");
  CHECK(held.region == "Kisumu");
  CHECK(central.store->count_records(Entity::member) == 1);
  CHECK(central.store->count_applied_changes() == 4);
  // The record holds the batch's last sequence number, and pull's cursor
  // reaches it: another desk of the office pulls the record once.
  CHECK(central.rows("SELECT MAX(seq) FROM records") ==
        central.rows("SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'change_seq'"));
  const auto other = central.enrol("Nairobi", "node-b");
  const auto page = central.store->pull(other, 0, 500);
  REQUIRE(page.changes.size() == 1);
  CHECK(page.changes[0].entity_id == member.id);
  CHECK(page.next_cursor == page.changes[0].seq);
}

TEST_CASE("change ids applied in an earlier batch, mixed with new ones, are answered duplicate") {
  Central central;
  const auto desk = central.enrol("Nairobi", "node-a");
  const auto a = test::change_of(test::member_with_id(4), clock("node-a", 40));
  const auto b = test::change_of(test::member_with_id(5), clock("node-a", 39));
  const auto c = test::change_of(test::member_with_id(6), clock("node-a", 38));
  const auto d = test::change_of(test::member_with_id(7), clock("node-a", 37));
  REQUIRE(outcomes(central.store->push(desk, {a, b})) ==
          std::vector{Outcome::applied, Outcome::applied});
  const auto seq_before = central.store->lineage().server_seq;
  // Another desk of the office replays them: still the stored answers.
  const auto response = central.store->push(desk, {a, c, b, d, c});
  CHECK(outcomes(response) == std::vector{Outcome::duplicate, Outcome::applied, Outcome::duplicate,
                                          Outcome::applied, Outcome::duplicate});
  CHECK(central.store->count_applied_changes() == 4);
  CHECK(central.store->count_records(Entity::member) == 4);
  // Only the two new records took numbers.
  CHECK(central.store->lineage().server_seq == seq_before + 2);
  CHECK(response.central.server_seq == seq_before + 2);
}

TEST_CASE("a check-in naming a member created earlier in the same batch sees its office") {
  Central central;
  const auto nairobi = central.enrol("Nairobi", "node-a");
  const auto mombasa = central.enrol("Mombasa", "node-m");
  const auto member = test::member_with_id(8);
  const std::string event_id = util::new_uuid_v7();
  const model::Attendance visit{.id = util::new_uuid_v7(),
                                .member_id = member.id,
                                .event_id = event_id,
                                .day = "2026-11-28",
                                .checked_in_at = "2026-11-28T09:00:00.000Z"};
  const auto response = central.store->push(nairobi, {test::change_of(member, clock("node-a", 20)),
                                                      test::change_of(visit, clock("node-a", 19))});
  CHECK(outcomes(response) == std::vector{Outcome::applied, Outcome::applied});
  // Another office's desk naming that member is refused, in a batch with one of its own.
  auto theirs = visit;
  theirs.id = util::new_uuid_v7();
  const auto own = test::member_with_id(9);
  const auto refused = central.store->push(mombasa, {test::change_of(own, clock("node-m", 10)),
                                                     test::change_of(theirs, clock("node-m", 9))});
  CHECK(refused.results[0].outcome == Outcome::applied);
  CHECK(refused.results[1].outcome == Outcome::rejected);
  CHECK(refused.results[1].code == "forbidden");
}

TEST_CASE("a batch larger than one multi-row statement's 65,535 parameters is stored whole") {
  // 7,300 changes: 9 columns of applied_changes each are 65,700 values, past
  // PostgreSQL's limit on one statement's parameters had they been bound one by one.
  constexpr int kChanges = 7'300;
  Central central;
  const auto desk = central.enrol("Nairobi", "node-a");
  std::vector<protocol::Change> changes;
  changes.reserve(kChanges);
  const auto now = util::to_unix_ms(std::chrono::system_clock::now());
  for (int i = 0; i < kChanges; ++i) {
    changes.push_back(
        test::change_of(test::member_with_id(i),
                        test::hlc_at(now - 60'000, "node-a", static_cast<std::uint32_t>(i))));
  }
  // A few ids twice, which the batch must apply once.
  changes.push_back(changes[0]);
  changes.push_back(changes[kChanges - 1]);
  const auto response = central.store->push(desk, changes);
  REQUIRE(response.results.size() == changes.size());
  const auto applied = std::count_if(response.results.begin(), response.results.end(),
                                     [](const auto& r) { return r.outcome == Outcome::applied; });
  CHECK(applied == kChanges);
  CHECK(response.results[kChanges].outcome == Outcome::duplicate);
  CHECK(response.results[kChanges + 1].outcome == Outcome::duplicate);
  CHECK(central.store->count_applied_changes() == kChanges);
  CHECK(central.store->count_records(Entity::member) == kChanges);
  CHECK(central.rows("SELECT COUNT(DISTINCT seq) FROM records") == kChanges);
  CHECK(central.store->lineage().server_seq == kChanges);
  // A record's stored JSON survives the list parameter byte for byte.
  const auto& first = std::get<model::Member>(changes[0].record);
  CHECK(held_member(*central.store, first.id).given_name == first.given_name);
}

TEST_CASE("check-ins for a merged-away member in one batch see each other on the kept member") {
  Central central;
  const auto desk = central.enrol("Nairobi", "node-a");
  const auto keep = test::member_with_id(10);
  const auto drop = test::member_with_id(11);
  REQUIRE(outcomes(central.store->push(desk, {test::change_of(keep, clock("node-a", 60)),
                                              test::change_of(drop, clock("node-a", 59))})) ==
          std::vector{Outcome::applied, Outcome::applied});
  REQUIRE(central.store->merge_members(keep.id, drop.id, "admin:test").has_value());
  const std::string event_id = util::new_uuid_v7();
  const auto visit = [&](const std::string& member_id) {
    return model::Attendance{.id = util::new_uuid_v7(),
                             .member_id = member_id,
                             .event_id = event_id,
                             .day = "2026-11-30",
                             .checked_in_at = "2026-11-30T09:00:00.000Z"};
  };
  const auto first = visit(drop.id);
  const auto second = visit(drop.id);
  const auto response = central.store->push(desk, {test::change_of(first, clock("node-a", 5)),
                                                   test::change_of(second, clock("node-a", 4))});
  CHECK(outcomes(response) == std::vector{Outcome::applied, Outcome::applied});
  // The first moved to the kept member; the second is the same visit (the
  // first, written earlier in this batch), so it is voided on the dropped one.
  const auto held_visit = [&](const std::string& id) {
    for (auto& record : central.store->list(Entity::attendance)) {
      if (auto* a = std::get_if<model::Attendance>(&record); a != nullptr && a->id == id) return *a;
    }
    FAIL("no check-in " << id);
    return model::Attendance{};
  };
  CHECK(held_visit(first.id).member_id == keep.id);
  CHECK_FALSE(held_visit(first.id).voided);
  CHECK(held_visit(second.id).member_id == drop.id);
  CHECK(held_visit(second.id).voided);
}

// A new record is made ready before the store's lock (PreparedChange::fresh);
// these are the cases where the server changes it, so that copy must not be
// what is stored.
TEST_CASE("a new record whose clock is far ahead is stored at the server's clock, every field") {
  Central central;
  const auto desk = central.enrol("Nairobi", "node-a");
  const auto member = test::member_with_id(20);
  const auto ahead = central.store->push(desk, {test::change_of(member, clock("node-a", -3600))});
  REQUIRE(ahead.results.size() == 1);
  CHECK(ahead.results[0].outcome == Outcome::applied);
  CHECK(ahead.results[0].code == "clock_clamped");
  const auto held = util::parse_hlc(held_member(*central.store, member.id).hlc);
  REQUIRE(held.has_value());
  CHECK(held->wall_ms <= util::to_unix_ms(std::chrono::system_clock::now()) + 1000);
  // Had the device's clock been kept on a field, this edit (2 s ahead, far
  // behind that clock) would lose on it.
  auto renamed = member;
  renamed.family_name = "Wanjiru";
  const auto edit =
      central.store->push(desk, {test::change_of(renamed, clock("node-a", -2), {"family_name"},
                                                 protocol::Operation::update)});
  REQUIRE(edit.results.size() == 1);
  CHECK(edit.results[0].outcome == Outcome::applied);
  CHECK(held_member(*central.store, member.id).family_name == "Wanjiru");
}

TEST_CASE("a new member sent as merged elsewhere is stored without it: only central merges") {
  Central central;
  const auto desk = central.enrol("Nairobi", "node-a");
  auto member = test::member_with_id(21);
  member.merged_into = util::new_uuid_v7();
  const auto response = central.store->push(desk, {test::change_of(member, clock("node-a", 5))});
  REQUIRE(response.results.size() == 1);
  CHECK(response.results[0].outcome == Outcome::applied);
  CHECK(held_member(*central.store, member.id).merged_into.empty());
}

TEST_CASE("every row of a batch written many rows per statement holds its own values") {
  // 150 changes: on SQLite two statements of 64 rows and 22 single rows;
  // a column bound at the wrong place would move a value to another row.
  Central central;
  const auto desk = central.enrol("Nairobi", "node-a");
  std::vector<protocol::Change> first;
  for (int i = 0; i < 40; ++i) {
    first.push_back(test::change_of(test::member_with_id(i),
                                    clock("node-a", 120, static_cast<std::uint32_t>(i))));
  }
  REQUIRE(central.store->push(desk, first).results.size() == first.size());

  // New members between edits of held ones: inserts and updates share statements.
  std::vector<protocol::Change> batch;
  std::vector<model::Member> expected;
  for (int i = 0; i < 150; ++i) {
    if (i % 4 == 0) {
      auto edited = std::get<model::Member>(first[static_cast<std::size_t>(i / 4)].record);
      edited.family_name =
          util::cat("Ed", static_cast<char>('a' + i / 26), static_cast<char>('a' + i % 26));
      edited.phone = util::cat("+2547", 20000000 + i);
      batch.push_back(test::change_of(edited, clock("node-a", 60, static_cast<std::uint32_t>(i)),
                                      {"family_name", "phone"}, protocol::Operation::update));
    } else {
      batch.push_back(test::change_of(test::member_with_id(1000 + i),
                                      clock("node-a", 60, static_cast<std::uint32_t>(i))));
    }
    expected.push_back(std::get<model::Member>(batch.back().record));
  }
  const auto response = central.store->push(desk, batch);
  REQUIRE(response.results.size() == batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    CAPTURE(i);
    CHECK(response.results[i].change_id == batch[i].change_id);
    CAPTURE(response.results[i].code);
    CAPTURE(response.results[i].message);
    CHECK(response.results[i].outcome == Outcome::applied);
    const auto held = held_member(*central.store, expected[i].id);
    CHECK(held.family_name == expected[i].family_name);
    CHECK(held.phone == expected[i].phone);
    CHECK(held.given_name == expected[i].given_name);
  }
  CHECK(central.store->count_records(Entity::member) == 40 + 150 - 38);
  // Each change's stored row names its own change and record.
  auto db = central::sql::Connection::open(central.store->db_spec());
  auto q = db.query("SELECT change_id, entity_id, outcome, result_json FROM applied_changes");
  std::size_t seen = 0;
  while (q.step()) {
    const auto sent = std::find_if(batch.begin(), batch.end(), [&](const protocol::Change& c) {
      return c.change_id == q.text(0);
    });
    if (sent == batch.end()) continue;
    ++seen;
    CAPTURE(q.text(0));
    CHECK(q.text(1) == sent->entity_id);
    CHECK(q.text(2) == "applied");
    CHECK(q.text(3).empty());  // applied as sent: nothing to store (schema 16)
  }
  CHECK(seen == batch.size());
  // Pulled in the order written: the batch's records after the first batch's.
  const auto reader = central.enrol("Nairobi", "node-b");
  const auto page = central.store->pull(reader, 40, 500);
  REQUIRE(page.changes.size() == batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    CAPTURE(i);
    CHECK(page.changes[i].entity_id == batch[i].entity_id);
  }
}

TEST_CASE("a change applied as sent is stored without a result and replays as duplicate") {
  Central central;
  const auto desk = central.enrol("Nairobi", "node-a");
  const std::vector<protocol::Change> sent{
      test::change_of(test::member_with_id(30), clock("node-a", 10)),
      test::change_of(test::member_with_id(31), clock("node-a", 9)),
      // Applied with a code to tell: stored in full.
      test::change_of(test::member_with_id(32), clock("node-a", -3600))};
  const auto first = central.store->push(desk, sent);
  REQUIRE(first.results.size() == 3);
  CHECK(first.results[2].code == "clock_clamped");
  CHECK(central.rows("SELECT count(*) FROM applied_changes WHERE result_json = ''") == 2);
  CHECK(central.rows("SELECT count(*) FROM applied_changes WHERE result_json LIKE "
                     "'%clock_clamped%'") == 1);
  // A row written before schema 16 holds its JSON, and is read as it is.
  {
    auto db = central::sql::Connection::open(central.store->db_spec());
    db.query("UPDATE applied_changes SET result_json = ?1 WHERE change_id = ?2")
        .bind(1, util::cat("{\"change_id\":\"", sent[1].change_id, "\",\"outcome\":\"applied\"}"))
        .bind(2, sent[1].change_id)
        .run();
  }
  const auto replay = central.store->push(desk, sent);
  REQUIRE(replay.results.size() == 3);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    CAPTURE(i);
    CHECK(replay.results[i].change_id == sent[i].change_id);
    CHECK(replay.results[i].outcome == Outcome::duplicate);
    CHECK(replay.results[i].code == first.results[i].code);
    CHECK(replay.results[i].message == first.results[i].message);
    CHECK_FALSE(replay.results[i].server_record.has_value());
  }
  CHECK(central.store->count_applied_changes() == 3);
  CHECK(central.store->count_records(Entity::member) == 3);
}
