// HTTPS with --tls-cert/--tls-key: a self-signed certificate made by the openssl tool.
#include <doctest/doctest.h>

#include <cstdlib>

#include "server_fixture.hpp"

using namespace alliance;

TEST_CASE("the server speaks HTTPS with a certificate the client verifies") {
  test::TempDir dir;
  const auto cert = dir / "cert.pem";
  const auto key = dir / "key.pem";
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
      "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout '" +
      key.string() + "' -out '" + cert.string() + "' >/dev/null 2>&1";
  // No certificate means this test cannot run: that is a failure, never a pass
  // (installer/install-deps.sh installs openssl).
  REQUIRE_MESSAGE(std::system(command.c_str()) == 0,
                  "openssl could not make a test certificate; run installer/install-deps.sh");
  log::set_level(log::Level::warn);
  auto store = central::CentralStore::open(test::central_db_spec(dir / "central.db"));
  central::ServerOptions options{.tls_cert = cert, .tls_key = key};
  central::Server server(*store, options);
  const int port = server.bind_to_any_port();
  REQUIRE(port > 0);
  std::thread thread([&] { server.listen_after_bind(); });
  for (int i = 0; i < 1000 && !server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  {
    httplib::SSLClient client("127.0.0.1", port);
    client.set_ca_cert_path(cert.c_str());
    client.enable_server_certificate_verification(true);
    auto res = client.Get("/v1/health");
    REQUIRE(res);
    CHECK(res->status == 200);
    httplib::Client plain("127.0.0.1", port);
    plain.set_read_timeout(2, 0);
    auto refused = plain.Get("/v1/health");
    CHECK((!refused || refused->status != 200));
  }
  server.stop();
  thread.join();
}

TEST_CASE("missing or mismatched TLS files are refused with a reason") {
  test::TempDir dir;
  auto store = central::CentralStore::open(test::central_db_spec(dir / "central.db"));
  CHECK_THROWS_WITH_AS(central::Server(*store, {.tls_cert = dir / "nope.pem"}),
                       "TLS needs both --tls-cert and --tls-key", std::runtime_error);
  CHECK_THROWS_AS(central::Server(*store, {.tls_cert = dir / "a.pem", .tls_key = dir / "b.pem"}),
                  std::runtime_error);
}
