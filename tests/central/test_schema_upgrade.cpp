// A SQLite central made before schema 13 (records and applied_changes as
// WITHOUT ROWID tables) and 14 (entity checks as IN lists) is upgraded in
// place on open: every record, change result, console key and sequence
// survives, and devices see no difference. SQLite only: the PostgreSQL steps
// change no table.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "central/store/central_store.hpp"
#include "common/store/database.hpp"
#include "common/util/time.hpp"
#include "server_fixture.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;
using protocol::Entity;
using protocol::Outcome;

namespace {

std::string clock_ago(const std::string& node, int seconds_ago) {
  const auto now = util::to_unix_ms(std::chrono::system_clock::now());
  return test::hlc_at(now - seconds_ago * 1000LL, node, 0);
}

central::Device enrol(central::CentralStore& store, const std::string& node) {
  const std::string code = store.create_enrolment_code("Nairobi", std::chrono::hours(1));
  auto enrolled = store.enroll(
      {.code = code, .device_name = "Desk " + node, .app_version = "test", .hlc_node = node});
  REQUIRE(enrolled.has_value());
  auto device = store.authenticate(enrolled->token);
  REQUIRE(device.has_value());
  return *device;
}

std::string table_sql(store::Database& db, const std::string& table) {
  auto q = db.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1");
  q.bind_all(table);
  REQUIRE(q.step());
  return q.text(0);
}

// Puts the three tables back as schema 12 defined them (0001_initial.sql and
// 0007_console_history.sql), rows and all, as a central of before holds them.
void rebuild_as_schema_12(const std::filesystem::path& path) {
  auto db = store::Database::open(path);
  store::Transaction tx(db);
  db.exec(
      "CREATE TABLE records_v12 (entity TEXT NOT NULL CHECK (entity IN ('member', 'event', "
      "'attendance', 'pack', 'request')), id TEXT NOT NULL, office TEXT NOT NULL DEFAULT '', "
      "json TEXT NOT NULL, field_hlcs TEXT NOT NULL, hlc TEXT NOT NULL, seq INTEGER NOT NULL "
      "UNIQUE, last_device TEXT NOT NULL DEFAULT '', PRIMARY KEY (entity, id)) WITHOUT ROWID");
  db.exec(
      "INSERT INTO records_v12 SELECT entity, id, office, json, field_hlcs, hlc, seq, "
      "last_device FROM records");
  db.exec("DROP TABLE records");
  db.exec("ALTER TABLE records_v12 RENAME TO records");
  db.exec(
      "CREATE TABLE applied_changes_v12 (change_id TEXT PRIMARY KEY, payload_hash TEXT NOT NULL, "
      "device_id TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, outcome TEXT NOT "
      "NULL, result_json TEXT NOT NULL, applied_at TEXT NOT NULL, changed_fields TEXT) WITHOUT "
      "ROWID");
  db.exec(
      "INSERT INTO applied_changes_v12 SELECT change_id, payload_hash, device_id, entity, "
      "entity_id, outcome, result_json, applied_at, changed_fields FROM applied_changes");
  db.exec("DROP TABLE applied_changes");
  db.exec("ALTER TABLE applied_changes_v12 RENAME TO applied_changes");
  db.exec("CREATE INDEX applied_changes_by_entity ON applied_changes (entity, entity_id)");
  db.exec(
      "CREATE TABLE record_keys_v12 (entity TEXT NOT NULL CHECK (entity IN ('member', "
      "'attendance', 'request')), id TEXT NOT NULL, office TEXT NOT NULL, hidden INTEGER NOT "
      "NULL, day TEXT NOT NULL, member_id TEXT NOT NULL, event_id TEXT NOT NULL, status TEXT NOT "
      "NULL, name_key TEXT NOT NULL, phone TEXT NOT NULL, email TEXT NOT NULL, code_key TEXT NOT "
      "NULL, country TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (entity, id))");
  db.exec("INSERT INTO record_keys_v12 SELECT * FROM record_keys");
  db.exec("DROP TABLE record_keys");
  db.exec("ALTER TABLE record_keys_v12 RENAME TO record_keys");
  db.exec("CREATE INDEX record_keys_by_office_name ON record_keys (entity, office, name_key)");
  db.exec("PRAGMA user_version = 12");
  tx.commit();
}

std::vector<std::string> key_rows(store::Database& db) {
  std::vector<std::string> out;
  auto q = db.query(
      "SELECT entity || ' ' || id || ' ' || office || ' ' || name_key || ' ' || phone FROM "
      "record_keys ORDER BY entity, id");
  while (q.step()) out.push_back(q.text(0));
  return out;
}

// Whether SQLite refuses a row of `table` whose entity is `entity`.
bool entity_refused(store::Database& db, const std::string& table, const std::string& entity) {
  const std::string columns =
      table == "records" ? "(entity, id, json, field_hlcs, hlc, seq) VALUES (?1, 'x', '{}', '', "
                           "'', 999999)"
                         : "(entity, id, office, hidden, day, member_id, event_id, status, "
                           "name_key, phone, email, code_key, country, role) VALUES (?1, 'x', '', "
                           "0, '', '', '', '', '', '', '', '', '', '')";
  store::Transaction tx(db);
  try {
    db.query("INSERT INTO " + table + " " + columns).bind_all(entity).run();
  } catch (const store::StoreError& e) {
    return (e.sqlite_code() & 0xff) == SQLITE_CONSTRAINT;
  }
  return false;  // the transaction rolls the row back
}

// What a device pulling from the start gets, in order: record id and sequence.
std::vector<std::pair<std::string, std::int64_t>> pulled(central::CentralStore& store,
                                                         const central::Device& device) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  const auto page = store.pull(device, 0, 1000);
  for (const auto& change : page.changes) out.emplace_back(change.entity_id, change.seq);
  return out;
}

