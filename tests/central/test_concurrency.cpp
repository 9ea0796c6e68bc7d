// Idempotency under concurrency: overlapping batches from 8 clients at once.
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <mutex>

#include "common/store/database.hpp"
#include "server_fixture.hpp"

using namespace alliance;

TEST_CASE("8 clients pushing overlapping batches apply every change exactly once") {
  test::TestServer server;
  constexpr int kClients = 8;
  constexpr int kChanges = 400;
  std::vector<protocol::Change> pool;
  for (int i = 0; i < kChanges; ++i) {
    pool.push_back(test::change_of(test::member_with_id(i), test::hlc_at(1000 + i, "a")));
  }
  std::vector<protocol::EnrollResponse> devices;
  for (int i = 0; i < kClients; ++i) devices.push_back(server.enroll());

  std::mutex mutex;
  std::map<std::string, std::map<protocol::Outcome, int>> outcomes;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      try {
        auto client = server.client();
        // Each client covers half the pool starting at its own offset, in batches of 40.
        for (int batch = 0; batch < 5; ++batch) {
          std::vector<protocol::Change> changes;
          for (int k = 0; k < 40; ++k) {
            changes.push_back(pool[static_cast<std::size_t>((c * 50 + batch * 40 + k) % kChanges)]);
          }
          const auto response =
              test::push(*client, devices[static_cast<std::size_t>(c)].token, changes);
          std::lock_guard lock(mutex);
          for (const auto& r : response.results) ++outcomes[r.change_id][r.outcome];
        }
      } catch (const std::exception&) {
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  REQUIRE(failures == 0);

  std::size_t covered = 0;
  for (const auto& [id, counts] : outcomes) {
    CAPTURE(id);
    CHECK(counts.count(protocol::Outcome::applied) == 1);
    CHECK(counts.at(protocol::Outcome::applied) == 1);
    CHECK(counts.count(protocol::Outcome::rejected) == 0);
    ++covered;
  }
  CHECK(covered == kChanges);
  CHECK(server.store().count_applied_changes() == kChanges);
  CHECK(server.store().count_records(protocol::Entity::member) == kChanges);
  {
    auto db = server.open_db();
    auto q = db.query("SELECT COUNT(DISTINCT seq), COUNT(*), MIN(seq), MAX(seq) FROM records");
    REQUIRE(q.step());
    CHECK(q.int64(0) == q.int64(1));
    // A batch counts its numbers in memory and writes the last one back: the
    // concurrent batches took 1..N without a gap or an overlap, and the
    // sequence's high-water mark (what pull's next_cursor reaches) is N.
    CHECK(q.int64(2) == 1);
    CHECK(q.int64(3) == kChanges);
    auto seq = db.query("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'change_seq'");
    REQUIRE(seq.step());
    CHECK(seq.int64(0) == kChanges);
  }

  // Replays from any device return identical results, every time.
  auto client = server.client();
  auto first = test::push(*client, devices[0].token, pool);
  auto second = test::push(*client, devices[5].token, pool);
  first.server_time_ms = second.server_time_ms = 0;  // the answers differ only in when
  CHECK(protocol::encode(first) == protocol::encode(second));
  for (const auto& r : first.results) CHECK(r.outcome == protocol::Outcome::duplicate);
  CHECK(server.store().count_applied_changes() == kChanges);
}
