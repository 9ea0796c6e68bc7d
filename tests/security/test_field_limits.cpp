// Limits on everything, against the real server: every record field at its
// limit accepted and one character past it refused naming the field (cases
// made from common/model/limits.hpp), wire-only fields refused whole, pull
// pages bounded by bytes while the real agent converges, and JSON with
// duplicate keys or NUL characters refused.
#include <doctest/doctest.h>

#include <set>

#include "common/store/store.hpp"
#include "harness.hpp"
#include "hostile_device.hpp"
#include "support/field_limits.hpp"

using namespace alliance;
using model::FieldLimit;
using model::FieldShape;
using protocol::Outcome;

namespace {

const std::set<std::string_view> kPushable = {"member", "event", "attendance", "request"};

// The office name at its own limit, so "office" fields at their limit are
// the device's office and pass the office check.
const std::string kOffice = test::value_of_length(model::limit_of("event", "office"),
                                                  model::limit_of("event", "office").max_length);

// A valid record of the entity for the device's office, with a fresh id, as JSON.
std::string base_record(std::string_view entity) {
  if (entity == "member") return protocol::encode_record(test::member_with_id(1));
  if (entity == "event") {
    auto e = test::sample_event();
    e.id = util::new_uuid_v7();
    e.office = kOffice;
    return protocol::encode_record(e);
  }
  if (entity == "attendance") {
    return protocol::encode_record(model::Attendance{.id = util::new_uuid_v7(),
                                                     .member_id = util::new_uuid_v7(),
                                                     .event_id = util::new_uuid_v7(),
                                                     .day = "2026-11-28"});
  }
  return protocol::encode_record(test::request_for(kOffice, util::new_uuid_v7()));
}

std::string list_item(const FieldLimit& l) {
  if (l.path == "interest_groups") return "\"child_protection\"";
  if (l.path == "lines") return R"({"pack_id":"CP-{i}","quantity":1})";
  if (l.path == "transitions") return R"({"status":"requested","at":"2026-11-28T10:00:{i}Z"})";
  if (l.path == "changed_fields") return "\"region\"";
  FAIL("no list item for " << l.message << "." << l.path);
  return {};
}

// A create change (as JSON) of `entity` with `path` set to `value_json`.
std::string change_json(std::string_view entity, const std::string& path,
                        const std::string& value_json, const std::string& hlc) {
  std::string record = test::json_set(base_record(entity), path, value_json);
  const auto decoded = protocol::decode_record(*protocol::entity_from(entity), record);
  REQUIRE_MESSAGE(decoded.has_value(), record);
  const std::string id = std::visit([](const auto& r) { return r.id; }, *decoded);
  protocol::Change change = test::change_of(*decoded, hlc);
  change.entity_id = id;
  return protocol::encode(change);
}

std::string value_json(const FieldLimit& l, std::size_t length) {
  const std::string one = test::quoted(test::value_of_length(l, length));
  return l.max_items > 0 ? "[" + one + "]" : one;
}

struct Case {
  const FieldLimit* limit;
  std::string change;
  bool list;  // a list at max_items (+1), not a string at max_length (+1)
};

// Pushes the cases' changes in one batch; the answer's results in order.
std::vector<protocol::ChangeResult> push_batch(test::TestServer& server, const test::Desk& desk,
                                               const std::vector<Case>& cases) {
  std::vector<std::string> changes;
  for (const auto& c : cases) changes.push_back(c.change);
  return test::push_encoded(server, desk, changes).response.results;
}

}  // namespace

