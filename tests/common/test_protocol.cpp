// Tests for the API v1 JSON codec: clean round trips and hostile input.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

#include "common/protocol/codec.hpp"
#include "common/protocol/json_guard.hpp"

namespace {

using namespace alliance;
using namespace alliance::protocol;

// ---------------------------------------------------------------------------
// Field-by-field comparison (the model structs have no operator==).

auto fields(const model::Consent& v) {
  return std::tie(v.given, v.text_version, v.given_at);
}

auto fields(const model::Member& v) {
  return std::tuple_cat(
      std::tie(v.id, v.kind, v.reference_code, v.given_name, v.family_name, v.gender, v.birth_year,
               v.contact_person, v.phone, v.email, v.country, v.region, v.organisation,
               v.organisation_type, v.role, v.years_experience, v.qualification, v.interest_groups,
               v.e_updates, v.preferred_language),
      fields(v.consent),
      std::tie(v.event_id, v.created_at, v.updated_at, v.hlc, v.voided, v.void_reason));
}

auto fields(const model::TrainingEvent& v) {
  return std::tie(v.id, v.kind, v.name, v.place, v.country, v.start_date, v.end_date, v.organiser,
                  v.office, v.hlc, v.updated_at, v.voided);
}

auto fields(const model::Attendance& v) {
  return std::tie(v.id, v.member_id, v.event_id, v.day, v.checked_in_at, v.hlc, v.voided);
}

auto fields(const model::OfficeStock& v) {
  return std::tie(v.office, v.quantity);
}
auto fields(const model::RequestLine& v) {
  return std::tie(v.pack_id, v.quantity);
}
auto fields(const model::StatusTransition& v) {
  return std::tie(v.status, v.actor, v.at);
}
auto fields(const model::FieldError& v) {
  return std::tie(v.field, v.key);
}

template <class T>
bool same_list(const std::vector<T>& a, const std::vector<T>& b) {
  return std::ranges::equal(a, b, [](const T& x, const T& y) { return fields(x) == fields(y); });
}

bool same(const model::Member& a, const model::Member& b) {
  return fields(a) == fields(b);
}
bool same(const model::TrainingEvent& a, const model::TrainingEvent& b) {
  return fields(a) == fields(b);
}
bool same(const model::Attendance& a, const model::Attendance& b) {
  return fields(a) == fields(b);
}
bool same(const model::ResourcePack& a, const model::ResourcePack& b) {
  return std::tie(a.id, a.title, a.languages, a.format, a.hlc, a.updated_at, a.retired) ==
             std::tie(b.id, b.title, b.languages, b.format, b.hlc, b.updated_at, b.retired) &&
         same_list(a.stock, b.stock);
}
bool same(const model::ResourceRequest& a, const model::ResourceRequest& b) {
  auto scalars = [](const model::ResourceRequest& v) {
    return std::tie(v.id, v.reference_code, v.member_id, v.organisation_name, v.contact_name,
                    v.contact_phone, v.contact_email, v.delivery, v.delivery_address, v.office,
                    v.event_id, v.status, v.received_by, v.created_at, v.updated_at, v.hlc);
  };
  return scalars(a) == scalars(b) && same_list(a.lines, b.lines) &&
         same_list(a.transitions, b.transitions);
}

bool same(const Record& a, const Record& b) {
  if (a.index() != b.index()) return false;
  return std::visit([&](const auto& x) { return same(x, std::get<std::decay_t<decltype(x)>>(b)); },
                    a);
}

bool same(const Change& a, const Change& b) {
  return std::tie(a.schema, a.change_id, a.entity, a.entity_id, a.op, a.hlc, a.changed_fields) ==
             std::tie(b.schema, b.change_id, b.entity, b.entity_id, b.op, b.hlc,
                      b.changed_fields) &&
         same(a.record, b.record);
}

bool same(const ChangeResult& a, const ChangeResult& b) {
  if (std::tie(a.change_id, a.outcome, a.code, a.message) !=
          std::tie(b.change_id, b.outcome, b.code, b.message) ||
      !same_list(a.errors, b.errors) || a.server_record.has_value() != b.server_record.has_value())
    return false;
  return !a.server_record || same(*a.server_record, *b.server_record);
}

bool same(const PulledChange& a, const PulledChange& b) {
  return std::tie(a.seq, a.entity, a.entity_id, a.hlc) ==
             std::tie(b.seq, b.entity, b.entity_id, b.hlc) &&
         same(a.record, b.record);
}

// ---------------------------------------------------------------------------
// Sample records: "full" sets every field to a non-default value, "minimal"
// only what a decoder requires.

model::Member full_member() {
  model::Member m;
  m.id = "0190f5a2-7c1e-7b3a-9d2e-1f2a3b4c5d6e";
  m.kind = model::MemberKind::organisation;
  m.reference_code = "KE-7Q4M";
  m.given_name = "José";
  m.family_name = "Ñúñez \"Zé\"";
  m.gender = "male";
  m.birth_year = 1984;
  m.contact_person = "Зоя Петрова";
  m.phone = "+254712345678";
  m.email = "jose@example.org";
  m.country = "KE";
  m.region = "Nairobi\tWest";
  m.organisation = "Hope & Care / Kenya";
  m.organisation_type = "ngo";
  m.role = "case_manager";
  m.years_experience = 0;  // zero is a value, not absence
  m.qualification = "bachelor";
  m.interest_groups = {"child_protection", "mental_health"};
  m.e_updates = true;
  m.preferred_language = "pt";
  m.consent = {true, "2026-01", "2026-03-01T09:15:00Z"};
  m.event_id = "0190f5a2-0000-7000-8000-000000000001";
  m.created_at = "2026-03-01T09:15:00Z";
  m.updated_at = "2026-03-02T10:00:00Z";
  m.hlc = "0000018e0a1b2c3d-0001-dev1";
  m.voided = true;
  m.void_reason = "duplicate 🙂\nentry\\";
  return m;
}

model::Member minimal_member() {
  model::Member m;
  m.id = "m-1";
  return m;
}

model::TrainingEvent full_event() {
  model::TrainingEvent e;
  e.id = "ev-1";
  e.kind = model::EventKind::webinar;
  e.name = "Supervision basics";
  e.place = "Maputo";
  e.country = "MZ";
  e.start_date = "2026-04-01";
  e.end_date = "2026-04-03";
  e.organiser = "Alliance";
  e.office = "southern";
  e.hlc = "h-ev";
  e.updated_at = "2026-03-30T08:00:00Z";
  e.voided = true;
  return e;
}

model::TrainingEvent minimal_event() {
  model::TrainingEvent e;
  e.id = "ev-2";
  return e;
}

model::Attendance full_attendance() {
  return model::Attendance{"at-1", "m-1", "ev-1", "2026-04-02", "2026-04-02T07:59:00Z",
                           "h-at", true};
}

model::Attendance minimal_attendance() {
  model::Attendance a;
  a.id = "at-2";
  return a;
}

model::ResourcePack full_pack() {
  model::ResourcePack p;
  p.id = "CP-TOOLKIT-01";
  p.title = "Child protection toolkit";
  p.languages = {"en", "fr"};
  p.format = model::PackFormat::digital;
  p.stock = {{"nairobi", 12}, {"dakar", 0}};
  p.hlc = "h-pack";
  p.updated_at = "2026-01-01T00:00:00Z";
  p.retired = true;
  return p;
}

model::ResourcePack minimal_pack() {
  model::ResourcePack p;
  p.id = "CP-2";
  return p;
}

model::ResourceRequest full_request() {
  model::ResourceRequest r;
  r.id = "rq-1";
  r.reference_code = "RQ-42";
  r.member_id = "m-1";
  r.organisation_name = "Hope & Care";
  r.contact_name = "Ana";
  r.contact_phone = "+258841234567";
  r.contact_email = "ana@example.org";
  r.lines = {{"CP-TOOLKIT-01", 3}, {"CP-2", 1}};
  r.delivery = model::DeliveryPreference::digital_link;
  r.delivery_address = "Rua 1, Maputo";
  r.office = "southern";
  r.event_id = "ev-1";
  r.status = model::RequestStatus::dispatched;
  r.transitions = {{model::RequestStatus::requested, "desk-1", "2026-04-01T10:00:00Z"},
                   {model::RequestStatus::dispatched, "Maria", "2026-04-02T10:00:00Z"}};
  r.received_by = "Ana";
  r.created_at = "2026-04-01T10:00:00Z";
  r.updated_at = "2026-04-02T10:00:00Z";
  r.hlc = "h-rq";
  return r;
}

model::ResourceRequest minimal_request() {
  model::ResourceRequest r;
  r.id = "rq-2";
  return r;
}

std::vector<Record> full_records() {
  return {full_member(), full_event(), full_attendance(), full_pack(), full_request()};
}

std::vector<Record> minimal_records() {
  return {minimal_member(), minimal_event(), minimal_attendance(), minimal_pack(),
          minimal_request()};
}

Change change_of(const Record& record, Operation op = Operation::update) {
  Change c;
  c.change_id = "0190f5a2-aaaa-7bbb-8ccc-dddddddddddd";
  c.entity = entity_of(record);
  c.entity_id = "id-1";
  c.op = op;
  c.hlc = "0000018e0a1b2c3d-0002-dev1";
  c.changed_fields = {"phone", "email"};
  c.record = record;
  return c;
}

Change minimal_change(const Record& record) {
  Change c;
  c.change_id = "c-1";
  c.entity = entity_of(record);
  c.entity_id = "e-1";
  c.hlc = "h";
  c.record = record;
  return c;
}

// Cereal's tell-tale artefacts and empty values must never reach the wire.
void check_clean(const std::string& json) {
  CAPTURE(json);
  CHECK(json.find("value0") == std::string::npos);
  CHECK(json.find("nullopt") == std::string::npos);
  CHECK(json.find("null") == std::string::npos);
  CHECK(json.find(":\"\"") == std::string::npos);
  CHECK(json.find("[]") == std::string::npos);
  CHECK(json.find(":{}") == std::string::npos);
  CHECK(json.find(":false") == std::string::npos);
  CHECK(json.find('\n') == std::string::npos);
}

bool contains(const std::string& json, std::string_view needle) {
  return json.find(needle) != std::string::npos;
}

template <class T>
std::string error_code(const Decoded<T>& result) {
  return result ? std::string("ok") : result.error().code;
}

std::string change_code(std::string_view json) {
  return error_code(decode_change(json));
}

const char* const kMinimalMemberChange =
    R"({"schema":1,"change_id":"c-1","entity":"member","entity_id":"e-1","op":"create",)"
    R"("hlc":"h","record":{"id":"m-1","kind":"individual"}})";

// Replaces the first occurrence of `from` in `text`; the pattern must be there.
std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

}  // namespace

