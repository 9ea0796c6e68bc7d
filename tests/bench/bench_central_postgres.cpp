// Ingest of alliance-central on PostgreSQL with 1, 2 and 4 serve processes sharing one database
// (issue 15), and of one process on a SQLite file, from the same clients as bench_central:
// changes/s, wall time, CPU of central's processes and of PostgreSQL, and whether the database
// holds every change sent exactly once. Prints figures; asserts none. --quick runs a tiny load
// for ctest (on the run's test cluster when ctest gives one).
#include <sys/types.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench/ingest_load.hpp"
#include "central/central_processes.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace alliance;

namespace {

constexpr const char* kUsage =
    "usage: bench_central_postgres [--quick] [--batches N] [--pg durable|test|both]\n"
    "  --quick        a tiny load for ctest (4 clients x 2 batches of 50), test settings only\n"
    "  --batches N    batches of 500 per client (default 10, as bench_central)\n"
    "  --pg durable   a cluster with PostgreSQL's defaults (fsync on), as production runs\n"
    "  --pg test      a cluster with the tests' settings (fsync, synchronous_commit off)\n"
    "  --pg both      both, one after the other (the default)\n";

struct Options {
  bool quick = false;
  int batches = 10;
  std::vector<test::PgDurability> settings = {test::PgDurability::durable,
                                              test::PgDurability::test_settings};
};

std::optional<Options> parse_options(int argc, char** argv) {
  Options options;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool has_value = i + 1 < args.size();
    if (args[i] == "--quick") {
      options.quick = true;
    } else if (args[i] == "--batches" && has_value) {
      const int n = std::atoi(args[++i].c_str());
      if (n < 1 || n > 1000) return std::nullopt;
      options.batches = n;
    } else if (args[i] == "--pg" && has_value) {
      const std::string which = args[++i];
      if (which == "durable") {
        options.settings = {test::PgDurability::durable};
      } else if (which == "test") {
        options.settings = {test::PgDurability::test_settings};
      } else if (which != "both") {
        return std::nullopt;
      }
    } else {
      return std::nullopt;
    }
  }
  if (options.quick) options.settings = {test::PgDurability::test_settings};
  return options;
}

// A process's CPU from /proc/PID/stat, in clock ticks: its own, and that of
// its children it has waited for.
struct ProcessCpu {
  pid_t parent = 0;
  long long own = 0;
  long long reaped_children = 0;
};

std::optional<ProcessCpu> process_cpu(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(file, line)) return std::nullopt;
  // The command name (field 2) may hold spaces; the fields after it do not.
  const auto after_name = line.rfind(')');
  if (after_name == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(after_name + 2));
  // From field 3: state ppid pgrp session tty_nr tpgid flags minflt cminflt
  // majflt cmajflt utime stime cutime cstime.
  std::string state;
  ProcessCpu cpu;
  long long skipped = 0;
  long long user = 0;
  long long system = 0;
  long long children_user = 0;
  long long children_system = 0;
  fields >> state >> cpu.parent;
  for (int i = 0; i < 8; ++i) fields >> skipped;
  if (!(fields >> user >> system >> children_user >> children_system)) return std::nullopt;
  cpu.own = user + system;
  cpu.reaped_children = children_user + children_system;
  return cpu;
}

