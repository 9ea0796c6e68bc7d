// Slowloris against the real alliance-central: a thousand connections that
// trickle header bytes and hundreds that sit idle, from many 127.0.0.x
// addresses, while /v1/health is timed and an honest alliance-sync pushes and
// pulls 1,000 records. Over HTTP, and a smaller run over TLS.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "common/util/strings.hpp"
#include "slow_clients.hpp"

namespace alliance::test {
namespace {

struct Kiosk {
  std::filesystem::path db;
  std::vector<std::string> trust;  // e.g. {"--ca-file", ca}
};

// A kiosk database of office `office` with `members` registrations, enrolled
// with the real agent against `url`.
Kiosk make_kiosk(const std::filesystem::path& dir, const std::string& name,
                 const RealCentral& central, const std::string& url, const std::string& office,
                 int members, int offset, std::vector<std::string> trust = {}) {
  Kiosk kiosk{.db = dir / (name + ".db"), .trust = std::move(trust)};
  {
    auto store = store::Store::open(kiosk.db);
    register_members(store, members, offset);
  }
  const std::string code = central::CentralStore::open(central.db())
                               ->create_enrolment_code(office, std::chrono::hours(1));
  std::vector<std::string> extra = {"--server", url, "--code", code};
  extra.insert(extra.end(), kiosk.trust.begin(), kiosk.trust.end());
  auto enrolled = run_process(sync_args("enroll", kiosk.db, extra), dir, std::chrono::seconds(60));
  INFO(enrolled.err);
  REQUIRE(enrolled.exit_code == 0);
  return kiosk;
}

struct SyncRun {
  double seconds = 0;
  std::string out;
};

// `alliance-sync once`: pushes everything waiting and pulls everything new.
SyncRun sync_once(const std::filesystem::path& dir, const Kiosk& kiosk) {
  std::vector<std::string> extra = {"--attempts", "1"};
  extra.insert(extra.end(), kiosk.trust.begin(), kiosk.trust.end());
  const auto start = SteadyClock::now();
  auto r = run_process(sync_args("once", kiosk.db, extra), dir, std::chrono::seconds(120));
  const double seconds = ms_since(start) / 1000.0;
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return {seconds, r.out};
}

// One office's records already on the server, so an honest run also pulls.
void seed_office(const std::filesystem::path& dir, const RealCentral& central,
                 const std::string& url, const std::string& office, int members, int offset,
                 std::vector<std::string> trust = {}) {
  const auto seeder =
      make_kiosk(dir, "seed-" + office, central, url, office, members, offset, std::move(trust));
  const auto seeded = sync_once(dir, seeder);
  REQUIRE(seeded.out.find(util::format("pushed {} changes ({} applied", members, members)) !=
          std::string::npos);
}

void print_latency(const char* label, const LatencySummary& latency) {
  MESSAGE(std::string(label) << ": /v1/health p50 " << latency.p50 << " ms, max " << latency.max
                             << " ms, " << latency.failed << " failed");
}

bool shell_ok(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

// A private CA (ca.pem) and a certificate it signed for IP 127.0.0.1.
bool make_tls_files(const TempDir& dir) {
  const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
  auto q = [](const std::filesystem::path& p) { return "'" + p.string() + "'"; };
  {
    std::ofstream ext(dir / "server.ext");
    ext << "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n";
  }
  return shell_ok("openssl req -x509 " + ec + "-days 1 -subj '/CN=Test CA' -keyout " +
                  q(dir / "ca.key") + " -out " + q(dir / "ca.pem")) &&
         shell_ok("openssl req -new " + ec + "-subj /CN=127.0.0.1 -keyout " +
                  q(dir / "server.key") + " -out " + q(dir / "server.csr")) &&
         shell_ok("openssl x509 -req -days 1 -set_serial 2 -in " + q(dir / "server.csr") + " -CA " +
                  q(dir / "ca.pem") + " -CAkey " + q(dir / "ca.key") + " -extfile " +
                  q(dir / "server.ext") + " -out " + q(dir / "server.pem"));
}

// GET /v1/health over a new TLS connection; its latency in ms, or nullopt.
std::optional<double> tls_health_ms(int port, const std::filesystem::path& ca) {
  const auto start = SteadyClock::now();
  httplib::SSLClient client("127.0.0.1", port);
  client.set_ca_cert_path(ca.c_str());
  client.enable_server_certificate_verification(true);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(5, 0);
  auto res = client.Get("/v1/health");
  if (!res || res->status != 200) return std::nullopt;
  return ms_since(start);
}

}  // namespace

TEST_CASE("1,000 trickling and 500 idle connections delay neither health nor an honest sync") {
  REQUIRE(allow_many_sockets() >= 4096);
  keep_traffic_local();
  TempDir dir;
  RealCentral central(dir.path());
  const std::string url = central.url();
  constexpr int kRecords = 1000;
  seed_office(dir.path(), central, url, "Nairobi", kRecords, 0);
  seed_office(dir.path(), central, url, "Dakar", kRecords, 10'000);
  const auto calm_kiosk = make_kiosk(dir.path(), "calm", central, url, "Nairobi", kRecords, 20'000);
  const auto attacked_kiosk =
      make_kiosk(dir.path(), "attacked", central, url, "Dakar", kRecords, 30'000);

  const auto calm_health = probe_health(central.port(), 20, std::chrono::milliseconds(20));
  const auto calm = sync_once(dir.path(), calm_kiosk);
  CHECK(calm.out.find("pushed 1000 changes (1000 applied") != std::string::npos);
  CHECK(calm.out.find("pulled 1000,") != std::string::npos);

  SlowClients attack({.port = central.port(),
                      .trickling = 1000,
                      .idle = 500,
                      .first_source = 2,
                      .sources = 40,
                      .trickle = "GET /v1/health HTTP/1.1\r\nHost: central\r\nX-Slow: "});
  REQUIRE_MESSAGE(attack.wait_open(1450, std::chrono::seconds(20)),
                  "the attack could not open its connections: " << attack.open());
  std::this_thread::sleep_for(std::chrono::seconds(2));  // every trickler has sent bytes
  const auto attacked_health = probe_health(central.port(), 30, std::chrono::milliseconds(50));
  const int open_during = attack.open();
  const auto attacked = sync_once(dir.path(), attacked_kiosk);
  const int open_after = attack.open();
  const long rss_kb = central.rss_kb();
  attack.stop();

  print_latency("undisturbed", calm_health);
  print_latency("under 1,000 trickling + 500 idle connections", attacked_health);
  MESSAGE("honest alliance-sync once (push 1000, pull 1000): "
          << calm.seconds << " s undisturbed, " << attacked.seconds << " s under attack");
  MESSAGE("attack: " << open_during << " connections open while probing, " << open_after
                     << " after the sync, " << attack.reconnects() << " reconnects, "
                     << attack.bytes_trickled() << " bytes trickled; server RSS " << rss_kb
                     << " kB");
  CHECK(attacked.out.find("pushed 1000 changes (1000 applied") != std::string::npos);
  CHECK(attacked.out.find("pulled 1000,") != std::string::npos);
  CHECK(open_during >= 1450);
  CHECK(open_after >= 1400);
  CHECK(attacked_health.failed == 0);
  CHECK(attacked_health.max < 1000.0);
  // The bound: within a second of the undisturbed run.
  CHECK(attacked.seconds <= calm.seconds + 1.0);
}

TEST_CASE("one address cannot hold more than its share of connections") {
  REQUIRE(allow_many_sockets() >= 4096);
  TempDir dir;
  RealCentral central(dir.path(), {"--max-connections-per-client", "50"});
  std::vector<Socket> flood;
  for (int i = 0; i < 150; ++i) flood.push_back(connect_from("127.0.0.99", central.port()));
  int refused = 0;
  int answered_503 = 0;
  for (auto& s : flood) {
    REQUIRE(s.open());
    const auto got = read_until_closed(s, std::chrono::milliseconds(20), 4096);
    if (status_of(got) == 503) ++answered_503;
    if (!got.empty() || closed_by_peer(s, std::chrono::milliseconds(5))) ++refused;
  }
  MESSAGE("150 connections from one address: " << 150 - refused << " kept, " << refused
                                               << " closed at once (" << answered_503
                                               << " with a 503)");
  CHECK(refused == 100);
  CHECK(answered_503 > 0);
  // Another address is served meanwhile, and the kept ones still work.
  CHECK(health_ms(central.port(), std::chrono::seconds(2)).has_value());
  int kept_served = 0;
  for (auto& s : flood) {
    if (!send_all(s, "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(1))) {
      continue;
    }
    if (status_of(read_answer(s, std::chrono::seconds(2))) == 200) ++kept_served;
  }
  CHECK(kept_served == 50);
}

TEST_CASE("over TLS, slow handshakes and idle connections delay neither health nor a sync") {
  REQUIRE(allow_many_sockets() >= 4096);
  keep_traffic_local();
  TempDir dir;
  REQUIRE_MESSAGE(make_tls_files(dir),
                  "openssl could not make the test certificates; run installer/install-deps.sh");
  const auto ca = dir / "ca.pem";
  RealCentral central(dir.path(), {"--tls-cert", (dir / "server.pem").string(), "--tls-key",
                                   (dir / "server.key").string()});
  const std::string url = central.url(true);
  const std::vector<std::string> trust = {"--ca-file", ca.string()};
  constexpr int kRecords = 300;
  seed_office(dir.path(), central, url, "Nairobi", kRecords, 0, trust);
  seed_office(dir.path(), central, url, "Dakar", kRecords, 10'000, trust);
  const auto calm_kiosk =
      make_kiosk(dir.path(), "calm", central, url, "Nairobi", kRecords, 20'000, trust);
  const auto attacked_kiosk =
      make_kiosk(dir.path(), "attacked", central, url, "Dakar", kRecords, 30'000, trust);

  std::vector<double> calm_samples;
  for (int i = 0; i < 10; ++i) {
    if (auto ms = tls_health_ms(central.port(), ca)) calm_samples.push_back(*ms);
  }
  const auto calm = sync_once(dir.path(), calm_kiosk);

  // A TLS ClientHello sent a byte a second: the handshake never completes.
  SlowClients attack({.port = central.port(),
                      .trickling = 300,
                      .idle = 200,
                      .first_source = 2,
                      .sources = 20,
                      .trickle = std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)});
  REQUIRE(attack.wait_open(480, std::chrono::seconds(20)));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  std::vector<double> samples;
  int failed = 0;
  for (int i = 0; i < 20; ++i) {
    if (auto ms = tls_health_ms(central.port(), ca)) {
      samples.push_back(*ms);
    } else {
      ++failed;
    }
  }
  const auto attacked_health = summarize(samples, failed);
  const auto attacked = sync_once(dir.path(), attacked_kiosk);
  const int open_after = attack.open();
  attack.stop();

  print_latency("TLS undisturbed", summarize(calm_samples, 0));
  print_latency("TLS under 300 slow handshakes + 200 idle connections", attacked_health);
  MESSAGE("honest alliance-sync once over TLS (push 300, pull 300): "
          << calm.seconds << " s undisturbed, " << attacked.seconds << " s under attack; "
          << open_after << " attack connections open after it");
  CHECK(attacked.out.find("pushed 300 changes (300 applied") != std::string::npos);
  CHECK(attacked.out.find("pulled 300,") != std::string::npos);
  CHECK(open_after >= 450);
  CHECK(attacked_health.failed == 0);
  CHECK(attacked_health.max < 1000.0);
  CHECK(attacked.seconds <= calm.seconds + 1.0);
}

}  // namespace alliance::test