// ---------------------------------------------------------------------------
// Enum spellings

TEST_CASE("protocol enums map to snake_case strings and back") {
  const std::vector<std::pair<Entity, std::string_view>> entities = {
      {Entity::member, "member"}, {Entity::event, "event"},     {Entity::attendance, "attendance"},
      {Entity::pack, "pack"},     {Entity::request, "request"},
  };
  for (const auto& [e, s] : entities) {
    CHECK(to_string(e) == s);
    CHECK(entity_from(s) == e);
  }
  const std::vector<std::pair<Operation, std::string_view>> ops = {
      {Operation::create, "create"},
      {Operation::update, "update"},
      {Operation::void_record, "void"},
      {Operation::transition, "transition"},
  };
  for (const auto& [o, s] : ops) {
    CHECK(to_string(o) == s);
    CHECK(operation_from(s) == o);
  }
  const std::vector<std::pair<Outcome, std::string_view>> outcomes = {
      {Outcome::applied, "applied"},
      {Outcome::duplicate, "duplicate"},
      {Outcome::conflict, "conflict"},
      {Outcome::rejected, "rejected"},
  };
  for (const auto& [o, s] : outcomes) {
    CHECK(to_string(o) == s);
    CHECK(outcome_from(s) == o);
  }
  CHECK_FALSE(entity_from("Member").has_value());
  CHECK_FALSE(entity_from("").has_value());
  CHECK_FALSE(operation_from("void_record").has_value());
  CHECK_FALSE(outcome_from("ok").has_value());
}

TEST_CASE("entity_of names the record type") {
  CHECK(entity_of(Record{model::Member{}}) == Entity::member);
  CHECK(entity_of(Record{model::TrainingEvent{}}) == Entity::event);
  CHECK(entity_of(Record{model::Attendance{}}) == Entity::attendance);
  CHECK(entity_of(Record{model::ResourcePack{}}) == Entity::pack);
  CHECK(entity_of(Record{model::ResourceRequest{}}) == Entity::request);
}

// ---------------------------------------------------------------------------
// Round trips