double ticks_to_seconds(long long ticks) {
  return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU seconds of central's serve processes so far.
double central_cpu(const test::CentralProcesses& processes) {
  long long ticks = 0;
  for (const auto& server : processes.servers) {
    if (const auto cpu = process_cpu(server->pid())) ticks += cpu->own;
  }
  return ticks_to_seconds(ticks);
}

// The postmaster's process id, from DIR/data/postmaster.pid.
std::optional<pid_t> postmaster_of(const test::PgCluster& cluster) {
  std::ifstream file(std::filesystem::path(cluster.dir()) / "data" / "postmaster.pid");
  long pid = 0;
  if (!(file >> pid) || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

// CPU seconds of the whole cluster so far: the postmaster, the backends
// (one per central connection), background workers, and those of them that
// have exited (counted in the postmaster's reaped children).
std::optional<double> postgres_cpu(pid_t postmaster) {
  const auto root = process_cpu(postmaster);
  if (!root) return std::nullopt;
  long long ticks = root->own + root->reaped_children;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto cpu = process_cpu(static_cast<pid_t>(std::stol(name)));
    if (cpu && cpu->parent == postmaster) ticks += cpu->own;
  }
  return ticks_to_seconds(ticks);
}

std::string load_average() {
  std::ifstream file("/proc/loadavg");
  std::string one;
  std::string five;
  std::string fifteen;
  file >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

struct Figures {
  int processes = 0;
  bench::IngestRun run;
  double central_cpu = 0;
  std::optional<double> postgres_cpu;
  std::int64_t stored_changes = 0;
  std::int64_t stored_members = 0;
};

// Starts `processes` serve processes on `db`, enrols one device per client
// through the process it will push to (round-robin), runs the load, and
// counts what the database holds.
Figures measure(const std::string& db, int processes, const bench::IngestShape& shape,
                const std::filesystem::path& log_dir, std::optional<pid_t> postmaster) {
  test::CentralProcesses central(db, processes, log_dir);
  std::vector<bench::IngestClient> clients;
  for (int c = 0; c < shape.clients; ++c) {
    const auto server = static_cast<std::size_t>(c % processes);
    const std::string name = "bench-" + std::to_string(c);
    const auto device = central.enroll(server, name);
    clients.push_back(
        {.port = central.servers[server]->port(), .token = device.token, .hlc_node = name});
  }
  const bench::IngestLoad load(shape, std::move(clients));

  Figures figures;
  figures.processes = processes;
  const double central_before = central_cpu(central);
  const auto postgres_before = postmaster ? postgres_cpu(*postmaster) : std::nullopt;
  figures.run = load.run();
  figures.central_cpu = central_cpu(central) - central_before;
  if (postgres_before) {
    if (const auto after = postgres_cpu(*postmaster)) {
      figures.postgres_cpu = *after - *postgres_before;
    }
  }
  figures.stored_changes = central.admin->count_applied_changes();
  figures.stored_members = central.admin->count_records(protocol::Entity::member);
  return figures;
}

void print_header() {
  std::printf("  %-9s %9s %8s %7s %12s %13s %12s %11s  %s\n", "processes", "changes/s", "changes",
              "wall s", "cpu central", "cpu postgres", "cpu clients", "cpu us/chg",
              "in the database");
}

// Prints one row; returns whether the database holds exactly what was sent.
bool print_row(const Figures& f, long sent) {
  const double server_cpu = f.central_cpu + f.postgres_cpu.value_or(0);
  const bool exact = f.run.failed_requests == 0 && f.run.applied == sent &&
                     f.stored_changes == sent && f.stored_members == sent;
  char postgres[32] = "-";
  if (f.postgres_cpu) std::snprintf(postgres, sizeof postgres, "%.2f s", *f.postgres_cpu);
  std::printf("  %-9d %9.0f %8ld %7.2f %10.2f s %13s %10.2f s %11.1f  ", f.processes,
              static_cast<double>(sent) / f.run.seconds, sent, f.run.seconds, f.central_cpu,
              postgres, f.run.own_cpu_seconds, server_cpu * 1e6 / static_cast<double>(sent));
  std::printf("%lld changes, %lld members: %s", static_cast<long long>(f.stored_changes),
              static_cast<long long>(f.stored_members), exact ? "exactly as sent" : "NOT as sent");
  if (!exact) {
    std::printf(" (%d failed requests, %ld applied, %ld not applied in the answers)",
                f.run.failed_requests, f.run.applied, f.run.not_applied);
  }
  std::printf("\n");
  return exact;
}

// "16.4, fsync on, synchronous_commit on" from the server itself.
std::string describe_cluster(const test::PgCluster& cluster) {
  auto db = central::sql::Connection::open(cluster.url());
  auto q = db.query(
      "SELECT current_setting('server_version'), current_setting('fsync'), "
      "current_setting('synchronous_commit'), current_setting('full_page_writes')");
  if (!q.step()) return "?";
  return "PostgreSQL " + q.text(0) + ", fsync " + q.text(1) + ", synchronous_commit " + q.text(2) +
         ", full_page_writes " + q.text(3);
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse_options(argc, argv);
  if (!options) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  log::set_level(log::Level::warn);
  const bench::IngestShape shape{.clients = 4,
                                 .batch_size = options->quick ? 50 : 500,
                                 .batches_per_client = options->quick ? 2 : options->batches};
  const long sent = shape.total();
  const test::TempDir logs;
  bool all_exact = true;

  std::printf(
      "bench_central_postgres: %d clients x %d batches x %d changes = %ld changes per run, "
      "clients round-robin over the processes\n",
      shape.clients, shape.batches_per_client, shape.batch_size, sent);
  std::printf("  %u cores, load average %s at the start\n", std::thread::hardware_concurrency(),
              load_average().c_str());
  try {
    {
      const test::TempDir data;
      std::printf("SQLite file (synchronous=FULL), one serve process:\n");
      print_header();
      all_exact &=
          print_row(measure((data / "central.db").string(), 1, shape, logs.path(), {}), sent);
    }
    for (const auto durability : options->settings) {
      // Under ctest (--quick) the run's cluster, else one of our own.
      std::optional<test::PgCluster> own;
      const test::PgCluster& cluster = options->quick
                                           ? test::shared_pg_cluster()
                                           : own.emplace(test::PgCluster::start(durability));
      std::printf("%s (%s), one fresh database per row:\n", describe_cluster(cluster).c_str(),
                  durability == test::PgDurability::durable ? "durable" : "the tests' settings");
      print_header();
      const auto postmaster = postmaster_of(cluster);
      for (const int processes : {1, 2, 4}) {
        all_exact &= print_row(
            measure(cluster.new_database(), processes, shape, logs.path(), postmaster), sent);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_central_postgres: %s\n", e.what());
    return 1;
  }
  std::printf("  load average %s at the end\n", load_average().c_str());
  return all_exact ? 0 : 1;
}
