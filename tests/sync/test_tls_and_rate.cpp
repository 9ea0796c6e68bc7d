// HTTPS with a private CA (--ca-file) and the bandwidth cap (--max-rate):
// the real alliance-sync binary against a real alliance-central on 127.0.0.1.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "common/protocol/codec.hpp"
#include "harness.hpp"
#include "support/certificates.hpp"
#include "sync/transport/http_client.hpp"

namespace alliance::test {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The gzip bodies the agent sends for the whole queue in batches of
// batch_changes (with no byte limit in the way): the same payloads, the same
// encoding, the same compression. Counts the changes in `changes`.
std::size_t push_bodies_size(store::Store& kiosk, std::size_t batch_changes, std::size_t& changes) {
  const auto all = kiosk.next_batch(100'000, std::size_t{1} << 30);
  changes = all.size();
  std::size_t total = 0;
  for (std::size_t first = 0; first < all.size(); first += batch_changes) {
    std::vector<std::string_view> payloads;
    for (std::size_t i = first; i < std::min(all.size(), first + batch_changes); ++i) {
      payloads.emplace_back(all[i].payload);
    }
    total += sync::gzip_compress(protocol::encode_push_request_from_encoded(payloads)).size();
  }
  return total;
}

}  // namespace

TEST_CASE("over HTTPS a private CA is trusted only through --ca-file and is never skipped") {
  keep_traffic_local();
  TempDir dir;
  // No certificates means this test cannot run: that is a failure, never a
  // pass (installer/install-deps.sh installs openssl).
  REQUIRE_MESSAGE(make_certificates(dir.path()),
                  "openssl could not make the test certificates; run installer/install-deps.sh");
  TestServer server(
      central::ServerOptions{.tls_cert = dir / "server.pem", .tls_key = dir / "server.key"});
  const auto db = dir / "kiosk.db";
  auto kiosk = store::Store::open(db);
  const auto ids = register_members(kiosk, 150);
  const std::string ca = (dir / "ca.pem").string();
  const std::string other_ca = (dir / "other-ca.pem").string();
  const std::string code = server.store().create_enrolment_code("Nairobi", std::chrono::hours(1));

  // Enrolment: the system store does not know our CA, nor does another CA.
  const std::vector<std::vector<std::string>> untrusted = {{}, {"--ca-file", other_ca}};
  for (const auto& trust : untrusted) {
    std::vector<std::string> extra = {"--server", server.url(), "--code", code};
    extra.insert(extra.end(), trust.begin(), trust.end());
    auto refused =
        run_process(sync_args("enroll", db, extra), dir.path(), std::chrono::seconds(30));
    INFO(refused.err);
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("enrolment failed") != std::string::npos);
    CHECK(refused.err.find("SSL certificate problem") != std::string::npos);
    CHECK_FALSE(store::load_credentials(kiosk).has_value());
  }

  // The same code still works: the refused attempts never reached the server.
  auto enrolled = run_process(
      sync_args("enroll", db, {"--server", server.url(), "--code", code, "--ca-file", ca}),
      dir.path(), std::chrono::seconds(30));
  INFO(enrolled.err);
  REQUIRE(enrolled.exit_code == 0);
  CHECK(enrolled.out.find("with " + server.url()) != std::string::npos);

