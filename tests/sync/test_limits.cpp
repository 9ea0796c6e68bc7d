// The transport's answer caps (decoded, on the wire, headers, Content-Length)
// and the server URL rules, against a local server on 127.0.0.1.
#include <doctest/doctest.h>

#include "harness.hpp"
#include "local_central.hpp"
#include "local_server.hpp"
#include "sync/api_client.hpp"
#include "sync/transport/http_client.hpp"

namespace alliance::sync {

using test::LocalAnswer;
using test::LocalRequest;
using test::LocalServer;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

HttpOptions capped(std::uint64_t wire, std::uint64_t body, std::uint64_t headers = 64 * 1024) {
  HttpOptions o;
  o.connect_timeout_ms = 2000;
  o.low_speed_time_s = 5;
  o.low_speed_limit = 1;
  o.limits = {.wire_bytes = wire, .body_bytes = body, .header_bytes = headers};
  return o;
}

bool mentions(const HttpResponse& r, std::string_view words) {
  return r.error && r.error->message.find(words) != std::string::npos;
}

}  // namespace

TEST_CASE("server URLs: https anywhere, plain http only to this computer, no credentials") {
  for (const char* ok : {"https://central.example.org", "https://central.example.org:8443/",
                         "https://10.0.0.5/alliance", "http://127.0.0.1:8080", "http://127.9.8.7",
                         "http://localhost:9000", "HTTP://LOCALHOST", "http://[::1]:8080/",
                         "https://[2001:db8::1]"}) {
    INFO(ok);
    CHECK_FALSE(server_url_problem(ok).has_value());
  }
  const std::pair<std::string, std::string_view> refused[] = {
      {"http://192.0.2.1", "unencrypted"},
      {"http://10.0.0.5:8080", "unencrypted"},
      {"http://128.0.0.1", "unencrypted"},
      {"http://127.0.0.1.nip.io", "unencrypted"},
      {"http://localhost.example.org", "unencrypted"},
      {"http://[::ffff:127.0.0.1]", "unencrypted"},
      {"https://user:secret@central.example.org", "user name or password"},
      {"https://user@central.example.org", "user name or password"},
      {"http://admin:pw@127.0.0.1:8080", "user name or password"},
      {"ftp://central.example.org", "must start with https://"},
      {"file:///etc/passwd", "must start with https://"},
      {"central.example.org", "not a valid URL"},
      {"https://central.example.org/?a=1", "query"},
      {"https://central.example.org/#x", "fragment"},
      {"https://central.example.org/ x", "spaces"},
  };
  for (const auto& [url, why] : refused) {
    INFO(url);
    const auto problem = server_url_problem(url);
    REQUIRE(problem.has_value());
    CHECK(problem->find(why) != std::string::npos);
    CHECK(problem->find('\n') == std::string::npos);
  }
}

TEST_CASE("an API client with a refused URL sends nothing") {
  LocalServer server(
      [](const LocalRequest&, LocalAnswer& a) { a.send(test::json_answer(200, "{}")); });
  // Same port, but with a password: refused before any connection.
  ApiClient client("http://user:pw@127.0.0.1:" + std::to_string(server.port()), capped(0, 0));
  REQUIRE(client.url_problem().has_value());
  auto pulled = client.pull(0, 10, {}, 0);
  REQUIRE_FALSE(pulled.has_value());
  CHECK(pulled.error().kind == FailureKind::refused_url);
  auto enrolled = client.enroll({.code = "x"});
  REQUIRE_FALSE(enrolled.has_value());
  CHECK(enrolled.error().kind == FailureKind::refused_url);
  CHECK(server.request_count() == 0);
  CHECK(client.stats().requests == 0);
}

TEST_CASE("the decoded-size cap stops a gzip bomb and a large plain body early") {
  test::keep_traffic_local();
  const std::string bomb = test::gzip_of_zeros(64 * kMiB);  // ~64 KB on the wire
  const std::string plain(3 * kMiB, 'a');
  LocalServer server([&](const LocalRequest& r, LocalAnswer& a) {
    if (r.path == "/bomb") {
      a.send(test::http_answer(200, bomb, {"Content-Encoding: gzip"}));
    } else {
      a.send(test::http_answer(200, plain));
    }
  });
  HttpClient http(capped(16 * kMiB, 1 * kMiB));
  auto bombed = http.get(server.url() + "/bomb", {});
  REQUIRE(bombed.error.has_value());
  CHECK(bombed.error->code == "too_large");
  CHECK(mentions(bombed, "1 MiB of decoded body bytes"));
  CHECK(bombed.body.empty());
  CHECK(bomb.size() < kMiB);  // the wire cap had nothing to do with it

  auto large = http.get(server.url() + "/plain", {});
  REQUIRE(large.error.has_value());
  CHECK(large.error->code == "too_large");

  // The same answers within the caps arrive whole.
  HttpClient roomy(capped(16 * kMiB, 4 * kMiB));
  auto whole = roomy.get(server.url() + "/plain", {});
  REQUIRE_FALSE(whole.error.has_value());
  CHECK(whole.status == 200);
  CHECK(whole.body.size() == plain.size());
}

