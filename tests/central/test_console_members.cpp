// The console's dashboard, members list and member page against a real
// alliance-central on 127.0.0.1 (SQLite and PostgreSQL): the numbers drawn
// match the records put in, offices stay apart, the kiosk's search keys
// find members, the history names the fields each change wrote, page
// weights stay under 100 KB, and hostile names are escaped.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "central/console/accounts.hpp"
#include "central/store/record_keys.hpp"
#include "common/model/text.hpp"
#include "common/util/reference_code.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"
#include "console_client.hpp"

using namespace alliance;
using console_test::contains;

namespace {

constexpr std::size_t kMaxPageBytes = 100 * 1024;

// A device of `office` whose clock node is `node`, enrolled through the API.
central::Device enrol(test::TestServer& server, const std::string& office,
                      const std::string& node) {
  auto device = server.store().authenticate(server.enroll(office, node).token);
  REQUIRE(device.has_value());
  return *device;
}

std::int64_t now_ms() {
  return util::to_unix_ms(std::chrono::system_clock::now());
}

std::string day_of(std::int64_t unix_ms) {
  return util::iso8601_utc_from_ms(unix_ms).substr(0, 10);
}

// A clock value of `node`, `seconds_ago` before now (ordered by the argument).
std::string clock(const std::string& node, std::int64_t seconds_ago, std::uint32_t counter = 0) {
  return test::hlc_at(now_ms() - seconds_ago * 1000, node, counter);
}

model::Member member(int n, const std::string& created_at) {
  auto m = test::member_with_id(n);
  m.reference_code = util::new_reference_code(util::random_reference_prefix());
  m.created_at = created_at;
  m.updated_at = created_at;
  m.consent.given_at = created_at;
  return m;
}

model::TrainingEvent event(const std::string& name, const std::string& office,
                           const std::string& day) {
  return {.id = util::new_uuid_v7(),
          .name = name,
          .place = "Hall",
          .country = "KE",
          .start_date = day,
          .end_date = day,
          .organiser = "Alliance",
          .office = office};
}

model::Attendance check_in(const model::Member& m, const std::string& event_id,
                           const std::string& day) {
  return {.id = util::new_uuid_v7(),
          .member_id = m.id,
          .event_id = event_id,
          .day = day,
          .checked_in_at = day + "T09:00:00.000Z"};
}

model::ResourceRequest request_for(const model::Member& m, const std::string& office) {
  auto r = test::sample_request(office);
  r.id = util::new_uuid_v7();
  r.reference_code = util::new_reference_code(util::random_reference_prefix());
  r.member_id = m.id;
  r.contact_name = m.display_name();
  r.created_at = util::iso8601_utc_from_ms(now_ms());
  r.updated_at = r.created_at;
  return r;
}

// Pushes records as `device`'s creates; every one must be applied.
void push_all(test::TestServer& server, const central::Device& device,
              std::vector<protocol::Record> records) {
  std::vector<protocol::Change> changes;
  std::uint32_t counter = 0;
  for (auto& record : records) {
    changes.push_back(test::change_of(std::move(record), clock(device.hlc_node, 60, ++counter)));
  }
  const auto response = server.store().push(device, changes);
  REQUIRE(response.results.size() == changes.size());
  for (const auto& result : response.results) {
    INFO(result.code << " " << result.message);
    REQUIRE(result.outcome == protocol::Outcome::applied);
  }
}

// A chart's section of the dashboard: from its <svg id> to the end of its section.
std::string chart(const std::string& html, const std::string& id) {
  const auto start = html.find(util::cat("<svg id=\"", id, "\""));
  if (start == std::string::npos) return {};
  return html.substr(start, html.find("</section>", start) - start);
}

std::size_t count_of(const std::string& text, std::string_view part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) {
    ++n;
  }
  return n;
}

std::string row(std::string_view label, std::int64_t value) {
  return util::cat("<tr><td>", label, "</td><td>", value, "</td></tr>");
}

