// A slowloris attacker for the tests: holds many connections open from
// 127.0.0.x source addresses, some trickling one byte a second, some idle,
// and reconnects whichever the server cuts off, from its own thread.
#pragma once

#include <poll.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "hostile_client.hpp"

namespace alliance::test {

class SlowClients {
 public:
  struct Plan {
    int port = 0;
    int trickling = 1000;  // sockets sending one byte every `trickle_every`
    int idle = 500;        // sockets that never send
    int first_source = 2;  // 127.0.0.<first_source> ...
    int sources = 40;      // ... spread over this many addresses
    std::string trickle;   // the bytes to trickle; after its end, 'a' forever
    std::chrono::milliseconds trickle_every{1000};
    std::chrono::seconds give_up{180};  // the thread ends by itself after this
  };

  explicit SlowClients(Plan plan) : plan_(std::move(plan)) {
    slots_.resize(static_cast<std::size_t>(plan_.trickling + plan_.idle));
    thread_ = std::thread([this] { run(); });
  }
  ~SlowClients() { stop(); }
  SlowClients(const SlowClients&) = delete;
  SlowClients& operator=(const SlowClients&) = delete;

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // Connections currently open from the attacker's side.
  int open() const { return open_.load(); }
  // Connections the server closed and the attacker made again.
  int reconnects() const { return reconnects_.load(); }
  std::int64_t bytes_trickled() const { return bytes_.load(); }

  // Waits until at least `count` connections are open, within `limit`.
  bool wait_open(int count, std::chrono::milliseconds limit) const {
    const auto deadline = SteadyClock::now() + limit;
    while (SteadyClock::now() < deadline) {
      if (open() >= count) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return open() >= count;
  }

 private:
  struct Slot {
    Socket socket;
    std::size_t sent = 0;
    SteadyClock::time_point next_send{};
  };

  bool trickles(std::size_t i) const { return i < static_cast<std::size_t>(plan_.trickling); }

  void connect_slot(std::size_t i, SteadyClock::time_point now) {
    const std::string source =
        "127.0.0." + std::to_string(plan_.first_source + static_cast<int>(i) % plan_.sources);
    auto& slot = slots_[i];
    slot.socket = connect_from(source, plan_.port, false);
    slot.sent = 0;
    // Spread the trickles over the period so the bytes come steadily.
    slot.next_send = now + plan_.trickle_every * static_cast<int>(i % 100) / 100;
  }

  void run() {
    const auto end = SteadyClock::now() + plan_.give_up;
    for (std::size_t i = 0; i < slots_.size(); ++i) connect_slot(i, SteadyClock::now());
    std::vector<pollfd> fds(slots_.size());
    while (!stop_ && SteadyClock::now() < end) {
      const auto now = SteadyClock::now();
      int open = 0;
      for (std::size_t i = 0; i < slots_.size(); ++i) {
        auto& slot = slots_[i];
        if (!slot.socket.open()) {
          connect_slot(i, now);
          ++reconnects_;
        }
        if (slot.socket.open()) ++open;
        if (trickles(i) && slot.socket.open() && now >= slot.next_send) {
          const char byte = slot.sent < plan_.trickle.size() ? plan_.trickle[slot.sent] : 'a';
          const auto n = send(slot.socket.fd(), &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
          if (n == 1) {
            ++slot.sent;
            ++bytes_;
            slot.next_send = now + plan_.trickle_every;
          } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN) {
            slot.socket.reset();
          }
        }
        fds[i] = pollfd{.fd = slot.socket.fd(), .events = POLLIN, .revents = 0};
      }
      open_ = open;
      // A readable socket here means the server answered or closed it.
      if (poll(fds.data(), fds.size(), 10) > 0) {
        for (std::size_t i = 0; i < slots_.size(); ++i) {
          if (fds[i].fd < 0 || fds[i].revents == 0) continue;
          char buffer[512];
          const auto n = recv(fds[i].fd, buffer, sizeof buffer, MSG_DONTWAIT);
          if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) ||
              (fds[i].revents & (POLLERR | POLLHUP)) != 0) {
            slots_[i].socket.reset();
          }
        }
      }
    }
    for (auto& slot : slots_) slot.socket.reset();
    open_ = 0;
  }

  Plan plan_;
  std::vector<Slot> slots_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> open_{0};
  std::atomic<int> reconnects_{0};
  std::atomic<std::int64_t> bytes_{0};
};

}  // namespace alliance::test