TEST_CASE("a change of every entity round-trips with a full record") {
  for (const Record& record : full_records()) {
    const Change original = change_of(record);
    const std::string json = encode(original);
    CAPTURE(json);
    check_clean(json);
    CHECK(contains(json, R"("schema":1)"));
    const auto decoded = decode_change(json);
    REQUIRE(decoded.has_value());
    CHECK(same(*decoded, original));
    CHECK(decoded->entity == entity_of(record));
    CHECK(encode(*decoded) == json);
  }
}

TEST_CASE("a change of every entity round-trips with a minimal record") {
  for (const Record& record : minimal_records()) {
    const Change original = minimal_change(record);
    const std::string json = encode(original);
    CAPTURE(json);
    check_clean(json);
    CHECK_FALSE(contains(json, "changed_fields"));
    const auto decoded = decode_change(json);
    REQUIRE(decoded.has_value());
    CHECK(same(*decoded, original));
    CHECK(decoded->changed_fields.empty());
  }
}

TEST_CASE("a minimal member change has exactly the documented layout") {
  CHECK(encode(minimal_change(minimal_member())) == kMinimalMemberChange);
}

// Central keeps the SHA-256 of each change as it encodes it and compares a
// replay's against it, so the encoding of a change must never drift: this is
// byte for byte what the codec wrote before it left cereal's archive (issue 15).
TEST_CASE("a full member change encodes byte for byte as before, escapes included") {
  constexpr std::string_view kStored =
      R"({"schema":1,"change_id":"0190a0b0-0000-7000-8000-100000000000","entity":"member",)"
      R"("op":"create","hlc":"1700000000000:0001:node","changed_fields":["given_name","phone"],)"
      R"("record":{"kind":"individual","given_name":"tab\there","family_name":"ctl\u0001x",)"
      R"("phone":"+254710000000","email":"member0@example.org","country":"KE",)"
      R"("region":"Nairobi","organisation":"Child Welfare Society","organisation_type":"ngo",)"
      R"("role":"social_worker","years_experience":5,"qualification":"bachelor",)"
      R"("interest_groups":["child_protection","case_management"],"e_updates":true,)"
      R"("consent":{"given":true,"text_version":"2026-01"}}})";
  model::Member member;
  member.kind = model::MemberKind::individual;
  member.given_name = "tab\there";
  member.family_name = "ctl\x01x";
  member.phone = "+254710000000";
  member.email = "member0@example.org";
  member.country = "KE";
  member.region = "Nairobi";
  member.organisation = "Child Welfare Society";
  member.organisation_type = "ngo";
  member.role = "social_worker";
  member.years_experience = 5;
  member.qualification = "bachelor";
  member.interest_groups = {"child_protection", "case_management"};
  member.e_updates = true;
  member.consent = {.given = true, .text_version = "2026-01"};
  const Change change{.change_id = "0190a0b0-0000-7000-8000-100000000000",
                      .entity = Entity::member,
                      .op = Operation::create,
                      .hlc = "1700000000000:0001:node",
                      .changed_fields = {"given_name", "phone"},
                      .record = member};
  CHECK(encode(change) == kStored);
}

TEST_CASE("a change uses named fields for the record and its nested parts") {
  const std::string json = encode(change_of(full_member(), Operation::void_record));
  CAPTURE(json);
  CHECK(json.starts_with(R"({"schema":1,"change_id":"0190f5a2-aaaa-7bbb-8ccc-dddddddddddd",)"
                         R"("entity":"member","entity_id":"id-1","op":"void",)"));
  CHECK(contains(json, R"("changed_fields":["phone","email"])"));
  CHECK(contains(json, R"("record":{"id":"0190f5a2-7c1e-7b3a-9d2e-1f2a3b4c5d6e",)"
                       R"("kind":"organisation")"));
  CHECK(contains(json, R"("birth_year":1984)"));
  CHECK(contains(json, R"("years_experience":0)"));
  CHECK(contains(json, R"("interest_groups":["child_protection","mental_health"])"));
  CHECK(contains(json, R"("consent":{"given":true,"text_version":"2026-01",)"
                       R"("given_at":"2026-03-01T09:15:00Z"})"));
  CHECK(contains(json, R"("voided":true)"));
  CHECK(contains(json, R"("e_updates":true)"));
}