std::vector<std::string> held(central::CentralStore& store) {
  std::vector<std::string> out;
  for (const auto& record : store.list(Entity::member))
    out.push_back(protocol::encode_record(record));
  return out;
}

}  // namespace

TEST_CASE("SQLite: a schema 12 central is upgraded on open and keeps every record and answer") {
  test::TempDir dir;
  const auto path = dir / "central.db";
  std::vector<protocol::Change> sent;
  for (int i = 1; i <= 40; ++i) {
    sent.push_back(test::change_of(test::member_with_id(i), clock_ago("node-a", 100 - i)));
  }
  auto renamed = std::get<model::Member>(sent[6].record);
  renamed.family_name = "Wanjiru";
  sent.push_back(test::change_of(renamed, clock_ago("node-a", 10), {"family_name"},
                                 protocol::Operation::update));
  auto nameless = test::member_with_id(41);
  nameless.given_name.clear();
  nameless.family_name.clear();
  sent.push_back(test::change_of(nameless, clock_ago("node-a", 5)));

  protocol::PushResponse first;
  central::Device desk;
  central::Device reader;
  std::vector<std::string> held_before;
  std::vector<std::pair<std::string, std::int64_t>> pulled_before;
  std::vector<std::string> keys_before;
  {
    auto store = central::CentralStore::open(path.string());
    desk = enrol(*store, "node-a");
    reader = enrol(*store, "node-b");
    first = store->push(desk, sent);
    REQUIRE(first.results.size() == sent.size());
    CHECK(first.results[40].outcome == Outcome::applied);
    CHECK(first.results[41].outcome == Outcome::rejected);
    held_before = held(*store);
    pulled_before = pulled(*store, reader);
    CHECK(pulled_before.size() == 40);
  }
  // Opening catches the console's keys up with every record pushed.
  central::CentralStore::open(path.string()).reset();
  {
    auto db = store::Database::open(path);
    keys_before = key_rows(db);
    CHECK(keys_before.size() == 40);
  }
  rebuild_as_schema_12(path);
  {
    auto db = store::Database::open(path);
    REQUIRE(table_sql(db, "records").find("WITHOUT ROWID") != std::string::npos);
    REQUIRE(table_sql(db, "record_keys").find("entity IN (") != std::string::npos);
  }

  auto store = central::CentralStore::open(path.string());
  {
    auto db = store::Database::open(path);
    CHECK(table_sql(db, "records").find("WITHOUT ROWID") == std::string::npos);
    CHECK(table_sql(db, "applied_changes").find("WITHOUT ROWID") == std::string::npos);
    auto version = db.query("PRAGMA user_version");
    REQUIRE(version.step());
    CHECK(version.int64(0) == 16);
    auto check = db.query("PRAGMA integrity_check");
    REQUIRE(check.step());
    CHECK(check.text(0) == "ok");
    // Schema 14: the checks hold as before, without IN lists.
    for (const std::string table : {"records", "record_keys"}) {
      CAPTURE(table);
      CHECK(table_sql(db, table).find(" IN (") == std::string::npos);
      CHECK(entity_refused(db, table, "bogus"));
      CHECK(entity_refused(db, table, ""));
      CHECK_FALSE(entity_refused(db, table, "member"));
    }
    CHECK(entity_refused(db, "record_keys", "event"));
    CHECK_FALSE(entity_refused(db, "records", "event"));
    CHECK(key_rows(db) == keys_before);
    auto indexes = db.query(
        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'record_keys' "
        "AND sql IS NOT NULL");
    REQUIRE(indexes.step());
    CHECK(indexes.int64(0) == 6);
  }
  CHECK(held(*store) == held_before);
  CHECK(pulled(*store, reader) == pulled_before);
  CHECK(store->count_applied_changes() == static_cast<std::int64_t>(sent.size()));

  // The device replays the whole batch, as after a lost answer: the answers
  // stored before the upgrade come back, and nothing is applied twice.
  const auto replay = store->push(desk, sent);
  REQUIRE(replay.results.size() == sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    CAPTURE(i);
    const auto expected =
        first.results[i].outcome == Outcome::rejected ? Outcome::rejected : Outcome::duplicate;
    CHECK(replay.results[i].outcome == expected);
    CHECK(replay.results[i].code == first.results[i].code);
    CHECK(replay.results[i].errors == first.results[i].errors);
  }
  CHECK(store->count_applied_changes() == static_cast<std::int64_t>(sent.size()));

  // A new record goes after every older one in the pull order.
  const auto added = test::member_with_id(42);
  const auto more = store->push(desk, {test::change_of(added, clock_ago("node-a", 1))});
  REQUIRE(more.results.size() == 1);
  CHECK(more.results[0].outcome == Outcome::applied);
  const auto after = pulled(*store, reader);
  REQUIRE(after.size() == pulled_before.size() + 1);
  CHECK(std::equal(pulled_before.begin(), pulled_before.end(), after.begin()));
  CHECK(after.back().first == added.id);
  CHECK(after.back().second > pulled_before.back().second);
}
