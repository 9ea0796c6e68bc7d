// A venue hub as real processes, for the hub tests and benchmark: an upstream
// alliance-central, hubs (`serve` and `relay` on one SQLite file), and desks
// enrolled to a hub, each program one that can be SIGKILLed and started again.
#pragma once

#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "harness.hpp"
#include "process.hpp"
#include "support/free_port.hpp"

namespace alliance::test {

// The seed of a randomised run: ALLIANCE_FAULT_SEED if set (to replay one).
inline std::uint64_t hub_chaos_seed(std::uint64_t fallback) {
  if (const char* s = std::getenv("ALLIANCE_FAULT_SEED")) return std::strtoull(s, nullptr, 10);
  return fallback;
}

// A long-running program (serve, relay, an agent's run) that a test kills
// with SIGKILL and starts again with the same arguments.
class Service {
 public:
  Service(std::string name, std::vector<std::string> argv, std::filesystem::path dir)
      : name_(std::move(name)), argv_(std::move(argv)), dir_(std::move(dir)) {}

  const std::string& name() const { return name_; }
  bool started() const { return process_ != nullptr; }

  void start() { process_ = std::make_unique<Process>(argv_, dir_); }

  // Whether it is still running; a process that exited is left for wait() to reap.
  bool running() const {
    if (!process_) return false;
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(process_->pid()), &info, WEXITED | WNOHANG | WNOWAIT) !=
        0) {
      return false;
    }
    return info.si_pid == 0;
  }

  // SIGKILL. True when the kill found it running; false (and its stderr kept
  // in last_exit()) when it had already exited by itself.
  bool kill_hard() {
    if (!process_) return false;
    process_->signal(SIGKILL);
    auto result = process_->wait(std::chrono::seconds(10));
    process_.reset();
    if (result.signal == SIGKILL) return true;
    ++exits_by_itself_;
    last_exit_ = "exit " + std::to_string(result.exit_code) + ": " + result.err;
    return false;
  }

  // SIGTERM and the exit status (a clean stop is 0).
  ProcessResult stop(std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    if (!process_) return {};
    process_->signal(SIGTERM);
    auto result = process_->wait(limit);
    process_.reset();
    return result;
  }

  // Starts it again if it is not running (after a kill, or when it exited by
  // itself, which is counted).
  void ensure_running() {
    if (running()) return;
    if (process_) kill_hard();
    start();
  }

  int exits_by_itself() const { return exits_by_itself_; }
  const std::string& last_exit() const { return last_exit_; }

 private:
  std::string name_;
  std::vector<std::string> argv_;
  std::filesystem::path dir_;
  std::unique_ptr<Process> process_;
  int exits_by_itself_ = 0;
  std::string last_exit_;
};

// Whether an alliance-central on 127.0.0.1:port answers /v1/health within `limit`.
inline bool health_answers(int port, std::chrono::milliseconds limit) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(0, 200'000);
  client.set_read_timeout(1, 0);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto res = client.Get("/v1/health"); res && res->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// alliance-central <args...>; its standard output, or an exception with its complaint.
inline std::string central_command(const std::vector<std::string>& args,
                                   const std::filesystem::path& dir) {
  std::vector<std::string> argv = {kCentralBinary};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_process(argv, dir, std::chrono::seconds(60));
  if (r.exit_code != 0) {
    throw std::runtime_error("alliance-central " + (args.empty() ? "" : args[0]) +
                             " failed: " + r.err);
  }
  return r.out;
}

// A single-use enrolment code from `db` (`enroll-code`); with relay, one for a hub's relay.
inline std::string enrolment_code(const std::string& db, const std::string& office, bool relay,
                                  const std::filesystem::path& dir) {
  std::vector<std::string> args = {"enroll-code", "--db", db, "--office", office};
  if (relay) args.push_back("--relay");
  const std::string out = central_command(args, dir);
  const auto end = out.find_last_not_of(" \r\n\t");
  if (end == std::string::npos) throw std::runtime_error("enroll-code printed no code");
  const auto begin = out.find_last_of(" \r\n\t", end);
  return out.substr(begin == std::string::npos ? 0 : begin + 1,
                    end - (begin == std::string::npos ? 0 : begin + 1) + 1);
}

// `alliance-central serve` on a port of its own, which it keeps across restarts
// (as a machine's address stays when the program is restarted).
class CentralService {
 public:
  CentralService(std::string name, std::string db, const std::filesystem::path& dir)
      : db_(std::move(db)),
        port_(free_port()),
        service_(std::move(name),
                 {kCentralBinary, "serve", "--db", db_, "--listen",
                  "127.0.0.1:" + std::to_string(port_)},
                 dir) {}

  // Starts it and waits until it answers (it throws if it never does).
  void start_and_wait() {
    service_.start();
    if (!health_answers(port_, std::chrono::seconds(20))) {
      throw std::runtime_error(service_.name() + " did not answer /v1/health within 20 s");
    }
  }

  const std::string& db() const { return db_; }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  Service& service() { return service_; }

 private:
  std::string db_;
  int port_;
  Service service_;
};

// A hub: serve and relay on one SQLite file.
struct Hub {
  CentralService serve;
  Service relay;
  std::string db;
};

// Sets up a hub on `hub_db` below `upstream_url` (enrolled there with a relay
// code from `upstream_db`): the relay's first run (`--code ... --once`) enrols
// it and syncs once, then serve starts; the long-running relay is made but
// not started. `relay_extra` goes on every relay command line.
inline std::unique_ptr<Hub> make_hub(const std::string& name, const std::filesystem::path& hub_db,
                                     const std::string& upstream_db,
                                     const std::string& upstream_url, const std::string& office,
                                     const std::filesystem::path& dir,
                                     const std::vector<std::string>& relay_extra = {}) {
  const std::string code = enrolment_code(upstream_db, office, true, dir);
  std::vector<std::string> first = {"relay",  "--db", hub_db.string(), "--upstream", upstream_url,
                                    "--code", code,   "--name",        name,         "--once"};
  first.insert(first.end(), relay_extra.begin(), relay_extra.end());
  central_command(first, dir);
  std::vector<std::string> relay = {kCentralBinary, "relay", "--db", hub_db.string()};
  relay.insert(relay.end(), relay_extra.begin(), relay_extra.end());
  auto hub =
      std::unique_ptr<Hub>(new Hub{.serve = CentralService(name + " serve", hub_db.string(), dir),
                                   .relay = Service(name + " relay", relay, dir),
                                   .db = hub_db.string()});
  hub->serve.start_and_wait();
  return hub;
}

// Enrols the desk database `db` to a hub (a code from the hub's database).
inline void enroll_desk(const std::filesystem::path& db, const Hub& hub, const std::string& office,
                        const std::filesystem::path& dir) {
  const std::string code = enrolment_code(hub.db, office, false, dir);
  auto r = run_process(sync_args("enroll", db, {"--server", hub.serve.url(), "--code", code}), dir,
                       std::chrono::seconds(30));
  if (r.exit_code != 0) throw std::runtime_error("desk enrolment to the hub failed: " + r.err);
}

// The value at fraction p (0..1) of the sorted values (nearest rank below).
inline double fraction_point(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

}  // namespace alliance::test