// Two offices' data: Nairobi (members today and yesterday, one voided, an
// event with check-ins on two days, requests) and Kisumu (members today).
struct TwoOffices {
  test::TestServer server;
  central::Device nairobi = enrol(server, "Nairobi", "node-nairobi");
  central::Device kisumu = enrol(server, "Kisumu", "node-kisumu");
  std::string today = day_of(now_ms());
  std::string yesterday = day_of(now_ms() - 86'400'000);
  model::TrainingEvent workshop = event("Case management workshop", "Nairobi", yesterday);
  std::vector<model::Member> nairobi_members;
  std::vector<model::Member> kisumu_members;

  TwoOffices() {
    REQUIRE(server.store().import_catalog({}, {workshop}).has_value());
    std::vector<protocol::Record> records;
    for (int n = 0; n < 5; ++n) {
      auto m = member(n, (n < 3 ? today : yesterday) + "T08:00:00.000Z");
      if (n < 4) m.event_id = workshop.id;
      nairobi_members.push_back(m);
    }
    auto voided = member(40, today + "T08:00:00.000Z");
    voided.voided = true;
    voided.void_reason = "entered twice";
    nairobi_members.push_back(voided);
    for (const auto& m : nairobi_members) records.emplace_back(m);
    // Check-ins: three on the first day, two on the second.
    for (std::size_t n = 0; n < 3; ++n) {
      records.emplace_back(check_in(nairobi_members[n], workshop.id, yesterday));
    }
    for (std::size_t n = 0; n < 2; ++n) {
      records.emplace_back(check_in(nairobi_members[n], workshop.id, today));
    }
    records.emplace_back(request_for(nairobi_members[0], "Nairobi"));
    records.emplace_back(request_for(nairobi_members[1], "Nairobi"));
    auto approved = request_for(nairobi_members[2], "Nairobi");
    records.emplace_back(approved);
    push_all(server, nairobi, std::move(records));
    REQUIRE(server.store()
                .set_request_status(approved.id, model::RequestStatus::approved, "console:test")
                .has_value());

    std::vector<protocol::Record> theirs;
    for (int n = 8; n < 15; ++n) {
      auto m = member(n, today + "T08:00:00.000Z");
      m.given_name = "Otieno";
      kisumu_members.push_back(m);
      theirs.emplace_back(m);
    }
    push_all(server, kisumu, std::move(theirs));
    console_test::add_account(server, "nairobi", "Nairobi", central::ConsoleRole::manager);
    console_test::add_account(server, "reader", "Nairobi", central::ConsoleRole::viewer);
    console_test::add_account(server, "root", "HQ", central::ConsoleRole::admin);
  }
};

}  // namespace

TEST_CASE("console dashboard: the charts' numbers match the records of the account's offices") {
  TwoOffices data;
  console_test::Browser manager(data.server);
  const auto signed_in = manager.login("nairobi");
  REQUIRE(signed_in);
  CHECK(signed_in->get_header_value("Location") == "/console/dashboard");
  const auto res = manager.get("/console/dashboard");
  REQUIRE(res);
  CHECK(res->status == 200);
  const std::string& html = res->body;
  CHECK_FALSE(contains(html, "<script"));
  CHECK(contains(html, "5 members, 5 check-ins, 3 requests."));

  const std::string per_day = chart(html, "per-day");
  CHECK(count_of(per_day, "<rect class=\"bar\"") == 30);
  CHECK(contains(per_day, "role=\"img\""));
  CHECK(contains(per_day, "<title id=\"per-day-t\">Registrations per day (last 30 days)</title>"));
  CHECK(contains(per_day, row(data.today, 3)));  // the voided member is not counted
  CHECK(contains(per_day, row(data.yesterday, 2)));

  const std::string per_event = chart(html, "per-event");
  CHECK(count_of(per_event, "<rect class=\"bar\"") == 1);
  CHECK(contains(per_event, row("Case management workshop", 4)));

  const std::string per_event_day = chart(html, "per-event-day");
  CHECK(count_of(per_event_day, "<rect class=\"bar\"") == 2);
  CHECK(contains(per_event_day, row(data.yesterday + " Case management workshop", 3)));
  CHECK(contains(per_event_day, row(data.today + " Case management workshop", 2)));

  const std::string per_status = chart(html, "per-status");
  CHECK(count_of(per_status, "<rect class=\"bar\"") == 6);
  CHECK(contains(per_status, row("requested", 2)));
  CHECK(contains(per_status, row("approved", 1)));
  CHECK(contains(per_status, row("cancelled", 0)));

  // Kisumu's seven members are not Nairobi's; an administrator sees both offices.
  CHECK_FALSE(contains(html, "Otieno"));
  console_test::Browser admin(data.server);
  REQUIRE(admin.login("root")->status == 303);
  const std::string all = admin.get("/console/dashboard")->body;
  CHECK(contains(all, "12 members, 5 check-ins, 3 requests."));
  CHECK(contains(chart(all, "per-day"), row(data.today, 10)));

  // In French, the same numbers in French words.
  const auto french = manager.get("/console/dashboard?lang=fr");
  REQUIRE(french);
  CHECK(contains(french->body, "<html lang=\"fr\""));
  CHECK(contains(french->body, "Inscriptions par jour (30 derniers jours)"));
  CHECK(contains(chart(french->body, "per-status"), row("demandée", 2)));
}