TEST_CASE("non-ASCII text stays raw UTF-8 and escapes survive") {
  const std::string json = encode(change_of(full_member()));
  CAPTURE(json);
  CHECK(contains(json, "\"José\""));
  CHECK(contains(json, "\"Зоя Петрова\""));
  CHECK(contains(json, "🙂"));
  CHECK_FALSE(contains(json, "\\u00e9"));
  CHECK(contains(json, R"("Ñúñez \"Zé\"")"));
  CHECK(contains(json, R"("Nairobi\tWest")"));
  const auto decoded = decode_change(json);
  REQUIRE(decoded.has_value());
  const auto& member = std::get<model::Member>(decoded->record);
  CHECK(member.given_name == "José");
  CHECK(member.family_name == "Ñúñez \"Zé\"");
  CHECK(member.region == "Nairobi\tWest");
  CHECK(member.void_reason == "duplicate 🙂\nentry\\");
}

TEST_CASE("absent optionals, empty strings, empty lists and false flags are omitted") {
  model::Member member = minimal_member();
  const std::string json = encode_record(member);
  CHECK(json == R"({"id":"m-1","kind":"individual"})");
  const auto decoded = decode_record(Entity::member, json);
  REQUIRE(decoded.has_value());
  const auto& back = std::get<model::Member>(*decoded);
  CHECK_FALSE(back.birth_year.has_value());
  CHECK_FALSE(back.years_experience.has_value());
  CHECK(back.interest_groups.empty());
  CHECK_FALSE(back.consent.given);
  CHECK(back.consent.text_version.empty());
  CHECK_FALSE(back.voided);

  CHECK(encode_record(minimal_pack()) == R"({"id":"CP-2","format":"print"})");
  CHECK(encode_record(minimal_request()) ==
        R"({"id":"rq-2","delivery":"pickup","status":"requested"})");
  CHECK(encode_record(minimal_event()) == R"({"id":"ev-2","kind":"training"})");
  CHECK(encode_record(minimal_attendance()) == R"({"id":"at-2"})");
  CHECK(encode_record(model::Attendance{}) == "{}");
}

TEST_CASE("bare records round-trip for every entity") {
  const auto full = full_records();
  const auto minimal = minimal_records();
  for (const auto* list : {&full, &minimal}) {
    for (const Record& record : *list) {
      const std::string json = encode_record(record);
      CAPTURE(json);
      check_clean(json);
      CHECK_FALSE(contains(json, "schema"));
      const auto decoded = decode_record(entity_of(record), json);
      REQUIRE(decoded.has_value());
      CHECK(same(*decoded, record));
    }
  }
}

TEST_CASE("resource pack stock and request lines are arrays of named objects") {
  const std::string pack = encode_record(full_pack());
  CAPTURE(pack);
  CHECK(contains(pack, R"("languages":["en","fr"])"));
  CHECK(contains(pack, R"("format":"digital")"));
  CHECK(contains(
      pack, R"("stock":[{"office":"nairobi","quantity":12},{"office":"dakar","quantity":0}])"));
  CHECK(contains(pack, R"("retired":true)"));

  const std::string request = encode_record(full_request());
  CAPTURE(request);
  CHECK(contains(
      request,
      R"("lines":[{"pack_id":"CP-TOOLKIT-01","quantity":3},{"pack_id":"CP-2","quantity":1}])"));
  CHECK(contains(request, R"("delivery":"digital_link")"));
  CHECK(contains(request, R"("status":"dispatched")"));
  CHECK(contains(request, R"("transitions":[{"status":"requested","actor":"desk-1",)"
                          R"("at":"2026-04-01T10:00:00Z"},{"status":"dispatched")"));
}

TEST_CASE("health and enrolment messages round-trip full and minimal") {
  SUBCASE("health") {
    const HealthResponse full{kSchemaVersion, "ok", kApiVersion, "1.4.2"};
    const std::string json = encode(full);
    CHECK(json == R"({"schema":1,"status":"ok","api_version":1,"server_version":"1.4.2"})");
    const auto back = decode_health_response(json);
    REQUIRE(back.has_value());
    CHECK(std::tie(back->schema, back->status, back->api_version, back->server_version) ==
          std::tie(full.schema, full.status, full.api_version, full.server_version));

    const std::string minimal = encode(HealthResponse{});
    CHECK(minimal == R"({"schema":1,"status":"ok","api_version":1})");
    const auto min_back = decode_health_response(minimal);
    REQUIRE(min_back.has_value());
    CHECK(min_back->server_version.empty());
  }
  SUBCASE("enroll request") {
    const EnrollRequest full{kSchemaVersion, "483-921", "Desk 2 — Nairobi", "0.9.1"};
    const std::string json = encode(full);
    check_clean(json);
    const auto back = decode_enroll_request(json);
    REQUIRE(back.has_value());
    CHECK(std::tie(back->schema, back->code, back->device_name, back->app_version) ==
          std::tie(full.schema, full.code, full.device_name, full.app_version));

    EnrollRequest minimal;
    minimal.code = "1";
    CHECK(encode(minimal) == R"({"schema":1,"code":"1"})");
    const auto min_back = decode_enroll_request(encode(minimal));
    REQUIRE(min_back.has_value());
    CHECK(min_back->code == "1");
    CHECK(min_back->device_name.empty());
    CHECK(min_back->app_version.empty());
  }
  SUBCASE("enroll response") {
    const EnrollResponse full{kSchemaVersion, "dev-7", "tok-secret", "eastern", "K7Q"};
    const std::string json = encode(full);
    check_clean(json);
    const auto back = decode_enroll_response(json);
    REQUIRE(back.has_value());
    CHECK(std::tie(back->schema, back->device_id, back->token, back->office, back->code_prefix) ==
          std::tie(full.schema, full.device_id, full.token, full.office, full.code_prefix));
    // Bounded like every wire string.
    CHECK_FALSE(decode_enroll_response(
                    R"({"schema":1,"device_id":"d","token":"t","code_prefix":"ABCDEFGHJ"})")
                    .has_value());

    const EnrollResponse minimal{kSchemaVersion, "dev-8", "t", "", ""};
    CHECK(encode(minimal) == R"({"schema":1,"device_id":"dev-8","token":"t"})");
    const auto min_back = decode_enroll_response(encode(minimal));
    REQUIRE(min_back.has_value());
    CHECK(min_back->office.empty());
  }
}

TEST_CASE("push requests round-trip and match the pre-encoded form") {
  PushRequest request;
  for (const Record& record : full_records()) request.changes.push_back(change_of(record));
  for (const Record& record : minimal_records()) request.changes.push_back(minimal_change(record));
  const std::string json = encode(request);
  check_clean(json);
  const auto back = decode_push_request(json);
  REQUIRE(back.has_value());
  REQUIRE(back->changes.size() == request.changes.size());
  for (std::size_t i = 0; i < request.changes.size(); ++i) {
    CAPTURE(i);
    CHECK(same(back->changes[i], request.changes[i]));
  }

  std::vector<std::string> encoded;
  for (const Change& c : request.changes) encoded.push_back(encode(c));
  const std::vector<std::string_view> views(encoded.begin(), encoded.end());
  CHECK(encode_push_request_from_encoded(views) == json);

  const std::string empty = encode(PushRequest{});
  CHECK(empty == R"({"schema":1})");
  CHECK(encode_push_request_from_encoded({}) == empty);
  const auto empty_back = decode_push_request(empty);
  REQUIRE(empty_back.has_value());
  CHECK(empty_back->changes.empty());
  const auto explicit_empty = decode_push_request(R"({"schema":1,"changes":[]})");
  REQUIRE(explicit_empty.has_value());
  CHECK(explicit_empty->changes.empty());
}

TEST_CASE("push responses round-trip with errors and server records of every entity") {
  PushResponse response;
  ChangeResult applied;
  applied.change_id = "c-applied";
  response.results.push_back(applied);

  ChangeResult rejected;
  rejected.change_id = "c-rejected";
  rejected.outcome = Outcome::rejected;
  rejected.code = "validation_failed";
  rejected.message = "Phone number is not valid";
  rejected.errors = {{"phone", "member.phone.invalid"}, {"lines[2].quantity", "request.qty"}};
  response.results.push_back(rejected);

  ChangeResult duplicate;
  duplicate.change_id = "c-dup";
  duplicate.outcome = Outcome::duplicate;
  response.results.push_back(duplicate);

  for (const Record& record : full_records()) {
    ChangeResult conflict;
    conflict.change_id = "c-conflict";
    conflict.outcome = Outcome::conflict;
    conflict.code = "conflict";
    conflict.server_record = record;
    response.results.push_back(conflict);
  }

  const std::string json = encode(response);
  CAPTURE(json);
  check_clean(json);
  CHECK(contains(json, R"({"change_id":"c-applied","outcome":"applied"})"));
  CHECK(contains(json, R"("errors":[{"field":"phone","key":"member.phone.invalid"},)"));
  CHECK(contains(json, R"("server_entity":"request","server_record":{"id":"rq-1")"));
  const auto back = decode_push_response(json);
  REQUIRE(back.has_value());
  REQUIRE(back->results.size() == response.results.size());
  for (std::size_t i = 0; i < response.results.size(); ++i) {
    CAPTURE(i);
    CHECK(same(back->results[i], response.results[i]));
  }
  CHECK_FALSE(back->results[0].server_record.has_value());

  CHECK(encode(ChangeResult{"c", Outcome::applied, "", "", {}, std::nullopt}) ==
        R"({"change_id":"c","outcome":"applied"})");
  const auto empty = decode_push_response(encode(PushResponse{}));
  REQUIRE(empty.has_value());
  CHECK(empty->results.empty());
}

TEST_CASE("pull responses round-trip with a 64-bit cursor") {
  PullResponse response;
  std::int64_t seq = 1;
  for (const Record& record : full_records()) {
    response.changes.push_back(PulledChange{seq++, entity_of(record), "id", "hlc", record});
  }
  response.changes.push_back(PulledChange{seq, Entity::member, "m", "h", minimal_member()});
  response.next_cursor = 9007199254740993;  // 2^53 + 1: not representable as a double
  response.more = true;

  const std::string json = encode(response);
  CAPTURE(json);
  check_clean(json);
  CHECK(contains(json, R"("next_cursor":9007199254740993,"more":true})"));
  CHECK(contains(json, R"({"seq":1,"entity":"member","entity_id":"id","hlc":"hlc","record":{)"));
  const auto back = decode_pull_response(json);
  REQUIRE(back.has_value());
  CHECK(back->next_cursor == 9007199254740993);
  CHECK(back->more);
  REQUIRE(back->changes.size() == response.changes.size());
  for (std::size_t i = 0; i < response.changes.size(); ++i) {
    CAPTURE(i);
    CHECK(same(back->changes[i], response.changes[i]));
  }

  const std::string minimal = encode(PullResponse{});
  CHECK(minimal == R"({"schema":1,"next_cursor":0})");
  const auto min_back = decode_pull_response(minimal);
  REQUIRE(min_back.has_value());
  CHECK(min_back->changes.empty());
  CHECK(min_back->next_cursor == 0);
  CHECK_FALSE(min_back->more);
  CHECK(min_back->code_prefix.empty());

  PullResponse with_prefix;
  with_prefix.code_prefix = "M3P";
  const auto prefixed = decode_pull_response(encode(with_prefix));
  REQUIRE(prefixed.has_value());
  CHECK(prefixed->code_prefix == "M3P");
}

TEST_CASE("error bodies round-trip and omit empty error lists") {
  const ErrorBody full{"validation_failed",
                       "Some fields need attention",
                       {{"email", "member.email.invalid"}, {"", "member.name.required"}}};
  const std::string json = encode(full);
  CAPTURE(json);
  check_clean(json);
  CHECK(contains(json, R"({"key":"member.name.required"})"));
  const auto back = decode_error_body(json);
  REQUIRE(back.has_value());
  CHECK(back->code == full.code);
  CHECK(back->message == full.message);
  CHECK(same_list(back->errors, full.errors));

  const ErrorBody minimal{"unauthorized", "Sign in again", {}};
  CHECK(encode(minimal) == R"({"code":"unauthorized","message":"Sign in again"})");
  const auto min_back = decode_error_body(encode(minimal));
  REQUIRE(min_back.has_value());
  CHECK(min_back->errors.empty());
}

// ---------------------------------------------------------------------------
// Lenient reading

TEST_CASE("unknown fields are ignored at every level") {
  const std::string json =
      R"({"future":{"a":[1,{"b":null}]},"schema":1,"change_id":"c-1","extra":[],)"
      R"("entity":"member","entity_id":"e-1","op":"create","hlc":"h",)"
      R"("record":{"nickname":"Zé","id":"m-1","kind":"individual","birth_year":1990,)"
      R"("consent":{"given":true,"witness":"x"},"tags":["a"]},"trailer":true})";
  const auto decoded = decode_change(json);
  REQUIRE(decoded.has_value());
  CHECK(decoded->change_id == "c-1");
  const auto& member = std::get<model::Member>(decoded->record);
  CHECK(member.id == "m-1");
  CHECK(member.birth_year == 1990);
  CHECK(member.consent.given);
}

TEST_CASE("fields may come in any order and null reads as absent") {
  const std::string json =
      R"({"record":{"kind":"organisation","id":"m-9","birth_year":null,"gender":null},)"
      R"("hlc":"h","op":"update","entity_id":"m-9","entity":"member","change_id":"c-9",)"
      R"("changed_fields":null,"schema":1})";
  const auto decoded = decode_change(json);
  REQUIRE(decoded.has_value());
  CHECK(decoded->op == Operation::update);
  const auto& member = std::get<model::Member>(decoded->record);
  CHECK(member.kind == model::MemberKind::organisation);
  CHECK_FALSE(member.birth_year.has_value());
  CHECK(member.gender.empty());
  CHECK(decoded->changed_fields.empty());
  CHECK(change_code(replaced(kMinimalMemberChange, R"("c-1")", "null")) == "missing_field");
}

// ---------------------------------------------------------------------------
// Hostile and broken input

TEST_CASE("malformed JSON is reported as malformed_json") {
  const std::string valid = kMinimalMemberChange;
  REQUIRE(decode_change(valid).has_value());
  CHECK(change_code("") == "malformed_json");
  CHECK(change_code("   \n") == "malformed_json");
  CHECK(change_code("{") == "malformed_json");
  CHECK(change_code("[") == "malformed_json");
  CHECK(change_code("nul") == "malformed_json");
  CHECK(change_code(valid + " x") == "malformed_json");
  CHECK(change_code(valid + "{}") == "malformed_json");
  CHECK(change_code(R"({"schema":1,})") == "malformed_json");
  CHECK(change_code(R"({'schema':1})") == "malformed_json");
  CHECK(change_code(R"({"schema":1 "a":2})") == "malformed_json");
  CHECK(change_code(R"({"schema":01})") == "malformed_json");
  CHECK(change_code(R"({"a":"\ud800"})") == "malformed_json");
  // A NUL byte anywhere is refused before parsing (the parser would stop at it).
  CHECK(change_code(std::string(R"({"a":1})") + '\0' + "junk") == "nul_character");
  CHECK(change_code(std::string("{\"a\":\"x\ty\"}")) == "malformed_json");  // raw control char
  for (std::size_t cut = 0; cut < valid.size(); ++cut) {
    CAPTURE(cut);
    const auto result = decode_change(std::string_view(valid).substr(0, cut));
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == "malformed_json");
  }
}

