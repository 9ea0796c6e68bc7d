// The outbox and pull as the agent uses them: batches, acks, rejections, cursor, status.
#include <doctest/doctest.h>

#include "common/protocol/codec.hpp"
#include "common/store/store.hpp"
#include "common/util/hlc.hpp"
#include "common/util/uuid.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;

namespace {

std::vector<std::string> register_many(store::Store& s, int n, int offset = 0) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) {
    auto saved = s.register_member(test::sample_member(offset + i), test::kenya_context());
    REQUIRE(saved.has_value());
    ids.push_back(saved->member.id);
  }
  return ids;
}

}  // namespace

TEST_CASE("batches come in order and are bounded by count and bytes") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  register_many(s, 10);
  auto all = s.next_batch(100, 1 << 20);
  REQUIRE(all.size() == 10);
  for (std::size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].seq < all[i].seq);

  CHECK(s.next_batch(3, 1 << 20).size() == 3);
  const std::size_t one = all[0].payload.size();
  const auto by_bytes = s.next_batch(100, one * 2 + one / 2);
  CHECK(by_bytes.size() == 2);
  // A change larger than the byte bound still goes, alone, so it cannot block the queue.
  const auto tiny = s.next_batch(100, 1);
  REQUIRE(tiny.size() == 1);
  CHECK(tiny[0].change_id == all[0].change_id);
}

TEST_CASE("acknowledged changes leave the queue and rejected ones stay visible") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  register_many(s, 5);
  auto batch = s.next_batch(3, 1 << 20);
  REQUIRE(batch.size() == 3);
  s.acknowledge({{batch[0].change_id, protocol::Outcome::applied},
                 {batch[1].change_id, protocol::Outcome::duplicate},
                 {"not-a-change", protocol::Outcome::applied}});
  s.reject(batch[2].change_id, "validation_failed", "phone number is not valid");

  auto counts = s.queue_counts();
  CHECK(counts.pending == 2);
  CHECK(counts.acked == 2);
  CHECK(counts.rejected == 1);
  auto rejected = s.rejected_changes();
  REQUIRE(rejected.size() == 1);
  CHECK(rejected[0].change_id == batch[2].change_id);
  CHECK(rejected[0].reject_code == "validation_failed");
  CHECK(rejected[0].reject_message == "phone number is not valid");

  // The rejected change does not block the rest.
  auto next = s.next_batch(10, 1 << 20);
  REQUIRE(next.size() == 2);
  CHECK(next[0].seq > batch[2].seq);
  // A late ack cannot resurrect or overwrite a rejection.
  s.acknowledge({{batch[2].change_id, protocol::Outcome::applied}});
  CHECK(s.queue_counts().rejected == 1);
}

TEST_CASE("pulled records are applied with the cursor in one transaction") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  CHECK(s.pull_cursor() == 0);

  model::Member remote = test::sample_member(50);
  remote.id = util::new_uuid_v7();
  remote.reference_code = "K7QM-4XR9";
  remote.created_at = remote.updated_at = "2026-11-01T10:00:00.000Z";
  remote.hlc = util::Hlc{.wall_ms = 1'700'000'000'000, .counter = 3, .node = "other"}.to_string();
  model::ResourcePack pack{.id = "GL-01",
                           .title = "Supervision guidelines",
                           .languages = {"en"},
                           .format = model::PackFormat::digital,
                           .stock = {{"Nairobi", 7}}};
  s.apply_pulled({{.seq = 1,
                   .entity = protocol::Entity::member,
                   .entity_id = remote.id,
                   .hlc = remote.hlc,
                   .record = remote},
                  {.seq = 2,
                   .entity = protocol::Entity::pack,
                   .entity_id = pack.id,
                   .hlc = remote.hlc,
                   .record = pack}},
                 2);
  CHECK(s.pull_cursor() == 2);
  auto found = s.find_member(remote.id);
  REQUIRE(found.has_value());
  CHECK(found->email == remote.email);
  CHECK(s.search_members("K7QM-4XR9").size() == 1);
  REQUIRE(s.list_packs().size() == 1);
  CHECK(s.list_packs()[0].stock_at("Nairobi") == 7);
  // Pulled records are not pushed back.
  CHECK(s.queue_counts().pending == 0);

  // The clock has moved past what it saw, so a local edit wins later merges.
  auto edited = *found;
  edited.region = "Mombasa";
  auto updated = s.update_member(edited, test::kenya_context());
  REQUIRE(updated.has_value());
  CHECK(updated->hlc > remote.hlc);
}

TEST_CASE("a local change waiting to be pushed is not overwritten by a pull") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  auto ids = register_many(s, 1);
  auto local = s.find_member(ids[0]);
  REQUIRE(local.has_value());
  auto remote = *local;
  remote.region = "Server's region";
  s.apply_pulled({{.seq = 9,
                   .entity = protocol::Entity::member,
                   .entity_id = remote.id,
                   .hlc = remote.hlc,
                   .record = remote}},
                 9);
  CHECK(s.find_member(ids[0])->region == "Nairobi");
  CHECK(s.pull_cursor() == 9);

  // Once acknowledged, the server's merged record is taken.
  auto batch = s.next_batch(10, 1 << 20);
  std::vector<store::Ack> acks;
  for (const auto& e : batch) acks.push_back({e.change_id, protocol::Outcome::applied});
  s.acknowledge(acks);
  s.apply_pulled({{.seq = 10,
                   .entity = protocol::Entity::member,
                   .entity_id = remote.id,
                   .hlc = remote.hlc,
                   .record = remote}},
                 10);
  CHECK(s.find_member(ids[0])->region == "Server's region");
}

TEST_CASE("status written by the agent reads back and sync now is a row") {
  test::TempDir dir;
  auto agent = store::Store::open(dir / "kiosk.db");
  auto kiosk = store::Store::open(dir / "kiosk.db");
  store::SyncStatus status{.state = "offline",
                           .server_url = "https://central.example:8443",
                           .last_attempt_at = "2026-11-28T09:10:00.000Z",
                           .last_error = "could not connect",
                           .last_pushed = 12};
  agent.write_sync_status(status);
  auto read = kiosk.sync_status();
  CHECK(read.state == "offline");
  CHECK(read.server_url == status.server_url);
  CHECK(read.last_error == "could not connect");
  CHECK(read.last_pushed == 12);

  CHECK_FALSE(agent.take_sync_request());
  const auto version = agent.db().data_version();
  kiosk.request_sync();
  CHECK(agent.db().data_version() != version);
  CHECK(agent.take_sync_request());
  CHECK_FALSE(agent.take_sync_request());
}
