// `alliance-central relay`: options, the first enrolment, then once or run.
#include "relay/cli.hpp"

#include <charconv>
#include <map>
#include <optional>
#include <set>

#include "common/util/log.hpp"
#include "common/util/strings.hpp"
#include "relay/relay.hpp"

namespace alliance::relay {
namespace {

constexpr std::string_view kUsage =
    "alliance-central relay --db HUB [--upstream URL] [--code CODE] [--name NAME] [options]\n"
    "A venue hub's relay: run it next to `alliance-central serve --db HUB`, which the\n"
    "venue's desks sync with. It sends upstream every change the desks push to the hub,\n"
    "under its original change id, and brings down upstream's records of the hub's\n"
    "office (other kiosks, catalogue, events, request decisions) for the desks. It\n"
    "runs until SIGTERM or SIGINT, and may be stopped or killed at any moment.\n"
    "\n"
    "The first run enrols the hub upstream: --upstream URL and --code CODE, a code made\n"
    "there with `alliance-central enroll-code --relay --office OFFICE`; make the desks'\n"
    "codes on the hub for the same office, after this. Later runs need neither (an\n"
    "--upstream given then replaces the saved URL: same central, another address).\n"
    "A hub revoked upstream enrols again the same way, with a new code for its office;\n"
    "what waits in its queue is kept and sent.\n"
    "\n"
    "  --name NAME            the hub's device name upstream (default \"venue hub\")\n"
    "  --once                 send what waits, pull until up to date, exit: 0 when\n"
    "                         done, 1 when upstream could not be reached or refused\n"
    "  --pull-wait S          how long one pull may wait at upstream for a change\n"
    "                         (0 to 900, default 60)\n"
    "  --backoff-cap S        longest pause after failures in a row (1 to 3600, default 60)\n"
    "  --ca-file FILE         trust this CA bundle (a private CA); TLS is always verified\n"
    "  --connect-timeout S    give up connecting after S seconds (default 15)\n"
    "  --low-speed-time S     abandon a transfer under 32 bytes/s for S s (default 60)\n"
    "  --log-level LEVEL      debug, info, warn or error (default info)\n";

const std::set<std::string, std::less<>> kValueFlags = {
    "--db",       "--upstream",        "--code",
    "--name",     "--pull-wait",       "--backoff-cap",
    "--ca-file",  "--connect-timeout", "--low-speed-time",
    "--log-level"};

std::optional<int> number(const std::map<std::string, std::string, std::less<>>& flags,
                          std::string_view name, int low, int high, int fallback,
                          std::string& error) {
  const auto it = flags.find(name);
  if (it == flags.end()) return fallback;
  int value = 0;
  const auto& text = it->second;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    error = util::cat(name, " must be a whole number from ", low, " to ", high);
    return std::nullopt;
  }
  return value;
}

std::optional<log::Level> level_named(std::string_view name) {
  if (name == "debug") return log::Level::debug;
  if (name == "info") return log::Level::info;
  if (name == "warn") return log::Level::warn;
  if (name == "error") return log::Level::error;
  return std::nullopt;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const std::atomic<bool>* stop) {
  std::map<std::string, std::string, std::less<>> flags;
  bool once = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out << kUsage;
      return 0;
    }
    if (arg == "--version") {
      out << "alliance-central " << ALLIANCE_VERSION << "\n";
      return 0;
    }
    if (arg == "--once") {
      once = true;
      continue;
    }
    const auto eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    if (!kValueFlags.contains(name)) {
      err << "alliance-central relay: unknown option or argument '" << arg << "'\n" << kUsage;
      return 2;
    }
    if (eq != std::string::npos) {
      flags[name] = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      flags[name] = args[++i];
    } else {
      err << "alliance-central relay: option '" << name << "' needs a value\n";
      return 2;
    }
  }
  if (!flags.contains("--db")) {
    err << "alliance-central relay: --db HUB is required\n" << kUsage;
    return 2;
  }
  std::string error;
  const auto pull_wait = number(flags, "--pull-wait", 0, 900, 60, error);
  const auto backoff_cap = number(flags, "--backoff-cap", 1, 3600, 60, error);
  const auto connect_s = number(flags, "--connect-timeout", 1, 600, 15, error);
  const auto low_speed_s = number(flags, "--low-speed-time", 1, 3600, 60, error);
  if (!pull_wait || !backoff_cap || !connect_s || !low_speed_s) {
    err << "alliance-central relay: " << error << "\n";
    return 2;
  }
  if (const auto it = flags.find("--log-level"); it != flags.end()) {
    const auto level = level_named(it->second);
    if (!level) {
      err << "alliance-central relay: --log-level must be debug, info, warn or error\n";
      return 2;
    }
    log::set_level(*level);
  }

  RelayOptions options;
  options.http.user_agent = "alliance-central-relay";
  options.http.stop = stop;
  options.http.connect_timeout_ms = static_cast<long>(*connect_s) * 1000;
  options.http.low_speed_time_s = *low_speed_s;
  if (const auto it = flags.find("--ca-file"); it != flags.end()) options.http.ca_file = it->second;
  options.pull_wait = std::chrono::seconds(*pull_wait);
  options.backoff.cap = std::chrono::seconds(*backoff_cap);

  try {
    auto hub = central::CentralStore::open(flags.at("--db"));
    auto enrolment = hub->relay_enrolment();
    const auto upstream = flags.find("--upstream");
    if (const auto code = flags.find("--code"); code != flags.end()) {
      // An enrolled hub enrols again (e.g. revoked upstream) keeping its queue.
      if (upstream == flags.end()) {
        err << "alliance-central relay: --code needs --upstream URL\n";
        return 2;
      }
      const auto name = flags.contains("--name") ? flags.at("--name") : "venue hub";
      auto enrolled = enrol_upstream(*hub, upstream->second, code->second, name, options.http);
      if (!enrolled) {
        err << "alliance-central relay: " << enrolled.error() << "\n";
        return 1;
      }
      enrolment = *enrolled;
      out << "enrolled this hub upstream at " << enrolment->upstream_url << " for office "
          << enrolment->office << "\n";
    } else if (!enrolment) {
      err << "alliance-central relay: this hub is not enrolled upstream yet; run it once with "
             "--upstream URL --code CODE (alliance-central enroll-code --relay, upstream)\n";
      return 2;
    } else if (upstream != flags.end() && upstream->second != enrolment->upstream_url) {
      enrolment->upstream_url = upstream->second;
      auto saved = hub->save_relay_enrolment(*enrolment);
      if (!saved) {
        err << "alliance-central relay: " << saved.error().message << "\n";
        return 1;
      }
    }
    Relay relay(*hub, *enrolment, options, stop);
    if (!once) return relay.run();
    const auto up = relay.push_waiting();
    const auto down = up.ok() ? relay.pull_all() : RelayReport{};
    const auto& failure = up.ok() ? down.failure : up.failure;
    if (failure) {
      err << "alliance-central relay: upstream: " << failure->message << " (" << failure->code
          << ")\n";
      return 1;
    }
    out << "relayed " << up.relayed << " change(s) upstream (" << up.refused_upstream
        << " refused there); pulled " << down.pulled << " record(s), " << down.written
        << " new or changed here, " << down.refused << " refused; " << hub->relay_waiting_count()
        << " waiting\n";
    return 0;
  } catch (const std::exception& e) {
    err << "alliance-central relay: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace alliance::relay
