// Deadlines that trickling cannot move: the request line and headers, the
// body, an idle keep-alive connection and a TLS handshake each end at their
// deadline, however steadily the client sends single bytes.
#include <doctest/doctest.h>

#include "hostile_client.hpp"

namespace alliance::test {
namespace {

using std::chrono::milliseconds;

central::ServerOptions short_deadlines() {
  central::ServerOptions options;
  options.header_timeout = milliseconds(2000);
  options.keep_alive_timeout = milliseconds(1000);
  options.tls_handshake_timeout = milliseconds(1500);
  options.transfer_timeout_min = milliseconds(2000);
  options.transfer_timeout_max = milliseconds(2000);
  return options;
}

// Sends `prefix`, then one byte of `filler` every `every` until the server
// closes the connection; how long that took, in ms (or -1 after `limit`).
double trickle_until_closed(const Socket& s, const std::string& prefix, milliseconds every,
                            milliseconds limit) {
  const auto start = SteadyClock::now();
  if (!send_all(s, prefix)) return ms_since(start);
  while (SteadyClock::now() - start < limit) {
    if (send(s.fd(), "a", 1, MSG_NOSIGNAL) != 1) return ms_since(start);
    if (closed_by_peer(s, every)) return ms_since(start);
  }
  return -1;
}

}  // namespace

TEST_CASE("the header deadline does not restart with each byte") {
  TestServer server(short_deadlines());
  auto s = connect_from("127.0.0.1", server.port());
  REQUIRE(s.open());
  const double ms = trickle_until_closed(
      s, "GET /v1/health HTTP/1.1\r\nX-Slow: ", milliseconds(500), std::chrono::seconds(10));
  MESSAGE("a byte every 500 ms: cut off after " << ms << " ms (header deadline 2000 ms)");
  CHECK(ms >= 1500);
  CHECK(ms <= 3500);
  CHECK(healthy(server));
}

TEST_CASE("a connection that never sends is closed at the header deadline") {
  TestServer server(short_deadlines());
  auto s = connect_from("127.0.0.1", server.port());
  REQUIRE(s.open());
  const auto start = SteadyClock::now();
  CHECK(closed_by_peer(s, std::chrono::seconds(5)));
  const double ms = ms_since(start);
  MESSAGE("idle connection closed after " << ms << " ms");
  CHECK(ms >= 1500);
  CHECK(ms <= 3500);
}

TEST_CASE("the body deadline does not restart with each byte") {
  TestServer server(short_deadlines());
  const auto device = server.enroll();
  auto s = connect_from("127.0.0.1", server.port());
  REQUIRE(s.open());
  const std::string head =
      "POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Authorization: Bearer " +
      device.token + "\r\nContent-Length: 100000\r\n\r\n";
  const double ms = trickle_until_closed(s, head, milliseconds(300), std::chrono::seconds(10));
  MESSAGE("a body byte every 300 ms: cut off after " << ms << " ms (body deadline 2000 ms)");
  CHECK(ms >= 1500);
  CHECK(ms <= 3500);
  CHECK(healthy(server));
}

TEST_CASE("an idle keep-alive connection is closed after the keep-alive timeout") {
  TestServer server(short_deadlines());
  auto s = connect_from("127.0.0.1", server.port());
  REQUIRE(send_all(s, "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(status_of(read_answer(s, std::chrono::seconds(2))) == 200);
  const auto start = SteadyClock::now();
  CHECK(closed_by_peer(s, std::chrono::seconds(5)));
  const double ms = ms_since(start);
  MESSAGE("idle keep-alive connection closed after " << ms << " ms (timeout 1000 ms)");
  CHECK(ms >= 700);
  CHECK(ms <= 2500);
}

TEST_CASE("a TLS handshake that trickles is cut off at its deadline") {
  TempDir dir;
  const auto cert = dir / "cert.pem";
  const auto key = dir / "key.pem";
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
      key.string() + "' -out '" + cert.string() + "' >/dev/null 2>&1";
  REQUIRE_MESSAGE(std::system(command.c_str()) == 0,
                  "openssl could not make a test certificate; run installer/install-deps.sh");
  auto options = short_deadlines();
  options.tls_cert = cert;
  options.tls_key = key;
  TestServer server(options);
  auto s = connect_from("127.0.0.1", server.port());
  REQUIRE(s.open());
  // The start of a ClientHello announcing 512 bytes, then one byte at a time.
  const double ms = trickle_until_closed(s, std::string("\x16\x03\x01\x02\x00", 5),
                                         milliseconds(300), std::chrono::seconds(10));
  MESSAGE("a ClientHello byte every 300 ms: cut off after " << ms << " ms (deadline 1500 ms)");
  CHECK(ms >= 1000);
  CHECK(ms <= 3000);
  httplib::SSLClient client("127.0.0.1", server.port());
  client.set_ca_cert_path(cert.c_str());
  client.enable_server_certificate_verification(true);
  auto res = client.Get("/v1/health");
  REQUIRE(res);
  CHECK(res->status == 200);
}

}  // namespace alliance::test