  // Pushing without the CA (or with the wrong one) fails as TLS, keeps every change.
  const std::vector<std::string> quick = {"--attempts", "1", "--backoff-base-ms", "10"};
  for (const auto& trust : untrusted) {
    std::vector<std::string> extra = quick;
    extra.insert(extra.end(), trust.begin(), trust.end());
    auto refused = run_process(sync_args("once", db, extra), dir.path(), std::chrono::seconds(30));
    INFO(refused.err);
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("150 changes not acknowledged") != std::string::npos);
    CHECK(refused.err.find("SSL certificate problem") != std::string::npos);
    CHECK(kiosk.queue_counts().pending == 150);
    CHECK(kiosk.queue_counts().acked == 0);
    CHECK(server.store().count_records(protocol::Entity::member) == 0);
    const auto status = kiosk.sync_status();
    INFO(status.last_error);
    CHECK(status.state == "offline");
    CHECK(status.last_error.starts_with("tls: "));
    CHECK(status.last_error.find("certificate") != std::string::npos);
    auto json = run_process(sync_args("status", db, {"--json"}), dir.path());
    CHECK(json.out.find("\"last_error\":\"tls: ") != std::string::npos);
    CHECK(json.out.find("\"queue_depth\":150") != std::string::npos);
  }

  // With the CA: everything arrives, once.
  std::vector<std::string> trusted = quick;
  trusted.insert(trusted.end(), {"--ca-file", ca});
  auto pushed = run_process(sync_args("once", db, trusted), dir.path(), std::chrono::seconds(60));
  INFO(pushed.err);
  REQUIRE(pushed.exit_code == 0);
  CHECK(pushed.out.find("pushed 150 changes (150 applied") != std::string::npos);
  CHECK(kiosk.queue_counts().pending == 0);
  CHECK(kiosk.queue_counts().acked == 150);
  CHECK(central_member_ids(server.store()) == std::set<std::string>(ids.begin(), ids.end()));
  CHECK(server.store().count_applied_changes() == 150);
  CHECK(kiosk.sync_status().state == "idle");
  CHECK(kiosk.sync_status().last_error.empty());

  // A plain-HTTP URL to the HTTPS port gets no answer, never a fallback.
  auto plain = run_process(
      sync_args("enroll", dir / "plain.db",
                {"--server", "http://127.0.0.1:" + server.url().substr(server.url().rfind(':') + 1),
                 "--code", server.store().create_enrolment_code("Nairobi", std::chrono::hours(1)),
                 "--connect-timeout", "2", "--low-speed-time", "2"}),
      dir.path(), std::chrono::seconds(30));
  CHECK(plain.exit_code == 1);
  CHECK(plain.err.find("enrolment failed") != std::string::npos);
}

TEST_CASE("--max-rate holds a push near the cap and without it the same push is quick") {
  keep_traffic_local();
  // One server each, so neither run pulls the other's records.
  TestServer capped_server;
  TestServer free_server;
  TempDir dir;
  constexpr int kMembers = 2000;          // two batches of 1000
  constexpr std::int64_t kRate = 20'000;  // bytes per second
  const std::vector<std::string> batching = {"--batch-changes", "1000",       "--batch-bytes",
                                             "16777216",        "--attempts", "1"};

  auto prepare = [&](TestServer& server, const std::string& name, std::size_t& body) {
    const auto db = dir / name;
    auto kiosk = store::Store::open(db);
    register_members(kiosk, kMembers);
    enroll_with_binary(server, db, local_url(server), dir.path());
    std::size_t changes = 0;
    body = push_bodies_size(kiosk, 1000, changes);
    REQUIRE(changes == kMembers);
    return db;
  };
  auto push = [&](const std::filesystem::path& db, std::vector<std::string> extra) {
    extra.insert(extra.end(), batching.begin(), batching.end());
    const auto start = Clock::now();
    auto r = run_process(sync_args("once", db, extra), dir.path(), std::chrono::seconds(60));
    const double took = seconds_since(start);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("pushed 2000 changes (2000 applied") != std::string::npos);
    CHECK(r.out.find("pulled 0,") != std::string::npos);
    return took;
  };

  std::size_t capped_body = 0;
  std::size_t free_body = 0;
  const auto capped_db = prepare(capped_server, "capped.db", capped_body);
  const auto free_db = prepare(free_server, "free.db", free_body);
  // The bodies must be big enough for the cap to show, small enough to stay quick.
  REQUIRE(capped_body >= 100'000);
  REQUIRE(capped_body <= 250'000);

  const double capped = push(capped_db, {"--max-rate", std::to_string(kRate)});
  const double ideal = static_cast<double>(capped_body) / static_cast<double>(kRate);
  const double uncapped = push(free_db, {});
  MESSAGE("gzip body " << capped_body << " bytes (uncapped run " << free_body << "): " << capped
                       << " s at " << kRate << " B/s (ideal " << ideal << " s), " << uncapped
                       << " s uncapped");
  CHECK(capped >= 0.5 * ideal);
  CHECK(uncapped * 2 < capped);
  CHECK(capped_server.store().count_records(protocol::Entity::member) == kMembers);
  CHECK(free_server.store().count_records(protocol::Entity::member) == kMembers);
}

}  // namespace alliance::test
