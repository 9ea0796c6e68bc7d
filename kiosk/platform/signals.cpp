// A sigwait thread instead of a handler: the wake-up it calls is not
// async-signal-safe, and this way it need not be.
#include "kiosk/platform/signals.hpp"

#include <pthread.h>

namespace alliance::kiosk::platform {

StopSignals::StopSignals() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGTERM);
  sigaddset(&signals_, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
  waiter_ = std::thread([this] {
    while (true) {
      int signal_number = 0;
      if (sigwait(&signals_, &signal_number) != 0) continue;
      if (closing_.load()) return;
      stop_.store(true);
      std::lock_guard lock(wake_mutex_);
      if (wake_) wake_();
    }
  });
}

StopSignals::~StopSignals() {
  closing_.store(true);
  // The waiter only ever returns from sigwait for one of our signals.
  pthread_kill(waiter_.native_handle(), SIGTERM);
  waiter_.join();
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

void StopSignals::set_wake(std::function<void()> wake) {
  std::lock_guard lock(wake_mutex_);
  wake_ = std::move(wake);
}

}  // namespace alliance::kiosk::platform
