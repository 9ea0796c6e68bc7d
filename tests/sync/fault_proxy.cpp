// The fault proxy: one thread accepts; each connection gets a reader and a
// writer thread per direction, so latency is pipelined like a real link.
#include "fault_proxy.hpp"

#include "loopback.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <stdexcept>

namespace alliance::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

void nap_until(Clock::time_point until, const std::atomic<bool>& dead) {
  while (!dead.load()) {
    const auto now = Clock::now();
    if (now >= until) return;
    std::this_thread::sleep_for(std::min<Clock::duration>(milliseconds(20), until - now));
  }
}

void hard_reset(int fd) {
  linger l{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

bool send_all(int fd, std::string_view data, const std::atomic<bool>& dead) {
  while (!data.empty()) {
    if (dead.load()) return false;
    pollfd p{fd, POLLOUT, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

struct Chunk {
  Clock::time_point due;
  std::string data;
};

struct Pipe {
  int from = -1;
  int to = -1;
  bool up = true;
  std::mutex m;
  std::condition_variable cv;
  std::deque<Chunk> queue;
  bool eof = false;
  std::atomic<bool> done{false};
};

}  // namespace

std::string_view to_string(Fault fault) {
  switch (fault) {
    case Fault::none:
      return "none";
    case Fault::delay:
      return "delay";
    case Fault::throttle:
      return "throttle";
    case Fault::stall:
      return "stall";
    case Fault::truncate_response:
      return "truncate_response";
    case Fault::reset_request:
      return "reset_mid_request";
    case Fault::reset_response:
      return "reset_mid_response";
    case Fault::lost_response:
      return "lost_response";
    case Fault::black_hole:
      return "black_hole";
    case Fault::http_500:
      return "http_500";
    case Fault::http_503:
      return "http_503_retry_after";
    case Fault::http_429:
      return "http_429_retry_after";
  }
  return "?";
}

std::vector<Fault> all_faults() {
  return {
      Fault::delay,         Fault::throttle,       Fault::stall,         Fault::truncate_response,
      Fault::reset_request, Fault::reset_response, Fault::lost_response, Fault::black_hole,
      Fault::http_500,      Fault::http_503,       Fault::http_429};
}

struct FaultProxy::Connection {
  FaultProxy& proxy;
  int client;
  int upstream = -1;
  Fault fault;
  LinkShape link;
  std::mt19937_64 rng;
  std::atomic<bool> dead{false};
  std::atomic<bool> finished{false};
  std::int64_t trigger_at = -1;  // bytes into the faulted direction
  bool fault_up = false;         // which direction the byte-triggered fault watches
  std::thread thread;

  Connection(FaultProxy& p, int fd, Fault f, LinkShape l, std::uint64_t seed)
      : proxy(p), client(fd), fault(f), link(l), rng(seed) {}

  std::int64_t uniform(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  }

  void reader(Pipe& p, double rate, milliseconds delay) {
    const bool watched = trigger_at >= 0 && p.up == fault_up;
    const std::size_t chunk_size =
        rate > 0 ? std::clamp<std::size_t>(static_cast<std::size_t>(rate / 20), 256, 16384) : 16384;
    std::string buf(chunk_size, '\0');
    std::int64_t seen = 0;
    std::mt19937_64 local(rng());
    auto finish = [&] {
      {
        std::lock_guard lock(p.m);
        p.eof = true;
      }
      p.cv.notify_all();
    };
    while (!dead.load()) {
      pollfd pfd{p.from, POLLIN, 0};
      if (poll(&pfd, 1, 50) <= 0) continue;
      const ssize_t n = recv(p.from, buf.data(), buf.size(), 0);
      if (n <= 0) {
        finish();
        return;
      }
      std::string data(buf.data(), static_cast<std::size_t>(n));
      if (watched && seen + n > trigger_at) {
        data.resize(static_cast<std::size_t>(trigger_at - seen));
        proxy.count(fault);
        if (fault == Fault::stall || fault == Fault::truncate_response) {
          {
            std::lock_guard lock(p.m);
            if (!data.empty()) p.queue.push_back({Clock::now() + delay, std::move(data)});
            if (fault == Fault::truncate_response) p.eof = true;
          }
          p.cv.notify_all();
          if (fault == Fault::truncate_response) return;
          while (!dead.load()) std::this_thread::sleep_for(milliseconds(20));
          return;
        }
        // Resets: RST to both ends right now.
        hard_reset(client);
        if (upstream >= 0) hard_reset(upstream);
        dead = true;
        p.cv.notify_all();
        return;
      }
      seen += n;
      if (rate > 0) {
        // The shared link's rate, and this connection's own when a throttle
        // fault made it slower.
        const auto own = Clock::now() + std::chrono::microseconds(static_cast<std::int64_t>(
                                            static_cast<double>(n) / rate * 1e6));
        const auto shared =
            link.rate_bytes_per_s > 0
                ? proxy.occupy_link(p.up, static_cast<std::size_t>(n), link.rate_bytes_per_s)
                : own;
        nap_until(std::max(own, shared), dead);
      }
      if (link.stall_probability > 0 &&
          std::uniform_real_distribution<double>(0, 1)(local) < link.stall_probability) {
        const auto pause = std::uniform_int_distribution<std::int64_t>(
            link.stall_min.count(), link.stall_max.count())(local);
        nap_until(Clock::now() + milliseconds(pause), dead);
      }
      {
        std::lock_guard lock(p.m);
        p.queue.push_back({Clock::now() + delay, std::move(data)});
      }
      p.cv.notify_all();
    }
  }

  void writer(Pipe& p) {
    while (true) {
      Chunk chunk;
      {
        std::unique_lock lock(p.m);
        p.cv.wait_for(lock, milliseconds(50),
                      [&] { return !p.queue.empty() || p.eof || dead.load(); });
        if (dead.load()) return;
        if (p.queue.empty()) {
          if (!p.eof) continue;
          lock.unlock();
          shutdown(p.to, SHUT_WR);
          p.done = true;
          return;
        }
        chunk = std::move(p.queue.front());
        p.queue.pop_front();
      }
      nap_until(chunk.due, dead);
      if (!send_all(p.to, chunk.data, dead)) {
        dead = true;
        return;
      }
      (p.up ? proxy.bytes_up_ : proxy.bytes_down_) += chunk.data.size();
    }
  }

  // Reads one whole HTTP request (headers and Content-Length body), then
  // answers it with the fault's status and closes.
  void answer_with_error() {
    std::string request;
    char buf[8192];
    std::size_t header_end = std::string::npos;
    std::size_t need = 0;
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (!dead.load() && Clock::now() < deadline) {
      pollfd pfd{client, POLLIN, 0};
      if (poll(&pfd, 1, 50) <= 0) continue;
      const ssize_t n = recv(client, buf, sizeof buf, 0);
      if (n <= 0) return;
      request.append(buf, static_cast<std::size_t>(n));
      if (header_end == std::string::npos) {
        header_end = request.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        std::string lower = request.substr(0, header_end);
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const auto cl = lower.find("content-length:");
        if (cl != std::string::npos) need = std::stoul(lower.substr(cl + 15));
      }
      if (request.size() >= header_end + 4 + need) break;
    }
    int status = 500;
    std::string reason = "Internal Server Error";
    std::string code = "internal_error";
    std::string extra;
    if (fault == Fault::http_503) {
      status = 503;
      reason = "Service Unavailable";
      code = "unavailable";
      extra = "Retry-After: 1\r\n";
    } else if (fault == Fault::http_429) {
      status = 429;
      reason = "Too Many Requests";
      code = "rate_limited";
      extra = "Retry-After: 1\r\n";
    }
    const std::string body =
        "{\"code\":\"" + code + "\",\"message\":\"injected by the fault proxy\"}";
    const std::string response =
        "HTTP/1.1 " + std::to_string(status) + " " + reason +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n" + extra + "Connection: close\r\n\r\n" + body;
    send_all(client, response, dead);
    proxy.bytes_down_ += response.size();
    shutdown(client, SHUT_WR);
    // Let the client read the answer and close first, so no RST overtakes it.
    const auto linger_until = Clock::now() + std::chrono::seconds(2);
    while (!dead.load() && Clock::now() < linger_until) {
      pollfd pfd{client, POLLIN, 0};
      if (poll(&pfd, 1, 50) <= 0) continue;
      if (recv(client, buf, sizeof buf, 0) <= 0) return;
    }
  }

  void run(int upstream_port) {
    if (fault == Fault::http_500 || fault == Fault::http_503 || fault == Fault::http_429) {
      proxy.count(fault);
      answer_with_error();
      return;
    }
    if (fault == Fault::black_hole) {
      proxy.count(fault);
      char buf[8192];
      while (!dead.load()) {
        pollfd pfd{client, POLLIN, 0};
        if (poll(&pfd, 1, 50) <= 0) continue;
        if (recv(client, buf, sizeof buf, 0) <= 0) return;
      }
      return;
    }
    upstream = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(upstream_port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (upstream < 0 || connect(upstream, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      return;
    }
    double rate = link.rate_bytes_per_s;
    milliseconds delay = link.one_way_delay;
    switch (fault) {
      case Fault::delay:
        delay += milliseconds(uniform(100, 700));
        proxy.count(fault);
        break;
      case Fault::throttle: {
        const double slow = static_cast<double>(uniform(2000, 16000));
        rate = rate > 0 ? std::min(rate, slow) : slow;
        proxy.count(fault);
        break;
      }
      case Fault::stall:
        fault_up = uniform(0, 1) == 0;
        trigger_at = uniform(0, 1500);
        break;
      case Fault::truncate_response:
      case Fault::reset_response:
        // Compressed answers are small: cut inside the headers or the first bytes of the body.
        trigger_at = uniform(1, 400);
        break;
      case Fault::reset_request:
        fault_up = true;
        trigger_at = uniform(0, 1500);
        break;
      case Fault::lost_response:
        trigger_at = 0;  // the first byte of the answer: the server has committed
        break;
      default:
        break;
    }
    Pipe up;
    up.from = client;
    up.to = upstream;
    up.up = true;
    Pipe down;
    down.from = upstream;
    down.to = client;
    down.up = false;
    std::thread t1([&] { reader(up, rate, delay); });
    std::thread t2([&] { writer(up); });
    std::thread t3([&] { reader(down, rate, delay); });
    std::thread t4([&] { writer(down); });
    // The client never half-closes: once it or the server is gone, so is the connection.
    while (!dead.load() && !up.done.load() && !down.done.load()) {
      std::this_thread::sleep_for(milliseconds(10));
    }
    if (down.done.load()) {
      // The server closed after answering: give the client a moment to read it.
      const auto until = Clock::now() + milliseconds(200);
      while (!dead.load() && Clock::now() < until && !up.done.load()) {
        std::this_thread::sleep_for(milliseconds(10));
      }
    }
    dead = true;
    up.cv.notify_all();
    down.cv.notify_all();
    t1.join();
    t2.join();
    t3.join();
    t4.join();
  }
};

FaultProxy::FaultProxy(int upstream_port, FaultPlan plan)
    : upstream_port_(upstream_port), plan_(std::move(plan)), rng_(plan_.seed), link_(plan_.link) {
  const Listener listener = listen_on_loopback(64, "fault proxy");
  listen_fd_ = listener.fd;
  port_ = listener.port;
  acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() {
  stop_ = true;
  acceptor_.join();
  close(listen_fd_);
  std::vector<std::unique_ptr<Connection>> live;
  {
    std::lock_guard lock(mutex_);
    live.swap(live_);
  }
  for (auto& c : live) c->dead = true;
  for (auto& c : live) {
    if (c->thread.joinable()) c->thread.join();
  }
}

void FaultProxy::force(std::vector<Fault> next) {
  std::lock_guard lock(mutex_);
  forced_.insert(forced_.end(), next.begin(), next.end());
}

void FaultProxy::set_link(LinkShape link) {
  std::lock_guard lock(mutex_);
  link_ = link;
}

Clock::time_point FaultProxy::occupy_link(bool up, std::size_t bytes, double rate) {
  std::lock_guard lock(link_mutex_);
  Clock::time_point& free = up ? link_free_up_ : link_free_down_;
  free =
      std::max(free, Clock::now()) +
      std::chrono::microseconds(static_cast<std::int64_t>(static_cast<double>(bytes) / rate * 1e6));
  return free;
}

void FaultProxy::count(Fault fault) {
  std::lock_guard lock(mutex_);
  ++injected_[fault];
}

std::map<Fault, int> FaultProxy::injected() const {
  std::lock_guard lock(mutex_);
  return injected_;
}

int FaultProxy::injected_total() const {
  int total = 0;
  for (const auto& [fault, n] : injected()) total += n;
  return total;
}

void FaultProxy::reset_counters() {
  std::lock_guard lock(mutex_);
  injected_.clear();
  bytes_up_ = 0;
  bytes_down_ = 0;
  connections_ = 0;
}

Fault FaultProxy::choose() {
  if (!forced_.empty()) {
    const Fault f = forced_.front();
    forced_.pop_front();
    return f;
  }
  if (!faults_on_.load() || plan_.kinds.empty()) return Fault::none;
  if (std::uniform_real_distribution<double>(0, 1)(rng_) >= plan_.fault_probability) {
    return Fault::none;
  }
  return plan_.kinds[std::uniform_int_distribution<std::size_t>(0, plan_.kinds.size() - 1)(rng_)];
}

void FaultProxy::accept_loop() {
  while (!stop_.load()) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (poll(&pfd, 1, 50) <= 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    std::lock_guard lock(mutex_);
    const Fault fault = choose();
    auto c = std::make_unique<Connection>(*this, fd, fault, link_, rng_());
    Connection* raw = c.get();
    const int upstream_port = upstream_port_;
    raw->thread = std::thread([raw, upstream_port] {
      raw->run(upstream_port);
      close(raw->client);
      if (raw->upstream >= 0) close(raw->upstream);
      raw->finished = true;
    });
    // Reap finished connections so a long test does not pile up threads.
    for (auto it = live_.begin(); it != live_.end();) {
      if ((*it)->finished.load()) {
        (*it)->thread.join();
        it = live_.erase(it);
      } else {
        ++it;
      }
    }
    live_.push_back(std::move(c));
  }
}

}  // namespace alliance::test