TEST_CASE("a root that is not an object is wrong_type") {
  CHECK(change_code("null") == "wrong_type");
  CHECK(change_code("[]") == "wrong_type");
  CHECK(change_code(" [1,2] ") == "wrong_type");
  CHECK(change_code("\"text\"") == "wrong_type");
  CHECK(change_code("42") == "wrong_type");
  CHECK(error_code(decode_push_request("true")) == "wrong_type");
  CHECK(error_code(decode_error_body("[]")) == "wrong_type");
  CHECK(error_code(decode_record(Entity::member, "null")) == "wrong_type");
}

TEST_CASE("a value of the wrong JSON type is wrong_type and names the field") {
  const std::string base = kMinimalMemberChange;
  auto check_wrong = [](const std::string& json, std::string_view field) {
    CAPTURE(json);
    const auto result = decode_change(json);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == "wrong_type");
    CHECK(contains(result.error().message, field));
  };
  check_wrong(replaced(base, R"("schema":1)", R"("schema":"1")"), "'schema'");
  check_wrong(replaced(base, R"("schema":1)", R"("schema":1.5)"), "'schema'");
  check_wrong(replaced(base, R"("change_id":"c-1")", R"("change_id":7)"), "'change_id'");
  check_wrong(replaced(base, R"("entity":"member")", R"("entity":{})"), "'entity'");
  check_wrong(replaced(base, R"("hlc":"h")", R"("hlc":"h","changed_fields":"phone")"),
              "'changed_fields'");
  check_wrong(replaced(base, R"("hlc":"h")", R"("hlc":"h","changed_fields":{"a":"b"})"),
              "'changed_fields'");
  check_wrong(replaced(base, R"("hlc":"h")", R"("hlc":"h","changed_fields":["a",2])"),
              "'changed_fields[1]'");
  check_wrong(replaced(base, R"("record":{"id":"m-1","kind":"individual"})", R"("record":[])"),
              "'record'");
  check_wrong(
      replaced(base, R"("record":{"id":"m-1","kind":"individual"})", R"("record":[{"id":"m-1"}])"),
      "'record'");
  check_wrong(replaced(base, R"("record":{"id":"m-1","kind":"individual"})", R"("record":"m")"),
              "'record'");
  check_wrong(
      replaced(base, R"("kind":"individual")", R"("kind":"individual","birth_year":"1990")"),
      "'record.birth_year'");
  check_wrong(replaced(base, R"("kind":"individual")", R"("kind":"individual","birth_year":1e3)"),
              "'record.birth_year'");
  check_wrong(
      replaced(base, R"("kind":"individual")", R"("kind":"individual","birth_year":99999999999)"),
      "'record.birth_year'");
  check_wrong(replaced(base, R"("kind":"individual")", R"("kind":"individual","voided":1)"),
              "'record.voided'");
  check_wrong(replaced(base, R"("kind":"individual")", R"("kind":"individual","consent":true)"),
              "'record.consent'");
  check_wrong(replaced(base, R"("kind":"individual")", R"("kind":"individual","consent":[])"),
              "'record.consent'");
  check_wrong(
      replaced(base, R"("kind":"individual")", R"("kind":"individual","consent":{"given":"yes"})"),
      "'record.consent.given'");

  CHECK(error_code(decode_pull_response(R"({"schema":1,"next_cursor":"5"})")) == "wrong_type");
  CHECK(error_code(decode_pull_response(R"({"schema":1,"next_cursor":5,"more":"yes"})")) ==
        "wrong_type");
  const auto bad_element = decode_pull_response(R"({"schema":1,"next_cursor":5,"changes":[3]})");
  REQUIRE_FALSE(bad_element.has_value());
  CHECK(bad_element.error().code == "wrong_type");
  CHECK(contains(bad_element.error().message, "'changes[0]'"));
  const auto bad_qty = decode_record(
      Entity::pack, R"({"id":"p","format":"print","stock":[{"office":"a","quantity":1.5}]})");
  REQUIRE_FALSE(bad_qty.has_value());
  CHECK(bad_qty.error().code == "wrong_type");
  CHECK(contains(bad_qty.error().message, "'stock[0].quantity'"));
  CHECK(error_code(decode_error_body(R"({"code":"x","errors":{"field":"a"}})")) == "wrong_type");
}

