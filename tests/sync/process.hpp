// Runs the real alliance-sync and alliance-central binaries from tests:
// spawn, wait with a bound, kill, and read what they printed.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace alliance::test {

struct ProcessResult {
  int exit_code = -1;  // -1 if killed by a signal
  int signal = 0;
  bool timed_out = false;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class Process {
 public:
  // Starts argv[0] with the rest as arguments; stdout and stderr go to files in dir.
  Process(const std::vector<std::string>& argv, const std::filesystem::path& dir) {
    static int counter = 0;
    const std::string stem = "proc-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
    out_path_ = dir / (stem + ".out");
    err_path_ = dir / (stem + ".err");
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int out_fd = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int err_fd = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out_fd < 0 || err_fd < 0) throw std::runtime_error("cannot create output files");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out_fd, 1);
      dup2(err_fd, 2);
      execv(args[0], args.data());
      _exit(127);
    }
    close(out_fd);
    close(err_fd);
    if (pid_ < 0) throw std::runtime_error("fork failed");
  }
  ~Process() {
    if (!reaped_) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) { kill(pid_, sig); }

  // Waits at most `limit`; on timeout kills the process and says so.
  ProcessResult wait(std::chrono::milliseconds limit = std::chrono::seconds(120)) {
    ProcessResult r;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (true) {
      const pid_t done = waitpid(pid_, &status, WNOHANG);
      if (done == pid_) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        r.timed_out = true;
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    reaped_ = true;
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
    r.out = slurp(out_path_);
    r.err = slurp(err_path_);
    return r;
  }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::filesystem::path out_path_;
  std::filesystem::path err_path_;
};

inline ProcessResult run_process(const std::vector<std::string>& argv,
                                 const std::filesystem::path& dir,
                                 std::chrono::milliseconds limit = std::chrono::seconds(120)) {
  Process p(argv, dir);
  return p.wait(limit);
}

}  // namespace alliance::test