TEST_CASE("every record field is accepted at its limit and refused one past it, naming the field") {
  test::TestServer server;
  // A node at its own limit, so the change's hlc is at its limit too.
  const std::string node(model::kMaxHlcNodeLength, 'n');
  auto desk = test::enroll_desk(server, kOffice, node);
  std::vector<Case> at_limit;
  std::vector<Case> over_limit;
  for (const FieldLimit& l : model::field_limits()) {
    if (!kPushable.contains(l.message)) continue;
    const std::string path(l.path);
    if (l.max_items > 0) {
      const std::string item = list_item(l);
      at_limit.push_back(
          {&l, change_json(l.message, path, test::json_list(l.max_items, item), desk.next_hlc()),
           true});
      over_limit.push_back(
          {&l,
           change_json(l.message, path, test::json_list(l.max_items + 1, item), desk.next_hlc()),
           true});
    }
    if (l.max_length > 0) {
      at_limit.push_back(
          {&l, change_json(l.message, path, value_json(l, l.max_length), desk.next_hlc()), false});
      const auto over =
          change_json(l.message, path, value_json(l, l.max_length + 1), desk.next_hlc());
      if (path == "id") {
        // entity_id must equal the record's id, so an id one past its limit
        // fails the whole push, naming entity_id.
        auto res = server.client()->Post("/v1/sync/push", test::bearer(desk.enrolled.token),
                                         protocol::encode_push_request_from_encoded({over}),
                                         "application/json");
        REQUIRE(res);
        CHECK(res->status == 400);
        CHECK(test::error_of(res).code == "too_long");
        CHECK(test::error_of(res).message.find("entity_id") != std::string::npos);
      } else {
        over_limit.push_back({&l, over, false});
      }
    }
  }
  REQUIRE(at_limit.size() > 50);
  const auto accepted = push_batch(server, desk, at_limit);
  int applied = 0;
  for (std::size_t i = 0; i < at_limit.size(); ++i) {
    const FieldLimit& l = *at_limit[i].limit;
    CAPTURE(l.message);
    CAPTURE(l.path);
    const auto& r = accepted[i];
    CAPTURE(r.code);
    CAPTURE(r.errors.empty() ? std::string() : r.errors.front().key);
    const std::string field = model::reported_field(l, 0);
    for (const auto& e : r.errors) {
      CHECK_FALSE((e.field == field && (e.key == model::limit_key(l, "too_long") ||
                                        e.key == model::limit_key(l, "too_many"))));
    }
    if (at_limit[i].list || test::whole_at_limit(l.shape)) {
      CHECK(r.outcome == Outcome::applied);
      applied += r.outcome == Outcome::applied ? 1 : 0;
    }
  }
  MESSAGE("at the limit: " << applied << " of " << at_limit.size() << " changes applied");

  const auto refused = push_batch(server, desk, over_limit);
  for (std::size_t i = 0; i < over_limit.size(); ++i) {
    const FieldLimit& l = *over_limit[i].limit;
    CAPTURE(l.message);
    CAPTURE(l.path);
    const auto& r = refused[i];
    CHECK(r.outcome == Outcome::rejected);
    CHECK(r.code == "validation_failed");
    const std::string key = model::limit_key(l, over_limit[i].list ? "too_many" : "too_long");
    const std::string field = model::reported_field(l, 0);
    CHECK(std::any_of(r.errors.begin(), r.errors.end(), [&](const model::FieldError& e) {
      return e.field == field && e.key == key;
    }));
  }
}

