// Command parsing and the admin commands; each command is a few calls into the library.
#include "central/admin/cli.hpp"

#include <pthread.h>
#include <signal.h>

#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "central/admin/catalog.hpp"
#include "central/admin/export.hpp"
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
    "  serve --db FILE --listen HOST:PORT [--tls-cert FILE --tls-key FILE]\n"
    "  enroll-code --db FILE [--office NAME] [--ttl-hours N]\n"
    "  revoke-device --db FILE DEVICE_ID\n"
    "  import-catalog --db FILE CATALOG.json\n"
    "  set-request-status --db FILE REQUEST_ID STATUS [--actor NAME]\n"
    "  export --db FILE members|requests|attendance [--format csv|json] [--output FILE]\n"
    "\n"
    "Every command takes --help and --version.\n";

struct CommandSpec {
  std::string_view usage;
  std::vector<std::string_view> value_flags;
  std::size_t positionals;
};

const std::map<std::string, CommandSpec, std::less<>>& commands() {
  static const std::map<std::string, CommandSpec, std::less<>> table = {
      {"serve",
       {"alliance-central serve --db FILE --listen HOST:PORT [--tls-cert FILE --tls-key FILE]\n"
        "Serves API v1 until SIGTERM or SIGINT.",
        {"--db", "--listen", "--tls-cert", "--tls-key", "--max-body-mb", "--max-changes"},
        0}},
      {"enroll-code",
       {"alliance-central enroll-code --db FILE [--office NAME] [--ttl-hours N]\n"
        "Prints one single-use enrolment code (default: valid 72 hours).",
        {"--db", "--office", "--ttl-hours"},
        0}},
      {"revoke-device",
       {"alliance-central revoke-device --db FILE DEVICE_ID\n"
        "Revokes a device: its token is refused from now on.",
        {"--db"},
        1}},
      {"import-catalog",
       {"alliance-central import-catalog --db FILE CATALOG.json\n"
        "Adds or updates resource packs and training events from a catalogue file.",
        {"--db"},
        1}},
      {"set-request-status",
       {"alliance-central set-request-status --db FILE REQUEST_ID STATUS [--actor NAME]\n"
        "Records a regional office's decision on a request; devices pull it.\n"
        "STATUS: approved, ready, dispatched, delivered, cancelled.",
        {"--db", "--actor"},
        2}},
      {"export",
       {"alliance-central export --db FILE members|requests|attendance [--format csv|json]\n"
        "                        [--output FILE]\n"
        "Writes the records (CSV with a header row by default) to a new FILE, readable by\n"
        "its owner only; an existing FILE or link there is refused, never overwritten.\n"
        "Without --output, to standard output with control characters shown as \\uXXXX,\n"
        "and a shell redirection (>) gets the umask's mode: prefer --output.",
        {"--db", "--format", "--output"},
        1}},
  };
  return table;
}

struct Parsed {
  std::map<std::string, std::string, std::less<>> flags;
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
    } else {
      parsed.positionals.push_back(arg);
    }
  }
  if (parsed.help || parsed.version) return parsed;
  if (!parsed.flags.contains("--db")) {
    error = "--db FILE is required";
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

// Blocks SIGTERM/SIGINT in every thread and stops the server when one arrives.
int serve_until_signal(Server& server, std::ostream& err) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
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
  Server server(store, options);
  std::string error;
  if (!server.bind(error)) {
    err << "alliance-central: " << error << "\n";
    return 1;
  }
  log::info("server_listening", {{"port", options.port}, {"tls", !options.tls_cert.empty()}});
  return serve_until_signal(server, err);
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
  const std::string text = export_text(*entity, *format, store.list(*entity));
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

int run_command(const std::string& name, const Parsed& p, std::ostream& out, std::ostream& err) {
  auto store = CentralStore::open(p.flags.at("--db"));
  if (name == "serve") return serve(p, *store, err);
  if (name == "enroll-code") {
    int hours = 72;
    if (p.flags.contains("--ttl-hours")) {
      const auto parsed = to_int(p.flags.at("--ttl-hours"));
      if (!parsed || *parsed < 1 || *parsed > 24 * 90) {
        err << "alliance-central: --ttl-hours must be 1 to 2160\n";
        return 2;
      }
      hours = *parsed;
    }
    const std::string office = p.flags.contains("--office") ? p.flags.at("--office") : "";
    out << store->create_enrolment_code(office, std::chrono::hours(hours)) << "\n";
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
    const std::string actor = p.flags.contains("--actor") ? p.flags.at("--actor") : "central";
    auto updated = store->set_request_status(p.positionals[0], *status, actor);
    if (!updated) {
      err << "alliance-central: " << updated.error().message << "\n";
      return 1;
    }
    out << p.positionals[0] << " " << model::to_string(updated->status) << "\n";
    return 0;
  }
  if (name == "export") return export_records(p, *store, out, err);
  err << "alliance-central: unknown command '" << name << "'\n";
  return 2;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
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
  if (args[0] == "serve") {
    try {
      return run_command(args[0], *parsed, out, err);
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
    code = run_command(args[0], *parsed, command_out, command_err);
  } catch (const std::exception& e) {
    command_err << "alliance-central " << args[0] << ": " << e.what() << "\n";
  }
  out << model::escape_for_terminal(command_out.str());
  err << model::escape_for_terminal(command_err.str());
  return code;
}

}  // namespace alliance::central
