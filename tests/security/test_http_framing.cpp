// Request framing on raw sockets: the shapes that let two parsers disagree on
// where a request ends (duplicate Content-Length, Content-Length with chunked,
// other Transfer-Encodings), bodies larger than declared or than the limit,
// gzip bombs, and a bad token answered before any body byte is read. Each is
// refused with the right status, the connection is closed, and the server
// serves everyone else.
#include <doctest/doctest.h>
#include <zlib.h>

#include "hostile_client.hpp"

namespace alliance::test {
namespace {

constexpr auto kWait = std::chrono::seconds(5);

struct Exchange {
  int status = 0;
  std::string answer;
  bool closed = false;  // the server closed the connection after answering
};

// Sends `request` on a new connection and reads one answer.
Exchange exchange(int port, const std::string& request) {
  auto s = connect_from("127.0.0.1", port);
  REQUIRE(s.open());
  send_all(s, request, kWait);
  Exchange result;
  result.answer = read_answer(s, kWait);
  result.status = status_of(result.answer);
  result.closed = closed_by_peer(s, kWait);
  return result;
}

std::string code_of(const std::string& answer) {
  const auto body = answer.find("\r\n\r\n");
  if (body == std::string::npos) return "";
  auto decoded = protocol::decode_error_body(answer.substr(body + 4));
  return decoded ? decoded->code : "";
}

std::string post(const std::string& path, const std::string& headers, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: central\r\nContent-Type: application/json\r\n" +
         headers + "\r\n" + body;
}

// `size` zero bytes as gzip, compressed a megabyte at a time.
std::string gzip_of_zeros(std::size_t size) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  const std::string zeros(1 << 20, '\0');
  std::string out;
  std::vector<char> buffer(1 << 16);
  for (std::size_t left = size; left > 0;) {
    const std::size_t take = std::min(left, zeros.size());
    left -= take;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = static_cast<uInt>(take);
    const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    for (int round = 0; round < 10'000; ++round) {
      z.next_out = reinterpret_cast<Bytef*>(buffer.data());
      z.avail_out = static_cast<uInt>(buffer.size());
      deflate(&z, flush);
      out.append(buffer.data(), buffer.size() - z.avail_out);
      if (z.avail_out != 0) break;
    }
  }
  deflateEnd(&z);
  return out;
}

}  // namespace