TEST_CASE("wire-only fields past their limit refuse the whole request with the field's name") {
  test::TestServer server(central::ApiLimits{.enroll_attempts_per_window = 100});
  const std::string node(model::kMaxHlcNodeLength, 'n');
  auto desk = test::enroll_desk(server, "Nairobi", node);
  auto client = server.client();
  const auto base = protocol::encode(test::change_of(test::member_with_id(1), desk.next_hlc()));
  const auto push = [&](const std::string& change) {
    return client->Post("/v1/sync/push", test::bearer(desk.enrolled.token),
                        protocol::encode_push_request_from_encoded({change}), "application/json");
  };
  const auto fresh_id = [](const std::string& json) {
    return test::json_set(json, "change_id", test::quoted(util::new_uuid_v7()));
  };
  for (const FieldLimit& l : model::field_limits("change")) {
    CAPTURE(l.path);
    const std::string path(l.path);
    std::string at;
    std::string over;
    if (path == "change_id") {
      at = fresh_id(base);
      over = test::json_set(base, path, test::quoted(util::new_uuid_v7() + "0"));
    } else if (path == "entity_id") {
      const std::string id(l.max_length, 'e');
      at = fresh_id(test::json_set(test::json_set(base, path, test::quoted(id)), "record.id",
                                   test::quoted(id)));
      over = fresh_id(test::json_set(base, path, test::quoted(id + "e")));
    } else if (path == "hlc") {
      // The desk's node is 64 characters long: its clock values are at the limit.
      const std::string hlc = desk.next_hlc();
      REQUIRE(hlc.size() == l.max_length);
      at = fresh_id(test::json_set(base, path, test::quoted(hlc)));
      over = fresh_id(test::json_set(base, path, test::quoted(desk.next_hlc() + "n")));
    } else {
      REQUIRE(path == "changed_fields");
      at = fresh_id(test::json_set(base, path, test::json_list(l.max_items, list_item(l))));
      over = fresh_id(test::json_set(base, path, test::json_list(l.max_items + 1, list_item(l))));
    }
    auto ok = push(at);
    REQUIRE(ok);
    REQUIRE_MESSAGE(ok->status == 200, ok->body);
    const auto answer = protocol::decode_push_response(ok->body);
    REQUIRE(answer);
    CHECK_MESSAGE(answer->results.front().outcome == Outcome::applied,
                  answer->results.front().code);
    auto bad = push(over);
    REQUIRE(bad);
    CHECK(bad->status == 400);
    const auto error = test::error_of(bad);
    CHECK((error.code == "too_long" || error.code == "too_many"));
    CHECK_MESSAGE(error.message.find(path) != std::string::npos, error.message);
  }

  // Enrolment: every field at its limit is read; one past is refused by name.
  for (const FieldLimit& l : model::field_limits("enroll_request")) {
    CAPTURE(l.path);
    const std::string code = server.store().create_enrolment_code("Nairobi", std::chrono::hours(1));
    std::string body = protocol::encode(protocol::EnrollRequest{.code = code});
    // signing_key at its limit: an Ed25519 public key (32 bytes in base64).
    const std::string value = l.path == "hlc_node"      ? std::string(l.max_length, 'h')
                              : l.path == "code"        ? std::string()
                              : l.path == "signing_key" ? std::string(43, 'A') + "="
                                                        : test::value_of_length(l, l.max_length);
    if (!value.empty()) {
      auto ok = client->Post("/v1/devices/enroll",
                             test::json_set(body, std::string(l.path), test::quoted(value)),
                             "application/json");
      REQUIRE(ok);
      CHECK_MESSAGE(ok->status == 200, ok->body);
    }
    auto bad =
        client->Post("/v1/devices/enroll",
                     test::json_set(body, std::string(l.path),
                                    test::quoted(test::value_of_length(l, l.max_length + 1))),
                     "application/json");
    REQUIRE(bad);
    CHECK(bad->status == 400);
    const auto error = test::error_of(bad);
    CHECK(error.code == "too_long");
    CHECK(error.message.find(std::string(l.path)) != std::string::npos);
  }
}

