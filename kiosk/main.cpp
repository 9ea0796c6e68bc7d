// alliance-kiosk: the registration desk (GUI) and its offline commands,
// import-members, export, set-pin and find. Only wiring here; the behaviour is
// in kiosk/.
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <expected>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/i18n.hpp"
#include "common/model/text.hpp"
#include "common/store/store.hpp"
#include "common/util/private_file.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"
#include "kiosk/core/controller.hpp"
#include "kiosk/core/database_marker.hpp"
#include "kiosk/core/export.hpp"
#include "kiosk/core/import_members.hpp"
#include "kiosk/core/member_search.hpp"
#include "kiosk/core/staff_pin.hpp"
#include "kiosk/platform/app.hpp"

namespace {

namespace fs = std::filesystem;
namespace kiosk = alliance::kiosk;
namespace model = alliance::model;
namespace store = alliance::store;
namespace util = alliance::util;

constexpr std::string_view kVersion = "alliance-kiosk " ALLIANCE_VERSION;

constexpr std::string_view kUsage =
    "usage: alliance-kiosk [--db FILE] [--fullscreen] [--lang CODE] [--new-database]\n"
    "       alliance-kiosk import-members --db FILE [--dry-run] [--lang CODE] PARTICIPANTS.csv\n"
    "       alliance-kiosk export --db FILE members|requests|attendance [--format csv|json]\n"
    "                             [--output FILE]\n"
    "       alliance-kiosk set-pin --db FILE\n"
    "       alliance-kiosk find --db FILE [--json] QUERY\n"
    "\n"
    "Without a command, opens the registration kiosk.\n"
    "  --db FILE      the kiosk database (default: $ALLIANCE_DB if set, else\n"
    "                 $XDG_DATA_HOME/alliance/kiosk.db, else ~/.local/share/alliance/kiosk.db;\n"
    "                 the packaged kiosk session passes /var/lib/alliance/kiosk.db)\n"
    "  --fullscreen   fill the primary screen (staff settings can also turn this on)\n"
    "  --lang CODE    start in this language: en, fr, pt or es (not saved)\n"
    "  --new-database start a new, empty database although FILE.in-use says one\n"
    "                 was there (see below)\n"
    "\n"
    "The kiosk checks its database at start and takes no records into a damaged\n"
    "file or one it may not write (the window tells staff the fix); it also stops\n"
    "when the file is deleted, replaced or made read-only, or under 1 MiB is free.\n"
    "import-members and set-pin refuse such a file too; export only reads it.\n"
    "The kiosk notes FILE.in-use next to its database; if FILE is then gone, it\n"
    "takes no records and does not start an empty, un-enrolled database: restore\n"
    "a backup (alliance-sync restore --db FILE BACKUP), or pass --new-database.\n"
    "Back up and restore with alliance-sync backup / restore.\n"
    "\n"
    "Every command takes --help and --version.\n";

constexpr std::string_view kImportUsage =
    "usage: alliance-kiosk import-members --db FILE [--dry-run] [--lang CODE] PARTICIPANTS.csv\n"
    "Adds the members listed in a spreadsheet saved as CSV or text to the kiosk\n"
    "database, each queued for sync. Every row is checked first: if any is not\n"
    "valid, nothing is imported and each problem is listed (the first 50) with its\n"
    "line, column, the value as typed and what to do. People already registered\n"
    "(same name, and same phone or e-mail) and rows repeated in the file are left\n"
    "out, so importing a file twice adds nobody the second time.\n"
    "  --dry-run    check the file and print what would be imported, left out and\n"
    "               refused; writes nothing\n"
    "  --lang CODE  messages in en, fr, pt or es (default: the kiosk's language)\n"
    "Files: UTF-8 with or without byte order mark, UTF-16 with byte order mark\n"
    "(Excel \"Unicode text\"), or Windows-1252 (Excel \"CSV\"); cells separated by\n"
    "commas, semicolons or tabs. The header row names the columns in English,\n"
    "French, Portuguese or Spanish, in any order and case: given name (First name,\n"
    "Prénom, Nombre), family name (Last name, Surname, Nom, Apellidos, Sobrenome),\n"
    "phone (Phone number, Mobile, Téléphone, Teléfono, Telefone), email (Email\n"
    "address, E-mail, Courriel, Correo), country (Pays, País: an ISO code or a name\n"
    "in the four languages), consent (yes/no, oui/non, sim/não, sí/no, true/false,\n"
    "1/0, x), and optionally organisation, role, gender, birth_year, region, ...\n"
    "(README.md lists all). Other columns, such as a Google Forms Timestamp, are\n"
    "ignored with a warning; the kiosk's own members export imports as it is.\n"
    "Use - for standard input.\n";

constexpr std::string_view kExportUsage =
    "usage: alliance-kiosk export --db FILE members|requests|attendance [--format csv|json]\n"
    "                             [--lang CODE] [--output FILE]\n"
    "Writes this kiosk's records (CSV with a header row by default) to a new FILE,\n"
    "readable by its owner only; an existing FILE or link there is refused, never\n"
    "overwritten. Without --output, to standard output with control characters shown\n"
    "as \\uXXXX, and a shell redirection (>) gets the umask's mode: prefer --output.\n"
    "The CSV's country_name column names each country in --lang CODE (en, fr, pt or\n"
    "es; default: the kiosk's language).\n";

constexpr std::string_view kSetPinUsage =
    "usage: alliance-kiosk set-pin --db FILE\n"
    "Sets the kiosk's staff PIN, replacing any earlier one and ending any lockout.\n"
    "Reads the new PIN twice from standard input (not echoed on a terminal): 6 to 12\n"
    "digits, not one digit repeated and not a run such as 123456. This is how a kiosk\n"
    "that was never enrolled gets its first PIN, and how a forgotten PIN is replaced;\n"
    "an enrolled kiosk also accepts its enrolment code on the PIN screen instead.\n";

constexpr std::string_view kFindUsage =
    "usage: alliance-kiosk find --db FILE [--json] QUERY\n"
    "Searches the members in the kiosk database exactly as the staff desk does. QUERY\n"
    "is a reference code, a phone number (a national number reads as the current\n"
    "event's country), an e-mail address, or a name in any script, typed with or\n"
    "without accents, in any case (nguyen finds Nguyen with its accents, aleksandra\n"
    "finds the Cyrillic spelling). Several words are one query. Prints the best\n"
    "matches first, at most 20, one per line: id, reference code, name, phone and\n"
    "e-mail, separated by tabs; nothing when no one matches.\n"
    "  --json   print a JSON array of objects instead (id, reference_code, kind,\n"
    "           given_name, family_name, organisation, contact_person, phone, email,\n"
    "           matched_by)\n"
    "Control characters in stored values are printed as escapes such as \\u001B.\n";

struct Args {
  std::map<std::string, std::string, std::less<>> values;
  std::set<std::string, std::less<>> switches;
  std::vector<std::string> positionals;
};

// Splits arguments into --name VALUE / --name=VALUE, bare switches and the rest.
std::expected<Args, std::string> parse(std::span<const std::string> argv,
                                       std::initializer_list<std::string_view> value_flags,
                                       std::initializer_list<std::string_view> switch_flags) {
  Args args;
  auto in = [](std::initializer_list<std::string_view> list, std::string_view name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg == "-h") {
      args.switches.insert("--help");
    } else if (arg.starts_with("--")) {
      const auto eq = arg.find('=');
      const std::string name = arg.substr(0, eq);
      if (in(switch_flags, name) || name == "--help" || name == "--version") {
        if (eq != std::string::npos)
          return std::unexpected(util::cat("option '", name, "' takes no value"));
        args.switches.insert(name);
      } else if (in(value_flags, name)) {
        if (eq != std::string::npos) {
          args.values[name] = arg.substr(eq + 1);
        } else if (i + 1 < argv.size()) {
          args.values[name] = argv[++i];
        } else {
          return std::unexpected(util::cat("option '", name, "' needs a value"));
        }
      } else {
        return std::unexpected(util::cat("unknown option '", name, "' (try --help)"));
      }
    } else {
      args.positionals.push_back(arg);
    }
  }
  return args;
}

