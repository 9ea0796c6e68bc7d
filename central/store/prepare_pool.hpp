// Threads for the parallel part of a push (decoding, validation, hashing,
// encoding), scheduled below the threads that write.
//
// A SQLite central has one writer: a push's locked section runs on its
// request thread while the other pushes prepare. With more busy threads than
// cores, the scheduler gave the writer only its share of a core: the lock was
// held 93% of the time for CPU it used 65% of (issue 15). Preparing on threads
// of a higher nice value lets the writer run whenever it can, and the
// preparers take every cycle it leaves. Raising a nice value needs no
// privilege; lowering it again would, so a thread keeps the one it has.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace alliance::central {

// How much a push's preparers and the WAL checkpointer yield to the writer:
// at nice +10 a thread weighs a tenth of one at +0.
inline constexpr int kYieldingNice = 10;

// Adds `steps` to the calling thread's nice value (Linux: per thread). A
// failure only loses the priority, so it is not reported.
void lower_this_thread_priority(int steps);

class PreparePool {
 public:
  // `threads` at least 1, each at nice +`nice` from the process's.
  PreparePool(int threads, int nice);
  ~PreparePool();
  PreparePool(const PreparePool&) = delete;
  PreparePool& operator=(const PreparePool&) = delete;

  // Runs `task` on a pool thread and waits for it; rethrows what it threw.
  void run(const std::function<void()>& task);

 private:
  struct Job {
    const std::function<void()>* task = nullptr;
    std::exception_ptr error;
    bool done = false;
  };
  void work(int nice);

  std::mutex mutex_;
  std::condition_variable wake_;  // a job queued, or stopping
  std::condition_variable done_;  // a job finished
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace alliance::central
