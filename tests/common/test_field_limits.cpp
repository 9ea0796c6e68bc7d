// Every limit in the field table, checked at the limit and one past it:
// record fields through validation, wire-only fields through the codec. The
// cases are made from the table, so a new field cannot go unchecked.
#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <optional>
#include <set>

#include "common/model/limits.hpp"
#include "common/model/text.hpp"
#include "common/model/validation.hpp"
#include "common/protocol/codec.hpp"
#include "support/field_limits.hpp"
#include "support/fixtures.hpp"

using namespace alliance;
using model::FieldLimit;
using model::FieldShape;

namespace {

const std::set<std::string_view> kRecords = {"member", "event", "attendance", "pack", "request"};

// A valid record of each kind, as JSON: the base every case edits.
std::string base_record(std::string_view message) {
  if (message == "member") {
    auto m = test::sample_member(1);
    m.id = "member-1";
    return protocol::encode_record(m);
  }
  if (message == "event") {
    auto e = test::sample_event();
    e.id = "event-1";
    return protocol::encode_record(e);
  }
  if (message == "attendance") {
    return protocol::encode_record(model::Attendance{
        .id = "attendance-1", .member_id = "member-1", .event_id = "event-1", .day = "2026-11-28"});
  }
  if (message == "pack") {
    return protocol::encode_record(model::ResourcePack{
        .id = "CP-TOOLKIT-01", .title = "Toolkit", .languages = {"en"}, .stock = {{"Nairobi", 3}}});
  }
  return protocol::encode_record(test::sample_request());
}

// One valid item of a list field, as JSON ("{i}" is the item's index).
std::string list_item(const FieldLimit& limit) {
  const std::string field(limit.path);
  if (field == "interest_groups") return "\"child_protection\"";
  if (field == "languages") return "\"en\"";
  if (field == "changed_fields") return "\"region\"";
  if (field == "stock") return R"({"office":"Office {i}","quantity":1})";
  if (field == "lines") return R"({"pack_id":"CP-{i}","quantity":1})";
  if (field == "transitions") return R"({"status":"requested","at":"2026-11-28T10:00:{i}Z"})";
  if (field == "errors") return R"({"field":"phone","key":"member.phone.invalid"})";
  FAIL("no list item for " << limit.message << "." << limit.path);
  return {};
}

model::FieldErrors validate(protocol::Record& record) {
  return std::visit(
      [](auto& r) -> model::FieldErrors {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, model::Member> ||
                      std::is_same_v<T, model::ResourceRequest>) {
          return model::normalize_and_validate(r, test::kenya_context());
        } else {
          return model::normalize_and_validate(r);
        }
      },
      record);
}

// The errors of the record after setting `path` to `value_json`.
model::FieldErrors errors_with(const FieldLimit& limit, const std::string& value_json) {
  const std::string json = test::json_set(base_record(limit.message), limit.path, value_json);
  auto record = protocol::decode_record(*protocol::entity_from(limit.message), json);
  REQUIRE_MESSAGE(record.has_value(), json);
  return validate(*record);
}

bool has(const model::FieldErrors& errors, const std::string& field, const std::string& key) {
  for (const auto& e : errors) {
    if (e.field == field && e.key == key) return true;
  }
  return false;
}