TEST_CASE("console members: offices stay apart, a viewer may read, an admin sees every office") {
  TwoOffices data;
  console_test::Browser manager(data.server);
  REQUIRE(manager.login("nairobi")->status == 303);
  const auto list = manager.get("/console/members");
  REQUIRE(list);
  CHECK(list->status == 200);
  CHECK(contains(list->body, "Members 1 to 5 of 5."));  // the voided one is hidden
  CHECK_FALSE(contains(list->body, "Otieno"));
  CHECK_FALSE(contains(list->body, data.nairobi_members.back().id));

  // Another office's member answers exactly like one that does not exist.
  const auto theirs = manager.get("/console/member?id=" + data.kisumu_members[0].id);
  const auto missing = manager.get("/console/member?id=" + util::new_uuid_v7());
  REQUIRE(theirs);
  REQUIRE(missing);
  CHECK(theirs->status == 404);
  CHECK(missing->status == 404);
  CHECK(theirs->body == missing->body);
  CHECK(manager.get("/console/member?id=" + data.nairobi_members[0].id)->status == 200);

  console_test::Browser viewer(data.server);
  REQUIRE(viewer.login("reader")->status == 303);
  CHECK(viewer.get("/console/members")->status == 200);
  CHECK(viewer.get("/console/dashboard")->status == 200);
  CHECK(viewer.get("/console/member?id=" + data.nairobi_members[1].id)->status == 200);

  console_test::Browser admin(data.server);
  REQUIRE(admin.login("root")->status == 303);
  const auto every = admin.get("/console/members");
  CHECK(contains(every->body, "Members 1 to 12 of 12."));
  CHECK(contains(every->body, "Otieno"));
  CHECK(admin.get("/console/member?id=" + data.kisumu_members[0].id)->status == 200);

  // Signed out, nothing is shown.
  console_test::Browser stranger(data.server);
  CHECK(stranger.get("/console/members")->status == 303);
  CHECK(stranger.get("/console/member?id=" + data.nairobi_members[0].id)->status == 303);
}

