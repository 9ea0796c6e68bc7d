// Command parsing and the admin commands; each command is a few calls into the library.
#include "central/admin/cli.hpp"

#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "central/admin/backup.hpp"
#include "central/admin/bundles.hpp"
#include "central/admin/catalog.hpp"
#include "central/admin/devices.hpp"
#include "central/admin/duplicates.hpp"
#include "central/admin/export.hpp"
#include "central/admin/migrate.hpp"
#include "central/admin/stock.hpp"
#include "central/console/accounts.hpp"
#include "central/http/client_address.hpp"
#include "central/http/server.hpp"
#include "central/store/central_store.hpp"
#include "common/model/codes.hpp"
#include "common/model/text.hpp"
#include "common/protocol/codec.hpp"
#include "common/protocol/export.hpp"
#include "common/util/log.hpp"
#include "common/util/private_file.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {
namespace {

constexpr std::string_view kUsage =
    "usage: alliance-central <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve --db DB --listen HOST:PORT [--tls-cert FILE --tls-key FILE] [limits...]\n"
    "  relay --db HUB [--upstream URL --code CODE] [--once] [options]\n"
    "  enroll-code --db DB --office NAME [--ttl-hours N] [--relay]\n"
    "  devices --db DB [--format csv|json]\n"
    "  revoke-device --db DB DEVICE_ID\n"
    "  import-bundle --db DB BUNDLE [--answer OUT]\n"
    "  import-catalog --db DB CATALOG.json\n"
    "  set-request-status --db DB REQUEST_ID STATUS\n"
    "  export --db DB members|requests|attendance [--format csv|json] [--lang CODE]\n"
    "         [--output FILE]\n"
    "  duplicates --db DB [--office NAME] [--format csv|json]\n"
    "  merge --db DB KEEP_ID DROP_ID\n"
    "  backup --db FILE OUT\n"
    "  restore --db FILE --from BACKUP\n"
    "  mark-restored --db DB\n"
    "  migrate --from FILE --to postgresql://USER@HOST:PORT/DBNAME\n"
    "  user add --db DB NAME --office OFFICE --role admin|manager|viewer --password-stdin\n"
    "  user passwd --db DB NAME --password-stdin\n"
    "  user remove --db DB NAME\n"
    "  user list --db DB [--format csv|json]\n"
    "  audit --db DB [--format csv|json]\n"
    "  stock set --db DB --office OFFICE --pack PACK_ID --quantity N\n"
    "  stock list --db DB [--office OFFICE] [--format csv|json]\n"
    "\n"
    "DB is a SQLite file (created if missing), or a PostgreSQL database:\n"
    "postgresql://USER[:PASSWORD]@HOST:PORT/DBNAME (also postgres://; a socket\n"
    "folder as ?host=/run/postgresql). Every command takes --help and --version.\n";

struct CommandSpec {
  std::string_view usage;
  std::vector<std::string_view> value_flags;
  std::size_t positionals;
  std::vector<std::string_view> switches = {};  // flags without a value
};

const std::map<std::string, CommandSpec, std::less<>>& commands() {
  static const std::map<std::string, CommandSpec, std::less<>> table = {
      {"serve",
       {"alliance-central serve --db DB --listen HOST:PORT [--tls-cert FILE --tls-key FILE]\n"
        "                       [--trusted-proxy ADDR[/PREFIX]]... [limits]\n"
        "Serves API v1 until SIGTERM or SIGINT.\n"
        "\n"
        "  --tls-cert FILE, --tls-key FILE  serve HTTPS with this certificate chain and key (PEM)\n"
        "  --trusted-proxy ADDR[/PREFIX]    a reverse proxy whose X-Forwarded-For names the\n"
        "                                   client (repeatable; e.g. 127.0.0.1 for nginx here)\n"
        "limits (defaults in brackets):\n"
        "  --max-connections N              open connections in all [4096]\n"
        "  --max-connections-per-client N   open connections per client address [64]\n"
        "  --header-timeout S               request line and headers must arrive within S s [10]\n"
        "  --keep-alive-timeout S           an idle connection is closed after S s [15]\n"
        "  --body-timeout S                 longest time for a body or an answer [300]; within\n"
        "                                   it each gets its size at 4 KiB/s, at least 20 s\n"
        "  --workers N                      threads for database work [8]\n"
        "  --max-body-mb N                  largest request body after decompression [8]\n"
        "  --max-changes N                  most changes in one push [1000]",
        {"--db", "--listen", "--tls-cert", "--tls-key", "--max-body-mb", "--max-changes",
         "--trusted-proxy", "--max-connections", "--max-connections-per-client", "--header-timeout",
         "--keep-alive-timeout", "--body-timeout", "--workers"},
        0}},
      {"enroll-code",
       {"alliance-central enroll-code --db DB --office NAME [--ttl-hours N] [--relay]\n"
        "Prints one single-use enrolment code (default: valid 72 hours). The device\n"
        "enrolled with it acts for office NAME only: it reads and writes that office's\n"
        "members, attendance, requests and events.\n"
        "\n"
        "  --relay   a code for a venue hub (alliance-central relay --code): it forwards\n"
        "            the changes of its own desks, under their clocks and change ids,\n"
        "            still for office NAME only",
        {"--db", "--office", "--ttl-hours"},
        0,
        {"--relay"}}},
      {"devices",
       {"alliance-central devices --db DB [--format csv|json]\n"
        "Lists every device: id, name, office, HLC node, app version, when it was\n"
        "enrolled and last heard from, its clock offset (device minus server, in ms,\n"
        "from its last push or pull), when it was revoked, and the queue depth its\n"
        "agent last reported (changes waiting to be acknowledged) with when central\n"
        "recorded it, empty if it never reported one, and whether it is a venue hub's\n"
        "relay (CSV by default).",
        {"--db", "--format"},
        0}},
      {"revoke-device",
       {"alliance-central revoke-device --db DB DEVICE_ID\n"
        "Revokes a device: its token is refused from now on.",
        {"--db"},
        1}},
      {"import-bundle",
       {"alliance-central import-bundle --db DB BUNDLE [--answer OUT]\n"
        "Applies a device's USB bundle (alliance-sync export-bundle), for places with no\n"
        "network: checks its signature with the key the device registered at enrolment,\n"
        "pushes its changes as that device would online (its office only; a change\n"
        "already here counts as a duplicate), and writes a signed answer to OUT (default\n"
        "BUNDLE.answer; readable by its owner only, replaced whole if it exists): the\n"
        "result of each change and every record the device would pull. Carry OUT back\n"
        "and run alliance-sync import-bundle on the device. Refused, changing nothing:\n"
        "a bundle cut short or altered, made for another central, from an unknown,\n"
        "revoked or pre-bundle device, or already imported (or older than one that was).",
        {"--db", "--answer"},
        1}},
      {"import-catalog",
       {"alliance-central import-catalog --db DB CATALOG.json\n"
        "Adds or updates resource packs and training events from a catalogue file.",
        {"--db"},
        1}},
      {"set-request-status",
       {"alliance-central set-request-status --db DB REQUEST_ID STATUS\n"
        "Records a regional office's decision on a request; devices pull it.\n"
        "STATUS: approved, ready, dispatched, delivered, cancelled. The transition's\n"
        "actor is admin:<the account running the command> (and the account that ran\n"
        "sudo, if any).",
        {"--db"},
        2}},
      {"duplicates",
       {"alliance-central duplicates --db DB [--office NAME] [--format csv|json]\n"
        "Lists pairs of members of one office that may be one person, by the duplicate\n"
        "rule the kiosks use (docs/ARCHITECTURE.md, \"Duplicates\"): office, verdict\n"
        "(likely or possible), score, reasons, and each member's id, reference code and\n"
        "name, likeliest first (CSV by default). --office lists that office only.",
        {"--db", "--office", "--format"},
        0}},
      {"merge",
       {"alliance-central merge --db DB KEEP_ID DROP_ID\n"
        "Merges two members of one office who are one person (see duplicates): KEEP_ID\n"
        "takes over DROP_ID's check-ins and requests and the details it lacks (names,\n"
        "phone, e-mail, ... that are empty on it), and DROP_ID becomes a tombstone\n"
        "pointing at KEEP_ID; every kiosk of the office pulls the result and shows one\n"
        "person, and DROP_ID's reference code finds KEEP_ID. A check-in of DROP_ID on\n"
        "an event and day KEEP_ID already has one for is voided instead. Edits of\n"
        "DROP_ID that kiosks push later go to KEEP_ID. Merging the same pair again\n"
        "changes nothing. The merge is recorded with admin:<the account running the\n"
        "command> (and the account that ran sudo, if any).",
        {"--db"},
        2}},
      {"backup",
       {"alliance-central backup --db FILE OUT\n"
        "Copies the central database into a new file OUT (readable by its owner only,\n"
        "never over an existing file) with SQLite's online backup API, while serve keeps\n"
        "running; the copy is checked with the full integrity check before it is written.",
        {"--db"},
        1}},
      {"restore",
       {"alliance-central restore --db FILE --from BACKUP\n"
        "Puts a backup in place of FILE. Stop serve first: refused while any program\n"
        "has FILE open. The replaced file is kept as FILE.replaced-<UTC time>. The\n"
        "restore count is raised, so every device notices central went back and sends\n"
        "again the changes it holds (docs/OPERATIONS.md, \"Restore central\").",
        {"--db", "--from"},
        0}},
      {"mark-restored",
       {"alliance-central mark-restored --db DB\n"
        "Raises the restore count of the database as it is now, after a restore made by\n"
        "other means (a file copied back by hand, a database server's own restore), so\n"
        "every device notices central went back and sends again the changes it holds.\n"
        "alliance-central restore does this itself.",
        {"--db"},
        0}},
      {"migrate",
       {"alliance-central migrate --from FILE --to postgresql://USER@HOST:PORT/DBNAME\n"
        "Copies a central SQLite file into an empty PostgreSQL database (create it first\n"
        "with createdb): every table a device depends on (records and their sequence\n"
        "numbers, applied change ids and their results, devices and token hashes,\n"
        "enrolment codes, reference-code prefixes, counters), then compares each table's\n"
        "rows and checksum on both sides and prints them. Stop every central process\n"
        "first; a database that already holds central data is refused.",
        {"--from", "--to"},
        0}},
      {"export",
       {"alliance-central export --db DB members|requests|attendance [--format csv|json]\n"
        "                        [--lang en|fr|pt|es] [--output FILE]\n"
        "Writes the records (CSV with a header row by default) to a new FILE, readable by\n"
        "its owner only; an existing FILE or link there is refused, never overwritten.\n"
        "Without --output, to standard output with control characters shown as \\uXXXX,\n"
        "and a shell redirection (>) gets the umask's mode: prefer --output.\n"
        "The CSV's country_name column names each country in --lang (default en).",
        {"--db", "--format", "--output", "--lang"},
        1}},
      {"user add",
       {"alliance-central user add --db FILE NAME --office OFFICE --role admin|manager|viewer\n"
        "                          --password-stdin\n"
        "Creates an office console account. The password is read from standard input\n"
        "(one line, at least 10 characters), never from the command line. Managers\n"
        "decide on their office's requests; viewers only look; admins see and decide\n"
        "for every office. NAME: 1 to 64 letters, digits, '.', '_', '@' or '-'.",
        {"--db", "--office", "--role"},
        1,
        {"--password-stdin"}}},
      {"user passwd",
       {"alliance-central user passwd --db FILE NAME --password-stdin\n"
        "Sets a console account's password (read from standard input, one line, at\n"
        "least 10 characters) and signs the account out everywhere.",
        {"--db"},
        1,
        {"--password-stdin"}}},
      {"user remove",
       {"alliance-central user remove --db FILE NAME\n"
        "Removes a console account and ends its sessions.",
        {"--db"},
        1}},
      {"user list",
       {"alliance-central user list --db FILE [--format csv|json]\n"
        "Lists the console accounts: name, office, role, created_at, updated_at (CSV by\n"
        "default). Password hashes are never shown.",
        {"--db", "--format"},
        0}},
      {"stock set",
       {"alliance-central stock set --db DB --office OFFICE --pack PACK_ID --quantity N\n"
        "Sets the number of PACK_ID packs OFFICE has on hand (0 to 10000000), after a\n"
        "delivery or a count; recorded in the audit log as admin:<the account running\n"
        "the command>. From then on, marking a request of OFFICE dispatched (console or\n"
        "set-request-status) takes its packs off, and is refused when too few are left.\n"
        "A pack whose stock was never set is not counted.",
        {"--db", "--office", "--pack", "--quantity"},
        0}},
      {"stock list",
       {"alliance-central stock list --db DB [--office OFFICE] [--format csv|json]\n"
        "Lists the stock on hand: office, pack_id, on_hand, updated_at, updated_by (CSV\n"
        "by default); --office lists that office only. Packs not listed are untracked.",
        {"--db", "--office", "--format"},
        0}},
      {"audit",
       {"alliance-central audit --db FILE [--format csv|json]\n"
        "Prints the console's audit log, oldest first (CSV by default): id, at, actor,\n"
        "action (login, login_failed, login_refused, logout, request_status, user_add,\n"
        "user_passwd, user_remove, device_revoke, enrolment_code, event_create,\n"
        "event_edit, pack_create, pack_edit, export, audit_export, stock_set,\n"
        "stock_dispatch, member_merge), target,\n"
        "client_address, and the state before and\n"
        "after as JSON. Written to standard output: redirect it to a file readable by\n"
        "admins only.",
        {"--db", "--format"},
        0}},
  };
  return table;
}

struct Parsed {
  std::map<std::string, std::string, std::less<>> flags;        // the last value of each flag
  std::vector<std::pair<std::string, std::string>> every_flag;  // in order, repeats kept
  std::vector<std::string> positionals;
  bool help = false;
  bool version = false;
};

std::optional<Parsed> parse(const CommandSpec& spec, const std::vector<std::string>& args,
                            std::string& error) {
  Parsed parsed;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      parsed.help = true;
    } else if (arg == "--version") {
      parsed.version = true;
    } else if (std::find(spec.switches.begin(), spec.switches.end(), arg) != spec.switches.end()) {
      parsed.flags[arg] = "1";
    } else if (arg.starts_with("--")) {
      const auto eq = arg.find('=');
      const std::string name = arg.substr(0, eq);
      if (std::find(spec.value_flags.begin(), spec.value_flags.end(), name) ==
          spec.value_flags.end()) {
        error = util::cat("unknown option '", name, "'");
        return std::nullopt;
      }
      if (eq != std::string::npos) {
        parsed.flags[name] = arg.substr(eq + 1);
      } else if (i + 1 < args.size()) {
        parsed.flags[name] = args[++i];
      } else {
        error = util::cat("option '", name, "' needs a value");
        return std::nullopt;
      }
      parsed.every_flag.emplace_back(name, parsed.flags[name]);
    } else {
      parsed.positionals.push_back(arg);
    }
  }
  if (parsed.help || parsed.version) return parsed;
  if (spec.value_flags.front() == "--db" && !parsed.flags.contains("--db")) {
    error = "--db DB is required";
    return std::nullopt;
  }
  if (parsed.positionals.size() != spec.positionals) {
    error = util::format("expected {} argument(s), got {}", spec.positionals,
                         parsed.positionals.size());
    return std::nullopt;
  }
  return parsed;
}

