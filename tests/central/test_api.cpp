// Every endpoint against a real server: success and each error status.
#include <doctest/doctest.h>

#include <set>

#include "common/store/database.hpp"
#include "common/util/time.hpp"
#include "server_fixture.hpp"

using namespace alliance;
using protocol::Outcome;

TEST_CASE("health answers ok with the API version") {
  test::TestServer server;
  auto res = server.client()->Get("/v1/health");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  auto health = protocol::decode_health_response(res->body);
  REQUIRE(health);
  CHECK(health->status == "ok");
  CHECK(health->api_version == 1);
  CHECK_FALSE(health->server_version.empty());
}

TEST_CASE("an unknown path gets a JSON 404") {
  test::TestServer server;
  auto res = server.client()->Get("/v1/nothing");
  REQUIRE(res);
  CHECK(res->status == 404);
  CHECK(test::error_of(res).code == "not_found");
}

TEST_CASE("enrolment exchanges a code for a device id and a token once") {
  test::TestServer server;
  const auto code = server.store().create_enrolment_code("Nairobi", std::chrono::hours(1));
  auto client = server.client();
  const auto body =
      protocol::encode(protocol::EnrollRequest{.code = code, .device_name = "Desk 1"});
  auto res = client->Post("/v1/devices/enroll", body, "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  auto enrolled = protocol::decode_enroll_response(res->body);
  REQUIRE(enrolled);
  CHECK(util::is_uuid_v7(enrolled->device_id));
  CHECK(enrolled->token.size() > 32);
  CHECK(enrolled->office == "Nairobi");

  SUBCASE("the same code a second time is refused") {
    auto again = client->Post("/v1/devices/enroll", body, "application/json");
    REQUIRE(again);
    CHECK(again->status == 403);
    CHECK(test::error_of(again).code == "code_used");
  }
  SUBCASE("the token is never stored, only its hash") {
    auto db = server.open_db();
    auto q = db.query("SELECT token_hash FROM devices");
    REQUIRE(q.step());
    CHECK(q.text(0) != enrolled->token);
    CHECK(q.text(0).size() == 64);
  }
}

TEST_CASE("enrolment refuses bad, expired and lower-case-typed codes correctly") {
  test::TestServer server;
  auto client = server.client();
  auto enroll = [&](const std::string& code) {
    return client->Post("/v1/devices/enroll",
                        protocol::encode(protocol::EnrollRequest{.code = code}),
                        "application/json");
  };
  auto bad = enroll("AAAA-BBBB-CCCC");
  REQUIRE(bad);
  CHECK(bad->status == 403);
  CHECK(test::error_of(bad).code == "invalid_code");

  const auto expired = server.store().create_enrolment_code("Nairobi", std::chrono::seconds(0));
  auto late = enroll(expired);
  REQUIRE(late);
  CHECK(late->status == 403);
  CHECK(test::error_of(late).code == "code_expired");

  auto code = server.store().create_enrolment_code("Nairobi", std::chrono::hours(1));
  std::string typed;
  for (char c : code) typed += c == '-' ? ' ' : static_cast<char>(std::tolower(c));
  auto ok = enroll(typed);
  REQUIRE(ok);
  CHECK(ok->status == 200);

  auto missing = client->Post("/v1/devices/enroll", "{\"schema\":1}", "application/json");
  REQUIRE(missing);
  CHECK(missing->status == 400);
  CHECK(test::error_of(missing).code == "missing_field");

  auto text = client->Post("/v1/devices/enroll", "code=1", "text/plain");
  REQUIRE(text);
  CHECK(text->status == 415);
  CHECK(test::error_of(text).code == "unsupported_media_type");
}

TEST_CASE("enrolment attempts are rate limited per address with Retry-After") {
  test::TestServer server(central::ApiLimits{.enroll_attempts_per_window = 3});
  auto client = server.client();
  const auto body = protocol::encode(protocol::EnrollRequest{.code = "WRONG-CODE"});
  for (int i = 0; i < 3; ++i) {
    auto res = client->Post("/v1/devices/enroll", body, "application/json");
    REQUIRE(res);
    CHECK(res->status == 403);
  }
  auto limited = client->Post("/v1/devices/enroll", body, "application/json");
  REQUIRE(limited);
  CHECK(limited->status == 429);
  CHECK(test::error_of(limited).code == "rate_limited");
  const int wait = std::stoi(limited->get_header_value("Retry-After"));
  CHECK(wait >= 1);
  CHECK(wait <= 60);
  CHECK(test::healthy(server));
}

TEST_CASE("push applies changes and pull delivers them to other devices of the office") {
  test::TestServer server;
  const auto a = server.enroll("Nairobi");
  const auto b = server.enroll("Nairobi");
  const auto other_office = server.enroll("Accra");
  auto client = server.client();

  const auto member = test::member_with_id(3);
  auto change = test::change_of(member, test::hlc_at(1000, a.device_id));
  const auto pushed = test::push(*client, a.token, {change});
  REQUIRE(pushed.results.size() == 1);
  CHECK(pushed.results[0].change_id == change.change_id);
  CHECK(pushed.results[0].outcome == Outcome::applied);

  const auto for_b = test::pull(*client, b.token, 0);
  REQUIRE(for_b.changes.size() == 1);
  CHECK(for_b.changes[0].entity == protocol::Entity::member);
  CHECK(for_b.changes[0].entity_id == member.id);
  CHECK(std::get<model::Member>(for_b.changes[0].record).phone == member.phone);
  CHECK_FALSE(for_b.more);
  CHECK(for_b.next_cursor >= for_b.changes[0].seq);

  // The device that pushed it already has it; another office never sees it.
  CHECK(test::pull(*client, a.token, 0).changes.empty());
  CHECK(test::pull(*client, other_office.token, 0).changes.empty());
  // Nothing new after the cursor.
  CHECK(test::pull(*client, b.token, for_b.next_cursor).changes.empty());
}

TEST_CASE("pull pages with limit, more and next_cursor") {
  test::TestServer server;
  const auto a = server.enroll();
  const auto b = server.enroll();
  auto client = server.client();
  std::vector<protocol::Change> changes;
  for (int i = 0; i < 7; ++i)
    changes.push_back(test::change_of(test::member_with_id(i), test::hlc_at(1000 + i, "a")));
  test::push(*client, a.token, changes);
  std::int64_t cursor = 0;
  std::size_t seen = 0;
  int pages = 0;
  for (; pages < 10; ++pages) {
    const auto page = test::pull(*client, b.token, cursor, 3);
    seen += page.changes.size();
    CHECK(page.changes.size() <= 3);
    cursor = page.next_cursor;
    if (!page.more) break;
  }
  CHECK(seen == 7);
  CHECK(pages == 2);
}

TEST_CASE("a replayed change id returns the stored result and a reused one is rejected") {
  test::TestServer server;
  const auto a = server.enroll();
  auto client = server.client();
  const auto change = test::change_of(test::member_with_id(1), test::hlc_at(1000, "a"));
  const auto first = test::push(*client, a.token, {change});
  CHECK(first.results[0].outcome == Outcome::applied);
  const auto replay = test::push(*client, a.token, {change, change});
  CHECK(replay.results[0].outcome == Outcome::duplicate);
  CHECK(replay.results[1].outcome == Outcome::duplicate);
  auto reused = change;
  std::get<model::Member>(reused.record).region = "Elsewhere";
  const auto bad = test::push(*client, a.token, {reused});
  CHECK(bad.results[0].outcome == Outcome::rejected);
  CHECK(bad.results[0].code == "change_id_reused");
  CHECK(server.store().count_records(protocol::Entity::member) == 1);
  CHECK(server.store().count_applied_changes() == 1);
}

TEST_CASE("a replayed rejected change is answered anew and stored once") {
  test::TestServer server;
  const auto a = server.enroll();
  auto client = server.client();
  model::ResourcePack pack{.id = "pack-local", .title = "Local pack", .languages = {"en"}};
  const auto change = test::change_of(pack, test::hlc_at(1000, "a"));
  const auto first = test::push(*client, a.token, {change});
  CHECK(first.results[0].outcome == Outcome::rejected);
  CHECK(first.results[0].code == "read_only_entity");
  // Decided again (not read back): the same rules give the same answer, and
  // the stored result is replaced, not added to.
  const auto replay = test::push(*client, a.token, {change});
  CHECK(replay.results[0].outcome == Outcome::rejected);
  CHECK(replay.results[0].code == "read_only_entity");
  CHECK(server.store().count_applied_changes() == 1);
  CHECK(server.store().count_records(protocol::Entity::pack) == 0);
}

TEST_CASE("a losing field gives a conflict with the server's merged record") {
  test::TestServer server;
  const auto a = server.enroll();
  const auto b = server.enroll();
  auto client = server.client();
  auto member = test::member_with_id(1);
  test::push(*client, a.token, {test::change_of(member, test::hlc_at(1000, "a"))});
  auto newer = member;
  newer.region = "Kisumu";
  CHECK(test::push(*client, a.token,
                   {test::change_of(newer, test::hlc_at(3000, "a"), {"region"},
                                    protocol::Operation::update)})
            .results[0]
            .outcome == Outcome::applied);
  auto older = member;
  older.region = "Nakuru";
  older.email = "late@example.org";
  const auto result =
      test::push(*client, b.token,
                 {test::change_of(older, test::hlc_at(2000, "b"), {"region", "email"},
                                  protocol::Operation::update)})
          .results[0];
  CHECK(result.outcome == Outcome::conflict);
  CHECK(result.code == "conflict");
  REQUIRE(result.server_record);
  const auto& held = std::get<model::Member>(*result.server_record);
  CHECK(held.region == "Kisumu");
  CHECK(held.email == "late@example.org");
  // The merged record reaches the device that lost, too.
  const auto for_b = test::pull(*client, b.token, 0);
  REQUIRE_FALSE(for_b.changes.empty());
  CHECK(std::get<model::Member>(for_b.changes.back().record).region == "Kisumu");
}

TEST_CASE("invalid records are rejected with field errors") {
  test::TestServer server;
  const auto a = server.enroll();
  auto client = server.client();
  auto member = test::member_with_id(1);
  member.phone = "12";
  member.email = "";
  const auto result =
      test::push(*client, a.token, {test::change_of(member, test::hlc_at(1000, "a"))}).results[0];
  CHECK(result.outcome == Outcome::rejected);
  CHECK(result.code == "validation_failed");
  REQUIRE_FALSE(result.errors.empty());
  CHECK(result.errors[0].field == "phone");
  auto bad_hlc = test::change_of(test::member_with_id(2), "yesterday");
  CHECK(test::push(*client, a.token, {bad_hlc}).results[0].code == "invalid_hlc");
  auto mismatched = test::change_of(test::member_with_id(3), test::hlc_at(1, "a"));
  mismatched.entity_id = util::new_uuid_v7();
  CHECK(test::push(*client, a.token, {mismatched}).results[0].code == "invalid_change");
  model::ResourcePack pack{.id = "CP-X", .title = "X", .languages = {"en"}};
  CHECK(
      test::push(*client, a.token, {test::change_of(pack, test::hlc_at(1, "a"))}).results[0].code ==
      "read_only_entity");
  CHECK(server.store().count_records(protocol::Entity::member) == 0);
}

TEST_CASE("push and pull refuse missing, bad and revoked tokens") {
  test::TestServer server;
  const auto a = server.enroll();
  auto client = server.client();
  const auto body = test::push_body({});
  auto none = client->Post("/v1/sync/push", body, "application/json");
  REQUIRE(none);
  CHECK(none->status == 401);
  CHECK(none->get_header_value("WWW-Authenticate").starts_with("Bearer"));
  CHECK(test::error_of(none).code == "unauthorized");
  auto wrong = client->Get("/v1/sync/pull", test::bearer("afk_not-a-token"));
  REQUIRE(wrong);
  CHECK(wrong->status == 401);
  auto basic = client->Get("/v1/sync/pull", httplib::Headers{{"Authorization", "Basic abc"}});
  REQUIRE(basic);
  CHECK(basic->status == 401);

  REQUIRE(server.store().revoke_device(a.device_id));
  auto revoked = client->Post("/v1/sync/push", test::bearer(a.token), body, "application/json");
  REQUIRE(revoked);
  CHECK(revoked->status == 403);
  CHECK(test::error_of(revoked).code == "device_revoked");
  auto revoked_pull = client->Get("/v1/sync/pull", test::bearer(a.token));
  REQUIRE(revoked_pull);
  CHECK(revoked_pull->status == 403);
  CHECK_FALSE(server.store().revoke_device("no-such-device"));
}

TEST_CASE("push checks content type, JSON and batch size") {
  test::TestServer server(central::ApiLimits{.max_changes = 5});
  const auto a = server.enroll();
  auto client = server.client();
  auto text = client->Post("/v1/sync/push", test::bearer(a.token), "{}", "text/plain");
  REQUIRE(text);
  CHECK(text->status == 415);
  CHECK(test::error_of(text).code == "unsupported_media_type");
  auto with_charset = client->Post("/v1/sync/push", test::bearer(a.token), test::push_body({}),
                                   "application/json; charset=utf-8");
  REQUIRE(with_charset);
  CHECK(with_charset->status == 200);
  auto broken =
      client->Post("/v1/sync/push", test::bearer(a.token), "{\"changes\":[", "application/json");
  REQUIRE(broken);
  CHECK(broken->status == 400);
  CHECK(test::error_of(broken).code == "malformed_json");
  std::vector<protocol::Change> many;
  for (int i = 0; i < 6; ++i)
    many.push_back(test::change_of(test::member_with_id(i), test::hlc_at(1, "a")));
  auto too_many = client->Post("/v1/sync/push", test::bearer(a.token), test::push_body(many),
                               "application/json");
  REQUIRE(too_many);
  CHECK(too_many->status == 413);
  CHECK(test::error_of(too_many).code == "too_many_changes");
}

TEST_CASE("pull checks its cursor and limit") {
  test::TestServer server;
  const auto a = server.enroll();
  auto client = server.client();
  for (const char* query :
       {"?cursor=-1", "?cursor=abc", "?limit=0", "?limit=100000", "?cursor=1e3"}) {
    CAPTURE(query);
    auto res = client->Get(std::string("/v1/sync/pull") + query, test::bearer(a.token));
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(test::error_of(res).code == "invalid_parameter");
  }
}

TEST_CASE("a busy database gives 503 with Retry-After and the server recovers") {
  test::TestServer server(central::ApiLimits{}, 100);
  const auto a = server.enroll();
  auto client = server.client();
  {
    auto other = server.open_db();
    central::sql::Transaction hold(other);
    auto res = client->Post(
        "/v1/sync/push", test::bearer(a.token),
        test::push_body({test::change_of(test::member_with_id(1), test::hlc_at(1, "a"))}),
        "application/json");
    REQUIRE(res);
    CHECK(res->status == 503);
    CHECK(test::error_of(res).code == "unavailable");
    CHECK(res->get_header_value("Retry-After") == "5");
  }
  CHECK(
      test::push(*client, a.token, {test::change_of(test::member_with_id(1), test::hlc_at(1, "a"))})
          .results[0]
          .outcome == Outcome::applied);
}

TEST_CASE("responses worth compressing are gzip-compressed when the client asks") {
  test::TestServer server;
  const auto a = server.enroll();
  const auto b = server.enroll();
  auto client = server.client();
  std::vector<protocol::Change> changes;
  for (int i = 0; i < 20; ++i) {
    changes.push_back(test::change_of(test::member_with_id(i), test::hlc_at(1 + i, a.device_id)));
  }
  test::push(*client, a.token, changes);
  client->set_decompress(false);
  auto headers = test::bearer(b.token);
  headers.emplace("Accept-Encoding", "gzip");
  auto pulled = client->Get("/v1/sync/pull?cursor=0", headers);
  REQUIRE(pulled);
  CHECK(pulled->status == 200);
  CHECK(pulled->get_header_value("Content-Encoding") == "gzip");
  // A few dozen bytes would only grow: the health answer stays plain.
  auto health = client->Get("/v1/health", httplib::Headers{{"Accept-Encoding", "gzip"}});
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(health->get_header_value("Content-Encoding").empty());
}

TEST_CASE("a gzip-compressed push body is accepted") {
  test::TestServer server;
  const auto a = server.enroll();
  auto client = server.client();
  client->set_compress(true);
  auto res = client->Post(
      "/v1/sync/push", test::bearer(a.token),
      test::push_body({test::change_of(test::member_with_id(1), test::hlc_at(1, "a"))}),
      "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(server.store().count_records(protocol::Entity::member) == 1);
}

TEST_CASE("a regional office decision reaches devices through pull") {
  test::TestServer server;
  const auto a = server.enroll();
  auto client = server.client();
  model::ResourceRequest request;
  request.id = util::new_uuid_v7();
  request.member_id = util::new_uuid_v7();
  request.lines = {{.pack_id = "CP-TOOLKIT-01", .quantity = 1}};
  request.office = "Nairobi";
  request.transitions = {{.status = model::RequestStatus::requested,
                          .actor = "desk",
                          .at = "2026-11-28T10:00:00.000Z"}};
  REQUIRE(test::push(*client, a.token, {test::change_of(request, test::hlc_at(1000, "a"))})
              .results[0]
              .outcome == Outcome::applied);
  // The server wrote its own actor for the device, so the device pulls it back.
  const auto own = test::pull(*client, a.token, 0);
  REQUIRE(own.changes.size() == 1);
  const auto& with_actor = std::get<model::ResourceRequest>(own.changes[0].record);
  REQUIRE(with_actor.transitions.size() == 1);
  // "device:<id> (<name>)": the fixture names its devices "Desk 1", "Desk 2"...
  CHECK(with_actor.transitions[0].actor.starts_with("device:" + a.device_id + " (Desk "));
  CHECK(test::pull(*client, a.token, own.next_cursor).changes.empty());
  auto decided =
      server.store().set_request_status(request.id, model::RequestStatus::approved, "admin:office");
  REQUIRE(decided);
  const auto page = test::pull(*client, a.token, own.next_cursor);
  REQUIRE(page.changes.size() == 1);
  const auto& pulled = std::get<model::ResourceRequest>(page.changes[0].record);
  CHECK(pulled.status == model::RequestStatus::approved);
  REQUIRE(pulled.transitions.size() == 2);
  CHECK(pulled.transitions[1].actor == "admin:office");
  CHECK(server.store()
            .set_request_status(request.id, model::RequestStatus::requested, "x")
            .error()
            .code == "invalid_transition");
  CHECK(
      server.store().set_request_status("nope", model::RequestStatus::approved, "x").error().code ==
      "not_found");
}

TEST_CASE("enrolment binds the device's HLC node and refuses one another office holds") {
  test::TestServer server;
  auto client = server.client();
  const std::string node = util::new_uuid_v7();
  auto enroll = [&](const std::string& office, const std::string& hlc_node) {
    const auto code = server.store().create_enrolment_code(office, std::chrono::hours(1));
    return client->Post(
        "/v1/devices/enroll",
        protocol::encode(protocol::EnrollRequest{.code = code, .hlc_node = hlc_node}),
        "application/json");
  };
  auto first = enroll("Nairobi", node);
  REQUIRE(first);
  REQUIRE(first->status == 200);
  // The same device store enrolled again for its own office: allowed.
  auto again = enroll("Nairobi", node);
  REQUIRE(again);
  CHECK(again->status == 200);
  // Another office cannot take a node an active device holds.
  auto taken = enroll("Accra", node);
  REQUIRE(taken);
  CHECK(taken->status == 403);
  CHECK(test::error_of(taken).code == "hlc_node_in_use");
  for (const std::string& bad :
       std::vector<std::string>{"central", "has space", "dot.ted", std::string(65, 'n')}) {
    CAPTURE(bad);
    auto refused = enroll("Nairobi", bad);
    REQUIRE(refused);
    CHECK(refused->status == 400);
    const auto error = test::error_of(refused);
    CHECK((error.code == "invalid_value" || error.code == "too_long"));
    CHECK(error.message.find("hlc_node") != std::string::npos);
  }
  // Once both holders are revoked, the node is free for another office.
  for (const auto* res : {&first, &again}) {
    REQUIRE(
        server.store().revoke_device(protocol::decode_enroll_response((*res)->body)->device_id));
  }
  auto moved = enroll("Accra", node);
  REQUIRE(moved);
  CHECK(moved->status == 200);
}

TEST_CASE("push and pull answers carry the server's clock and record the device's offset") {
  test::TestServer server;
  const auto a = server.enroll("Nairobi", "node-a");
  auto client = server.client();
  const auto before = util::to_unix_ms(std::chrono::system_clock::now());
  auto headers = test::bearer(a.token);
  headers.emplace(std::string(protocol::kDeviceTimeHeader), std::to_string(before - 90'000));
  auto pushed = client->Post(
      "/v1/sync/push", headers,
      test::push_body({test::change_of(test::member_with_id(1), test::hlc_at(1000, "node-a"))}),
      "application/json");
  REQUIRE(pushed);
  REQUIRE(pushed->status == 200);
  const auto push_answer = protocol::decode_push_response(pushed->body);
  REQUIRE(push_answer);
  const auto after = util::to_unix_ms(std::chrono::system_clock::now());
  CHECK(push_answer->server_time_ms >= before);
  CHECK(push_answer->server_time_ms <= after);
  const auto pull_answer = test::pull(*client, a.token, 0);
  CHECK(pull_answer.server_time_ms >= before);

  const auto offset_of = [&] {
    for (const auto& d : server.store().list_devices()) {
      if (d.id == a.device_id) return d.clock_offset_ms;
    }
    return std::optional<std::int64_t>();
  };
  // 90 s behind, measured on arrival.
  REQUIRE(offset_of().has_value());
  CHECK(*offset_of() <= -90'000);
  CHECK(*offset_of() > -150'000);
  // A header that is not a clock changes nothing.
  for (const char* junk : {"soon", "-5", "0", "99999999999999999999", "1e12"}) {
    auto h = test::bearer(a.token);
    h.emplace(std::string(protocol::kDeviceTimeHeader), junk);
    auto res = client->Get("/v1/sync/pull?cursor=0", h);
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  CHECK(*offset_of() <= -90'000);
  CHECK(central::parse_device_time(" 1764365405123 ") == 1764365405123);
  CHECK_FALSE(central::parse_device_time("").has_value());
  CHECK_FALSE(central::parse_device_time("253402300800000").has_value());
}

TEST_CASE("push and pull record the queue depth a device reports, and hostile values are ignored") {
  test::TestServer server;
  const auto a = server.enroll("Nairobi", "node-a");
  const auto other = server.enroll("Nairobi", "node-b");
  auto client = server.client();
  const auto listing = [&](const std::string& id) {
    for (auto& d : server.store().list_devices()) {
      if (d.id == id) return d;
    }
    throw std::runtime_error("no such device");
  };
  const std::string depth_header(protocol::kQueueDepthHeader);
  const auto push_with = [&](httplib::Headers headers) {
    auto all = test::bearer(a.token);
    all.insert(headers.begin(), headers.end());
    return client->Post("/v1/sync/push", all, test::push_body({}), "application/json");
  };
  const auto pull_with = [&](httplib::Headers headers) {
    auto all = test::bearer(a.token);
    all.insert(headers.begin(), headers.end());
    return client->Get("/v1/sync/pull?cursor=0&limit=10", all);
  };
  const auto iso_now = [] {
    return util::iso8601_utc_from_ms(util::to_unix_ms(std::chrono::system_clock::now()));
  };

  // Enrolled, never reported: an agent from before the header.
  CHECK_FALSE(listing(a.device_id).queue_depth.has_value());
  CHECK(listing(a.device_id).queue_depth_at.empty());
  REQUIRE(pull_with({})->status == 200);
  CHECK_FALSE(listing(a.device_id).queue_depth.has_value());

  const std::string before = iso_now();
  auto pushed = push_with({{depth_header, "312"}});
  REQUIRE(pushed);
  CHECK(pushed->status == 200);
  const std::string after = iso_now();
  const auto reported = listing(a.device_id);
  CHECK(reported.queue_depth == 312);
  CHECK(reported.queue_depth_at >= before);
  CHECK(reported.queue_depth_at <= after);
  CHECK_FALSE(listing(other.device_id).queue_depth.has_value());  // only the device that said it

  // Another depth is written at once (a pull too), though last contact is fresh.
  REQUIRE(pull_with({{depth_header, "7"}})->status == 200);
  CHECK(listing(a.device_id).queue_depth == 7);
  const std::string seven_at = listing(a.device_id).queue_depth_at;

  // Hostile values: the request is served, the stored depth and its time stay.
  // "\xEF\xBC\x95" is a full-width digit five (U+FF15).
  std::vector<std::string> hostile = {
      "-1",          "1e9", "abc", "",         "+5",
      "0x10",        "3.0", "5 6", "10000001", "99999999999999999999",
      "\xEF\xBC\x95"};
  hostile.push_back(std::string(10 * 1024, '9'));
  for (const auto& junk : hostile) {
    CAPTURE(junk.substr(0, 20));
    auto p = push_with({{depth_header, junk}});
    REQUIRE(p);
    CHECK(p->status == 200);
    auto q = pull_with({{depth_header, junk}});
    REQUIRE(q);
    CHECK(q->status == 200);
    CHECK(listing(a.device_id).queue_depth == 7);
  }
  // Two header lines read as the list "5, 6": ignored, whichever a proxy would pick.
  httplib::Headers twice{{depth_header, "5"}, {depth_header, "6"}};
  auto doubled = push_with(twice);
  REQUIRE(doubled);
  CHECK(doubled->status == 200);
  REQUIRE(pull_with(twice)->status == 200);
  CHECK(listing(a.device_id).queue_depth == 7);
  CHECK(listing(a.device_id).queue_depth_at == seven_at);

  // The bounds themselves are depths; blanks around the number are allowed.
  REQUIRE(push_with({{depth_header, "10000000"}})->status == 200);
  CHECK(listing(a.device_id).queue_depth == 10'000'000);
  REQUIRE(pull_with({{depth_header, "0"}})->status == 200);
  CHECK(listing(a.device_id).queue_depth == 0);
  CHECK(central::parse_queue_depth(" 42\t") == 42);
  CHECK(central::parse_queue_depth("007") == 7);
  CHECK_FALSE(central::parse_queue_depth("5, 6").has_value());
  CHECK_FALSE(central::parse_queue_depth("-0").has_value());
  CHECK_FALSE(central::parse_queue_depth("10000001").has_value());

  // A refused request (bad token) records nothing for anyone.
  auto refused =
      client->Get("/v1/sync/pull?cursor=0",
                  httplib::Headers{{"Authorization", "Bearer afk_wrong"}, {depth_header, "99"}});
  REQUIRE(refused);
  CHECK(refused->status == 401);
  CHECK(listing(a.device_id).queue_depth == 0);
}

TEST_CASE("a pull page is bounded by bytes as well as count and always carries one change") {
  test::TestServer server(central::ApiLimits{.max_pull_bytes = 4096});
  const auto a = server.enroll("Nairobi", "node-a");
  const auto b = server.enroll("Nairobi", "node-b");
  auto client = server.client();
  std::vector<protocol::Change> changes;
  for (int i = 0; i < 12; ++i) {
    auto member = test::member_with_id(i);
    // About 1.2 kB each once encoded.
    member.region = std::string(200, static_cast<char>('a' + i));
    member.organisation = std::string(200, 'o');
    member.void_reason = std::string(200, 'v');
    changes.push_back(test::change_of(member, test::hlc_at(1000 + i, "node-a")));
  }
  for (const auto& r : test::push(*client, a.token, changes).results) {
    REQUIRE(r.outcome == Outcome::applied);
  }
  std::set<std::string> seen;
  std::int64_t cursor = 0;
  int pages = 0;
  for (; pages < 20; ++pages) {
    const auto page = test::pull(*client, b.token, cursor, 1000);
    REQUIRE_FALSE(page.changes.empty());
    CHECK(page.changes.size() <= 4);
    for (const auto& c : page.changes) seen.insert(c.entity_id);
    CHECK(page.next_cursor == page.changes.back().seq);
    cursor = page.next_cursor;
    if (!page.more) break;
  }
  CHECK(seen.size() == 12);
  CHECK(pages >= 3);
  CHECK(test::pull(*client, b.token, cursor).changes.empty());

  // One record larger than the whole budget still comes, alone.
  test::TestServer tiny(central::ApiLimits{.max_pull_bytes = 10});
  const auto c = tiny.enroll("Nairobi", "node-c");
  const auto d = tiny.enroll("Nairobi", "node-d");
  auto tiny_client = tiny.client();
  test::push(*tiny_client, c.token,
             {test::change_of(test::member_with_id(1), test::hlc_at(1000, "node-c")),
              test::change_of(test::member_with_id(2), test::hlc_at(1001, "node-c"))});
  const auto first = test::pull(*tiny_client, d.token, 0);
  CHECK(first.changes.size() == 1);
  CHECK(first.more);
  const auto second = test::pull(*tiny_client, d.token, first.next_cursor);
  CHECK(second.changes.size() == 1);
  CHECK_FALSE(second.more);
}