TEST_CASE("a missing required field is missing_field and names the field") {
  const auto missing = decode_change(replaced(kMinimalMemberChange, R"("change_id":"c-1",)", ""));
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == "missing_field");
  CHECK(missing.error().message == "missing field 'change_id'");

  const std::string base = kMinimalMemberChange;
  const std::vector<std::pair<std::string_view, std::string_view>> removals = {
      {R"("schema":1,)", "'schema'"},
      {R"("entity":"member",)", "'entity'"},
      {R"("entity_id":"e-1",)", "'entity_id'"},
      {R"("op":"create",)", "'op'"},
      {R"("hlc":"h",)", "'hlc'"},
      {R"(,"record":{"id":"m-1","kind":"individual"})", "'record'"},
      {R"("id":"m-1",)", "'record.id'"},
      {R"(,"kind":"individual")", "'record.kind'"},
  };
  for (const auto& [cut, field] : removals) {
    const std::string json = replaced(base, cut, "");
    CAPTURE(json);
    const auto result = decode_change(json);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == "missing_field");
    CHECK(contains(result.error().message, field));
  }

  const auto push = decode_push_request(R"({"schema":1,"changes":[)" + base + "," +
                                        replaced(base, R"("id":"m-1",)", "") + "]}");
  REQUIRE_FALSE(push.has_value());
  CHECK(push.error().message == "missing field 'changes[1].record.id'");

  const auto line = decode_record(
      Entity::request,
      R"({"id":"r","delivery":"pickup","status":"requested","lines":[{"quantity":2}]})");
  REQUIRE_FALSE(line.has_value());
  CHECK(line.error().message == "missing field 'lines[0].pack_id'");

  const auto server_record =
      decode_push_response(R"({"schema":1,"results":[{"change_id":"c","outcome":"conflict",)"
                           R"("server_record":{"id":"m","kind":"individual"}}]})");
  REQUIRE_FALSE(server_record.has_value());
  CHECK(server_record.error().message == "missing field 'results[0].server_entity'");

  CHECK(error_code(decode_pull_response(R"({"schema":1})")) == "missing_field");
  CHECK(error_code(decode_health_response(R"({"schema":1,"status":"ok"})")) == "missing_field");
  CHECK(error_code(decode_enroll_request(R"({"schema":1,"device_name":"d"})")) == "missing_field");
  CHECK(error_code(decode_enroll_response(R"({"schema":1,"device_id":"d"})")) == "missing_field");
  CHECK(error_code(decode_error_body(R"({"message":"m"})")) == "missing_field");
  CHECK(error_code(decode_push_request("{}")) == "missing_field");
  CHECK(error_code(decode_record(Entity::attendance, "{}")) == "missing_field");
}