std::optional<int> to_int(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The identity recorded for a decision made with the admin commands: the
// operating-system account running them, never a name typed on the line.
// Through sudo (as OPERATIONS.md runs them, as user alliance) the account
// that ran sudo is named too, since sudo set SUDO_USER for it.
std::string admin_actor() {
  const passwd* account = getpwuid(geteuid());
  std::string actor = account != nullptr && account->pw_name != nullptr && *account->pw_name
                          ? util::cat("admin:", account->pw_name)
                          : util::cat("admin:uid ", static_cast<long long>(geteuid()));
  const char* sudo_user = std::getenv("SUDO_USER");
  if (sudo_user == nullptr) return actor;
  const std::string_view by(sudo_user);
  const bool plain =
      !by.empty() && by.size() <= 32 && std::all_of(by.begin(), by.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
      });
  if (!plain || actor == util::cat("admin:", by)) return actor;
  return util::cat(actor, " (sudo by ", by, ")");
}

// Blocks SIGTERM/SIGINT in this thread and so in every thread it starts
// afterwards (the server's workers among them); returns the set.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// Stops the server when one of the blocked `signals` arrives.
int serve_until_signal(Server& server, sigset_t signals, std::ostream& err) {
  std::thread waiter([&] {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    server.stop();
  });
  const bool ok = server.listen_after_bind();
  // Wakes the waiter if the server ended on its own.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  if (!ok) {
    err << "alliance-central: the server stopped with an error\n";
    return 1;
  }
  log::info("server_stopped");
  return 0;
}

