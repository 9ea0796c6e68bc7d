#include "central/store/prepare_pool.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

namespace alliance::central {

void lower_this_thread_priority(int steps) {
  const auto self = static_cast<id_t>(::gettid());
  const int current = ::getpriority(PRIO_PROCESS, self);
  (void)::setpriority(PRIO_PROCESS, self, std::min(current + steps, 19));
}

PreparePool::PreparePool(int threads, int nice) {
  for (int i = 0; i < std::max(1, threads); ++i) {
    threads_.emplace_back([this, nice] { work(nice); });
  }
}

PreparePool::~PreparePool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void PreparePool::run(const std::function<void()>& task) {
  Job job{.task = &task};
  std::unique_lock lock(mutex_);
  queue_.push_back(&job);
  wake_.notify_one();
  done_.wait(lock, [&] { return job.done; });
  if (job.error) std::rethrow_exception(job.error);
}

void PreparePool::work(int nice) {
  lower_this_thread_priority(nice);
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and every job queued is done
    Job* job = queue_.front();
    queue_.pop_front();
    lock.unlock();
    try {
      (*job->task)();
    } catch (...) {
      job->error = std::current_exception();
    }
    lock.lock();
    job->done = true;
    done_.notify_all();
  }
}

}  // namespace alliance::central
