// Schema migrations: from an empty file, from every earlier version, and refusing newer files.
#include <doctest/doctest.h>

#include "common/model/text.hpp"
#include "common/store/migrations.hpp"
#include "common/store/store.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;

namespace {

std::int64_t count(store::Database& db, const std::string& sql) {
  auto q = db.query(sql);
  q.step();
  return q.int64(0);
}

}  // namespace

TEST_CASE("the device schema is numbered without gaps") {
  const auto& schema = store::device_schema();
  REQUIRE(schema.latest_version() >= 2);
  for (std::size_t i = 0; i < schema.migrations.size(); ++i) {
    CHECK(schema.migrations[i].version == static_cast<int>(i) + 1);
  }
}

TEST_CASE("an empty file is migrated to the latest schema") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  CHECK(store::schema_version(s.db()) == store::device_schema().latest_version());
  auto q = s.db().query("PRAGMA journal_mode");
  REQUIRE(q.step());
  CHECK(q.text(0) == "wal");
}

TEST_CASE("every earlier schema version upgrades with its data intact") {
  const int latest = store::device_schema().latest_version();
  for (int from = 1; from < latest; ++from) {
    CAPTURE(from);
    test::TempDir dir;
    {
      auto db = store::Database::open(dir / "kiosk.db");
      store::migrate(db, store::device_schema(), from);
      REQUIRE(store::schema_version(db) == from);
      // A member as schema 1 stores it: the columns every version has.
      db.exec(
          "INSERT INTO members (id, kind, reference_code, given_name, family_name, phone, "
          "country, created_at, updated_at, hlc) VALUES ('0190f1c2-0000-7000-8000-000000000001', "
          "'individual', 'K7QM-4XR9', 'José', 'Núñez', '+254712345678', 'KE', "
          "'2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'x')");
    }
    auto s = store::Store::open(dir / "kiosk.db");
    CHECK(store::schema_version(s.db()) == latest);
    auto m = s.find_member("0190f1c2-0000-7000-8000-000000000001");
    REQUIRE(m.has_value());
    CHECK(m->family_name == "Núñez");
    // Search, added in schema 2, finds members that existed before it.
    auto hits = s.search_members("jose nun");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].member.id == m->id);
  }
}