int serve(const Parsed& p, CentralStore& store, std::ostream& err) {
  ServerOptions options;
  const std::string listen =
      p.flags.contains("--listen") ? p.flags.at("--listen") : "127.0.0.1:8080";
  const auto colon = listen.rfind(':');
  const auto port = colon == std::string::npos ? std::nullopt : to_int(listen.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535 || colon == 0) {
    err << "alliance-central: --listen must be HOST:PORT, e.g. 127.0.0.1:8080\n";
    return 2;
  }
  options.host = listen.substr(0, colon);
  options.port = *port;
  if (p.flags.contains("--tls-cert")) options.tls_cert = p.flags.at("--tls-cert");
  if (p.flags.contains("--tls-key")) options.tls_key = p.flags.at("--tls-key");
  if (p.flags.contains("--max-body-mb")) {
    const auto mb = to_int(p.flags.at("--max-body-mb"));
    if (!mb || *mb < 1 || *mb > 64) {
      err << "alliance-central: --max-body-mb must be 1 to 64\n";
      return 2;
    }
    options.limits.max_body_bytes = static_cast<std::size_t>(*mb) * 1024 * 1024;
  }
  if (p.flags.contains("--max-changes")) {
    const auto n = to_int(p.flags.at("--max-changes"));
    if (!n || *n < 1 || *n > 100000) {
      err << "alliance-central: --max-changes must be 1 to 100000\n";
      return 2;
    }
    options.limits.max_changes = static_cast<std::size_t>(*n);
  }
  // Whole numbers within [low, high] for the connection limits and timeouts.
  struct Bounded {
    const char* flag;
    int low;
    int high;
    std::function<void(int)> apply;
  };
  const Bounded bounded[] = {
      {"--max-connections", 1, 1'000'000,
       [&](int n) { options.max_connections = static_cast<std::size_t>(n); }},
      {"--max-connections-per-client", 1, 1'000'000,
       [&](int n) { options.max_connections_per_client = static_cast<std::size_t>(n); }},
      {"--header-timeout", 1, 600,
       [&](int s) { options.header_timeout = std::chrono::seconds(s); }},
      {"--keep-alive-timeout", 1, 3600,
       [&](int s) { options.keep_alive_timeout = std::chrono::seconds(s); }},
      {"--body-timeout", 20, 86'400,
       [&](int s) { options.transfer_timeout_max = std::chrono::seconds(s); }},
      {"--workers", 1, 256, [&](int n) { options.worker_threads = n; }},
  };
  for (const auto& b : bounded) {
    if (!p.flags.contains(b.flag)) continue;
    const auto n = to_int(p.flags.at(b.flag));
    if (!n || *n < b.low || *n > b.high) {
      err << "alliance-central: " << b.flag << " must be " << b.low << " to " << b.high << "\n";
      return 2;
    }
    b.apply(*n);
  }
  for (const auto& [flag, value] : p.every_flag) {
    if (flag == "--trusted-proxy") options.trusted_proxies.push_back(value);
  }
  if (auto trusted = TrustedProxies::parse(options.trusted_proxies); !trusted) {
    err << "alliance-central: --trusted-proxy " << trusted.error() << "\n";
    return 2;
  }
  // Thousands of sockets need thousands of descriptors; keep some for the
  // database and logs.
  const std::size_t open_files = raise_open_file_limit();
  if (open_files > 0 && options.max_connections + 64 > open_files) {
    options.max_connections = open_files > 128 ? open_files - 64 : 64;
    log::warn("max_connections_lowered",
              {{"max_connections", options.max_connections}, {"open_files_limit", open_files}});
  }
  // Before the server starts its threads, so none of them takes the signal.
  const sigset_t signals = block_stop_signals();
  Server server(store, options);
  std::string error;
  if (!server.bind(error)) {
    err << "alliance-central: " << error << "\n";
    return 1;
  }
  log::info("server_listening", {{"port", options.port},
                                 {"tls", !options.tls_cert.empty()},
                                 {"max_connections", options.max_connections},
                                 {"trusted_proxies", options.trusted_proxies.size()}});
  return serve_until_signal(server, signals, err);
}