bool mentions_field(const model::FieldErrors& errors, const std::string& field) {
  for (const auto& e : errors) {
    if (e.field == field) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("the limits table is consistent") {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const FieldLimit& l : model::field_limits()) {
    CAPTURE(l.message);
    CAPTURE(l.path);
    CHECK(seen.emplace(l.message, l.path).second);
    CHECK((l.max_length > 0 || l.max_items > 0));
    CHECK(&model::limit_of(l.message, l.path) != nullptr);
  }
  CHECK(model::field_limits("member").size() == 24);
  CHECK(model::field_limits("nothing").empty());
  CHECK_FALSE(model::find_limit("member", "nothing").has_value());
  CHECK_THROWS_AS(model::limit_of("member", "nothing"), std::logic_error);
  const auto& pack_id = model::limit_of("request", "lines[].pack_id");
  CHECK(model::reported_field(pack_id, 7) == "lines[7].pack_id");
  CHECK(model::limit_key(pack_id, "too_long") == "request.pack_id.too_long");
  CHECK(model::limit_key(model::limit_of("member", "consent.text_version"), "too_long") ==
        "member.consent.too_long");
}

TEST_CASE("the value generator makes well-formed values of exact lengths") {
  for (std::size_t n : {6u, 20u, 64u, 65u, 66u, 127u, 128u, 129u, 200u, 254u, 255u}) {
    const std::string email = test::email_of_length(n);
    CAPTURE(email);
    CHECK(email.size() == n);
  }
  model::Member m = test::sample_member(1);
  m.email = test::email_of_length(model::kMaxEmailLength);
  CHECK(model::normalize_and_validate(m, test::kenya_context()).empty());
  for (const FieldLimit& l : model::field_limits()) {
    if (l.max_length == 0) continue;
    CAPTURE(l.path);
    CHECK(model::utf8_length(test::value_of_length(l, l.max_length)) == l.max_length);
  }
}

TEST_CASE("every record field is accepted at its limit and refused one past it, by name") {
  int strings = 0;
  int lists = 0;
  for (const FieldLimit& l : model::field_limits()) {
    if (!kRecords.contains(l.message)) continue;
    CAPTURE(l.message);
    CAPTURE(l.path);
    const std::string field = model::reported_field(l, 0);
    if (l.max_items > 0) {
      ++lists;
      const std::string item = list_item(l);
      const auto at = errors_with(l, test::json_list(l.max_items, item));
      CHECK_FALSE(mentions_field(at, field));
      const auto over = errors_with(l, test::json_list(l.max_items + 1, item));
      CHECK(has(over, field, model::limit_key(l, "too_many")));
    }
    if (l.max_length > 0) {
      ++strings;
      // A list of strings: one item at or past the limit.
      const auto value = [&](std::size_t length) {
        const std::string one = test::quoted(test::value_of_length(l, length));
        return l.max_items > 0 ? "[" + one + "]" : one;
      };
      const auto at = errors_with(l, value(l.max_length));
      CHECK_FALSE(has(at, field, model::limit_key(l, "too_long")));
      if (test::whole_at_limit(l.shape)) {
        CAPTURE(at.empty() ? std::string() : at.front().key);
        CHECK_FALSE(mentions_field(at, field));
      }
      const auto over = errors_with(l, value(l.max_length + 1));
      CAPTURE(over.empty() ? std::string() : over.front().key);
      CHECK(has(over, field, model::limit_key(l, "too_long")));
    }
  }
  CHECK(strings > 60);
  CHECK(lists == 5);  // interest_groups, languages, stock, lines, transitions
}

TEST_CASE("every wire-only field is refused one past its limit with the field's path") {
  using namespace protocol;
  Change change;
  change.change_id = "0190f5a3-0001-7aaa-8bbb-000000000001";
  change.entity_id = "member-1";
  change.hlc = "000001764365405123-0000-node";
  change.record = model::Member{.id = "member-1"};
  PushResponse push{.results = {{.change_id = "0190f5a3-0001-7aaa-8bbb-000000000001",
                                 .outcome = Outcome::rejected,
                                 .code = "validation_failed",
                                 .message = "bad",
                                 .errors = {{"phone", "member.phone.invalid"}}}}};
  PullResponse pull{.changes = {{.seq = 1,
                                 .entity_id = "member-1",
                                 .hlc = "000001764365405123-0000-node",
                                 .record = model::Member{.id = "member-1"}}},
                    .next_cursor = 1};
  ErrorBody error{.code = "forbidden", .message = "no", .errors = {{"phone", "x.y.z"}}};

  // Each message: its valid JSON, the prefix of its fields in it, and a decoder.
  struct Message {
    std::string base;
    std::string prefix;
    std::function<std::optional<DecodeError>(const std::string&)> decode;
  };
  const auto first_error = [](const auto& decoded) -> std::optional<DecodeError> {
    if (decoded) return std::nullopt;
    return decoded.error();
  };
  const std::map<std::string_view, Message> messages = {
      {"change",
       {encode(change), "", [&](const std::string& j) { return first_error(decode_change(j)); }}},
      {"enroll_request",
       {encode(EnrollRequest{.code = "K7QM-4XR9"}), "",
        [&](const std::string& j) { return first_error(decode_enroll_request(j)); }}},
      {"enroll_response",
       {encode(EnrollResponse{.device_id = "d", .token = "t"}), "",
        [&](const std::string& j) { return first_error(decode_enroll_response(j)); }}},
      {"health",
       {encode(HealthResponse{}), "",
        [&](const std::string& j) { return first_error(decode_health_response(j)); }}},
      {"result",
       {encode(push), "results[].",
        [&](const std::string& j) { return first_error(decode_push_response(j)); }}},
      {"pulled_change",
       {encode(pull), "changes[].",
        [&](const std::string& j) { return first_error(decode_pull_response(j)); }}},
      {"push_response",
       {encode(push), "",
        [&](const std::string& j) { return first_error(decode_push_response(j)); }}},
      {"pull_response",
       {encode(pull), "",
        [&](const std::string& j) { return first_error(decode_pull_response(j)); }}},
      {"error",
       {encode(error), "",
        [&](const std::string& j) { return first_error(decode_error_body(j)); }}},
  };
  int checked = 0;
  for (const FieldLimit& l : model::field_limits()) {
    if (kRecords.contains(l.message)) continue;
    CAPTURE(l.message);
    CAPTURE(l.path);
    const auto it = messages.find(l.message);
    REQUIRE(it != messages.end());
    const Message& m = it->second;
    const std::string path = m.prefix + std::string(l.path);
    ++checked;
    if (l.max_items > 0) {
      const std::string item =
          l.max_length > 0 ? test::quoted(test::value_of_length(l, 1)) : list_item(l);
      CHECK_FALSE(
          m.decode(test::json_set(m.base, path, test::json_list(l.max_items, item))).has_value());
      const auto over =
          m.decode(test::json_set(m.base, path, test::json_list(l.max_items + 1, item)));
      REQUIRE(over.has_value());
      CHECK(over->code == "too_many");
      CHECK(over->message.find(std::string(l.path.substr(0, l.path.find('[')))) !=
            std::string::npos);
    }
    if (l.max_length > 0) {
      const auto value = [&](std::size_t length) {
        const std::string one = test::quoted(test::value_of_length(l, length));
        return l.max_items > 0 ? "[" + one + "]" : one;
      };
      const auto at = m.decode(test::json_set(m.base, path, value(l.max_length)));
      CHECK_MESSAGE(!at.has_value(), (at ? at->message : std::string()));
      const auto over = m.decode(test::json_set(m.base, path, value(l.max_length + 1)));
      REQUIRE(over.has_value());
      CHECK(over->code == "too_long");
      const std::string name(
          l.path.substr(l.path.rfind('.') == std::string_view::npos ? 0 : l.path.rfind('.') + 1));
      CHECK_MESSAGE(over->message.find(name) != std::string::npos, over->message);
    }
  }
  CHECK(checked >= 20);
}