TEST_CASE("migrating twice is harmless") {
  test::TempDir dir;
  { auto s = store::Store::open(dir / "kiosk.db"); }
  auto db = store::Database::open(dir / "kiosk.db");
  store::migrate(db, store::device_schema());
  CHECK(store::schema_version(db) == store::device_schema().latest_version());
  CHECK(count(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'members'") == 1);
}

TEST_CASE("a file written by a newer version is refused with advice to upgrade") {
  test::TempDir dir;
  { auto s = store::Store::open(dir / "kiosk.db"); }
  {
    auto db = store::Database::open(dir / "kiosk.db");
    db.exec("PRAGMA user_version = " + std::to_string(store::device_schema().latest_version() + 1));
  }
  try {
    store::Store::open(dir / "kiosk.db");
    FAIL("a newer file must be refused");
  } catch (const store::StoreError& e) {
    const std::string message = e.what();
    CHECK(message.find("newer version") != std::string::npos);
    CHECK(message.find("install the newer version") != std::string::npos);
  }
  // The refusal changed nothing.
  auto db = store::Database::open(dir / "kiosk.db");
  CHECK(store::schema_version(db) == store::device_schema().latest_version() + 1);
}

TEST_CASE("a failing migration leaves the file at its old version") {
  test::TempDir dir;
  {
    auto db = store::Database::open(dir / "kiosk.db");
    store::migrate(db, store::device_schema(), 1);
    // Make migration 2 fail: the table it creates already exists.
    db.exec("CREATE TABLE member_search (x)");
  }
  auto db = store::Database::open(dir / "kiosk.db");
  CHECK_THROWS_AS(store::migrate(db, store::device_schema()), store::StoreError);
  CHECK(store::schema_version(db) == 1);
  CHECK(count(db, "SELECT count(*) FROM pragma_table_info('members') WHERE name = 'name_key'") ==
        0);
}

namespace {

// A member as the schema 2 store wrote it: its search key made by the
// hand-written folding of that version, in members.name_key and member_search.
void insert_schema2_member(store::Database& db, int n, const std::string& given,
                           const std::string& family, const std::string& old_key) {
  const std::string id = "0190f1c2-0000-7000-8000-00000000000" + std::to_string(n);
  db.query(
        "INSERT INTO members (id, kind, reference_code, given_name, family_name, phone, country, "
        "created_at, updated_at, hlc, name_key) VALUES (?, 'individual', ?, ?, ?, ?, 'KE', "
        "'2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'x', ?)")
      .bind_all(id, "K7QM-4XR" + std::to_string(n), given, family,
                "+25471234567" + std::to_string(n), old_key)
      .run();
  db.query("INSERT INTO member_search (rowid, names) VALUES (?, ?)")
      .bind_all(db.last_insert_rowid(), old_key)
      .run();
}

std::vector<std::string> found_ids(store::Store& s, std::string_view query) {
  std::vector<std::string> ids;
  for (const auto& hit : s.search_members(query)) ids.push_back(hit.member.id);
  return ids;
}

}  // namespace

TEST_CASE("a schema 2 file with members gets ICU search keys when it is opened") {
  test::TempDir dir;
  {
    auto db = store::Database::open(dir / "kiosk.db");
    store::migrate(db, store::device_schema(), 2);
    insert_schema2_member(db, 1, "Александра", "Иванова", "александра иванова");
    insert_schema2_member(db, 2, "Hà", "Nguyễn Thị", "ha nguyễn thị");
    insert_schema2_member(db, 3, "Aminata", "N’Diaye", "aminata n’diaye");
    insert_schema2_member(db, 4, "José", "Núñez", "jose nunez");
  }
  {
    // What the old keys could not do.
    auto db = store::Database::open(dir / "kiosk.db");
    CHECK(count(db, "SELECT count(*) FROM member_search WHERE member_search MATCH 'nguyen'") == 0);
  }
  auto s = store::Store::open(dir / "kiosk.db");
  CHECK(store::schema_version(s.db()) == store::device_schema().latest_version());
  CHECK(s.meta("search_keys") == model::search_key_version());
  CHECK(found_ids(s, "aleksandra") ==
        std::vector<std::string>{"0190f1c2-0000-7000-8000-000000000001"});
  CHECK(found_ids(s, "nguyen thi ha") ==
        std::vector<std::string>{"0190f1c2-0000-7000-8000-000000000002"});
  CHECK(found_ids(s, "ndiaye") == std::vector<std::string>{"0190f1c2-0000-7000-8000-000000000003"});
  CHECK(found_ids(s, "nunez") == std::vector<std::string>{"0190f1c2-0000-7000-8000-000000000004"});
  // One index row per member, each holding the member's new key.
  CHECK(count(s.db(), "SELECT count(*) FROM member_search") == 4);
  CHECK(count(s.db(),
              "SELECT count(*) FROM members JOIN member_search ON "
              "member_search.rowid = members.rowid WHERE names = name_key") == 4);
  auto q = s.db().query("SELECT name_key FROM members ORDER BY id");
  std::vector<std::string> keys;
  while (q.step()) keys.push_back(q.text(0));
  CHECK(keys == std::vector<std::string>{"aleksandra ivanova", "ha nguyen thi", "aminata ndiaye",
                                         "jose nunez"});
}

TEST_CASE("search keys made by other rules or another ICU are rebuilt once, on open") {
  test::TempDir dir;
  std::string id;
  {
    auto s = store::Store::open(dir / "kiosk.db");
    auto m = test::sample_member(0);
    m.given_name = "Ștefan";
    m.family_name = "Țurcanu";
    id = s.register_member(m, test::kenya_context())->member.id;
    CHECK_FALSE(s.refresh_search_keys());  // made by this program: nothing to do
    // As if an older ICU had made them.
    s.set_meta("search_keys", "rules 1, ICU 0.0, Unicode 0.0");
    s.db().exec("UPDATE members SET name_key = 'x'; DELETE FROM member_search;");
  }
  auto s = store::Store::open(dir / "kiosk.db");
  CHECK(s.meta("search_keys") == model::search_key_version());
  CHECK(found_ids(s, "stefan turcanu") == std::vector<std::string>{id});
  CHECK(found_ids(s, "st") == std::vector<std::string>{id});  // the prefix index too
  CHECK_FALSE(s.refresh_search_keys());
}

TEST_CASE("a rebuild that changes few keys replaces just their index rows") {
  test::TempDir dir;
  std::vector<std::string> ids;
  {
    auto s = store::Store::open(dir / "kiosk.db");
    for (int i = 0; i < 4; ++i) {
      ids.push_back(s.register_member(test::sample_member(i), test::kenya_context())->member.id);
    }
    // One key as other rules made it, in the table and in the index.
    s.set_meta("search_keys", "rules 0, ICU 0.0, Unicode 0.0");
    s.db().query("UPDATE members SET name_key = 'zzz' WHERE id = ?").bind_all(ids[1]).run();
    s.db().exec(
        "UPDATE member_search SET names = 'zzz' WHERE rowid = "
        "(SELECT rowid FROM members WHERE name_key = 'zzz')");
  }
  auto s = store::Store::open(dir / "kiosk.db");
  CHECK(found_ids(s, "zzz").empty());
  CHECK(found_ids(s, "jose wanjiru") == std::vector<std::string>{ids[1]});  // sample_member(1)
  CHECK(count(s.db(), "SELECT count(*) FROM member_search") == 4);
  CHECK(count(s.db(),
              "SELECT count(*) FROM members JOIN member_search ON "
              "member_search.rowid = members.rowid WHERE names = name_key") == 4);
}

TEST_CASE("schema 4 rebuilds the outbox with every row, state and its sequence") {
  test::TempDir dir;
  {
    auto db = store::Database::open(dir / "kiosk.db");
    store::migrate(db, store::device_schema(), 3);
    db.exec(
        "INSERT INTO outbox (seq, change_id, entity, entity_id, op, hlc, payload, created_at, "
        "state, outcome, reject_code, reject_message, resolved_at) VALUES "
        "(7, 'c-acked', 'member', 'm1', 'create', 'h', '{}', 't', 'acked', 'applied', '', '', "
        "'r'), (9, 'c-rejected', 'member', 'm2', 'create', 'h', '{}', 't', 'rejected', "
        "'rejected', 'forbidden', 'another office', 'r'), (12, 'c-pending', 'member', 'm3', "
        "'update', 'h', '{}', 't', 'pending', '', '', '', '')");
  }
  auto s = store::Store::open(dir / "kiosk.db");
  REQUIRE(store::schema_version(s.db()) >= 4);
  const auto counts = s.queue_counts();
  CHECK(counts.acked == 1);
  CHECK(counts.rejected == 1);
  CHECK(counts.pending == 1);
  CHECK(counts.held == 0);
  const auto rejected = s.outbox_entry("c-rejected");
  REQUIRE(rejected.has_value());
  CHECK(rejected->seq == 9);
  CHECK(rejected->reject_message == "another office");
  CHECK(rejected->attempts == 0);
  // The new states are allowed, and new changes keep counting after the old ones.
  CHECK(s.discard("c-rejected"));
  auto saved = s.register_member(test::sample_member(1), test::kenya_context());
  REQUIRE(saved.has_value());
  const auto changes = s.changes_for(saved->member.id);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].seq > 12);
}