TEST_CASE("duplicate keys and NUL characters are refused before anything is used") {
  test::TestServer server;
  auto desk = test::enroll_desk(server, "Nairobi");
  auto client = server.client();
  const auto change = protocol::encode(test::change_of(test::member_with_id(1), desk.next_hlc()));
  const auto push = [&](const std::string& body) {
    return client->Post("/v1/sync/push", test::bearer(desk.enrolled.token), body,
                        "application/json");
  };
  const std::string record_key = "\"record\":{";
  std::string in_record = change;
  in_record.insert(in_record.find(record_key) + record_key.size(), "\"given_name\":\"Eve\",");
  const std::string nul = test::json_set(change, "record.given_name", "\"Am\\u0000ina\"");
  struct Hostile {
    const char* what;
    std::string body;
    const char* code;
    const char* names;
  };
  const Hostile cases[] = {
      {"a repeated top-level key", R"({"schema":1,"schema":1,"changes":[]})", "duplicate_key",
       "schema"},
      {"a repeated key inside a record", "{\"schema\":1,\"changes\":[" + in_record + "]}",
       "duplicate_key", "changes[0].record.given_name"},
      {"an escaped NUL in a string", "{\"schema\":1,\"changes\":[" + nul + "]}", "nul_character",
       "changes[0].record.given_name"},
      {"an escaped NUL in a key", R"({"schema":1,"changes":[],"a\u0000b":1})", "nul_character",
       "key"},
      {"a raw NUL byte", std::string("{\"schema\":1,\"changes\":[]}\0", 26), "nul_character",
       "byte"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto res = push(c.body);
    REQUIRE(res);
    CHECK(res->status == 400);
    const auto error = test::error_of(res);
    CHECK(error.code == c.code);
    CHECK_MESSAGE(error.message.find(c.names) != std::string::npos, error.message);
  }
  CHECK(server.store().count_records(protocol::Entity::member) == 0);
  CHECK(server.store().count_applied_changes() == 0);
  auto enroll = client->Post("/v1/devices/enroll", R"({"schema":1,"code":"A","code":"B"})",
                             "application/json");
  REQUIRE(enroll);
  CHECK(enroll->status == 400);
  CHECK(test::error_of(enroll).code == "duplicate_key");
}

TEST_CASE("pull pages stay within max_pull_bytes and the real agent converges on large records") {
  test::keep_traffic_local();
  constexpr std::size_t kPageBytes = 16 * 1024;
  test::TestServer server(central::ApiLimits{.max_pull_bytes = kPageBytes});
  auto desk = test::enroll_desk(server, "Nairobi");
  // Requests at their largest: 50 lines, 32 transitions, a 500-character address.
  std::vector<protocol::Change> changes;
  std::set<std::string> ids;
  for (int i = 0; i < 12; ++i) {
    auto r = test::request_for("Nairobi", util::new_uuid_v7());
    r.delivery = model::DeliveryPreference::delivery;
    r.delivery_address = test::repeat("\xC3\xA9", model::kMaxAddressLength);
    r.lines.clear();
    for (int line = 0; line < 50; ++line) {
      r.lines.push_back({.pack_id = util::cat("CP-", test::repeat("X", 30), line), .quantity = 1});
    }
    for (int t = 1; t < 32; ++t) {
      r.transitions.push_back({.status = model::RequestStatus::requested,
                               .actor = "desk",
                               .at = util::cat("2026-11-28T10:00:", t, "Z")});
    }
    ids.insert(r.id);
    changes.push_back(test::change_of(r, desk.next_hlc()));
  }
  for (const auto& r : test::push_raw(server, desk, changes).response.results) {
    REQUIRE(r.outcome == Outcome::applied);
  }

  // Another desk of the office pulls by hand: every page within the budget.
  auto other = test::enroll_desk(server, "Nairobi");
  std::set<std::string> seen;
  std::int64_t cursor = 0;
  int pages = 0;
  std::size_t largest = 0;
  for (; pages < 50; ++pages) {
    auto res = server.client()->Get(util::cat("/v1/sync/pull?cursor=", cursor, "&limit=1000"),
                                    test::bearer(other.enrolled.token));
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const auto page = protocol::decode_pull_response(res->body);
    REQUIRE(page);
    REQUIRE_FALSE(page->changes.empty());
    if (page->changes.size() > 1) CHECK(res->body.size() <= kPageBytes + 256);
    largest = std::max(largest, res->body.size());
    for (const auto& c : page->changes) seen.insert(c.entity_id);
    cursor = page->next_cursor;
    if (!page->more) break;
  }
  CHECK(seen == ids);
  CHECK(pages >= 3);
  MESSAGE("12 large requests in " << pages + 1 << " pages, the largest " << largest
                                  << " bytes (budget " << kPageBytes << ")");

  // The real agent of a fresh kiosk of the office gets them all.
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  auto kiosk = store::Store::open(db);
  test::enroll_with_binary(server, db, test::local_url(server), dir.path());
  auto once = test::run_process(test::sync_args("once", db), dir.path());
  INFO(once.out);
  INFO(once.err);
  CHECK(once.exit_code == 0);
  for (const auto& id : ids) {
    CAPTURE(id);
    const auto r = kiosk.find_request(id);
    REQUIRE(r.has_value());
    CHECK(r->lines.size() == 50);
    CHECK(r->transitions.size() == 32);
  }
}