TEST_CASE("request smuggling shapes are refused with 400 and the connection closed") {
  TestServer server;
  const auto device = server.enroll();
  const std::string auth = "Authorization: Bearer " + device.token + "\r\n";
  const std::string body = "{\"schema\":1,\"changes\":[]}";
  const std::string length = "Content-Length: " + std::to_string(body.size()) + "\r\n";
  struct Case {
    const char* what;
    std::string request;
  };
  const std::vector<Case> cases = {
      {"two equal Content-Length", post("/v1/sync/push", auth + length + length, body)},
      {"two different Content-Length",
       post("/v1/sync/push", auth + length + "Content-Length: 5\r\n", body)},
      {"a Content-Length list", post("/v1/sync/push", auth + "Content-Length: 26, 26\r\n", body)},
      {"a signed Content-Length", post("/v1/sync/push", auth + "Content-Length: +26\r\n", body)},
      {"Content-Length then chunked",
       post("/v1/sync/push", auth + length + "Transfer-Encoding: chunked\r\n",
            "1a\r\n" + body + "\r\n0\r\n\r\n")},
      {"chunked then Content-Length",
       post("/v1/sync/push", auth + "Transfer-Encoding: chunked\r\n" + length,
            "1a\r\n" + body + "\r\n0\r\n\r\n")},
      {"Transfer-Encoding gzip", post("/v1/sync/push", auth + "Transfer-Encoding: gzip\r\n", body)},
      {"Transfer-Encoding gzip, chunked",
       post("/v1/sync/push", auth + "Transfer-Encoding: gzip, chunked\r\n",
            "1a\r\n" + body + "\r\n0\r\n\r\n")},
      {"Transfer-Encoding twice",
       post("/v1/sync/push", auth + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
            "1a\r\n" + body + "\r\n0\r\n\r\n")},
      {"Transfer-Encoding xchunked",
       post("/v1/sync/push", auth + "Transfer-Encoding: xchunked\r\n", body)},
      {"a space before the colon",
       post("/v1/sync/push", auth + "Transfer-Encoding : chunked\r\n" + length, body)},
      {"chunked over HTTP/1.0",
       "POST /v1/sync/push HTTP/1.0\r\nContent-Type: application/json\r\n" + auth +
           "Transfer-Encoding: chunked\r\n\r\n1a\r\n" + body + "\r\n0\r\n\r\n"},
      {"a broken chunk size",
       post("/v1/sync/push", auth + "Transfer-Encoding: chunked\r\n", "zz\r\n" + body + "\r\n")},
      {"an absolute-form target",
       "GET http://evil.example/v1/health HTTP/1.1\r\nHost: central\r\n\r\n"},
      {"a header line without a colon", "GET /v1/health HTTP/1.1\r\nHost: x\r\nBroken\r\n\r\n"},
      {"HTTP/2.0 on the request line", "GET /v1/health HTTP/2.0\r\nHost: x\r\n\r\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const auto result = exchange(server.port(), c.request);
    CHECK(result.status == 400);
    const auto code = code_of(result.answer);
    CHECK((code == "bad_framing" || code == "bad_request"));
    CHECK(result.closed);
  }
  CHECK(server.store().count_applied_changes() == 0);
  CHECK(healthy(server));
  // The same push, framed once, is accepted.
  CHECK(
      exchange(server.port(), post("/v1/sync/push", auth + length + "Connection: close\r\n", body))
          .status == 200);
}

TEST_CASE("bodies over the limit, larger than declared, or gzip bombs are refused") {
  TestServer server(central::ApiLimits{.max_body_bytes = 1024 * 1024});
  const auto device = server.enroll();
  const std::string auth = "Authorization: Bearer " + device.token + "\r\n";

  SUBCASE("a declared body over the limit gets 413 before it is sent") {
    auto s = connect_from("127.0.0.1", server.port());
    REQUIRE(send_all(s, post("/v1/sync/push", auth + "Content-Length: 2000000\r\n", "")));
    const auto answer = read_answer(s, kWait);
    CHECK(status_of(answer) == 413);
    CHECK(code_of(answer) == "too_large");
  }
  SUBCASE("a chunked body that grows over the limit gets 413") {
    auto s = connect_from("127.0.0.1", server.port());
    REQUIRE(send_all(s, post("/v1/sync/push", auth + "Transfer-Encoding: chunked\r\n", "")));
    const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
    for (int i = 0; i < 20 && send_all(s, chunk, std::chrono::seconds(2)); ++i) {
    }
    const auto answer = read_answer(s, kWait);
    CHECK(status_of(answer) == 413);
    CHECK(closed_by_peer(s, kWait));
  }
  SUBCASE("a gzip bomb stops at the limit with 413") {
    const auto bomb = gzip_of_zeros(512u * 1024 * 1024);
    CHECK(bomb.size() < 1024 * 1024);
    const auto result =
        exchange(server.port(), post("/v1/sync/push",
                                     auth + "Content-Encoding: gzip\r\nContent-Length: " +
                                         std::to_string(bomb.size()) + "\r\n",
                                     bomb));
    CHECK(result.status == 413);
    CHECK(code_of(result.answer) == "too_large");
    CHECK(result.closed);
  }
  SUBCASE("a truncated gzip body gets 400 and an unknown coding 415") {
    const auto whole = gzip_of_zeros(1000);
    const auto cut = whole.substr(0, whole.size() / 2);
    const auto truncated =
        exchange(server.port(), post("/v1/sync/push",
                                     auth + "Content-Encoding: gzip\r\nContent-Length: " +
                                         std::to_string(cut.size()) + "\r\n",
                                     cut));
    CHECK(truncated.status == 400);
    CHECK(code_of(truncated.answer) == "unreadable_body");
    const auto brotli = exchange(
        server.port(),
        post("/v1/sync/push", auth + "Content-Encoding: br\r\nContent-Length: 2\r\n", "{}"));
    CHECK(brotli.status == 415);
    CHECK(code_of(brotli.answer) == "unsupported_media_type");
  }
  SUBCASE("bytes beyond the declared length are a next request, refused as such") {
    const std::string body = "{\"schema\":1,\"changes\":[]}";
    const auto s = connect_from("127.0.0.1", server.port());
    REQUIRE(send_all(s, post("/v1/sync/push", auth + "Content-Length: 10\r\n", body + "\r\n\r\n")));
    // The first 10 bytes are the body (not JSON); the rest is not HTTP.
    const auto answers = read_until_closed(s, kWait);
    CHECK(status_of(answers) == 400);
    CHECK(answers.find("\"malformed_json\"") != std::string::npos);
    const auto second = answers.find("HTTP/1.1 ", 1);
    REQUIRE(second != std::string::npos);
    CHECK(status_of(std::string_view(answers).substr(second)) == 400);
    CHECK(answers.find("\"bad_request\"") != std::string::npos);
  }
  CHECK(server.store().count_applied_changes() == 0);
  CHECK(healthy(server));
}

TEST_CASE("a bad token with a declared 100 MB body is answered 401 without reading the body") {
  TestServer server;
  for (const bool expect_continue : {false, true}) {
    CAPTURE(expect_continue);
    auto s = connect_from("127.0.0.1", server.port());
    // Only the headers are ever sent: an answer proves no body byte was awaited.
    const auto start = SteadyClock::now();
    REQUIRE(send_all(s, post("/v1/sync/push",
                             std::string("Authorization: Bearer not-a-token\r\n") +
                                 (expect_continue ? "Expect: 100-continue\r\n" : "") +
                                 "Content-Encoding: gzip\r\nContent-Length: 104857600\r\n",
                             "")));
    const auto answer = read_answer(s, kWait);
    const double ms = ms_since(start);
    MESSAGE("401 after " << ms << " ms with no body byte sent");
    CHECK(status_of(answer) == 401);
    CHECK(code_of(answer) == "unauthorized");
    CHECK(answer.find("WWW-Authenticate: Bearer") != std::string::npos);
    CHECK(answer.find("100 Continue") == std::string::npos);
    CHECK(ms < 2000);
    CHECK(closed_by_peer(s, kWait));
  }
  // A good token with Expect: 100-continue gets the go-ahead, then its answer.
  const auto device = server.enroll();
  const std::string body = "{\"schema\":1,\"changes\":[]}";
  auto s = connect_from("127.0.0.1", server.port());
  REQUIRE(send_all(s, post("/v1/sync/push",
                           "Authorization: Bearer " + device.token +
                               "\r\nExpect: 100-continue\r\nContent-Length: " +
                               std::to_string(body.size()) + "\r\n",
                           "")));
  const auto go_ahead = read_until_closed(s, std::chrono::milliseconds(500), 64);
  CHECK(go_ahead.starts_with("HTTP/1.1 100 Continue"));
  REQUIRE(send_all(s, body));
  CHECK(status_of(read_answer(s, kWait)) == 200);
}

TEST_CASE("gzip answers for clients that accept them, plain ones for the rest") {
  TestServer server;
  const auto device = server.enroll();
  auto client = server.client();
  std::vector<protocol::Change> changes;
  for (int i = 0; i < 50; ++i) {
    changes.push_back(change_of(member_with_id(i), hlc_at(1000 + i, device.device_id)));
  }
  push(*client, device.token, changes);
  const auto other = server.enroll();
  for (const std::string accept : {"gzip", "br", "gzip;q=0, identity", ""}) {
    CAPTURE(accept);
    auto s = connect_from("127.0.0.1", server.port());
    REQUIRE(send_all(s, "GET /v1/sync/pull?cursor=0 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                            other.token + "\r\n" +
                            (accept.empty() ? "" : "Accept-Encoding: " + accept + "\r\n") +
                            "\r\n"));
    const auto answer = read_answer(s, kWait);
    CHECK(status_of(answer) == 200);
    CHECK(answer.find("Cache-Control: no-store") != std::string::npos);
    const bool gzip = answer.find("Content-Encoding: gzip") != std::string::npos;
    const bool br = answer.find("Content-Encoding: br") != std::string::npos;
    CHECK(gzip == (accept == "gzip"));
    CHECK(br == (accept == "br"));
  }
}

}  // namespace alliance::test
