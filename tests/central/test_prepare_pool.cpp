// The threads pushes are prepared on: below the writer's priority, and every
// task's result or exception back to its caller.
#include <doctest/doctest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "central/store/prepare_pool.hpp"

using namespace alliance;

namespace {

int own_nice() {
  return ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
}

}  // namespace

TEST_CASE("a push is prepared on a pool thread of lower priority than the caller's") {
  central::PreparePool pool(2, central::kYieldingNice);
  const int caller_nice = own_nice();
  std::thread::id ran_on;
  int pool_nice = caller_nice;
  pool.run([&] {
    ran_on = std::this_thread::get_id();
    pool_nice = own_nice();
  });
  CHECK(ran_on != std::this_thread::get_id());
  CHECK(pool_nice == std::min(caller_nice + central::kYieldingNice, 19));
  // The caller keeps its own priority: only the pool's threads yield.
  CHECK(own_nice() == caller_nice);
}

TEST_CASE("the pool gives a task's exception to its caller and goes on serving") {
  central::PreparePool pool(1, central::kYieldingNice);
  CHECK_THROWS_WITH_AS(pool.run([] { throw std::runtime_error("bad batch"); }), "bad batch",
                       std::runtime_error);
  int value = 0;
  pool.run([&] { value = 7; });
  CHECK(value == 7);
}

TEST_CASE("callers on many threads each get their own task done, more callers than threads") {
  central::PreparePool pool(2, central::kYieldingNice);
  constexpr int kCallers = 8;
  constexpr int kTasksEach = 50;
  std::vector<int> done(kCallers, 0);
  std::atomic<int> total{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      for (int i = 0; i < kTasksEach; ++i) {
        pool.run([&] {
          ++done[static_cast<std::size_t>(c)];  // only this caller's task touches it
          ++total;
        });
      }
    });
  }
  for (auto& t : callers) t.join();
  CHECK(total == kCallers * kTasksEach);
  CHECK(std::all_of(done.begin(), done.end(), [](int n) { return n == kTasksEach; }));
}
