// alliance-central migrate: a device enrolled against a SQLite central keeps syncing against the
// PostgreSQL copy (same token, no duplicates, cursors continue), and the copy is verified.
#include <doctest/doctest.h>

#include <sstream>

#include "central/admin/cli.hpp"
#include "server_fixture.hpp"

using namespace alliance;
using protocol::Outcome;

namespace {

struct CliRun {
  int code = 0;
  std::string out;
  std::string err;
};

CliRun migrate(const std::string& from, const std::string& to) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = central::run_cli({"migrate", "--from", from, "--to", to}, out, err);
  return {code, out.str(), err.str()};
}

std::vector<protocol::Change> members(int from, int count, const std::string& node) {
  std::vector<protocol::Change> changes;
  for (int i = from; i < from + count; ++i) {
    changes.push_back(test::change_of(test::member_with_id(i), test::hlc_at(1'000 + i, node)));
  }
  return changes;
}

}  // namespace

TEST_CASE("a SQLite central migrated to PostgreSQL keeps its devices syncing") {
  test::TempDir dir;
  const std::string file = (dir / "central.db").string();
  protocol::EnrollResponse writer;
  protocol::EnrollResponse reader;
  std::vector<protocol::Change> before;
  std::int64_t reader_cursor = 0;
  std::string unused_code;
  std::vector<std::string> writer_prefixes;
  central::DeviceListing writer_listing;
  {
    test::TestServer sqlite(file, central::ServerOptions{});
    writer = sqlite.enroll("Nairobi", "writer-node");
    reader = sqlite.enroll("Nairobi", "reader-node");
    auto client = sqlite.client();
    before = members(0, 30, "writer-node");
    for (const auto& r : test::push(*client, writer.token, before).results) {
      CHECK(r.outcome == Outcome::applied);
    }
    const auto page = test::pull(*client, reader.token, 0, 500);
    CHECK(page.changes.size() == 30);
    reader_cursor = page.next_cursor;
    unused_code = sqlite.store().create_enrolment_code("Nairobi", std::chrono::hours(1));
    writer_prefixes = sqlite.store().code_prefixes_of(writer.device_id);
    // The writer reports its queue (schema 9); the reader never does.
    auto headers = test::bearer(writer.token);
    headers.emplace(std::string(protocol::kQueueDepthHeader), "17");
    REQUIRE(client->Get("/v1/sync/pull?cursor=0&limit=1", headers)->status == 200);
    for (const auto& d : sqlite.store().list_devices()) {
      if (d.id == writer.device_id) writer_listing = d;
    }
    REQUIRE(writer_listing.queue_depth == 17);
  }

  const std::string url = test::shared_pg_cluster().new_database();
  const auto run = migrate(file, url);
  CAPTURE(run.err);
  REQUIRE(run.code == 0);
  for (const char* table :
       {"meta", "enrolment_codes", "devices", "code_prefixes", "records", "applied_changes"}) {
    CHECK(run.out.find(std::string(table) + ": ") != std::string::npos);
  }
  CHECK(run.out.find("records: 30 rows") != std::string::npos);
  CHECK(run.out.find("applied_changes: 30 rows") != std::string::npos);

  test::TestServer postgres(url, central::ServerOptions{});
  // Every device column came along, the reported queue depth and its time too.
  for (const auto& d : postgres.store().list_devices()) {
    if (d.id == writer.device_id) {
      CHECK(d.queue_depth == 17);
      CHECK(d.queue_depth_at == writer_listing.queue_depth_at);
      CHECK(d.last_contact_at == writer_listing.last_contact_at);
    } else {
      CHECK(d.id == reader.device_id);
      CHECK_FALSE(d.queue_depth.has_value());
      CHECK(d.queue_depth_at.empty());
    }
  }
  auto client = postgres.client();
  // The same token; the old changes are known (duplicates), new ones apply.
  for (const auto& r : test::push(*client, writer.token, before).results) {
    CHECK(r.outcome == Outcome::duplicate);
  }
  const auto after = members(30, 10, "writer-node");
  for (const auto& r : test::push(*client, writer.token, after).results) {
    CHECK(r.outcome == Outcome::applied);
  }
  CHECK(postgres.store().count_records(protocol::Entity::member) == 40);
  CHECK(postgres.store().count_applied_changes() == 40);
  CHECK(postgres.store().code_prefixes_of(writer.device_id) == writer_prefixes);
  // The reader's cursor continues: exactly the ten new records.
  const auto page = test::pull(*client, reader.token, reader_cursor, 500);
  REQUIRE(page.changes.size() == 10);
  for (std::size_t i = 0; i < page.changes.size(); ++i) {
    CHECK(page.changes[i].seq > reader_cursor);
    CHECK(page.changes[i].entity_id == after[i].entity_id);
  }
  // Enrolment codes came along, used or not.
  CHECK(postgres.store().enroll({.code = unused_code, .device_name = "late"}).has_value());

  // A database that already holds a central is refused.
  const auto again = migrate(file, url);
  CHECK(again.code == 1);
  CHECK(again.err.find("already holds") != std::string::npos);
}

TEST_CASE("migrate refuses what it cannot copy, with a reason") {
  test::TempDir dir;
  const std::string url = test::shared_pg_cluster().new_database();
  const auto missing = migrate((dir / "none.db").string(), url);
  CHECK(missing.code == 1);
  CHECK(missing.err.find("existing central SQLite file") != std::string::npos);
  const auto not_pg = migrate((dir / "none.db").string(), (dir / "other.db").string());
  CHECK(not_pg.code == 1);
  CHECK(not_pg.err.find("PostgreSQL URL") != std::string::npos);
  // An unreachable server: a clear error, and the password never shown.
  central::CentralStore::open((dir / "central.db").string());
  const auto unreachable =
      migrate((dir / "central.db").string(), "postgresql://user:s3cret@127.0.0.1:1/nothing");
  CHECK(unreachable.code == 1);
  CHECK(unreachable.err.find("cannot connect to PostgreSQL") != std::string::npos);
  CHECK(unreachable.err.find("s3cret") == std::string::npos);
}