TEST_CASE("console members: the kiosk's search keys and the filters find members") {
  TwoOffices data;
  console_test::Browser admin(data.server);
  REQUIRE(admin.login("root")->status == 303);
  const auto search = [&](const std::string& query) {
    const auto res = admin.get("/console/members?" + query);
    REQUIRE(res);
    CHECK(res->status == 200);
    return res->body;
  };
  // sample_member(1) is José Wanjiru, (8..14) are Otieno ... Núñez.
  const std::string jose = search("q=" + console_test::form_encoded("jose"));
  CHECK(contains(jose, "Members 1 to 1 of 1."));
  CHECK(contains(jose, "José Wanjiru"));
  const std::string nunez = search("q=" + console_test::form_encoded("NUNEZ"));
  CHECK(contains(nunez, "of 7."));
  CHECK(contains(search("q=" + console_test::form_encoded("otiéno núñez")), "of 7."));
  // Phones: national form with the member's country, and an E.164 prefix.
  const auto& amina = data.nairobi_members[0];
  CHECK(amina.phone == "+254710000000");
  const std::string by_phone = search("q=" + console_test::form_encoded("0710 000 000"));
  CHECK(contains(by_phone, "Members 1 to 1 of 1."));
  CHECK(contains(by_phone, amina.id));
  CHECK(contains(search("q=" + console_test::form_encoded("+25471000001")), "of 5."));  // 10..14
  CHECK(contains(search("q=" + console_test::form_encoded("MEMBER3@example.org")), amina.id) ==
        false);
  CHECK(contains(search("q=" + console_test::form_encoded("MEMBER3@example.org")), "of 1."));
  // A reference code typed without its dash, in lower case.
  std::string code;
  for (const char c : data.nairobi_members[2].reference_code) {
    if (c != '-') code += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const std::string by_code = search("q=" + code);
  CHECK(contains(by_code, "Members 1 to 1 of 1."));
  CHECK(contains(by_code, data.nairobi_members[2].id));
  CHECK(contains(search("q=nobody-like-this"), "No members found."));

  // Filters: the event attended, the role, the country.
  CHECK(contains(search("event=" + data.workshop.id), "Members 1 to 3 of 3.") == false);
  CHECK(contains(search("event=" + data.workshop.id), "of 4."));  // registered there or checked in
  const std::string by_role = search("role=social_worker");
  CHECK(contains(by_role, "of 12."));
  // Roles as the kiosk names them, in the list and in the filter.
  CHECK(contains(by_role, "<td>Social worker</td>"));
  CHECK_FALSE(contains(by_role, "<td>social_worker</td>"));
  CHECK(contains(by_role, "<option value=\"social_worker\" selected>Social worker</option>"));
  CHECK(contains(search("role=trainer"), "No members found."));
  CHECK(contains(search("country=ke"), "of 12."));
  CHECK(contains(search("country=UG"), "No members found."));

  // A member merged into another is hidden: only the kept one is listed.
  const auto merged = data.server.store().merge_members(data.nairobi_members[0].id,
                                                        data.nairobi_members[1].id, "admin:test");
  REQUIRE(merged.has_value());
  const std::string after = search("country=KE");
  CHECK(contains(after, "of 11."));
  CHECK_FALSE(contains(after, "member?id=" + data.nairobi_members[1].id));
}

TEST_CASE("console member page: person, attendance, requests and the fields each edit wrote") {
  TwoOffices data;
  auto edited = data.nairobi_members[0];
  edited.region = "Westlands";
  edited.phone = "+254711111111";
  const auto response = data.server.store().push(
      data.nairobi, {test::change_of(edited, clock("node-nairobi", 10), {"region", "phone"},
                                     protocol::Operation::update)});
  REQUIRE(response.results.size() == 1);
  REQUIRE(response.results[0].outcome == protocol::Outcome::applied);
  REQUIRE(data.server.store()
              .merge_members(edited.id, data.nairobi_members[4].id, "admin:ops")
              .has_value());

  // What schema 7 keeps: field names only, '*' for the create.
  auto db = data.server.open_db();
  auto q = db.query(
      "SELECT changed_fields FROM applied_changes WHERE entity = 'member' AND entity_id = ?1 "
      "ORDER BY applied_at, changed_fields");
  q.bind_all(edited.id);
  std::vector<std::string> written;
  while (q.step()) written.push_back(q.is_null(0) ? "NULL" : q.text(0));
  CHECK(written == std::vector<std::string>{"*", "phone,region"});

  console_test::Browser manager(data.server);
  REQUIRE(manager.login("nairobi")->status == 303);
  const auto res = manager.get("/console/member?id=" + edited.id);
  REQUIRE(res);
  CHECK(res->status == 200);
  const std::string& html = res->body;
  CHECK(contains(html, "Amina Wanjiru"));
  CHECK(contains(html, "Westlands"));
  CHECK(contains(html, "+254711111111"));
  CHECK(contains(html, "Kenya (KE)"));
  CHECK(contains(html, "Case management workshop"));
  CHECK(contains(html, util::cat("<td>", data.yesterday, "</td>")));
  CHECK(contains(html, util::cat("<td>", data.today, "</td>")));
  CHECK(contains(html, "<td>requested</td>"));
  CHECK(contains(html, util::cat("device:", data.nairobi.id, " (Desk 1)")));
  CHECK(contains(html, "<td>phone region</td>"));
  CHECK(contains(html, "every field (created)"));
  CHECK(contains(html, "admin:ops"));
  CHECK(contains(html, "merged from"));
  // Codes as the kiosk names them (its assets/i18n labels), never the raw code.
  CHECK(contains(html, "<td>Social worker</td>"));
  CHECK(contains(html, "<td>NGO</td>"));
  CHECK(contains(html, "<td>Bachelor&#39;s degree</td>"));
  CHECK(contains(html, "<td>Child protection, Case management</td>"));
  CHECK_FALSE(contains(html, "social_worker"));
  CHECK_FALSE(contains(html, "<td>ngo</td>"));
  // The language links keep the member.
  CHECK(contains(html, util::cat("/console/member?id=", edited.id, "&amp;lang=fr")));
  const auto french = manager.get("/console/member?id=" + edited.id + "&lang=fr");
  CHECK(contains(french->body, "Historique des modifications"));
  CHECK(contains(french->body, "<td>Travailleur·se social·e</td>"));
  CHECK(contains(french->body, "<td>ONG</td>"));
  CHECK(contains(french->body, "<td>Protection de l&#39;enfance, Gestion de cas</td>"));
  // The tombstone's page says whom it was merged into.
  const auto tombstone =
      manager.get("/console/member?id=" + data.nairobi_members[4].id + "&lang=en");
  CHECK(tombstone->status == 200);
  CHECK(contains(tombstone->body, "This member was merged into:"));
  CHECK(manager.get("/console/member")->status == 404);
}

TEST_CASE("console members: hostile names are escaped on every page") {
  test::TestServer server;
  const auto device = enrol(server, "Nairobi", "node-hostile");
  auto hostile_event = event("<img src=x onerror=alert(1)>", "Nairobi", day_of(now_ms()));
  REQUIRE(server.store().import_catalog({}, {hostile_event}).has_value());
  auto m = member(0, util::iso8601_utc_from_ms(now_ms()));
  m.kind = model::MemberKind::organisation;
  m.organisation = "<script>alert(1)</script> \"Kids\" & co";
  m.contact_person = "Seán O'Brien";
  m.event_id = hostile_event.id;
  push_all(server, device, {m, check_in(m, hostile_event.id, day_of(now_ms()))});
  console_test::add_account(server, "nairobi", "Nairobi", central::ConsoleRole::manager);
  console_test::Browser manager(server);
  REQUIRE(manager.login("nairobi")->status == 303);
  for (const std::string& path : std::vector<std::string>{
           "/console/dashboard", "/console/members", "/console/member?id=" + m.id,
           "/console/members?q=" + console_test::form_encoded("<script>")}) {
    INFO(path);
    const auto res = manager.get(path);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK_FALSE(contains(res->body, "<script"));
    CHECK_FALSE(contains(res->body, "<img"));
  }
  CHECK(contains(manager.get("/console/members")->body,
                 "&lt;script&gt;alert(1)&lt;/script&gt; &quot;Kids&quot; &amp; co"));
  CHECK(contains(manager.get("/console/dashboard")->body, "&lt;img src=x onerror=alert(1)&gt;"));
}

TEST_CASE("console pages weigh under 100 KB with 2,000 members") {
  test::TestServer server;
  const auto device = enrol(server, "Nairobi", "node-weight");
  std::vector<model::TrainingEvent> events;
  for (int e = 0; e < 40; ++e) {
    events.push_back(event(util::cat("Regional training on case management, session ", e),
                           "Nairobi", day_of(now_ms() - e * 86'400'000LL)));
  }
  REQUIRE(server.store().import_catalog({}, events).has_value());
  std::vector<protocol::Record> records;
  model::Member first;
  for (int n = 0; n < 2000; ++n) {
    auto m = member(n, util::iso8601_utc_from_ms(now_ms() - (n % 45) * 86'400'000LL));
    const auto& at = events[static_cast<std::size_t>(n) % events.size()];
    m.event_id = at.id;
    if (n == 0) first = m;
    records.emplace_back(check_in(m, at.id, at.start_date));
    records.emplace_back(std::move(m));
    if (n % 10 == 0)
      records.emplace_back(request_for(std::get<model::Member>(records.back()), "Nairobi"));
  }
  // Members before the records that name them.
  std::stable_partition(records.begin(), records.end(), [](const protocol::Record& r) {
    return std::holds_alternative<model::Member>(r);
  });
  push_all(server, device, std::move(records));
  console_test::add_account(server, "nairobi", "Nairobi", central::ConsoleRole::manager);
  console_test::Browser manager(server);
  REQUIRE(manager.login("nairobi")->status == 303);
  for (const std::string& path :
       std::vector<std::string>{"/console/dashboard", "/console/dashboard?lang=fr",
                                "/console/members", "/console/members?page=20",
                                "/console/members?q=amina", "/console/member?id=" + first.id}) {
    const auto started = std::chrono::steady_clock::now();
    const auto res = manager.get(path);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    REQUIRE(res);
    CHECK(res->status == 200);
    MESSAGE(path << ": " << res->body.size() << " bytes in " << took.count() << " ms");
    CHECK(res->body.size() < kMaxPageBytes);
  }
  const std::string members = manager.get("/console/members?lang=en")->body;
  CHECK(contains(members, "Members 1 to 50 of 2000."));
  CHECK(count_of(members, "<a href=\"/console/member?id=") == 50);
  const std::string dashboard = manager.get("/console/dashboard")->body;
  CHECK(count_of(chart(dashboard, "per-event"), "<rect class=\"bar\"") == 20);
  CHECK(count_of(chart(dashboard, "per-event-day"), "<rect class=\"bar\"") == 20);
}

TEST_CASE(
    "console keys: a database whose keys were made by other rules gets them rebuilt on open") {
  test::TestServer server;
  const auto device = enrol(server, "Nairobi", "node-rebuild");
  auto m = member(1, util::iso8601_utc_from_ms(now_ms()));
  push_all(server, device, {m});
  {
    // As a database upgraded to schema 7 finds itself: no keys, no version.
    auto db = server.open_db();
    db.exec("DELETE FROM record_keys");
    db.exec("DELETE FROM meta WHERE key = 'record_keys'");
  }
  console_test::add_account(server, "nairobi", "Nairobi", central::ConsoleRole::manager);
  {
    auto db = server.open_db();
    auto q = db.query("SELECT name_key, code_key, hidden FROM record_keys WHERE id = ?1");
    q.bind_all(m.id);
    REQUIRE(q.step());
    CHECK(q.text(0) == "jose wanjiru");
    CHECK(q.text(1).find('-') == std::string::npos);
    CHECK(q.int64(2) == 0);
  }
  console_test::Browser manager(server);
  REQUIRE(manager.login("nairobi")->status == 303);
  CHECK(contains(manager.get("/console/members?q=wanjiru")->body, "Members 1 to 1 of 1."));
}

namespace {

std::int64_t meta_number(central::sql::Connection& db, const std::string& key) {
  auto q = db.query("SELECT CAST(value AS BIGINT) FROM meta WHERE key = ?1");
  q.bind_all(key);
  REQUIRE(q.step());
  return q.int64(0);
}

std::string name_key_of(central::sql::Connection& db, const std::string& id) {
  auto q = db.query("SELECT name_key FROM record_keys WHERE entity = 'member' AND id = ?1");
  q.bind_all(id);
  return q.step() ? q.text(0) : std::string("(no keys)");
}

// A server whose console leaves the keys to the test (no background upkeep).
central::ApiLimits without_keys_upkeep() {
  central::ApiLimits limits;
  limits.console.keys_upkeep_every = std::chrono::hours(1);
  return limits;
}

}  // namespace

TEST_CASE(
    "console keys: a push leaves them to the catch-up, which writes each record saved since "
    "once, in bounded transactions, and follows later edits") {
  test::TestServer server(without_keys_upkeep());
  const auto device = enrol(server, "Nairobi", "node-catchup");
  const std::string created = util::iso8601_utc_from_ms(now_ms());
  std::vector<model::Member> members;
  for (int n = 0; n < 5; ++n) members.push_back(member(n, created));
  push_all(server, device, {members.begin(), members.end()});
  auto db = server.open_db();
  // The push wrote records, not keys: the console's indexes are not on its path.
  CHECK(name_key_of(db, members[0].id) == "(no keys)");

  // Two records per transaction: three transactions, every record once.
  CHECK(central::catch_up_record_keys(db, 2) == 5);
  for (const auto& m : members) {
    CHECK(name_key_of(db, m.id) == model::fold_for_search(m.given_name + " " + m.family_name));
  }
  CHECK(meta_number(db, "record_keys_seq") == meta_number(db, "change_seq"));
  CHECK(central::catch_up_record_keys(db) == 0);  // nothing new: no write

  // An edit moves the record to a new seq: the next catch-up sees its new keys.
  auto edited = members[2];
  edited.given_name = "Zawadi";
  const auto response =
      server.store().push(device, {test::change_of(edited, clock(device.hlc_node, 30),
                                                   {"given_name"}, protocol::Operation::update)});
  REQUIRE(response.results.at(0).outcome == protocol::Outcome::applied);
  CHECK(central::catch_up_record_keys(db) == 1);
  CHECK(name_key_of(db, edited.id) == model::fold_for_search("Zawadi " + edited.family_name));

  // A page catches up before it reads, so a member pushed a moment ago is found.
  auto late = member(7, created);
  late.given_name = "Makena";
  push_all(server, device, {late});
  console_test::add_account(server, "nairobi", "Nairobi", central::ConsoleRole::manager);
  console_test::Browser manager(server);
  REQUIRE(manager.login("nairobi")->status == 303);
  CHECK(contains(manager.get("/console/members?q=makena")->body, "Members 1 to 1 of 1."));
}

TEST_CASE("console keys: catching up while devices push never skips a record") {
  test::TestServer server(without_keys_upkeep());
  const auto device = enrol(server, "Nairobi", "node-race");
  const std::string created = util::iso8601_utc_from_ms(now_ms());
  constexpr int kBatches = 20;
  constexpr int kPerBatch = 25;
  std::vector<std::string> ids;
  std::thread pusher([&] {
    for (int b = 0; b < kBatches; ++b) {
      std::vector<protocol::Change> changes;
      for (int i = 0; i < kPerBatch; ++i) {
        auto m = member(b * kPerBatch + i, created);
        ids.push_back(m.id);
        changes.push_back(test::change_of(
            std::move(m), clock(device.hlc_node, 60, static_cast<std::uint32_t>(ids.size()))));
      }
      server.store().push(device, changes);
    }
  });
  // A second connection catches up all along, in small transactions.
  auto db = server.open_db();
  std::int64_t written = 0;
  for (int i = 0; i < 200; ++i) written += central::catch_up_record_keys(db, 7);
  pusher.join();
  written += central::catch_up_record_keys(db, 7);
  CHECK(written == kBatches * kPerBatch);
  auto q = db.query("SELECT COUNT(*) FROM record_keys WHERE entity = 'member'");
  REQUIRE(q.step());
  CHECK(q.int64(0) == kBatches * kPerBatch);
  for (const auto& id : ids) {
    if (name_key_of(db, id) == "(no keys)") FAIL("a record pushed meanwhile has no keys: " << id);
  }
}

TEST_CASE("console keys: the console's background upkeep writes them without a page being read") {
  central::ApiLimits limits;
  limits.console.keys_upkeep_every = std::chrono::milliseconds(50);
  test::TestServer server(limits);
  const auto device = enrol(server, "Nairobi", "node-upkeep");
  const auto m = member(3, util::iso8601_utc_from_ms(now_ms()));
  push_all(server, device, {m});
  auto db = server.open_db();
  bool keyed = false;
  for (int i = 0; i < 200 && !keyed; ++i) {  // at most 10 s
    keyed = name_key_of(db, m.id) != "(no keys)";
    if (!keyed) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(keyed);
}
