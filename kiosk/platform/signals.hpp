// SIGTERM and SIGINT as a flag the frame loop polls, with a wake-up call so a
// loop asleep in glfwWaitEventsTimeout notices at once.
#pragma once

#include <signal.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

namespace alliance::kiosk::platform {

// Blocks SIGTERM and SIGINT for this thread and every thread started after it
// (so construct it before any window or GL context exists), and waits for
// them on a thread of its own. Restores the previous mask when destroyed.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  bool stop_requested() const { return stop_.load(); }
  // Called from the waiting thread when a signal arrives; it must be
  // thread-safe (glfwPostEmptyEvent is). Pass {} before what it calls goes away.
  void set_wake(std::function<void()> wake);

 private:
  sigset_t signals_{};
  sigset_t previous_{};
  std::atomic<bool> stop_{false};
  std::atomic<bool> closing_{false};
  std::mutex wake_mutex_;
  std::function<void()> wake_;
  std::thread waiter_;
};

}  // namespace alliance::kiosk::platform
