// Kiosk benchmark, measured on the real alliance-kiosk from outside: start to
// first frame, frame time on busy screens, CPU while idle, peak memory.
//
// usage: bench_kiosk [--quick] [--kiosk PATH] [--baseline PATH]
//   --quick     fewer runs, frames and seconds, to check the benchmark works (ctest)
//   --kiosk     the alliance-kiosk binary (default: the one built next to this)
//   --baseline  another alliance-kiosk (an older build) measured in the same
//               run, its first frames taking turns with this one's
//
// Frame times come from two screens: the registration form being filled in,
// and the staff list of today's registrations with names in 18 scripts
// (--bench-screen names; a kiosk without that flag says "not supported").
// Needs an X display; for the frame figure at 1920x1080 run it as
//   xvfb-run -a -s "-screen 0 1920x1080x24" bench_kiosk
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// A child process with its stderr on a pipe we read.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    started_ = Clock::now();
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(fds[1], STDERR_FILENO);
      close(fds[0]);
      close(fds[1]);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      std::perror("exec");
      _exit(127);
    }
    close(fds[1]);
    err_ = fds[0];
  }
  ~Child() {
    if (!reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(err_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  Clock::time_point started() const { return started_; }
  const std::string& output() const { return output_; }

  // Reads stderr until a line starting with `prefix` arrives (returns when it
  // arrived), the pipe closes, or the deadline passes.
  std::optional<Clock::time_point> wait_for_line(const std::string& prefix,
                                                 Clock::duration timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      if (line_seen(prefix)) return seen_at_;
      pollfd p{err_, POLLIN, 0};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) continue;
      char buffer[4096];
      const ssize_t n = read(err_, buffer, sizeof buffer);
      if (n <= 0) return line_seen(prefix) ? std::optional(seen_at_) : std::nullopt;
      output_.append(buffer, static_cast<std::size_t>(n));
      seen_at_ = Clock::now();
    }
    return std::nullopt;
  }

  // Waits for the exit (bounded); returns the exit status and peak RSS in KiB.
  std::optional<std::pair<int, long>> wait_exit(Clock::duration timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      int status = 0;
      rusage usage{};
      const pid_t r = wait4(pid_, &status, WNOHANG, &usage);
      if (r == pid_) {
        reaped_ = true;
        drain();
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return std::pair(code, usage.ru_maxrss);
      }
      std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
  }

 private:
  bool line_seen(const std::string& prefix) const {
    return output_.starts_with(prefix) || output_.find("\n" + prefix) != std::string::npos;
  }
  void drain() {
    char buffer[4096];
    pollfd p{err_, POLLIN, 0};
    while (poll(&p, 1, 0) > 0) {
      const ssize_t n = read(err_, buffer, sizeof buffer);
      if (n <= 0) break;
      output_.append(buffer, static_cast<std::size_t>(n));
    }
  }

  pid_t pid_ = -1;
  int err_ = -1;
  bool reaped_ = false;
  Clock::time_point started_;
  Clock::time_point seen_at_;
  std::string output_;
};

std::string value_after(const std::string& text, const std::string& key) {
  const auto at = text.find(key + "=");
  if (at == std::string::npos) return "?";
  const auto start = at + key.size() + 1;
  return text.substr(start, text.find_first_of(" \n", start) - start);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// utime + stime of a process, in clock ticks.
long cpu_ticks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);  // one line
  // Fields after the command name (which may hold spaces) start after ") ".
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return utime + stime;
}

std::string status_field(pid_t pid, const std::string& name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(name + ":")) {
      auto value = line.substr(name.size() + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      return value;
    }
  }
  return "?";
}

int fail(const std::string& why) {
  std::fprintf(stderr, "bench_kiosk: %s\n", why.c_str());
  return 1;
}

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct FirstFrames {
  double new_db_ms = 0;
  std::vector<double> outside;  // exec to the line on stderr
  std::vector<double> inside;   // the kiosk's own clock
  long rss_kib = 0;             // peak, of the run on a new database
};