// Creates each missing folder of `dir` readable by its owner only.
void make_private_dirs(const fs::path& dir) {
  fs::path partial;
  for (const auto& part : dir) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
      throw std::runtime_error(
          util::cat("cannot create the folder ", partial.string(), ": ", std::strerror(errno)));
    }
  }
}

fs::path default_database() {
  // ALLIANCE_DB names the database shared with the agent (alliance-sync uses
  // the same variable); otherwise each desktop user gets a private one.
  if (const char* env = std::getenv("ALLIANCE_DB"); env && *env) return fs::path(env);
  fs::path base;
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && fs::path(xdg).is_absolute()) {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = fs::path(home) / ".local" / "share";
  } else {
    throw std::runtime_error("neither XDG_DATA_HOME nor HOME is set; pass --db FILE");
  }
  const fs::path dir = base / "alliance";
  make_private_dirs(dir);
  return dir / "kiosk.db";
}

// Store errors name the problem; not all of them name the file.
store::Store open_store(const fs::path& path, const store::OpenOptions& options = {}) {
  if (!options.create_if_missing && !fs::exists(path)) {
    throw std::runtime_error(util::cat("no database at ", path.string()));
  }
  try {
    return store::Store::open(path, options);
  } catch (const store::StoreError& e) {
    const std::string message = e.what();
    if (message.find(path.string()) != std::string::npos) throw;
    throw store::StoreError(e.sqlite_code(), util::cat(path.string(), ": ", message));
  }
}