int export_records(const Parsed& p, CentralStore& store, std::ostream& out, std::ostream& err) {
  const auto entity = protocol::export_entity(p.positionals[0]);
  if (!entity) {
    err << "alliance-central: export what? members, requests or attendance\n";
    return 2;
  }
  const auto format =
      protocol::export_format(p.flags.contains("--format") ? p.flags.at("--format") : "csv");
  if (!format) {
    err << "alliance-central: --format must be csv or json\n";
    return 2;
  }
  const std::string language = p.flags.contains("--lang") ? p.flags.at("--lang") : "en";
  if (language != "en" && language != "fr" && language != "pt" && language != "es") {
    err << "alliance-central: --lang must be en, fr, pt or es\n";
    return 2;
  }
  const std::string text = export_text(*entity, *format, store.list(*entity), language);
  if (!p.flags.contains("--output")) {
    out << text;  // run_cli escapes control characters for the terminal
    return 0;
  }
  if (auto written = util::write_new_private_file(p.flags.at("--output"), text); !written) {
    err << "alliance-central: " << written.error().message << "\n";
    return 1;
  }
  return 0;
}

int merge_members(const Parsed& p, CentralStore& store, std::ostream& out, std::ostream& err) {
  const std::string& keep = p.positionals[0];
  const std::string& drop = p.positionals[1];
  const auto merged = store.merge_members(keep, drop, admin_actor());
  if (!merged) {
    err << "alliance-central: " << merged.error().message << "\n";
    return 1;
  }
  if (merged->already_merged) {
    out << "already merged: " << drop << " into " << keep << " at " << merged->merged_at << " by "
        << merged->actor << "; nothing changed\n";
    return 0;
  }
  out << "merged " << drop << " into " << keep << ": " << merged->attendance_moved
      << " check-in(s) moved, " << merged->attendance_folded << " voided as the same visit, "
      << merged->requests_moved << " request(s) moved";
  if (merged->tombstones_moved > 0) {
    out << ", " << merged->tombstones_moved << " earlier merge(s) now pointing at " << keep;
  }
  out << "; filled from " << drop << ": "
      << (merged->fields_filled.empty() ? std::string("nothing")
                                        : util::join(merged->fields_filled, ','))
      << "\n";
  return 0;
}