// One start to first frame: exec until the first frame is on screen (the
// kiosk says so on stderr after glFinish).
void first_frame(const std::string& kiosk, const std::string& db, FirstFrames& out) {
  Child child({kiosk, "--db", db, "--exit-after-first-frame"});
  const auto seen = child.wait_for_line("first_frame_ms=", 30s);
  const auto exit = child.wait_exit(30s);
  if (!seen || !exit || exit->first != 0) {
    throw Failure(kiosk + " did not draw a first frame:\n" + child.output());
  }
  const double wall = ms(*seen - child.started());
  if (out.rss_kib == 0) {
    out.new_db_ms = wall;
    out.rss_kib = exit->second;
    return;
  }
  out.outside.push_back(wall);
  out.inside.push_back(std::stod(value_after(child.output(), "first_frame_ms")));
}

struct Frames {
  bool supported = true;
  std::string output;  // the kiosk's bench line
  long rss_kib = 0;
};

// Frame times full screen with no vsync, on the registration form or the
// staff list full of names in many scripts (--bench-screen names).
Frames frames(const std::string& kiosk, const std::string& db, bool quick, const char* screen) {
  std::vector<std::string> argv = {kiosk,          "--db",           db,
                                   "--fullscreen", "--bench-frames", quick ? "60" : "600"};
  if (screen != nullptr) {
    argv.push_back("--bench-screen");
    argv.push_back(screen);
  }
  Child child(argv);
  const auto seen = child.wait_for_line("bench_frames=", 300s);
  const auto exit = child.wait_exit(30s);
  Frames out{.output = child.output()};
  if (screen != nullptr && exit && exit->first == 2 &&
      out.output.find("--bench-screen") != std::string::npos) {
    out.supported = false;  // a kiosk from before --bench-screen
    return out;
  }
  if (!seen || !exit || exit->first != 0) throw Failure("frame benchmark failed:\n" + out.output);
  out.rss_kib = exit->second;
  return out;
}

struct Idle {
  double seconds = 0;
  double percent = 0;
  long ticks = 0;
  std::string hwm;
  std::string threads;
};

// A kiosk showing its welcome screen and nobody at the desk.
Idle idle(const std::string& kiosk, const std::string& db, bool quick) {
  Child child({kiosk, "--db", db});
  std::this_thread::sleep_for(quick ? 1500ms : 3s);
  if (child.wait_exit(0s)) throw Failure("the kiosk exited early:\n" + child.output());
  const long ticks_before = cpu_ticks(child.pid());
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(quick ? 2s : 10s);
  Idle out;
  out.ticks = cpu_ticks(child.pid()) - ticks_before;
  out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  out.percent = 100.0 * static_cast<double>(out.ticks) / static_cast<double>(sysconf(_SC_CLK_TCK)) /
                out.seconds;
  out.hwm = status_field(child.pid(), "VmHWM");
  out.threads = status_field(child.pid(), "Threads");
  kill(child.pid(), SIGTERM);
  const auto exit = child.wait_exit(10s);
  if (!exit) throw Failure("the kiosk did not stop within 10 s of SIGTERM");
  if (exit->first != 0) {
    throw Failure("the kiosk exited with " + std::to_string(exit->first) + " on SIGTERM:\n" +
                  child.output());
  }
  return out;
}

double mib(long kib) {
  return static_cast<double>(kib) / 1024.0;
}

