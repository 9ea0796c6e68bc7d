// Requests outside the API's routes: every path and method not in API v1 gets
// a JSON error; a bad token is the answer whatever the body holds.
#include <doctest/doctest.h>

#include "central/server_fixture.hpp"

using namespace alliance;

TEST_CASE("unknown paths and wrong methods get JSON errors, not the library's pages") {
  test::TestServer server;
  httplib::Client client("127.0.0.1", server.port());
  auto missing = client.Get("/v2/health");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(missing->body.find("\"not_found\"") != std::string::npos);

  auto wrong_method = client.Post("/v1/health", "{}", "application/json");
  REQUIRE(wrong_method);
  CHECK(wrong_method->status == 405);
  CHECK(wrong_method->body.find("\"method_not_allowed\"") != std::string::npos);

  auto pull_by_post = client.Post("/v1/sync/pull", "{}", "application/json");
  REQUIRE(pull_by_post);
  CHECK(pull_by_post->status == 405);
}

TEST_CASE("a push with a bad token is refused as unauthorized, whatever its body") {
  test::TestServer server;
  httplib::Client client("127.0.0.1", server.port());
  // A body that would fail to decode: the answer is still about the token.
  auto res = client.Post("/v1/sync/push", {{"Authorization", "Bearer nope"}}, "not json at all",
                         "application/json");
  REQUIRE(res);
  CHECK(res->status == 401);
  CHECK(res->body.find("\"unauthorized\"") != std::string::npos);
}