// The language given with --lang, if any, checked against the tables.
std::expected<std::optional<std::string>, std::string> language_flag(const Args& args,
                                                                     const model::I18n& i18n) {
  const auto it = args.values.find("--lang");
  if (it == args.values.end()) return std::nullopt;
  const auto languages = i18n.languages();
  if (std::find(languages.begin(), languages.end(), it->second) == languages.end()) {
    return std::unexpected(util::cat("unknown language '", it->second,
                                     "'; choose one of: ", util::join(languages, ',')));
  }
  return it->second;
}

// Reasons may quote a file's or a record's text: escaped for the terminal.
int fail(std::string_view reason, int code = 1) {
  std::cerr << "alliance-kiosk: " << alliance::model::escape_for_terminal(reason) << "\n";
  return code;
}

std::optional<int> to_int(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

int run_kiosk(std::span<const std::string> argv, std::chrono::steady_clock::time_point started) {
  // --font, --exit-after-first-frame, --bench-frames and --bench-screen are
  // for tests and benchmarks, so --help does not list them.
  auto args = parse(argv, {"--db", "--lang", "--font", "--bench-frames", "--bench-screen"},
                    {"--fullscreen", "--exit-after-first-frame", "--new-database"});
  if (!args) return fail(args.error(), 2);
  if (args->switches.contains("--help")) return std::cout << kUsage, 0;
  if (args->switches.contains("--version")) return std::cout << kVersion << "\n", 0;
  if (!args->positionals.empty()) {
    return fail(util::cat("unknown command '", args->positionals.front(), "' (try --help)"), 2);
  }

  const auto& i18n = model::I18n::embedded();
  const auto chosen = language_flag(*args, i18n);
  if (!chosen) return fail(chosen.error(), 2);
  const std::optional<std::string> lang = *chosen;
  kiosk::platform::GuiOptions options;
  options.started_at = started;
  options.fullscreen = args->switches.contains("--fullscreen");
  options.exit_after_first_frame = args->switches.contains("--exit-after-first-frame");
  if (auto it = args->values.find("--font"); it != args->values.end())
    options.font_path = it->second;
  if (auto it = args->values.find("--bench-frames"); it != args->values.end()) {
    const auto n = to_int(it->second);
    if (!n || *n < 1 || *n > 1'000'000) return fail("--bench-frames must be 1 to 1000000", 2);
    options.bench_frames = *n;
  }
  if (auto it = args->values.find("--bench-screen"); it != args->values.end()) {
    if (it->second != "form" && it->second != "names") {
      return fail("--bench-screen must be form or names", 2);
    }
    options.bench_screen = it->second == "names" ? kiosk::platform::BenchScreen::names
                                                 : kiosk::platform::BenchScreen::form;
  }

  const fs::path db =
      args->values.contains("--db") ? fs::path(args->values.at("--db")) : default_database();
  // A file the kiosk must not write (damaged, read-only) still gets a window:
  // on an empty stand-in in memory, taking no records, telling staff the fix.
  std::optional<kiosk::StoreProblem> refused;
  std::string refusal;
  std::optional<store::Store> device;
  try {
    if (kiosk::database_missing(db) && !args->switches.contains("--new-database")) {
      // Deleted since the kiosk last ran on it: a new empty file would be
      // un-enrolled, with no staff PIN, and its records gone unnoticed.
      refused = kiosk::StoreProblem::missing;
      refusal = util::cat(db.string(), " is missing but ", kiosk::database_marker(db).string(),
                          " says it was in use; restore it (alliance-sync restore) or start "
                          "anew with --new-database");
      std::cerr << "alliance-kiosk: " << alliance::model::escape_for_terminal(refusal) << "\n";
      device = store::Store::open(":memory:");
    } else {
      device = open_store(db, {.check_integrity = true});
      kiosk::mark_database_in_use(db);
    }
  } catch (const store::StoreError& e) {
    if (e.is_damaged()) {
      refused = kiosk::StoreProblem::damaged;
    } else if (e.is_not_writable()) {
      refused = kiosk::StoreProblem::read_only;
    } else {
      throw;
    }
    refusal = e.what();
    std::cerr << "alliance-kiosk: " << alliance::model::escape_for_terminal(refusal) << "\n";
    device = store::Store::open(":memory:");
  }
  kiosk::Controller controller(*device);
  if (refused) controller.refuse_store(*refused, db.string(), refusal);
  if (lang) controller.override_language(*lang);
  if (options.fullscreen) controller.override_fullscreen(true);
  return kiosk::platform::run_gui(controller, i18n, options);
}

int run_import(std::span<const std::string> argv) {
  auto args = parse(argv, {"--db", "--lang"}, {"--dry-run"});
  if (!args) return fail(args.error(), 2);
  if (args->switches.contains("--help")) return std::cout << kImportUsage, 0;
  if (args->switches.contains("--version")) return std::cout << kVersion << "\n", 0;
  if (!args->values.contains("--db")) return fail("import-members: --db FILE is required", 2);
  if (args->positionals.size() != 1) {
    return fail("import-members: give exactly one CSV file (try --help)", 2);
  }
  const model::I18n& i18n = model::I18n::embedded();
  const auto chosen = language_flag(*args, i18n);
  if (!chosen) return fail(util::cat("import-members: ", chosen.error()), 2);
  std::optional<std::string> lang = *chosen;
  const std::string& file = args->positionals.front();
  std::ifstream in_file;
  if (file != "-") {
    in_file.open(file, std::ios::binary);
    if (!in_file) return fail(util::cat("cannot read ", file, ": ", std::strerror(errno)));
  }
  std::istream& in = file == "-" ? std::cin : in_file;

  // A damaged or unwritable file is refused before anything is read into it.
  auto device = open_store(args->values.at("--db"), {.check_integrity = true});
  if (!lang) lang = kiosk::saved_language(device);
  // National phone numbers read as the current event's country, as at the desk.
  const auto context = kiosk::validation_context_for(device, std::chrono::system_clock::now());
  const bool dry_run = args->switches.contains("--dry-run");
  const auto report = kiosk::import_members(device, in, context, {.dry_run = dry_run});
  const std::string summary = report.summary(i18n, *lang);
  if (!report.ok()) return fail(util::cat("import-members: ", summary));
  std::cout << alliance::model::escape_for_terminal(summary) << "\n";
  return 0;
}

int run_export(std::span<const std::string> argv) {
  auto args = parse(argv, {"--db", "--format", "--output", "--lang"}, {});
  if (!args) return fail(args.error(), 2);
  if (args->switches.contains("--help")) return std::cout << kExportUsage, 0;
  if (args->switches.contains("--version")) return std::cout << kVersion << "\n", 0;
  if (!args->values.contains("--db")) return fail("export: --db FILE is required", 2);
  if (args->positionals.size() != 1) {
    return fail("export: say what to export: members, requests or attendance", 2);
  }
  const std::string& what = args->positionals.front();
  if (!alliance::protocol::export_entity(what)) {
    return fail(util::cat("export: unknown record type '", what,
                          "'; choose members, requests or attendance"),
                2);
  }
  const std::string format_name =
      args->values.contains("--format") ? args->values.at("--format") : "csv";
  const auto format = alliance::protocol::export_format(format_name);
  if (!format) {
    return fail(util::cat("export: unknown format '", format_name, "'; choose csv or json"), 2);
  }
  const auto chosen = language_flag(*args, model::I18n::embedded());
  if (!chosen) return fail(util::cat("export: ", chosen.error()), 2);
  // Exporting never creates a database (a mistyped path should say so) and
  // only reads: no write lock, so it runs while the kiosk or agent writes.
  auto device =
      open_store(args->values.at("--db"), {.create_if_missing = false, .read_only = true});
  const std::string lang = chosen->value_or(kiosk::saved_language(device));
  std::ostringstream text;
  kiosk::export_records(device, what, *format, text, lang);
  if (auto it = args->values.find("--output"); it != args->values.end()) {
    auto written = util::write_new_private_file(it->second, text.str());
    if (!written) return fail(util::cat("export: ", written.error().message));
    return 0;
  }
  std::cout << alliance::model::escape_for_terminal(text.str());
  std::cout.flush();
  if (!std::cout) return fail("export: cannot write to standard output");
  return 0;
}

int run_find(std::span<const std::string> argv) {
  auto args = parse(argv, {"--db"}, {"--json"});
  if (!args) return fail(args.error(), 2);
  if (args->switches.contains("--help")) return std::cout << kFindUsage, 0;
  if (args->switches.contains("--version")) return std::cout << kVersion << "\n", 0;
  if (!args->values.contains("--db")) return fail("find: --db FILE is required", 2);
  const std::string query = util::join(args->positionals, ' ');
  if (query.find_first_not_of(' ') == std::string::npos) {
    return fail("find: say what to look for: a name, reference code, phone or e-mail", 2);
  }
  // Searching never creates a database: a mistyped path should say so.
  auto device = open_store(args->values.at("--db"), {.create_if_missing = false});
  const auto context = kiosk::validation_context_for(device, std::chrono::system_clock::now());
  const auto hits = kiosk::staff_search(device, query, context.default_country);
  if (args->switches.contains("--json")) {
    kiosk::write_match_json(hits, std::cout);
  } else {
    kiosk::write_match_lines(hits, std::cout);
  }
  std::cout.flush();
  if (!std::cout) return fail("find: cannot write to standard output");
  return 0;
}

// One line from standard input; on a terminal the typed digits are not shown.
std::optional<std::string> read_secret_line(std::string_view prompt) {
  const bool terminal = ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal) {
    std::cerr << prompt << std::flush;
    if (::tcgetattr(STDIN_FILENO, &saved) == 0) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  }
  if (!got) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int run_set_pin(std::span<const std::string> argv) {
  auto args = parse(argv, {"--db"}, {});
  if (!args) return fail(args.error(), 2);
  if (args->switches.contains("--help")) return std::cout << kSetPinUsage, 0;
  if (args->switches.contains("--version")) return std::cout << kVersion << "\n", 0;
  if (!args->values.contains("--db")) return fail("set-pin: --db FILE is required", 2);
  if (!args->positionals.empty()) return fail("set-pin: the PIN is read from standard input", 2);

  const auto first = read_secret_line("New staff PIN (6 to 12 digits): ");
  if (!first) return fail("set-pin: no PIN on standard input; nothing changed");
  if (const auto problem = kiosk::new_pin_problem(*first)) {
    return fail(util::cat("set-pin: ", kiosk::pin_problem_text(*problem), "; nothing changed"));
  }
  const auto second = read_secret_line("The same PIN again: ");
  if (!second) return fail("set-pin: the PIN must be given twice; nothing changed");
  if (*second != *first) return fail("set-pin: the two PINs differ; nothing changed");

  auto device = open_store(args->values.at("--db"));
  kiosk::set_staff_pin(device, *first);
  std::cout << "staff PIN set for " << args->values.at("--db") << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const auto started = std::chrono::steady_clock::now();
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (!args.empty() && args.front() == "import-members") {
      return run_import(std::span(args).subspan(1));
    }
    if (!args.empty() && args.front() == "export") return run_export(std::span(args).subspan(1));
    if (!args.empty() && args.front() == "set-pin") return run_set_pin(std::span(args).subspan(1));
    if (!args.empty() && args.front() == "find") return run_find(std::span(args).subspan(1));
    return run_kiosk(args, started);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}