void print_frames(const char* what, const std::string& frame_count, const Frames& f) {
  if (!f.supported) {
    std::printf("frame time, %s: not supported by this kiosk\n", what);
    return;
  }
  const auto& out = f.output;
  std::printf("frame time, %s %s:  p50 %s ms  p99 %s ms  max %s ms (%s frames)\n", what,
              value_after(out, "size").c_str(), value_after(out, "p50_ms").c_str(),
              value_after(out, "p99_ms").c_str(), value_after(out, "max_ms").c_str(),
              frame_count.c_str());
  std::printf("  of which ImGui building the frame:    p50 %s ms  p99 %s ms (the rest is OpenGL)\n",
              value_after(out, "imgui_p50_ms").c_str(), value_after(out, "imgui_p99_ms").c_str());
  if (out.find("glyph_pages=") != std::string::npos) {
    std::printf("  text: %s faces open, %s glyphs in %s glyph pages\n",
                value_after(out, "faces_open").c_str(), value_after(out, "glyphs").c_str(),
                value_after(out, "glyph_pages").c_str());
  }
  std::printf("peak RSS while drawing it:              %7.1f MiB\n", mib(f.rss_kib));
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  std::string kiosk = ALLIANCE_KIOSK_PATH;
  std::string baseline;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") {
      quick = true;
    } else if (arg == "--kiosk" && i + 1 < argc) {
      kiosk = argv[++i];
    } else if (arg == "--baseline" && i + 1 < argc) {
      baseline = argv[++i];
    } else {
      std::fprintf(stderr, "usage: bench_kiosk [--quick] [--kiosk PATH] [--baseline PATH]\n");
      return 2;
    }
  }
  if (std::getenv("DISPLAY") == nullptr) {
    return fail("no X display; run: xvfb-run -a -s \"-screen 0 1920x1080x24\" bench_kiosk");
  }
  struct Subject {
    std::string name;
    std::string path;
    std::unique_ptr<alliance::test::TempDir> dir;
    std::string db;
    FirstFrames first;
  };
  std::vector<Subject> subjects;
  if (!baseline.empty()) subjects.push_back({"baseline", baseline});
  subjects.push_back({baseline.empty() ? "kiosk" : "this kiosk", kiosk});
  for (auto& s : subjects) {
    s.dir = std::make_unique<alliance::test::TempDir>();
    s.db = (*s.dir / "kiosk.db").string();
  }
  try {
    // 1. Start to first frame; with a baseline, the two take turns, so a
    //    machine busier at one moment than another slows both alike. The
    //    first run of each creates its database.
    const int runs = quick ? 2 : 7;
    for (int run = 0; run < runs; ++run) {
      for (auto& s : subjects) first_frame(s.path, s.db, s.first);
    }
    for (auto& s : subjects) {
      std::printf("\n%s (%s)%s\n", s.name.c_str(), s.path.c_str(), quick ? ", quick" : "");
      const auto& f = s.first;
      std::printf("start to first frame, new database:     %7.1f ms\n", f.new_db_ms);
      std::printf("start to first frame, median of %d:      %7.1f ms (kiosk's own clock %.1f ms)\n",
                  runs - 1, median(f.outside), median(f.inside));
      std::printf("peak RSS of a start to first frame:     %7.1f MiB\n", mib(f.rss_kib));

      // 2. Frame time full screen: the registration form, then a staff list
      //    full of names in many scripts.
      const std::string frame_count = quick ? "60" : "600";
      print_frames("registration form", frame_count, frames(s.path, s.db, quick, nullptr));
      print_frames("names in 18 scripts", frame_count, frames(s.path, s.db, quick, "names"));

      // 3. Idle.
      const Idle i = idle(s.path, s.db, quick);
      std::printf("idle CPU over %.0f s:                     %7.2f %% of one core (%ld ticks)\n",
                  i.seconds, i.percent, i.ticks);
      std::printf("peak RSS (VmHWM) after idling:          %s, %s threads\n", i.hwm.c_str(),
                  i.threads.c_str());
      std::printf("SIGTERM to exit:                        clean (exit 0)\n");
    }
    if (subjects.size() == 2) {
      const auto& before = subjects[0].first;
      const auto& after = subjects[1].first;
      std::printf(
          "\nthis kiosk against the baseline: start to first frame %+.1f %% (median), "
          "peak RSS of a start %+.1f MiB\n",
          100.0 * (median(after.outside) / median(before.outside) - 1.0),
          mib(after.rss_kib) - mib(before.rss_kib));
    }
  } catch (const Failure& e) {
    return fail(e.what());
  }
  return 0;
}