// backup and restore work on the file itself: neither may open (or create)
// it as a store first.
int backup_or_restore(const std::string& name, const Parsed& p, std::ostream& out,
                      std::ostream& err) {
  if (sql::is_postgresql_url(p.flags.at("--db"))) {
    err << "alliance-central: " << name
        << " works on a SQLite file; back up a PostgreSQL database with pg_dump or continuous "
           "archiving, restore it with the server's own tools, then run alliance-central "
           "mark-restored --db URL (docs/OPERATIONS.md, \"Restore central\")\n";
    return 2;
  }
  const std::filesystem::path db = p.flags.at("--db");
  if (name == "backup") {
    auto done = backup_central(db, p.positionals[0]);
    if (!done) {
      err << "alliance-central: " << done.error() << "\n";
      return 1;
    }
    out << "backed up " << db.string() << " to " << p.positionals[0] << " (" << done->bytes
        << " bytes)\n";
    return 0;
  }
  if (!p.flags.contains("--from")) {
    err << "alliance-central: --from BACKUP is required\n";
    return 2;
  }
  auto done = restore_central(db, p.flags.at("--from"));
  if (!done) {
    err << "alliance-central: " << done.error() << "\n";
    return 1;
  }
  out << "restored " << db.string() << " from " << p.flags.at("--from") << "; restore count "
      << done->lineage.restore_epoch << ", change sequence " << done->lineage.server_seq << "\n";
  if (!done->replaced.moved_aside.empty()) {
    out << "the replaced file is kept as " << done->replaced.moved_aside.string() << "\n";
  }
  out << "devices send again, at their next sync, the changes this backup lacks\n";
  return 0;
}

