// Schema migrations: from an empty file, from every earlier version, and refusing newer files.
#include <doctest/doctest.h>

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