TEST_CASE("an unknown enum string is invalid_value") {
  const std::string base = kMinimalMemberChange;
  CHECK(change_code(replaced(base, R"("member")", R"("widget")")) == "invalid_value");
  CHECK(change_code(replaced(base, R"("create")", R"("delete")")) == "invalid_value");
  CHECK(change_code(replaced(base, R"("create")", R"("void_record")")) == "invalid_value");
  CHECK(change_code(replaced(base, R"("individual")", R"("robot")")) == "invalid_value");
  CHECK(change_code(replaced(base, R"("individual")", R"("Individual")")) == "invalid_value");
  const auto outcome =
      decode_push_response(R"({"schema":1,"results":[{"change_id":"c","outcome":"maybe"}]})");
  REQUIRE_FALSE(outcome.has_value());
  CHECK(outcome.error().code == "invalid_value");
  CHECK(contains(outcome.error().message, "'results[0].outcome'"));
  CHECK(error_code(decode_record(Entity::request, R"({"id":"r","delivery":"drone",)"
                                                  R"("status":"requested"})")) == "invalid_value");
  CHECK(error_code(decode_record(Entity::request, R"({"id":"r","delivery":"pickup",)"
                                                  R"("status":"lost"})")) == "invalid_value");
  CHECK(error_code(decode_record(Entity::pack, R"({"id":"p","format":"vinyl"})")) ==
        "invalid_value");
  CHECK(error_code(decode_record(Entity::event, R"({"id":"e","kind":"party"})")) ==
        "invalid_value");
  // The record follows "entity": an event change cannot carry a member record.
  CHECK(change_code(replaced(base, R"("member")", R"("event")")) == "invalid_value");
}

TEST_CASE("a newer schema is unsupported_schema and a nonsense one invalid_value") {
  const std::string base = kMinimalMemberChange;
  CHECK(change_code(replaced(base, R"("schema":1)", R"("schema":2)")) == "unsupported_schema");
  CHECK(change_code(replaced(base, R"("schema":1)", R"("schema":0)")) == "invalid_value");
  CHECK(change_code(replaced(base, R"("schema":1)", R"("schema":-3)")) == "invalid_value");
  // A newer layout is refused before its fields are looked at.
  CHECK(change_code(R"({"schema":7,"whatever":true})") == "unsupported_schema");
  CHECK(error_code(decode_health_response(R"({"schema":2})")) == "unsupported_schema");
  CHECK(error_code(decode_enroll_request(R"({"schema":2})")) == "unsupported_schema");
  CHECK(error_code(decode_enroll_response(R"({"schema":2})")) == "unsupported_schema");
  CHECK(error_code(decode_push_request(R"({"schema":2})")) == "unsupported_schema");
  CHECK(error_code(decode_push_response(R"({"schema":2})")) == "unsupported_schema");
  CHECK(error_code(decode_pull_response(R"({"schema":2,"next_cursor":1})")) ==
        "unsupported_schema");
  const std::string newer_change = replaced(base, R"("schema":1)", R"("schema":2)");
  CHECK(error_code(decode_push_request(R"({"schema":1,"changes":[)" + newer_change + "]}")) ==
        "unsupported_schema");

  Change future = minimal_change(minimal_member());
  future.schema = 2;
  CHECK(contains(encode(future), R"("schema":2)"));
  CHECK(error_code(decode_change(encode(future))) == "unsupported_schema");
}

TEST_CASE("parse_checked answers as check_json_text does and builds what rapidjson parses") {
  // The decoders check and build the document in one pass: the same text
  // must get the same refusal, and accepted text the document a plain parse
  // gives.
  const std::string deep(40, '[');
  const std::vector<std::string> texts = {
      R"({"a":"plain","n":-12,"u":18446744073709551615,"d":1.5e3,"t":true,"f":false,"z":null})",
      R"({"changes":[{"record":{"given_name":"Amina","lines":[{"pack_id":"p1","qty":2}]}}]})",
      "{\"name\":\"Jos\xC3\xA9 \xF0\x9F\x99\x82\",\"list\":[[],{},[1,[2,[3]]]]}",
      R"([1,2,3])",
      R"("just a string")",
      R"({"a":1,"a":2})",
      R"({"outer":{"b":1,"c":{"x":1,"x":2}}})",
      R"({"a":"x\u0000y"})",
      R"({"a\u0000":1})",
      "{\"a\":\"\xFF\"}",
      deep + std::string(40, ']'),
      R"({"a":1,})",
      R"({"a":)",
      "",
      std::string("{\"a\":1}\0", 8),
  };
  for (const std::string& text : texts) {
    CAPTURE(text);
    const auto checked = check_json_text(text);
    rapidjson::Document built;
    const auto parsed = parse_checked(text, built);
    REQUIRE(checked.has_value() == parsed.has_value());
    if (checked) {
      CHECK(parsed->code == checked->code);
      CHECK(parsed->message == checked->message);
      CHECK(built.IsNull());
      continue;
    }
    rapidjson::Document plain;
    plain.Parse(text.data(), text.size());
    REQUIRE_FALSE(plain.HasParseError());
    CHECK(built == plain);
  }
}