int migrate(const Parsed& p, std::ostream& out, std::ostream& err) {
  if (!p.flags.contains("--from") || !p.flags.contains("--to")) {
    err << "alliance-central migrate: --from FILE and --to postgresql://... are required\n";
    return 2;
  }
  try {
    const auto copied = migrate_sqlite_to_postgresql(p.flags.at("--from"), p.flags.at("--to"));
    if (!copied) {
      err << "alliance-central migrate: " << model::escape_for_terminal(copied.error()) << "\n";
      return 1;
    }
    for (const auto& table : *copied) {
      out << util::format("{}: {} rows, checksum {}, verified\n", table.table, table.rows,
                          table.checksum);
    }
    return 0;
  } catch (const std::exception& e) {
    err << "alliance-central migrate: " << model::escape_for_terminal(e.what()) << "\n";
    return 1;
  }
}

// One line from `in`, without its line ending; nullopt if over the maximum.
std::optional<std::string> read_password(std::istream& in) {
  std::string line;
  char c = 0;
  while (in.get(c) && c != '\n') {
    if (line.size() > kMaxPasswordLength) return std::nullopt;
    line += c;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string format_flag(const Parsed& p) {
  return p.flags.contains("--format") ? p.flags.at("--format") : "csv";
}

int user_command(const std::string& name, const Parsed& p, std::istream& in, std::ostream& out,
                 std::ostream& err) {
  const std::string format = format_flag(p);
  if (format != "csv" && format != "json") {
    err << "alliance-central: --format must be csv or json\n";
    return 2;
  }
  const bool needs_password = name == "user add" || name == "user passwd";
  if (needs_password && !p.flags.contains("--password-stdin")) {
    err << "alliance-central: give the password on standard input with --password-stdin (never "
           "on the command line)\n";
    return 2;
  }
  std::optional<ConsoleRole> role;
  if (name == "user add") {
    role = console_role_from(p.flags.contains("--role") ? p.flags.at("--role") : "");
    if (!role) {
      err << "alliance-central: --role must be admin, manager or viewer\n";
      return 2;
    }
    if (!p.flags.contains("--office")) {
      err << "alliance-central: --office OFFICE is required (an admin's office is informative)\n";
      return 2;
    }
  }
  std::string password;
  if (needs_password) {
    auto read = read_password(in);
    if (!read) {
      err << "alliance-central: the password is too long: use at most " << kMaxPasswordLength
          << " bytes\n";
      return 2;
    }
    password = std::move(*read);
    if (auto problem = password_problem(password)) {
      err << "alliance-central: " << *problem << "; nothing was changed\n";
      return 2;
    }
  }
  auto accounts = AccountStore::open(p.flags.at("--db"));
  const std::string actor = admin_actor();
  if (name == "user list") {
    const auto users = accounts->list_users();
    out << (format == "csv" ? users_csv(users) : users_json(users));
    return 0;
  }
  if (name == "audit") {
    const auto entries = accounts->list_audit();
    out << (format == "csv" ? audit_csv(entries) : audit_json(entries));
    return 0;
  }
  const std::string& account = p.positionals[0];
  if (name == "user add") {
    auto added = accounts->add_user(account, p.flags.at("--office"), *role, password);
    if (!added) {
      err << "alliance-central: " << added.error() << "\n";
      return 1;
    }
    accounts->audit(
        {.actor = actor,
         .action = "user_add",
         .target = account,
         .after_json = util::cat("{\"office\":", protocol::json_string(p.flags.at("--office")),
                                 ",\"role\":", protocol::json_string(to_string(*role)), "}")});
    out << "added " << account << " (" << to_string(*role) << ")\n";
    return 0;
  }
  if (name == "user passwd") {
    auto changed = accounts->set_password(account, password);
    if (!changed) {
      err << "alliance-central: " << changed.error() << "\n";
      return 1;
    }
    accounts->audit({.actor = actor, .action = "user_passwd", .target = account});
    out << "password changed for " << account << "; its sessions were ended\n";
    return 0;
  }
  const auto before = accounts->find_user(account);
  if (!before || !accounts->remove_user(account)) {
    err << "alliance-central: there is no account named " << account << "\n";
    return 1;
  }
  accounts->audit({.actor = actor,
                   .action = "user_remove",
                   .target = account,
                   .before_json = util::cat(
                       "{\"office\":", protocol::json_string(before->office),
                       ",\"role\":", protocol::json_string(to_string(before->role)), "}")});
  out << "removed " << account << "\n";
  return 0;
}

int stock_command(const std::string& name, const Parsed& p, CentralStore& store, std::ostream& out,
                  std::ostream& err) {
  const std::string office = p.flags.contains("--office") ? p.flags.at("--office") : "";
  if ((name == "stock set" || p.flags.contains("--office")) && office_name_problem(office)) {
    err << "alliance-central: --office: " << *office_name_problem(office) << "\n";
    return 2;
  }
  if (name == "stock list") {
    const std::string format = p.flags.contains("--format") ? p.flags.at("--format") : "csv";
    if (format != "csv" && format != "json") {
      err << "alliance-central: --format must be csv or json\n";
      return 2;
    }
    const auto levels = store.list_stock(office);
    out << (format == "csv" ? stock_csv(levels) : stock_json(levels));
    return 0;
  }
  const auto quantity =
      p.flags.contains("--quantity") ? to_int(p.flags.at("--quantity")) : std::nullopt;
  if (!p.flags.contains("--pack") || !quantity) {
    err << "alliance-central: stock set needs --office OFFICE --pack PACK_ID --quantity N "
           "(a whole number)\n";
    return 2;
  }
  const std::string& pack = p.flags.at("--pack");
  bool known = false;
  for (const auto& record : store.list(protocol::Entity::pack)) {
    known |= std::get<model::ResourcePack>(record).id == pack;
  }
  if (!known) {
    err << "alliance-central: there is no pack " << pack
        << " in the catalogue; import it first (import-catalog)\n";
    return 1;
  }
  const std::string actor = admin_actor();
  const auto moved = store.set_stock(office, pack, *quantity, actor);
  if (!moved) {
    err << "alliance-central: " << moved.error().message << "; nothing was changed\n";
    return 2;
  }
  const std::string before = moved->before ? std::to_string(*moved->before) : std::string();
  AccountStore::open(p.flags.at("--db"))
      ->audit({.actor = actor,
               .action = "stock_set",
               .target = util::cat(office, "/", pack),
               .before_json = util::cat("{\"on_hand\":", protocol::json_string(before), "}"),
               .after_json = util::cat(
                   "{\"on_hand\":", protocol::json_string(std::to_string(moved->after)), "}")});
  out << "stock of " << pack << " at " << office << ": "
      << (moved->before ? std::to_string(*moved->before) : std::string("untracked")) << " -> "
      << moved->after << "\n";
  return 0;
}

int run_command(const std::string& name, const Parsed& p, std::istream& in, std::ostream& out,
                std::ostream& err) {
  if (name.starts_with("user ") || name == "audit") return user_command(name, p, in, out, err);
  if (name == "backup" || name == "restore") return backup_or_restore(name, p, out, err);
  auto store = CentralStore::open(p.flags.at("--db"));
  if (name == "serve") return serve(p, *store, err);
  if (name == "enroll-code") {
    int hours = 72;
    if (p.flags.contains("--ttl-hours")) {
      const auto parsed = to_int(p.flags.at("--ttl-hours"));
      if (!parsed || *parsed < 1 || *parsed > kMaxEnrolmentTtlHours) {
        err << "alliance-central: --ttl-hours must be 1 to " << kMaxEnrolmentTtlHours << "\n";
        return 2;
      }
      hours = *parsed;
    }
    const std::string office = p.flags.contains("--office") ? p.flags.at("--office") : "";
    if (auto problem = office_name_problem(office)) {
      err << "alliance-central: " << *problem << "\n";
      return 2;
    }
    // A hub's desks act for the office it relays for: upstream would refuse
    // any other office's changes.
    if (const auto hub = store->relay_enrolment(); hub && hub->office != office) {
      err << "alliance-central: this database is a venue hub relaying for office " << hub->office
          << "; make its codes for that office\n";
      return 2;
    }
    out << (p.flags.contains("--relay")
                ? store->create_relay_enrolment_code(office, std::chrono::hours(hours))
                : store->create_enrolment_code(office, std::chrono::hours(hours)))
        << "\n";
    return 0;
  }
  if (name == "devices") {
    const std::string format = p.flags.contains("--format") ? p.flags.at("--format") : "csv";
    if (format != "csv" && format != "json") {
      err << "alliance-central: --format must be csv or json\n";
      return 2;
    }
    const auto devices = store->list_devices();
    out << (format == "csv" ? devices_csv(devices) : devices_json(devices));
    return 0;
  }
  if (name == "revoke-device") {
    if (!store->revoke_device(p.positionals[0])) {
      err << "alliance-central: there is no device with this id\n";
      return 1;
    }
    out << "revoked " << p.positionals[0] << "\n";
    return 0;
  }
  if (name == "import-bundle") {
    const std::filesystem::path bundle_file = p.positionals[0];
    const std::filesystem::path answer = p.flags.contains("--answer")
                                             ? std::filesystem::path(p.flags.at("--answer"))
                                             : std::filesystem::path(p.positionals[0] + ".answer");
    auto imported = import_bundle(*store, bundle_file, answer);
    if (!imported) {
      err << "alliance-central import-bundle: " << imported.error() << "\n";
      return 1;
    }
    out << "imported bundle " << imported->sequence << " of device " << imported->device_id << ": "
        << imported->changes << " changes (" << imported->applied << " applied, "
        << imported->duplicate << " duplicate, " << imported->conflict << " conflict, "
        << imported->rejected << " rejected); wrote the answer with " << imported->pulled
        << " records to pull to " << answer.string() << " (" << imported->answer_bytes
        << " bytes). Apply it on the device: alliance-sync import-bundle --db FILE "
        << answer.string() << "\n";
    if (imported->more) {
      out << "more records wait than one answer holds: exchange another bundle after this one\n";
    }
    return 0;
  }
  if (name == "import-catalog") {
    std::ifstream file(p.positionals[0], std::ios::binary);
    if (!file) {
      err << "alliance-central: cannot read " << p.positionals[0] << "\n";
      return 1;
    }
    std::stringstream text;
    text << file.rdbuf();
    auto catalog = parse_catalog(text.str());
    if (!catalog) {
      err << "alliance-central: " << catalog.error() << "\n";
      return 1;
    }
    auto imported = store->import_catalog(std::move(catalog->packs), std::move(catalog->events));
    if (!imported) {
      err << "alliance-central: " << imported.error().message;
      for (const auto& e : imported.error().errors) err << " " << e.field << "=" << e.key;
      err << "\n";
      return 1;
    }
    out << "imported " << imported->packs << " packs and " << imported->events << " events\n";
    return 0;
  }
  if (name == "set-request-status") {
    const auto status = model::request_status_from(p.positionals[1]);
    if (!status) {
      err << "alliance-central: unknown status '" << p.positionals[1] << "'\n";
      return 2;
    }
    auto updated = store->set_request_status(p.positionals[0], *status, admin_actor());
    if (!updated) {
      err << "alliance-central: " << updated.error().message << "\n";
      return 1;
    }
    out << p.positionals[0] << " " << model::to_string(updated->status) << "\n";
    return 0;
  }
  if (name == "mark-restored") {
    const std::int64_t epoch = store->mark_restored(0);
    out << "restore count of " << sql::redact_url(p.flags.at("--db")) << " is now " << epoch
        << "; devices send again, at their next sync, the changes it lacks\n";
    return 0;
  }
  if (name.starts_with("stock ")) return stock_command(name, p, *store, out, err);
  if (name == "export") return export_records(p, *store, out, err);
  if (name == "merge") return merge_members(p, *store, out, err);
  if (name == "duplicates") {
    const std::string format = p.flags.contains("--format") ? p.flags.at("--format") : "csv";
    if (format != "csv" && format != "json") {
      err << "alliance-central: --format must be csv or json\n";
      return 2;
    }
    const std::string office = p.flags.contains("--office") ? p.flags.at("--office") : "";
    if (p.flags.contains("--office")) {
      if (auto problem = office_name_problem(office)) {
        err << "alliance-central: " << *problem << "\n";
        return 2;
      }
    }
    const auto pairs = find_duplicate_pairs(store->list_members(office));
    out << (format == "csv" ? duplicates_csv(pairs) : duplicates_json(pairs));
    return 0;
  }
  err << "alliance-central: unknown command '" << name << "'\n";
  return 2;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  return run_cli(args, std::cin, out, err);
}

int run_cli(const std::vector<std::string>& args_in, std::istream& in, std::ostream& out,
            std::ostream& err) {
  // "user add ..." and "stock set ..." are commands of two words.
  std::vector<std::string> args = args_in;
  if (args.size() >= 2 && (args[0] == "user" || args[0] == "stock") && !args[1].starts_with("-")) {
    args[1] = args[0] + " " + args[1];
    args.erase(args.begin());
  } else if (!args.empty() && args[0] == "stock") {
    const bool help = args.size() >= 2 && (args[1] == "--help" || args[1] == "-h");
    (help ? out : err) << "usage: alliance-central stock set|list --db DB ... "
                          "(try alliance-central stock set --help)\n";
    return help ? 0 : 2;
  } else if (!args.empty() && args[0] == "user") {
    const bool help = args.size() >= 2 && (args[1] == "--help" || args[1] == "-h");
    (help ? out : err) << "usage: alliance-central user add|passwd|remove|list --db FILE ... "
                          "(try alliance-central user add --help)\n";
    return help ? 0 : 2;
  }
  if (args.empty()) {
    err << "alliance-central: no command given (try --help)\n";
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    out << kUsage;
    return 0;
  }
  if (args[0] == "--version") {
    out << "alliance-central " << server_version() << "\n";
    return 0;
  }
  const auto spec = commands().find(args[0]);
  if (spec == commands().end()) {
    err << "alliance-central: unknown command '" << args[0] << "' (try --help)\n";
    return 2;
  }
  std::string error;
  const auto parsed = parse(spec->second, args, error);
  if (!parsed) {
    err << "alliance-central " << args[0] << ": " << error << " (try --help)\n";
    return 2;
  }
  if (parsed->help) {
    out << "usage: " << spec->second.usage << "\n";
    return 0;
  }
  if (parsed->version) {
    out << "alliance-central " << server_version() << "\n";
    return 0;
  }
  if (args[0] == "migrate") return migrate(*parsed, out, err);
  if (args[0] == "serve") {
    try {
      return run_command(args[0], *parsed, in, out, err);
    } catch (const std::exception& e) {
      err << "alliance-central serve: " << model::escape_for_terminal(e.what()) << "\n";
      return 1;
    }
  }
  // What a command prints may quote records, device names or files: control
  // characters in it are escaped before they reach the admin's terminal.
  std::ostringstream command_out;
  std::ostringstream command_err;
  int code = 1;
  try {
    code = run_command(args[0], *parsed, in, command_out, command_err);
  } catch (const std::exception& e) {
    command_err << "alliance-central " << args[0] << ": " << e.what() << "\n";
  }
  out << model::escape_for_terminal(command_out.str());
  err << model::escape_for_terminal(command_err.str());
  return code;
}

}  // namespace alliance::central
