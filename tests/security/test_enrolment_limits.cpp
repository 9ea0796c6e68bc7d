// Enrolment rate limits that hold behind a reverse proxy: per client address
// (the peer, or with --trusted-proxy the right-most untrusted X-Forwarded-For
// hop), per enrolment code and per device name. A forged X-Forwarded-For from
// a peer that is not a trusted proxy changes nothing.
#include <doctest/doctest.h>

#include "central/http/client_address.hpp"
#include "hostile_client.hpp"

namespace alliance::test {
namespace {

constexpr auto kWait = std::chrono::seconds(5);

central::ServerOptions limits(int per_address, int per_code, int per_name,
                              std::vector<std::string> trusted = {}) {
  central::ServerOptions options;
  options.limits.enroll_attempts_per_window = per_address;
  options.limits.enroll_attempts_per_code = per_code;
  options.limits.enroll_attempts_per_name = per_name;
  options.trusted_proxies = std::move(trusted);
  return options;
}

// One enrolment attempt from `source`, with an X-Forwarded-For header unless
// `forwarded_for` is empty; the answer's status.
int enroll_from(int port, const std::string& source, const std::string& forwarded_for,
                const std::string& code, const std::string& name) {
  const auto body = protocol::encode(protocol::EnrollRequest{.code = code, .device_name = name});
  auto s = connect_from(source, port);
  REQUIRE(s.open());
  const std::string request =
      "POST /v1/devices/enroll HTTP/1.1\r\nHost: central\r\nContent-Type: application/json\r\n" +
      (forwarded_for.empty() ? std::string() : "X-Forwarded-For: " + forwarded_for + "\r\n") +
      "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  REQUIRE(send_all(s, request));
  return status_of(read_answer(s, kWait));
}

std::string unique_code(int n) {
  return "WRONG-" + std::to_string(1000 + n);
}

}  // namespace

TEST_CASE("without a trusted proxy, attempts count per peer and X-Forwarded-For is ignored") {
  TestServer server(limits(3, 100, 100));
  for (int i = 0; i < 3; ++i) {
    CHECK(enroll_from(server.port(), "127.0.0.5", "", unique_code(i),
                      "desk " + std::to_string(i)) == 403);
  }
  // A forged header from an untrusted peer does not make it someone else.
  CHECK(enroll_from(server.port(), "127.0.0.5", "198.51.100.7", unique_code(10), "other") == 429);
  CHECK(enroll_from(server.port(), "127.0.0.5", "198.51.100.8, 198.51.100.9", unique_code(11),
                    "other") == 429);
  // Another peer is not blocked by the first one.
  CHECK(enroll_from(server.port(), "127.0.0.6", "", unique_code(12), "another") == 403);
}

TEST_CASE("behind a trusted proxy, attempts count per forwarded client") {
  TestServer server(limits(3, 100, 100, {"127.0.0.10", "10.0.0.0/8"}));
  const std::string proxy = "127.0.0.10";
  for (int i = 0; i < 3; ++i) {
    CHECK(enroll_from(server.port(), proxy, "203.0.113.5", unique_code(i),
                      "desk " + std::to_string(i)) == 403);
  }
  CHECK(enroll_from(server.port(), proxy, "203.0.113.5", unique_code(3), "desk 3") == 429);
  // Every other office behind the same proxy still enrols.
  CHECK(enroll_from(server.port(), proxy, "203.0.113.6", unique_code(4), "desk 4") == 403);
  const auto good = server.store().create_enrolment_code("Dakar", std::chrono::hours(1));
  CHECK(enroll_from(server.port(), proxy, "203.0.113.7", good, "desk 5") == 200);
  // The client forges hops on the left: the right-most untrusted one counts
  // (10.1.2.3 is a trusted inner proxy).
  CHECK(enroll_from(server.port(), proxy, "198.51.100.1, 203.0.113.5, 10.1.2.3", unique_code(6),
                    "desk 6") == 429);
  CHECK(enroll_from(server.port(), proxy, "203.0.113.5, 198.51.100.2", unique_code(7), "desk 7") ==
        403);
  // Without the header, the proxy is the client.
  CHECK(enroll_from(server.port(), proxy, "", unique_code(8), "desk 8") == 403);
}

TEST_CASE("attempts count per enrolment code and per device name, whatever the address") {
  TestServer server(limits(100, 2, 3, {"127.0.0.10"}));
  const std::string proxy = "127.0.0.10";
  auto client = [](int n) { return "203.0.113." + std::to_string(n); };
  // One code tried from many addresses (its spelling varied).
  CHECK(enroll_from(server.port(), proxy, client(1), "ABCD-EFGH", "n1") == 403);
  CHECK(enroll_from(server.port(), proxy, client(2), "abcd efgh", "n2") == 403);
  CHECK(enroll_from(server.port(), proxy, client(3), "ABCDEFGH", "n3") == 429);
  // One device name with ever new codes from many addresses.
  for (int i = 0; i < 3; ++i) {
    CHECK(enroll_from(server.port(), proxy, client(10 + i), unique_code(i), "Kiosk") == 403);
  }
  CHECK(enroll_from(server.port(), proxy, client(20), unique_code(5), " kiosk ") == 429);
  // A good code with a fresh name from a fresh address goes through.
  const auto good = server.store().create_enrolment_code("Nairobi", std::chrono::hours(1));
  CHECK(enroll_from(server.port(), proxy, client(30), good, "Desk 9") == 200);
}

TEST_CASE("X-Forwarded-For is walked from the right and only through trusted hops") {
  auto trusted = central::TrustedProxies::parse({"127.0.0.1", "10.0.0.0/8", "fd00::/8"});
  REQUIRE(trusted);
  CHECK(trusted->client_address("192.0.2.1", "203.0.113.5") == "192.0.2.1");
  CHECK(trusted->client_address("127.0.0.1", "") == "127.0.0.1");
  CHECK(trusted->client_address("127.0.0.1", "203.0.113.5") == "203.0.113.5");
  CHECK(trusted->client_address("::ffff:127.0.0.1", "203.0.113.5") == "203.0.113.5");
  CHECK(trusted->client_address("127.0.0.1", "1.1.1.1, 203.0.113.5, 10.9.9.9") == "203.0.113.5");
  CHECK(trusted->client_address("127.0.0.1", "10.1.1.1, 10.2.2.2") == "10.1.1.1");
  CHECK(trusted->client_address("127.0.0.1", "garbage, 203.0.113.5") == "203.0.113.5");
  CHECK(trusted->client_address("127.0.0.1", "203.0.113.5, garbage") == "127.0.0.1");
  CHECK(trusted->client_address("fd00::1", "2001:db8::7") == "2001:db8::7");
  CHECK(trusted->client_address("127.0.0.1", " [2001:db8::7] ") == "2001:db8::7");
  CHECK_FALSE(central::TrustedProxies::parse({"10.0.0.0/33"}).has_value());
  CHECK_FALSE(central::TrustedProxies::parse({"nginx.local"}).has_value());
  CHECK(central::TrustedProxies::parse({"::1/128", "0.0.0.0/0"}).has_value());
}

}  // namespace alliance::test