TEST_CASE("check_json_text rejects invalid UTF-8") {
  CHECK_FALSE(check_json_text(R"({"a":"plain"})").has_value());
  CHECK_FALSE(check_json_text("\"\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x99\x82 \xF4\x8F\xBF\xBF\"")
                  .has_value());  // é € 🙂 U+10FFFF
  CHECK_FALSE(check_json_text("\"\xED\x9F\xBF \xEE\x80\x80\"").has_value());  // U+D7FF, U+E000
  const std::vector<std::string> bad = {
      "\x80",              // continuation byte without a lead
      "\xC0\x80",          // overlong NUL
      "\xC1\xBF",          // overlong ASCII
      "\xE0\x80\x80",      // overlong three-byte
      "\xE0\x9F\xBF",      // overlong U+07FF
      "\xF0\x80\x80\x80",  // overlong four-byte
      "\xF0\x8F\xBF\xBF",  // overlong U+FFFF
      "\xED\xA0\x80",      // surrogate U+D800
      "\xED\xBF\xBF",      // surrogate U+DFFF
      "\xF4\x90\x80\x80",  // U+110000
      "\xF5\x80\x80\x80",  // lead beyond the range
      "\xF8\x88\x80\x80\x80",
      "\xFF",
      "\xE2\x82",      // truncated at the end
      "\xE2\x82 ",     // truncated before ASCII
      "\xF0\x9F\x99",  // truncated four-byte
      "\xC3",
  };
  for (const std::string& sequence : bad) {
    const std::string text = "{\"a\":\"x" + sequence + "\"}";
    CAPTURE(text);
    const auto error = check_json_text(text);
    REQUIRE(error.has_value());
    CHECK(error->code == "invalid_utf8");
    CHECK(change_code(text) == "invalid_utf8");
  }
  CHECK(change_code("\xC3") == "invalid_utf8");
  const auto error = check_json_text("{\"abc\":\"\xFF\"}");
  REQUIRE(error.has_value());
  CHECK(contains(error->message, "byte 8"));
}

TEST_CASE("check_json_text limits nesting depth without recursion") {
  const std::string deep_arrays(100000, '[');
  const auto arrays = check_json_text(deep_arrays);
  REQUIRE(arrays.has_value());
  CHECK(arrays->code == "too_deep");
  CHECK(change_code(deep_arrays) == "too_deep");

  std::string deep_objects;
  for (int i = 0; i < 100000; ++i) deep_objects += R"({"a":)";
  CHECK(change_code(deep_objects) == "too_deep");
  CHECK(error_code(decode_push_request(deep_objects)) == "too_deep");

  auto nested = [](std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  CHECK_FALSE(check_json_text(nested(kMaxJsonDepth)).has_value());
  REQUIRE(check_json_text(nested(kMaxJsonDepth + 1)).has_value());
  CHECK(check_json_text(nested(kMaxJsonDepth + 1))->code == "too_deep");
  CHECK_FALSE(check_json_text(nested(3), 3).has_value());
  CHECK(check_json_text(nested(4), 3).has_value());
  // Depth is the deepest point, not the number of brackets.
  CHECK_FALSE(check_json_text("[[],[],[],[]]", 2).has_value());

  // Brackets inside strings do not count, escaped quotes do not end a string.
  const std::string in_string = "{\"a\":\"" + std::string(1000, '[') + "\"}";
  CHECK_FALSE(check_json_text(in_string).has_value());
  const std::string escaped = R"({"a":"\"[[[[","b":"\\"})";
  CHECK_FALSE(check_json_text(escaped, 1).has_value());
  CHECK(check_json_text(R"({"a":"\\","b":[[]]})", 2).has_value());

  // A change at the supported depth still decodes.
  CHECK(decode_change(kMinimalMemberChange).has_value());
}

TEST_CASE("check_json_text finds a repeated key among many and in every object alike") {
  const auto object_of = [](int keys, const std::string& last) {
    std::string text = "{";
    for (int i = 0; i < keys; ++i)
      text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    return text + "\"" + last + "\":0}";
  };
  // Past the small table a large object starts with (64 slots), and at its start.
  for (const int keys : {1, 31, 32, 33, 5000}) {
    CAPTURE(keys);
    CHECK_FALSE(check_json_text(object_of(keys, "fresh")).has_value());
    for (const std::string& again : {std::string("k0"), "k" + std::to_string(keys - 1)}) {
      const auto error = check_json_text(object_of(keys, again));
      REQUIRE(error.has_value());
      CHECK(error->code == "duplicate_key");
      CHECK(error->message == "the key '" + again + "' appears more than once in its object");
    }
  }
  // Objects at one depth each keep their own keys: siblings may share them,
  // and a large object before them does not hide a repeat in a small one.
  const std::string siblings = "[" + object_of(5000, "fresh") + R"(,{"a":1,"b":2},{"a":1,"b":2}])";
  CHECK_FALSE(check_json_text(siblings).has_value());
  const auto repeat =
      check_json_text("[" + object_of(5000, "fresh") + R"(,{"a":1},{"b":1,"b":2}])");
  REQUIRE(repeat.has_value());
  CHECK(repeat->message == "the key '[2].b' appears more than once in its object");
  const auto nested =
      check_json_text(R"({"changes":[{"record":{"x":1}},{"record":{"y":1,"y":2}}]})");
  REQUIRE(nested.has_value());
  CHECK(nested->message == "the key 'changes[1].record.y' appears more than once in its object");
}

TEST_CASE("a text larger than the limit is too_large") {
  std::string big = R"({"schema":1,"pad":")";
  big.append(kMaxJsonBytes, 'x');
  big += "\"}";
  const auto error = check_json_text(big);
  REQUIRE(error.has_value());
  CHECK(error->code == "too_large");
  CHECK(error_code(decode_push_request(big)) == "too_large");

  std::string at_limit = R"({"schema":1,"pad":")";
  at_limit.append(kMaxJsonBytes - at_limit.size() - 2, 'x');
  at_limit += "\"}";
  REQUIRE(at_limit.size() == kMaxJsonBytes);
  CHECK_FALSE(check_json_text(at_limit).has_value());
  CHECK(decode_push_request(at_limit).has_value());
}

TEST_CASE("decoding mutated input never throws") {
  PushRequest request;
  for (const Record& record : full_records()) request.changes.push_back(change_of(record));
  const std::string valid = encode(request);
  REQUIRE(decode_push_request(valid).has_value());
  const std::string alphabet = "{}[]\":,\\0 1-.etnulfa\x80\xC3";
  std::uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return state >> 8;
  };
  int failures = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string mutated = valid;
    const int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = next() % mutated.size();
      const char c = alphabet[next() % alphabet.size()];
      switch (next() % 3) {
        case 0:
          mutated[at] = c;
          break;
        case 1:
          mutated.insert(at, 1, c);
          break;
        default:
          mutated.erase(at, 1);
          break;
      }
    }
    Decoded<PushRequest> result;
    CHECK_NOTHROW(result = decode_push_request(mutated));
    if (!result) {
      ++failures;
      CHECK_FALSE(result.error().code.empty());
      CHECK_FALSE(result.error().message.empty());
    }
  }
  CHECK(failures > 0);
}