TEST_CASE("the wire cap stops a compressed stream that decodes to nothing") {
  test::keep_traffic_local();
  // Endless empty deflate blocks: megabytes on the wire, not one decoded byte.
  LocalServer server(
      [](const LocalRequest&, LocalAnswer& a) {
        a.send_endless(
            "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"
            "Connection: close\r\n\r\n" +
                test::http_chunk(test::gzip_header()),
            test::http_chunk(test::empty_deflate_blocks(13'000)));
      },
      256 * kMiB);
  HttpClient http(capped(1 * kMiB, 16 * kMiB));
  const auto start = std::chrono::steady_clock::now();
  auto r = http.get(server.url() + "/", {});
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE(r.error.has_value());
  CHECK(r.error->code == "too_large");
  CHECK(mentions(r, "1 MiB of body bytes on the wire (before decoding)"));
  CHECK(took < std::chrono::seconds(10));
  // Past the cap the server could push only what fits in socket buffers, not
  // the 256 MiB it would have sent to a client that kept reading.
  CHECK(test::eventually([&] { return server.largest_answer() > 0; }, std::chrono::seconds(5)));
  MESSAGE("bytes the server sent before the client hung up: ", server.largest_answer());
  CHECK(server.largest_answer() < 32 * kMiB);
}

TEST_CASE("an announced Content-Length over the cap is refused before the body is read") {
  test::keep_traffic_local();
  LocalServer server([](const LocalRequest&, LocalAnswer& a) {
    a.send_endless("HTTP/1.1 200 OK\r\nContent-Length: 4294967296\r\nConnection: close\r\n\r\n",
                   std::string(64 * 1024, '\0'));
  });
  HttpClient http(capped(2 * kMiB, 2 * kMiB));
  auto r = http.get(server.url() + "/", {});
  REQUIRE(r.error.has_value());
  CHECK(r.error->code == "too_large");
  CHECK(mentions(r, "Content-Length"));
}

TEST_CASE("endless header lines are cut off at the header cap") {
  test::keep_traffic_local();
  LocalServer server([](const LocalRequest&, LocalAnswer& a) {
    if (!a.send("HTTP/1.1 200 OK\r\n")) return;
    for (int i = 0; i < 1'000'000; ++i) {
      if (!a.send("X-Filler-" + std::to_string(i) + ": " + std::string(100, 'h') + "\r\n")) return;
    }
  });
  HttpClient http(capped(16 * kMiB, 16 * kMiB, 64 * 1024));
  auto r = http.get(server.url() + "/", {});
  REQUIRE(r.error.has_value());
  CHECK(r.error->code == "too_large");
  CHECK(mentions(r, "64 KiB of header bytes"));
  CHECK(r.headers.size() < 1000);
}

TEST_CASE("the API client classifies an oversized answer and caps enrolment answers tightly") {
  test::keep_traffic_local();
  const std::string padding(200 * 1024, ' ');
  LocalServer server([&](const LocalRequest& r, LocalAnswer& a) {
    if (r.path == "/v1/devices/enroll") {
      // A valid enrolment answer padded past the 64 KiB enrolment cap.
      auto body = protocol::encode(protocol::EnrollResponse{.device_id = "d", .token = "t"});
      a.send(test::json_answer(200, padding + body));
    } else {
      a.send(test::json_answer(200, std::string(2 * kMiB, ' ') + "{}"));
    }
  });
  ApiClient client(server.url(), capped(16 * kMiB, 1 * kMiB));
  auto page = client.pull(0, 500, {}, 0);
  REQUIRE_FALSE(page.has_value());
  CHECK(page.error().kind == FailureKind::answer_too_large);
  CHECK(page.error().code == "too_large");

  auto enrolled = client.enroll({.code = "c"});
  REQUIRE_FALSE(enrolled.has_value());
  CHECK(enrolled.error().kind == FailureKind::answer_too_large);
  CHECK(enrolled.error().message.find("64 KiB") != std::string::npos);

  CHECK(tighter({.wire_bytes = 0, .body_bytes = 10, .header_bytes = 5},
                {.wire_bytes = 7, .body_bytes = 0, .header_bytes = 9})
            .wire_bytes == 7);
  CHECK(tighter({.wire_bytes = 0, .body_bytes = 10, .header_bytes = 5},
                {.wire_bytes = 7, .body_bytes = 0, .header_bytes = 9})
            .body_bytes == 10);
  CHECK(describe_bytes(16 * kMiB) == "16 MiB");
  CHECK(describe_bytes(700) == "700 bytes");
}

}  // namespace alliance::sync
