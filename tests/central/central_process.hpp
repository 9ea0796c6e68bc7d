// A real alliance-central serve process on 127.0.0.1, killed when the test is done with it.
#pragma once

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#ifndef ALLIANCE_CENTRAL_BINARY
#error "ALLIANCE_CENTRAL_BINARY must name the alliance-central executable"
#endif

namespace alliance::test {

class CentralProcess {
 public:
  // `db` is a SQLite file or a PostgreSQL URL. With `log_file` its output (a
  // line per request) goes to that file instead of the test's stderr.
  CentralProcess(const std::string& db, int port, const std::filesystem::path& log_file = {})
      : port_(port) {
    const std::string listen = "127.0.0.1:" + std::to_string(port);
    pid_ = fork();
    if (pid_ == 0) {
      if (!log_file.empty()) {
        const int fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (fd < 0) _exit(126);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
      }
      execl(ALLIANCE_CENTRAL_BINARY, ALLIANCE_CENTRAL_BINARY, "serve", "--db", db.c_str(),
            "--listen", listen.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~CentralProcess() {
    if (pid_ > 0) kill_now();
  }
  CentralProcess(const CentralProcess&) = delete;
  CentralProcess& operator=(const CentralProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  // Whether /v1/health answered within about 5 s.
  bool wait_ready() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(0, 200'000);
    for (int i = 0; i < 250; ++i) {
      if (auto res = client.Get("/v1/health"); res && res->status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  void kill_now() {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  int terminate() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int port_;
};

}  // namespace alliance::test
