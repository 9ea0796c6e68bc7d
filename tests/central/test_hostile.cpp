// Hostile and broken input: each gets the right error and the server keeps serving.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>

#include "server_fixture.hpp"

using namespace alliance;

namespace {

// Sends raw bytes to the server and returns whatever it answers before closing
// (at most 64 KiB, within the socket timeouts).
std::string raw_exchange(int port, const std::string& bytes, bool half_close = false) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval timeout{.tv_sec = 1, .tv_usec = 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  std::size_t sent = 0;
  for (int i = 0; i < 1000 && sent < bytes.size(); ++i) {
    const auto n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string answer;
  if (half_close) {
    // A client that sends part of a request and goes away without reading.
    close(fd);
    return answer;
  }
  char buffer[4096];
  for (int i = 0; i < 16; ++i) {
    const auto n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return answer;
}

// `size` zero bytes, gzip-compressed without ever holding them all.
std::string gzip_zeros(std::size_t size) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string in(1 << 20, '\0');
  std::string out;
  char buffer[1 << 16];
  std::size_t left = size;
  for (std::size_t round = 0; round < size / in.size() + 2; ++round) {
    const std::size_t take = std::min(left, in.size());
    left -= take;
    z.next_in = reinterpret_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(take);
    const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    int rc = Z_OK;
    for (int spin = 0; spin < 100000; ++spin) {
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof buffer;
      rc = deflate(&z, flush);
      out.append(buffer, sizeof buffer - z.avail_out);
      if (z.avail_out != 0) break;
    }
    if (rc == Z_STREAM_END || left == 0) break;
  }
  deflateEnd(&z);
  return out;
}

}  // namespace

TEST_CASE("hostile push bodies get the right error and the server keeps serving") {
  test::TestServer server;
  const auto a = server.enroll();
  auto client = server.client();
  auto post = [&](const std::string& body) {
    return client->Post("/v1/sync/push", test::bearer(a.token), body, "application/json");
  };
  struct Case {
    const char* what;
    std::string body;
    int status;
    const char* code;
  };
  std::string deep(5000, '[');
  deep = "{\"changes\":" + deep + std::string(5000, ']') + "}";
  const std::vector<Case> cases = {
      {"malformed JSON", "{\"schema\":1,\"changes\":[{]}", 400, "malformed_json"},
      {"not an object", "[1,2,3]", 400, "wrong_type"},
      {"empty body", "", 400, "malformed_json"},
      {"changes of the wrong type", "{\"schema\":1,\"changes\":\"many\"}", 400, "wrong_type"},
      {"a change of the wrong type", "{\"schema\":1,\"changes\":[42]}", 400, "wrong_type"},
      {"a newer schema", "{\"schema\":99,\"changes\":[]}", 400, "unsupported_schema"},
      {"deep nesting", deep, 400, "too_deep"},
      {"invalid UTF-8", "{\"schema\":1,\"changes\":[],\"x\":\"\xff\xfe\"}", 400, "invalid_utf8"},
      {"a NUL byte", std::string("{\"schema\":1,\"changes\":[]}\0", 26), 400, "nul_character"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto res = post(c.body);
    REQUIRE(res);
    CHECK(res->status == c.status);
    CHECK(test::error_of(res).code == c.code);
    CHECK_FALSE(test::error_of(res).message.empty());
  }
  // Missing required parts of a change are a 400, whichever part it is.
  auto missing = post("{\"schema\":1,\"changes\":[{\"change_id\":\"x\",\"entity\":\"member\"}]}");
  REQUIRE(missing);
  CHECK(missing->status == 400);
  auto bad_entity = post(
      "{\"schema\":1,\"changes\":[{\"change_id\":\"x\",\"entity\":\"spaceship\",\"record\":{}}]}");
  REQUIRE(bad_entity);
  CHECK(bad_entity->status == 400);
  CHECK(test::healthy(server));
}

TEST_CASE("unknown fields are ignored") {
  test::TestServer server;
  const auto a = server.enroll();
  auto client = server.client();
  std::string body =
      test::push_body({test::change_of(test::member_with_id(1), test::hlc_at(1, "a"))});
  body.insert(1, "\"future_top\":{\"a\":[1,2]},");
  const auto record = body.find("\"record\":{");
  REQUIRE(record != std::string::npos);
  body.insert(record + 10, "\"future_field\":\"x\",");
  auto res = client->Post("/v1/sync/push", test::bearer(a.token), body, "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  auto decoded = protocol::decode_push_response(res->body);
  REQUIRE(decoded);
  CHECK(decoded->results[0].outcome == protocol::Outcome::applied);
}

TEST_CASE("a 10 MB body is refused with 413 and the server keeps serving") {
  test::TestServer server;
  const auto a = server.enroll();
  auto client = server.client();
  const std::string body = "{\"schema\":1,\"pad\":\"" + std::string(10 * 1024 * 1024, 'x') + "\"}";
  auto res = client->Post("/v1/sync/push", test::bearer(a.token), body, "application/json");
  REQUIRE(res);
  CHECK(res->status == 413);
  CHECK(test::error_of(res).code == "too_large");
  CHECK(test::healthy(server));
}

TEST_CASE("a 10 MB chunked body without a length is refused with 413") {
  test::TestServer server;
  const auto a = server.enroll();
  auto client = server.client();
  const std::string piece(64 * 1024, 'x');
  std::size_t sent = 0;
  auto res = client->Post(
      "/v1/sync/push", test::bearer(a.token),
      [&](std::size_t, httplib::DataSink& sink) {
        if (sent >= 10 * 1024 * 1024) {
          sink.done();
          return true;
        }
        sent += piece.size();
        return sink.write(piece.data(), piece.size());
      },
      "application/json");
  REQUIRE(res);
  CHECK(res->status == 413);
  CHECK(test::error_of(res).code == "too_large");
  CHECK(test::healthy(server));
}

TEST_CASE("a gzip bomb is refused with 413 and a broken gzip body with 400") {
  test::TestServer server;
  const auto a = server.enroll();
  auto client = server.client();
  auto headers = test::bearer(a.token);
  headers.emplace("Content-Encoding", "gzip");
  const std::string bomb = gzip_zeros(64u * 1024 * 1024);
  CHECK(bomb.size() < 1024 * 1024);
  auto res = client->Post("/v1/sync/push", headers, bomb, "application/json");
  REQUIRE(res);
  CHECK(res->status == 413);
  CHECK(test::error_of(res).code == "too_large");

  auto broken =
      client->Post("/v1/sync/push", headers, "this is not gzip at all", "application/json");
  REQUIRE(broken);
  CHECK(broken->status == 400);
  CHECK(test::error_of(broken).code == "unreadable_body");
  // A gzip header with a cut-off stream decompresses to nothing usable.
  auto truncated = client->Post("/v1/sync/push", headers,
                                std::string("\x1f\x8b\x08\x00garbage", 11), "application/json");
  REQUIRE(truncated);
  CHECK(truncated->status == 400);
  CHECK(test::healthy(server));
}

TEST_CASE("broken HTTP on a raw socket gets a 400 or a closed connection, never a crash") {
  test::TestServer server;
  const auto garbage = raw_exchange(server.port(), "\x16\x03\x01 this is not HTTP\r\n\r\n");
  if (!garbage.empty()) CHECK(garbage.starts_with("HTTP/1.1 400"));
  // A body shorter than its Content-Length, then the client goes away.
  raw_exchange(server.port(),
               "POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Content-Length: 1000\r\n\r\n{\"schema\":1",
               true);
  // A header line without a colon and a huge header.
  raw_exchange(server.port(), "GET /v1/health HTTP/1.1\r\nBroken header\r\nX: " +
                                  std::string(100000, 'a') + "\r\n\r\n");
  const auto ok = raw_exchange(server.port(),
                               "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(ok.starts_with("HTTP/1.1 200"));
  CHECK(test::healthy(server));
}

TEST_CASE("an expired or reused code and a revoked token are refused, then the server serves on") {
  test::TestServer server;
  auto client = server.client();
  const auto expired = server.store().create_enrolment_code("Nairobi", std::chrono::seconds(0));
  auto late =
      client->Post("/v1/devices/enroll", protocol::encode(protocol::EnrollRequest{.code = expired}),
                   "application/json");
  REQUIRE(late);
  CHECK(late->status == 403);
  CHECK(test::error_of(late).code == "code_expired");
  const auto device = server.enroll();
  REQUIRE(server.store().revoke_device(device.device_id));
  auto pulled = client->Get("/v1/sync/pull?cursor=0", test::bearer(device.token));
  REQUIRE(pulled);
  CHECK(pulled->status == 403);
  CHECK(test::error_of(pulled).code == "device_revoked");
  CHECK(test::healthy(server));
}
