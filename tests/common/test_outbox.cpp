// The outbox and pull as the agent uses them: batches, acks, rejections, cursor, status.
#include <doctest/doctest.h>

#include <chrono>

#include "common/protocol/codec.hpp"
#include "common/store/store.hpp"
#include "common/util/hlc.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"
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

TEST_CASE("a held change waits for its time, and a clock set back does not strand it") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  register_many(s, 3);
  auto batch = s.next_batch(10, 1 << 20);
  REQUIRE(batch.size() == 3);
  s.hold(batch[0].change_id, "too_large", "the request body is too large", std::chrono::minutes(5));

  auto counts = s.queue_counts();
  CHECK(counts.pending == 3);
  CHECK(counts.held == 1);
  CHECK_FALSE(counts.all_synced());
  auto next = s.next_batch(10, 1 << 20);
  REQUIRE(next.size() == 2);
  CHECK(next[0].change_id == batch[1].change_id);
  auto listed = s.rejected_changes();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].held());
  CHECK(listed[0].attempts == 1);
  CHECK(listed[0].reject_code == "too_large");
  CHECK_FALSE(listed[0].retry_at.empty());

  // A hold is never longer than kLongestHold...
  s.hold(batch[1].change_id, "too_large", "x", std::chrono::hours(24 * 365));
  CHECK(s.outbox_entry(batch[1].change_id)->retry_at <=
        util::iso8601_utc(std::chrono::system_clock::now() + store::kLongestHold +
                          std::chrono::seconds(5)));
  // ...so one further ahead was set by a wall clock that has gone back since: due now.
  s.db()
      .query("UPDATE outbox SET retry_at = '2029-06-01T00:00:00.000Z' WHERE change_id = ?")
      .bind_all(batch[0].change_id)
      .run();
  next = s.next_batch(10, 1 << 20);
  REQUIRE(next.size() == 2);
  CHECK(next[0].change_id == batch[0].change_id);

  // Released holds go at once; the reason stays until the change is acknowledged.
  CHECK(s.release_holds("too_large") == 2);
  CHECK(s.next_batch(10, 1 << 20).size() == 3);
  CHECK(s.queue_counts().held == 2);
  s.acknowledge({{batch[0].change_id, protocol::Outcome::applied},
                 {batch[1].change_id, protocol::Outcome::applied},
                 {batch[2].change_id, protocol::Outcome::applied}});
  CHECK(s.queue_counts().all_synced());
}

TEST_CASE("staff resend or discard rejected, quarantined and held changes only") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  register_many(s, 5);
  auto batch = s.next_batch(10, 1 << 20);
  REQUIRE(batch.size() == 5);
  s.reject(batch[0].change_id, "forbidden", "this record belongs to another office");
  s.quarantine(batch[1].change_id, "damaged_change", "the stored change cannot be read");
  s.hold(batch[2].change_id, "clock_ahead", "clock ahead", std::chrono::minutes(1));
  s.acknowledge({{batch[3].change_id, protocol::Outcome::applied}});

  auto counts = s.queue_counts();
  CHECK(counts.rejected == 1);
  CHECK(counts.quarantined == 1);
  CHECK(counts.held == 1);
  CHECK(counts.pending == 2);
  CHECK(counts.need_attention() == 2);
  CHECK(s.rejected_changes().size() == 3);
  CHECK(s.count_attempt(batch[4].change_id) == 1);
  CHECK(s.count_attempt(batch[4].change_id) == 2);

  // Acknowledged and plain pending changes are not staff's to move.
  CHECK_FALSE(s.resend(batch[3].change_id));
  CHECK_FALSE(s.discard(batch[3].change_id));
  CHECK_FALSE(s.discard(batch[4].change_id));
  CHECK_FALSE(s.resend("no-such-change"));

  const bool asked_before = s.take_sync_request();
  CHECK_FALSE(asked_before);
  CHECK(s.resend(batch[0].change_id));
  CHECK(s.take_sync_request());  // a running agent sends it at once
  auto resent = s.outbox_entry(batch[0].change_id);
  REQUIRE(resent.has_value());
  CHECK(resent->state == "pending");
  CHECK(resent->reject_code.empty());
  CHECK(resent->attempts == 0);
  CHECK(s.resend(batch[1].change_id));
  CHECK(s.discard(batch[2].change_id));
  CHECK_FALSE(s.resend(batch[2].change_id));  // discarded is final

  counts = s.queue_counts();
  CHECK(counts.rejected == 0);
  CHECK(counts.quarantined == 0);
  CHECK(counts.held == 0);
  CHECK(counts.discarded == 1);
  CHECK(counts.pending == 3);
  const auto next = s.next_batch(10, 1 << 20);
  REQUIRE(next.size() == 3);
  CHECK(next[0].change_id == batch[0].change_id);  // back in its place in the queue
}

TEST_CASE("the agent's data use counts per UTC day and month and starts again at each") {
  test::TempDir dir;
  auto agent = store::Store::open(dir / "kiosk.db");
  using std::chrono::hours;
  // 2026-11-30 23:00 UTC, then the next day, then the next month.
  const std::chrono::system_clock::time_point late_november{std::chrono::seconds(1796079600)};
  REQUIRE(util::iso8601_utc(late_november).starts_with("2026-11-30T23:00"));
  CHECK(agent.data_use(late_november).today == 0);
  agent.add_data_use(1200, late_november);
  agent.add_data_use(300, late_november + std::chrono::minutes(30));
  auto use = agent.data_use(late_november + std::chrono::minutes(59));
  CHECK(use.day == "2026-11-30");
  CHECK(use.today == 1500);
  CHECK(use.month == "2026-11");
  CHECK(use.this_month == 1500);

  // A new UTC day (and here a new month): both start from what it adds.
  const auto december = late_november + hours(2);
  CHECK(agent.data_use(december).today == 0);
  CHECK(agent.data_use(december).this_month == 0);
  agent.add_data_use(400, december);
  use = agent.data_use(december);
  CHECK(use.day == "2026-12-01");
  CHECK(use.today == 400);
  CHECK(use.this_month == 400);

  // A new day in the same month: the day starts again, the month goes on.
  const auto next_day = december + hours(24);
  agent.add_data_use(100, next_day);
  use = agent.data_use(next_day);
  CHECK(use.today == 100);
  CHECK(use.this_month == 500);

  // The budget is the running agent's; spent once today reaches it.
  CHECK_FALSE(use.budget_spent());
  agent.set_daily_budget(100);
  CHECK(agent.data_use(next_day).budget_spent());
  CHECK_FALSE(agent.data_use(next_day + hours(24)).budget_spent());
  agent.set_daily_budget(0);
  CHECK_FALSE(agent.data_use(next_day).budget_spent());
}

TEST_CASE("data amounts read as a mobile bundle is sold") {
  CHECK(util::data_amount(0) == "0 bytes");
  CHECK(util::data_amount(999) == "999 bytes");
  CHECK(util::data_amount(1000) == "1.0 KB");
  CHECK(util::data_amount(12'345) == "12.3 KB");
  CHECK(util::data_amount(50'000) == "50.0 KB");
  CHECK(util::data_amount(3'100'000) == "3.1 MB");
  CHECK(util::data_amount(2'000'000'000) == "2.0 GB");
}
