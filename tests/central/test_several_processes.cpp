// Several real alliance-central processes on one PostgreSQL database serve one consistent API:
// every change applied once, no pull ever skips a change, codes single-use, revocation and
// attempt limits everywhere.
#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "central/console/accounts.hpp"
#include "central_processes.hpp"

using namespace alliance;
using protocol::Outcome;

namespace {

// N serve processes on one fresh database of the test cluster.
struct Cluster : test::CentralProcesses {
  explicit Cluster(int processes)
      : CentralProcesses(test::shared_pg_cluster().new_database(), processes) {}
};

}  // namespace

TEST_CASE("writers on three processes, a reader on a fourth: every change pulled exactly once") {
  Cluster cluster(4);
  constexpr int kWriters = 6;
  constexpr int kBatches = 15;
  constexpr int kBatchSize = 20;
  constexpr std::size_t kReaderServer = 3;
  std::vector<protocol::EnrollResponse> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.push_back(
        cluster.enroll(static_cast<std::size_t>(w % 3), "writer-" + std::to_string(w)));
  }
  const auto reader = cluster.enroll(kReaderServer, "reader");

  std::atomic<bool> writing{true};
  std::atomic<int> applied{0};
  std::atomic<int> failures{0};
  std::set<std::string> pushed_ids;
  std::mutex pushed_mutex;

  // The reader pulls all the time the writers write, and after.
  auto reading = std::async(std::launch::async, [&] {
    std::map<std::string, int> seen;
    std::int64_t cursor = 0;
    std::int64_t last_seq = 0;
    bool ordered = true;
    auto client = cluster.client(kReaderServer);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    int quiet_rounds = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      const bool was_writing = writing.load();
      const auto page = test::pull(*client, reader.token, cursor, 37);
      for (const auto& change : page.changes) {
        ++seen[change.entity_id];
        if (change.seq <= last_seq) ordered = false;
        last_seq = change.seq;
      }
      cursor = page.next_cursor;
      // Done once a pull that began after the last write found nothing more.
      if (!was_writing && page.changes.empty() && !page.more && ++quiet_rounds >= 2) break;
    }
    return std::make_pair(seen, ordered);
  });

  std::vector<std::future<void>> writing_threads;
  for (int w = 0; w < kWriters; ++w) {
    writing_threads.push_back(std::async(std::launch::async, [&, w] {
      const auto& device = writers[static_cast<std::size_t>(w)];
      auto first = cluster.client(static_cast<std::size_t>(w % 3));
      auto second = cluster.client(static_cast<std::size_t>((w + 1) % 3));
      for (int b = 0; b < kBatches; ++b) {
        std::vector<protocol::Change> batch;
        for (int i = 0; i < kBatchSize; ++i) {
          batch.push_back(
              test::change_of(test::member_with_id(i),
                              test::hlc_at(1'000 + b * 100 + i, "writer-" + std::to_string(w))));
        }
        {
          std::lock_guard lock(pushed_mutex);
          for (const auto& c : batch) pushed_ids.insert(c.entity_id);
        }
        // The same batch to two processes at the same moment: a replay racing the original.
        auto racing = std::async(std::launch::async,
                                 [&] { return test::push(*second, device.token, batch); });
        try {
          const auto one = test::push(*first, device.token, batch);
          const auto two = racing.get();
          for (std::size_t i = 0; i < batch.size(); ++i) {
            const int applied_here = (one.results[i].outcome == Outcome::applied ? 1 : 0) +
                                     (two.results[i].outcome == Outcome::applied ? 1 : 0);
            const int duplicates = (one.results[i].outcome == Outcome::duplicate ? 1 : 0) +
                                   (two.results[i].outcome == Outcome::duplicate ? 1 : 0);
            if (applied_here != 1 || duplicates != 1) ++failures;
            applied += applied_here;
          }
        } catch (const std::exception&) {
          ++failures;
        }
      }
    }));
  }
  for (auto& t : writing_threads) t.get();
  writing = false;
  const auto [seen, ordered] = reading.get();

  CHECK(failures.load() == 0);
  CHECK(applied.load() == kWriters * kBatches * kBatchSize);
  CHECK(cluster.admin->count_applied_changes() == kWriters * kBatches * kBatchSize);
  CHECK(cluster.admin->count_records(protocol::Entity::member) == kWriters * kBatches * kBatchSize);
  CHECK(ordered);
  CHECK(seen.size() == pushed_ids.size());
  int twice = 0;
  int missing = 0;
  for (const auto& id : pushed_ids) {
    const auto found = seen.find(id);
    if (found == seen.end()) {
      ++missing;
    } else if (found->second != 1) {
      ++twice;
    }
  }
  CHECK(missing == 0);
  CHECK(twice == 0);
}

TEST_CASE("one enrolment code redeemed at three processes at once enrols one device") {
  Cluster cluster(3);
  for (int round = 0; round < 5; ++round) {
    const std::string code = cluster.admin->create_enrolment_code("Nairobi", std::chrono::hours(1));
    std::vector<std::future<int>> attempts;
    for (std::size_t s = 0; s < 3; ++s) {
      attempts.push_back(std::async(std::launch::async, [&, s] {
        auto res = cluster.client(s)->Post(
            "/v1/devices/enroll",
            protocol::encode(protocol::EnrollRequest{
                .code = code,
                .device_name = "desk-" + std::to_string(round) + "-" + std::to_string(s),
                .app_version = "test"}),
            "application/json");
        return res ? res->status : 0;
      }));
    }
    int enrolled = 0;
    int refused = 0;
    for (auto& a : attempts) {
      const int status = a.get();
      if (status == 200) ++enrolled;
      if (status == 403) ++refused;
    }
    CHECK(enrolled == 1);
    CHECK(refused == 2);
  }
  CHECK(cluster.admin->list_devices().size() == 5);
}

TEST_CASE("a device revoked through one process is refused by every other") {
  Cluster cluster(3);
  const auto device = cluster.enroll(0, "desk-r");
  auto pull_status = [&](std::size_t s) {
    auto res = cluster.client(s)->Get("/v1/sync/pull?cursor=0", test::bearer(device.token));
    return res ? res->status : 0;
  };
  for (std::size_t s = 0; s < 3; ++s) CHECK(pull_status(s) == 200);
  // Revoked by the admin command against the same database.
  CHECK(cluster.admin->revoke_device(device.device_id));
  for (std::size_t s = 0; s < 3; ++s) {
    CAPTURE(s);
    auto res = cluster.client(s)->Post(
        "/v1/sync/push", test::bearer(device.token),
        test::push_body({test::change_of(test::member_with_id(1), test::hlc_at(1'000, "desk-r"))}),
        "application/json");
    REQUIRE(res);
    CHECK(res->status == 403);
    CHECK(test::error_of(res).code == "device_revoked");
    CHECK(pull_status(s) == 403);
  }
}

TEST_CASE("sign-in and enrolment limits hold across processes, not once per process") {
  Cluster cluster(3);
  auto accounts = central::AccountStore::open(cluster.url);
  REQUIRE(
      accounts->add_user("alice", "Nairobi", central::ConsoleRole::manager, "correct horse battery")
          .has_value());

  // The sign-in form's token is a cookie echoed in the form: any process takes it.
  auto form = cluster.client(0)->Get("/console/login");
  REQUIRE(form);
  std::string login_cookie;
  for (const auto& [name, value] : form->headers) {
    if (name == "Set-Cookie" && value.starts_with("console_login=")) {
      login_cookie = value.substr(14, value.find(';') - 14);
    }
  }
  REQUIRE_FALSE(login_cookie.empty());
  const central::ConsoleLimits limits;  // the defaults serve runs with
  std::vector<int> statuses;
  for (int i = 0; i < limits.login_attempts_per_account + 3; ++i) {
    auto res =
        cluster.client(static_cast<std::size_t>(i % 3))
            ->Post("/console/login", {{"Cookie", "console_login=" + login_cookie}},
                   "csrf=" + login_cookie + "&name=alice&password=wrong+guess+" + std::to_string(i),
                   "application/x-www-form-urlencoded");
    REQUIRE(res);
    statuses.push_back(res->status);
  }
  // Ten wrong guesses in all, spread over three processes; then every process refuses.
  for (std::size_t i = 0; i < 10; ++i) CHECK(statuses[i] == 200);
  for (std::size_t i = 10; i < statuses.size(); ++i) {
    CAPTURE(i);
    CHECK(statuses[i] == 429);
  }

  // Guessing at one enrolment code: five tries in all, not five per process.
  const central::ApiLimits api_limits;
  std::vector<int> enrol_statuses;
  for (int i = 0; i < api_limits.enroll_attempts_per_code + 3; ++i) {
    auto res = cluster.client(static_cast<std::size_t>(i % 3))
                   ->Post("/v1/devices/enroll",
                          protocol::encode(
                              protocol::EnrollRequest{.code = "AAAA-BBBB-CCCC",
                                                      .device_name = "guesser-" + std::to_string(i),
                                                      .app_version = "test"}),
                          "application/json");
    REQUIRE(res);
    enrol_statuses.push_back(res->status);
  }
  for (int i = 0; i < api_limits.enroll_attempts_per_code; ++i) {
    CAPTURE(i);
    CHECK(enrol_statuses[static_cast<std::size_t>(i)] != 429);
  }
  for (std::size_t i = 5; i < enrol_statuses.size(); ++i) {
    CAPTURE(i);
    CHECK(enrol_statuses[i] == 429);
  }
}
