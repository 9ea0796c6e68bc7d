// Command parsing for alliance-sync; each command is a few calls into the agent.
#include "sync/cli.hpp"

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "common/store/backup.hpp"
#include "common/store/file_health.hpp"
#include "common/store/store.hpp"
#include "common/util/log.hpp"
#include "common/util/strings.hpp"
#include "sync/agent.hpp"
#include "sync/bundles.hpp"

namespace alliance::sync {
namespace {

constexpr std::string_view kUsage =
    "usage: alliance-sync <command> [--db FILE] [options]\n"
    "\n"
    "commands:\n"
    "  enroll [--db FILE] --server URL --code CODE [--name NAME]\n"
    "                     exchange a one-time code for this database's device token.\n"
    "                     URL: https://host[:port][/path]; plain http:// only to this\n"
    "                     computer (127.0.0.1, ::1, localhost); no user:password@\n"
    "  once   [--db FILE] push until nothing waits, pull until nothing remains, exit\n"
    "  run    [--db FILE] the background agent (stops on SIGTERM/SIGINT)\n"
    "  status [--db FILE] [--json]\n"
    "                     queue depth, rejected count, last attempt/success/error, next\n"
    "                     retry, the device clock against the server's once measured,\n"
    "                     and the network bytes used today and this month (UTC);\n"
    "                     reads only (never waits for the write lock)\n"
    "  check  [--db FILE] full integrity check of the database; exit 0 only if intact\n"
    "  backup [--db FILE] OUT\n"
    "                     consistent copy to a new file OUT (mode 0600; an existing OUT is\n"
    "                     refused), safe while the kiosk and the agent run; checked before\n"
    "                     it is written. OUT may be on a USB stick\n"
    "  restore [--db FILE] BACKUP\n"
    "                     replace the database with a checked backup. Stop the kiosk and\n"
    "                     the agent first (refused while either has the file open); the\n"
    "                     replaced file is kept as FILE.replaced-<time>. The agent then sends\n"
    "                     again what the server lacks and pulls the office's records anew\n"
    "  rejected [--db FILE] [--format text|json]\n"
    "                     the changes that are not synced and why: rejected by the server\n"
    "                     (staff resend or discard), quarantined (damaged or never\n"
    "                     answered), held (sent again by the agent when the reason may\n"
    "                     have cleared)\n"
    "  resend  [--db FILE] CHANGE_ID\n"
    "                     queue a rejected, quarantined or held change again, now\n"
    "  discard [--db FILE] CHANGE_ID\n"
    "                     never send that change (the row stays as a record of it)\n"
    "  export-bundle [--db FILE] OUT\n"
    "                     where there is no network: write every change central has not\n"
    "                     acknowledged to a new file OUT (mode 0600; an existing OUT is\n"
    "                     refused), signed with this device's key, e.g. on a USB stick.\n"
    "                     Carry it to central: alliance-central import-bundle\n"
    "  import-bundle [--db FILE] ANSWER\n"
    "                     apply central's signed answer to a bundle: acknowledgements and\n"
    "                     the records this device would pull. Refused, changing nothing,\n"
    "                     when it is cut short, altered, from another central, for another\n"
    "                     device, or already applied\n"
    "\n"
    "  --db FILE              the kiosk database; default: $ALLIANCE_DB if set, else\n"
    "                         /var/lib/alliance/kiosk.db when /var/lib/alliance exists\n"
    "                         (the packaged install), else --db is required\n"
    "\n"
    "network options (enroll, once, run):\n"
    "  --ca-file FILE         trust this CA bundle (a private CA); TLS is always verified\n"
    "  --max-rate BYTES       cap the bandwidth each way, in bytes per second\n"
    "  --connect-timeout S    give up connecting after S seconds (default 15)\n"
    "  --low-speed-time S     abandon a transfer slower than --low-speed-limit for S s (default "
    "60)\n"
    "  --low-speed-limit B    bytes per second (default 32)\n"
    "  proxies come from http_proxy / https_proxy / no_proxy\n"
    "sync options (once, run):\n"
    "  --batch-changes N      changes per push (default 500)\n"
    "  --batch-bytes N        payload bytes per push before compression (default 524288)\n"
    "  --backoff-base-ms MS   first retry wait bound (default 1000)\n"
    "  --backoff-cap S        longest retry wait (default 300)\n"
    "  --attempts N           once: attempts before giving up (default 3)\n"
    "  --pull-interval S      run: an idle agent asks central for changes this often;\n"
    "                         central holds each ask up to S s (at most 900) and answers\n"
    "                         as soon as a change for this device lands (default 840)\n"
    "  --max-daily-bytes N    run: past N network bytes in a UTC day, background pulls\n"
    "                         wait for the next day; pushes and sync now still go\n"
    "                         (default 0: no budget; status shows the bytes used)\n"
    "  --retry-held-after S   a change sent back for a reason that can clear (a size\n"
    "                         limit, a clock the server judged ahead) waits S seconds,\n"
    "                         doubling each time, at most an hour (default 60)\n"
    "  --log-level LEVEL      debug, info, warn or error (default info)\n"
    "\n"
    "Answers are capped: 16 MiB (decoded, and on the wire) for a pull page, 4 MiB for\n"
    "a push answer, 64 KiB for enrolment and for headers. An oversized pull page is\n"
    "asked for again with half as many records, down to one.\n"
    "\n"
    "run and once check the database at start (PRAGMA quick_check, a cut WAL) and refuse\n"
    "a damaged file or one they cannot write (mode bits, read-only disk), naming the fix.\n"
    "\n"
    "Every command takes --help and --version. Logs go to stderr.\n";

const std::map<std::string, std::set<std::string>, std::less<>>& commands() {
  static const std::set<std::string> network = {
      "--db",        "--ca-file",        "--max-rate",       "--connect-timeout",
      "--log-level", "--low-speed-time", "--low-speed-limit"};
  auto with = [&](std::initializer_list<std::string> extra) {
    auto s = network;
    s.insert(extra);
    return s;
  };
  static const std::set<std::string> sync_flags = {"--batch-changes", "--batch-bytes",
                                                   "--backoff-base-ms", "--backoff-cap",
                                                   "--retry-held-after"};
  auto syncing = [&](std::initializer_list<std::string> extra) {
    auto s = with(extra);
    s.insert(sync_flags.begin(), sync_flags.end());
    return s;
  };
  static const std::map<std::string, std::set<std::string>, std::less<>> specs = {
      {"enroll", with({"--server", "--code", "--name"})},
      {"once", syncing({"--attempts"})},
      {"run", syncing({"--pull-interval", "--max-daily-bytes"})},
      {"status", {"--db", "--json", "--log-level"}},
      {"check", {"--db", "--log-level"}},
      {"backup", {"--db", "--log-level", "PATH"}},
      {"restore", {"--db", "--log-level", "PATH"}},
      {"rejected", {"--db", "--format", "--log-level"}},
      {"resend", {"--db", "--log-level", "CHANGE_ID"}},
      {"discard", {"--db", "--log-level", "CHANGE_ID"}},
      {"export-bundle", {"--db", "--log-level", "PATH"}},
      {"import-bundle", {"--db", "--log-level", "PATH"}},
  };
  return specs;
}

// The packaged install's shared state folder (2770 alliance:alliance, setgid).
constexpr std::string_view kInstalledStateDir = "/var/lib/alliance";

// --db when it is not given: $ALLIANCE_DB, else the packaged install's
// database when its folder exists, else nothing (the caller asks for --db).
std::optional<std::string> default_database() {
  if (const char* env = std::getenv("ALLIANCE_DB"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  std::error_code ec;
  if (std::filesystem::is_directory(kInstalledStateDir, ec)) {
    return (std::filesystem::path(kInstalledStateDir) / "kiosk.db").string();
  }
  return std::nullopt;
}

struct Parsed {
  std::map<std::string, std::string, std::less<>> flags;
  std::string positional;  // CHANGE_ID, or backup OUT / restore BACKUP / a bundle
  bool help = false;
  bool version = false;
  bool json = false;
};

std::optional<Parsed> parse(const std::vector<std::string>& args,
                            const std::set<std::string>& known, std::string& error) {
  Parsed p;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      p.help = true;
    } else if (arg == "--version") {
      p.version = true;
    } else if (arg == "--json" && known.contains(arg)) {
      p.json = true;
    } else if (arg.starts_with("--")) {
      const std::string_view view = arg;
      const auto eq = view.find('=');
      const std::string name(view.substr(0, eq));
      std::string value;
      if (eq != std::string_view::npos) {
        value = std::string(view.substr(eq + 1));
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        error = "option " + arg + " needs a value";
        return std::nullopt;
      }
      if (!known.contains(name)) {
        error = "unknown option '" + name + "'";
        return std::nullopt;
      }
      p.flags[name] = value;
    } else if ((known.contains("CHANGE_ID") || known.contains("PATH")) && p.positional.empty()) {
      p.positional = arg;
    } else {
      error = "unexpected argument '" + arg + "'";
      return std::nullopt;
    }
  }
  return p;
}

std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Reads an integer flag within [lo, hi] into *target; false (with error) if malformed.
bool int_flag(const Parsed& p, std::string_view name, std::int64_t lo, std::int64_t hi,
              std::int64_t& target, std::string& error) {
  auto it = p.flags.find(name);
  if (it == p.flags.end()) return true;
  auto v = to_int(it->second);
  if (!v || *v < lo || *v > hi) {
    error = util::cat(name, " must be a whole number from ", lo, " to ", hi);
    return false;
  }
  target = *v;
  return true;
}

struct Settings {
  AgentOptions agent;
  std::int64_t attempts = 3;
};

std::optional<Settings> settings_from(const Parsed& p, std::string& error) {
  Settings s;
  auto& http = s.agent.http;
  if (auto it = p.flags.find("--ca-file"); it != p.flags.end()) {
    if (access(it->second.c_str(), R_OK) != 0) {
      error = "cannot read the CA file " + it->second;
      return std::nullopt;
    }
    http.ca_file = it->second;
  }
  std::int64_t connect_s = 15, low_time = http.low_speed_time_s, low_limit = http.low_speed_limit;
  std::int64_t batch_changes = 500, batch_bytes = 512 * 1024;
  std::int64_t base_ms = 1000, cap_s = 300, held_s = 60, daily_bytes = 0;
  std::int64_t pull_s = s.agent.pull_interval.count() / 1000;
  if (!int_flag(p, "--max-rate", 0, std::int64_t{1} << 40, http.max_rate, error) ||
      !int_flag(p, "--connect-timeout", 1, 600, connect_s, error) ||
      !int_flag(p, "--low-speed-time", 1, 3600, low_time, error) ||
      !int_flag(p, "--low-speed-limit", 1, 1 << 30, low_limit, error) ||
      !int_flag(p, "--batch-changes", 1, 1000, batch_changes, error) ||
      !int_flag(p, "--batch-bytes", 1024, 16 * 1024 * 1024, batch_bytes, error) ||
      !int_flag(p, "--backoff-base-ms", 1, 600'000, base_ms, error) ||
      !int_flag(p, "--backoff-cap", 1, 86'400, cap_s, error) ||
      !int_flag(p, "--pull-interval", 1, 86'400, pull_s, error) ||
      !int_flag(p, "--retry-held-after", 1, 3600, held_s, error) ||
      !int_flag(p, "--max-daily-bytes", 0, std::int64_t{1} << 50, daily_bytes, error) ||
      !int_flag(p, "--attempts", 1, 1000, s.attempts, error)) {
    return std::nullopt;
  }
  http.connect_timeout_ms = static_cast<long>(connect_s * 1000);
  http.low_speed_time_s = static_cast<long>(low_time);
  http.low_speed_limit = static_cast<long>(low_limit);
  s.agent.batch_max_changes = static_cast<std::size_t>(batch_changes);
  s.agent.batch_max_bytes = static_cast<std::size_t>(batch_bytes);
  s.agent.backoff.base = std::chrono::milliseconds(base_ms);
  s.agent.backoff.cap = std::chrono::milliseconds(cap_s * 1000);
  s.agent.pull_interval = std::chrono::milliseconds(pull_s * 1000);
  s.agent.hold_base = std::chrono::milliseconds(held_s * 1000);
  s.agent.max_daily_bytes = static_cast<std::uint64_t>(daily_bytes);
  return s;
}

std::string device_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "kiosk";
  return host;
}

std::string failure_line(const ApiFailure& f) {
  if (f.kind == FailureKind::unauthorized || f.kind == FailureKind::revoked) {
    return "device not enrolled or revoked (" + f.message + "); enrol it again with a new code";
  }
  if (f.kind == FailureKind::refused_url) {
    return "the stored server URL is refused: " + f.message +
           "; enrol again with an https:// URL and a new code";
  }
  if (f.http_status != 0) return util::cat("server answered HTTP ", f.http_status, ": ", f.message);
  return f.message;
}

int cmd_enroll(const Parsed& p, store::Store& store, const Settings& s, std::ostream& out,
               std::ostream& err) {
  if (!p.flags.contains("--server") || !p.flags.contains("--code")) {
    err << "alliance-sync enroll: --server URL and --code CODE are required (try --help)\n";
    return 2;
  }
  const std::string& server = p.flags.at("--server");
  if (auto problem = server_url_problem(server)) {
    // Refused before any connection: nothing about this device is sent.
    err << "alliance-sync enroll: --server refused: " << *problem << "\n";
    return 2;
  }
  const std::string name = p.flags.contains("--name") ? p.flags.at("--name") : device_name();
  auto enrolled = enroll_device(store, server, p.flags.at("--code"), name, s.agent.http);
  if (!enrolled) {
    const auto& f = enrolled.error();
    if (f.kind == FailureKind::revoked) {
      err << "alliance-sync: the server refused the enrolment code (" << f.message
          << "); ask for a new one\n";
    } else {
      err << "alliance-sync: enrolment failed: " << failure_line(f) << "\n";
    }
    return 1;
  }
  out << "enrolled as device " << enrolled->device_id;
  if (!enrolled->office.empty()) out << " (office " << enrolled->office << ")";
  out << " with " << enrolled->server_url << "\n";
  return 0;
}

int cmd_once(store::Store& store, const Settings& s, std::ostream& out, std::ostream& err,
             const std::atomic<bool>* stop) {
  Agent agent(store, s.agent, stop);
  if (!agent.enrolled()) {
    err << "alliance-sync: this database is not enrolled; run alliance-sync enroll [--db FILE] "
           "--server URL --code CODE\n";
    agent.attempt();  // records not_enrolled in the status
    return 1;
  }
  SyncReport total;
  std::optional<ApiFailure> last;
  for (std::int64_t i = 0; i < s.attempts; ++i) {
    Attempt a = agent.attempt();
    total.pushed += a.report.pushed;
    total.applied += a.report.applied;
    total.duplicate += a.report.duplicate;
    total.conflict += a.report.conflict;
    total.rejected += a.report.rejected;
    total.pulled += a.report.pulled;
    last = a.report.failure;
    if (!last) break;
    if (last->kind != FailureKind::transient || i + 1 == s.attempts) break;
    if (a.retry_in > std::chrono::minutes(10)) break;
    const auto until = std::chrono::steady_clock::now() + a.retry_in;
    while (std::chrono::steady_clock::now() < until && !(stop && stop->load())) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (stop && stop->load()) break;
  }
  const auto counts = store.queue_counts();
  out << "pushed " << total.pushed << " changes (" << total.applied << " applied, "
      << total.duplicate << " duplicate, " << total.conflict << " conflict, " << total.rejected
      << " rejected), pulled " << total.pulled << ", " << counts.pending << " waiting, "
      << counts.rejected << " rejected in all\n";
  if (last) {
    err << "alliance-sync: " << counts.pending << " changes not acknowledged: "
        << (last->kind == FailureKind::stopped ? std::string("stopped by a signal")
                                               : failure_line(*last))
        << "\n";
    return 1;
  }
  if (counts.held != 0) {
    err << "alliance-sync: " << counts.held
        << " changes are held and will be sent again when their reason may have cleared "
           "(alliance-sync rejected lists them)\n";
    return 1;
  }
  if (counts.pending != 0) {
    err << "alliance-sync: " << counts.pending
        << " changes arrived while syncing and still wait; run once again\n";
    return 1;
  }
  if (counts.need_attention() != 0) {
    err << "alliance-sync: " << counts.need_attention()
        << " changes need attention: see alliance-sync rejected, then resend or discard each\n";
  }
  return 0;
}

int cmd_rejected(const Parsed& p, store::Store& store, std::ostream& out, std::ostream& err) {
  const std::string format = p.flags.contains("--format") ? p.flags.at("--format") : "text";
  if (format != "text" && format != "json") {
    err << "alliance-sync rejected: --format must be text or json\n";
    return 2;
  }
  out << format_rejected(store, format == "json");
  return 0;
}

int cmd_resend_or_discard(const std::string& command, const Parsed& p, store::Store& store,
                          std::ostream& out, std::ostream& err) {
  if (p.positional.empty()) {
    err << "alliance-sync " << command
        << ": which change? give its CHANGE_ID (alliance-sync rejected lists them)\n";
    return 2;
  }
  const std::string& id = p.positional;
  const bool done = command == "resend" ? store.resend(id) : store.discard(id);
  if (!done) {
    const auto entry = store.outbox_entry(id);
    err << "alliance-sync " << command << ": "
        << (entry ? util::cat("change ", id, " is ", entry->state,
                              ", not rejected, quarantined or held; nothing done")
                  : util::cat("there is no change ", id, " in this database"))
        << "\n";
    return 1;
  }
  if (command == "resend") {
    out << "change " << id << " is queued again; the agent sends it at its next sync\n";
  } else {
    out << "change " << id << " is discarded and will not be sent\n";
  }
  return 0;
}

int cmd_export_bundle(const Parsed& p, store::Store& store, std::ostream& out, std::ostream& err) {
  if (p.positional.empty()) {
    err << "alliance-sync export-bundle: say where to write the bundle: export-bundle --db FILE "
           "OUT\n";
    return 2;
  }
  auto made = export_bundle(store, p.positional);
  if (!made) {
    err << "alliance-sync export-bundle: " << made.error() << "\n";
    return 1;
  }
  out << "wrote bundle " << made->sequence << " to " << p.positional << ": " << made->changes
      << " changes not yet acknowledged (" << made->bytes << " bytes). Import it at central "
      << "(alliance-central import-bundle), then apply the answer here with alliance-sync "
         "import-bundle\n";
  if (made->left > 0) {
    out << made->left << " more changes did not fit; make another bundle after applying the "
        << "answer\n";
  }
  return 0;
}

int cmd_import_bundle(const Parsed& p, store::Store& store, const Settings& s, std::ostream& out,
                      std::ostream& err) {
  if (p.positional.empty()) {
    err << "alliance-sync import-bundle: name central's answer: import-bundle --db FILE ANSWER\n";
    return 2;
  }
  Agent agent(store, s.agent);
  auto applied = import_answer(store, agent, p.positional);
  if (!applied) {
    err << "alliance-sync import-bundle: " << applied.error() << "\n";
    return 1;
  }
  const auto& r = applied->report;
  const auto counts = store.queue_counts();
  out << "applied central's answer to bundle " << applied->sequence << ": " << r.pushed
      << " changes answered (" << r.applied << " applied, " << r.duplicate << " duplicate, "
      << r.conflict << " conflict, " << r.rejected << " rejected, " << r.held << " held), pulled "
      << r.pulled << ", " << counts.pending << " waiting\n";
  if (applied->pull_skipped) {
    out << "its pulled records were left out: this device's pull cursor went back since the "
           "bundle was made; sync online or exchange a new bundle\n";
  }
  if (applied->more) {
    out << "central had more records than one answer holds; exchange another bundle\n";
  }
  return 0;
}

int cmd_check(const std::string& db, std::ostream& out, std::ostream& err) {
  if (!std::filesystem::exists(db)) {
    err << "alliance-sync check: no database at " << db << "\n";
    return 1;
  }
  if (auto cut = store::wal_cut_problem(db)) {
    err << "alliance-sync: " << store::damaged_message(db, *cut) << "\n";
    return 1;
  }
  auto database = store::Database::open(db, {.create_if_missing = false, .read_only = true});
  const auto report = store::check_integrity(database, true);
  if (!report.ok) {
    for (const auto& line : report.problems) err << "  " << line << "\n";
    err << "alliance-sync: " << store::damaged_message(db, report.problems.front()) << "\n";
    return 1;
  }
  out << db << ": intact (integrity_check ok)\n";
  return 0;
}

int cmd_backup(const Parsed& p, const std::string& db, std::ostream& out, std::ostream& err) {
  if (p.positional.empty()) {
    err << "alliance-sync backup: say where to write the copy: backup --db FILE OUT\n";
    return 2;
  }
  auto done = store::backup_database(db, p.positional);
  if (!done) {
    err << "alliance-sync: " << done.error() << "\n";
    return 1;
  }
  out << "backed up " << db << " to " << p.positional << " (" << done->bytes
      << " bytes, checked)\n";
  return 0;
}

int cmd_restore(const Parsed& p, const std::string& db, std::ostream& out, std::ostream& err) {
  if (p.positional.empty()) {
    err << "alliance-sync restore: name the backup: restore --db FILE BACKUP\n";
    return 2;
  }
  auto done = store::restore_database(db, p.positional);
  if (!done) {
    err << "alliance-sync: " << done.error() << "\n";
    return 1;
  }
  out << "restored " << db << " from " << p.positional;
  if (!done->moved_aside.empty())
    out << "; the replaced file is kept as " << done->moved_aside.string();
  out << ". Start the agent: it sends again what the server lacks and pulls this office's "
         "records\n";
  return 0;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const std::atomic<bool>* stop) {
  if (args.empty()) {
    err << "alliance-sync: no command given (try --help)\n";
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    out << kUsage;
    return 0;
  }
  if (args[0] == "--version") {
    out << "alliance-sync " << agent_version() << "\n";
    return 0;
  }
  const auto spec = commands().find(args[0]);
  if (spec == commands().end()) {
    err << "alliance-sync: unknown command '" << args[0] << "' (try --help)\n";
    return 2;
  }
  std::string error;
  auto parsed = parse(args, spec->second, error);
  if (!parsed) {
    err << "alliance-sync " << args[0] << ": " << error << " (try --help)\n";
    return 2;
  }
  if (parsed->help) {
    out << kUsage;
    return 0;
  }
  if (parsed->version) {
    out << "alliance-sync " << agent_version() << "\n";
    return 0;
  }
  if (!parsed->flags.contains("--db")) {
    auto db = default_database();
    if (!db) {
      err << "alliance-sync " << args[0]
          << ": --db FILE is required (ALLIANCE_DB is not set and /var/lib/alliance does not "
             "exist; try --help)\n";
      return 2;
    }
    parsed->flags["--db"] = std::move(*db);
  }
  if (auto it = parsed->flags.find("--log-level"); it != parsed->flags.end()) {
    static const std::map<std::string, log::Level, std::less<>> levels = {
        {"debug", log::Level::debug},
        {"info", log::Level::info},
        {"warn", log::Level::warn},
        {"error", log::Level::error}};
    auto level = levels.find(it->second);
    if (level == levels.end()) {
      err << "alliance-sync: --log-level must be debug, info, warn or error\n";
      return 2;
    }
    log::set_level(level->second);
  }
  auto settings = settings_from(*parsed, error);
  if (!settings) {
    err << "alliance-sync " << args[0] << ": " << error << "\n";
    return 2;
  }
  const std::string& db = parsed->flags.at("--db");
  try {
    if (args[0] == "check") return cmd_check(db, out, err);
    if (args[0] == "backup") return cmd_backup(*parsed, db, out, err);
    if (args[0] == "restore") return cmd_restore(*parsed, db, out, err);
    if (args[0] == "status") {
      // Reads only: no migration, no write lock, so it answers while another
      // program holds the lock.
      auto store = store::Store::open(db, {.create_if_missing = false, .read_only = true});
      out << format_status(store, parsed->json);
      return 0;
    }
    const bool create = args[0] == "enroll";
    auto store = store::Store::open(db, {.create_if_missing = create, .check_integrity = true});
    if (args[0] == "enroll") return cmd_enroll(*parsed, store, *settings, out, err);
    if (args[0] == "once") return cmd_once(store, *settings, out, err, stop);
    if (args[0] == "rejected") return cmd_rejected(*parsed, store, out, err);
    if (args[0] == "export-bundle") return cmd_export_bundle(*parsed, store, out, err);
    if (args[0] == "import-bundle") return cmd_import_bundle(*parsed, store, *settings, out, err);
    if (args[0] == "resend" || args[0] == "discard") {
      return cmd_resend_or_discard(args[0], *parsed, store, out, err);
    }
    Agent agent(store, settings->agent, stop);
    return agent.run();
  } catch (const store::StoreError& e) {
    err << "alliance-sync: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    err << "alliance-sync: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace alliance::sync
