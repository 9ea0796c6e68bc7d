// The office console's devices, events, catalogue, exports and audit pages
// against a real alliance-central on 127.0.0.1 (both backends): roles,
// offices, CSRF, field errors, audit entries, what devices then see through
// the API, CSV exports and page weights.
#include <doctest/doctest.h>

#include <chrono>

#include "central/console/accounts.hpp"
#include "common/model/codes.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"
#include "common/util/uuid.hpp"
#include "console_client.hpp"
#include "server_fixture.hpp"

using namespace alliance;
using console_test::add_account;
using console_test::audit_of;
using console_test::Browser;
using console_test::contains;
using console_test::csrf_of;
using console_test::header_of;
using console_test::kPassword;
using console_test::node_of;

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// A member pushed by `device`; returns its id.
std::string push_member(test::TestServer& server, const protocol::EnrollResponse& device, int n,
                        const std::string& given_name, std::int64_t clock,
                        const std::string& organisation = "Child Welfare Society") {
  model::Member member = test::member_with_id(n);
  member.given_name = given_name;
  member.organisation = organisation;
  member.created_at = "2026-11-28T10:00:00.000Z";
  console_test::push_applied(
      server, device, test::change_of(member, test::hlc_at(clock, node_of(device))), "member");
  return member.id;
}

int pull_status(test::TestServer& server, const std::string& token) {
  auto res = server.client()->Get("/v1/sync/pull?cursor=0&limit=10", test::bearer(token));
  return res ? res->status : -1;
}

std::optional<model::TrainingEvent> event_named(test::TestServer& server, std::string_view name) {
  for (const auto& record : server.store().list(protocol::Entity::event)) {
    const auto& event = std::get<model::TrainingEvent>(record);
    if (event.name == name) return event;
  }
  return std::nullopt;
}

std::optional<model::ResourcePack> pack_of(test::TestServer& server, std::string_view id) {
  for (const auto& record : server.store().list(protocol::Entity::pack)) {
    const auto& pack = std::get<model::ResourcePack>(record);
    if (pack.id == id) return pack;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> event_fields(
    const std::string& csrf, const std::string& name, const std::string& start = "2026-12-01",
    const std::string& end = "2026-12-03", const std::string& country = "KE") {
  return {{"csrf", csrf},        {"id", ""},           {"name", name},
          {"kind", "training"},  {"place", "Nairobi"}, {"country", country},
          {"start_date", start}, {"end_date", end},    {"organiser", "ANPPCAN"}};
}

// The plain enrolment code on the result page.
std::string code_on(const std::string& html) {
  const std::string marker = "<code id=\"enrolment-code\">";
  const auto at = html.find(marker);
  if (at == std::string::npos) return {};
  const auto end = html.find('<', at + marker.size());
  return html.substr(at + marker.size(), end - at - marker.size());
}

}  // namespace

// (No ';' in a case name: ctest would split it into two empty tests.)
TEST_CASE(
    "console devices: an office's devices with last contact, clock offset and queue depth, and "
    "viewers read") {
  test::TestServer server;
  const auto nairobi = server.enroll("Nairobi");
  const auto quiet = server.enroll("Nairobi");  // an agent that never reports its queue
  const auto lagos = server.enroll("Lagos");
  // A pull that says the device's clock is 5 s ahead and 37 changes wait on it.
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  auto client = server.client();
  httplib::Headers headers = test::bearer(nairobi.token);
  headers.emplace(std::string(protocol::kDeviceTimeHeader), std::to_string(now_ms + 5500));
  headers.emplace(std::string(protocol::kQueueDepthHeader), "37");
  REQUIRE(client->Get("/v1/sync/pull?cursor=0&limit=10", headers)->status == 200);
  REQUIRE(client->Get("/v1/sync/pull?cursor=0&limit=10", test::bearer(quiet.token))->status == 200);
  std::string reported_at;
  for (const auto& d : server.store().list_devices()) {
    if (d.id == nairobi.device_id) reported_at = d.queue_depth_at.substr(0, 16);
  }
  REQUIRE(reported_at.size() == 16);

  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  add_account(server, "vera", "Nairobi", central::ConsoleRole::viewer);
  Browser manager(server);
  REQUIRE(manager.login("alice", kPassword)->status == 303);
  const auto page = manager.get("/console/devices");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(contains(page->body, "d-" + nairobi.device_id));
  CHECK_FALSE(contains(page->body, "d-" + lagos.device_id));  // another office's
  CHECK(contains(page->body, "+5."));                         // the clock offset, in seconds
  CHECK(contains(page->body, "<th>Queue depth reported</th>"));
  CHECK(contains(page->body, "<td>37 waiting (" + reported_at + ")</td>"));
  CHECK(contains(page->body, "<td>never reported</td>"));  // the quiet one
  CHECK_FALSE(contains(page->body, "do not report"));
  const auto french = manager.get("/console/devices?lang=fr");
  REQUIRE(french);
  CHECK(contains(french->body, "<td>37 en attente (" + reported_at + ")</td>"));
  CHECK(contains(french->body, "<td>jamais signalée</td>"));
  CHECK(contains(page->body, ">Revoke</button>"));
  CHECK(contains(page->body, "name=\"ttl_hours\""));

  Browser viewer(server);
  REQUIRE(viewer.login("vera", kPassword)->status == 303);
  const auto read_only = viewer.get("/console/devices");
  REQUIRE(read_only);
  CHECK(read_only->status == 200);
  CHECK(contains(read_only->body, "d-" + nairobi.device_id));
  CHECK_FALSE(contains(read_only->body, ">Revoke</button>"));
  CHECK_FALSE(contains(read_only->body, "name=\"ttl_hours\""));
  const std::string csrf = csrf_of(read_only->body);
  const auto revoke = viewer.post(
      "/console/devices",
      {{"csrf", csrf}, {"action", "revoke"}, {"id", nairobi.device_id}, {"confirm", "yes"}});
  CHECK(revoke->status == 403);
  CHECK(viewer.post("/console/devices", {{"csrf", csrf}, {"action", "enrol"}, {"ttl_hours", "5"}})
            ->status == 403);
  CHECK(pull_status(server, nairobi.token) == 200);
  CHECK(audit_of(server, "enrolment_code").empty());
}

TEST_CASE(
    "console devices: revoking takes a confirm step, stays in the office, and the API refuses") {
  test::TestServer server;
  const auto nairobi = server.enroll("Nairobi");
  const auto lagos = server.enroll("Lagos");
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  const std::string csrf = csrf_of(browser.get("/console/devices")->body);

  // Without the CSRF token: refused by the console, nothing revoked.
  CHECK(browser
            .post("/console/devices",
                  {{"action", "revoke"}, {"id", nairobi.device_id}, {"confirm", "yes"}})
            ->status == 403);
  CHECK(pull_status(server, nairobi.token) == 200);

  // Another office's device is answered like a missing one, and stays enrolled.
  const auto other = browser.post(
      "/console/devices",
      {{"csrf", csrf}, {"action", "revoke"}, {"id", lagos.device_id}, {"confirm", "yes"}});
  CHECK(other->status == 404);
  const auto missing = browser.post(
      "/console/devices",
      {{"csrf", csrf}, {"action", "revoke"}, {"id", util::new_uuid_v7()}, {"confirm", "yes"}});
  CHECK(missing->status == 404);
  CHECK(contains(other->body, "There is no such device."));
  CHECK(pull_status(server, lagos.token) == 200);

  // The first press asks; nothing is revoked yet.
  const auto ask = browser.post("/console/devices",
                                {{"csrf", csrf}, {"action", "revoke"}, {"id", nairobi.device_id}});
  REQUIRE(ask);
  CHECK(ask->status == 200);
  CHECK(contains(ask->body, "Yes, revoke it"));
  CHECK(pull_status(server, nairobi.token) == 200);

  const auto done = browser.post(
      "/console/devices",
      {{"csrf", csrf}, {"action", "revoke"}, {"id", nairobi.device_id}, {"confirm", "yes"}});
  REQUIRE(done);
  CHECK(done->status == 200);
  CHECK(contains(done->body, "is revoked"));
  // The API refuses the device from now on, on push and pull.
  CHECK(pull_status(server, nairobi.token) == 403);
  auto client = server.client();
  const auto push = client->Post("/v1/sync/push", test::bearer(nairobi.token), test::push_body({}),
                                 "application/json");
  REQUIRE(push);
  CHECK(push->status == 403);
  CHECK(pull_status(server, lagos.token) == 200);

  const auto audit = audit_of(server, "device_revoke");
  REQUIRE(audit.size() == 1);
  CHECK(audit[0].actor == "console:alice");
  CHECK(audit[0].target == nairobi.device_id);
  CHECK(contains(audit[0].before_json, "\"revoked_at\":\"\""));
  CHECK_FALSE(contains(audit[0].after_json, "\"revoked_at\":\"\""));
  CHECK(contains(audit[0].after_json, "\"office\":\"Nairobi\""));
}

TEST_CASE(
    "console devices: an enrolment code is shown once, enrols for the office, is never kept") {
  test::TestServer server;
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  add_account(server, "root", "HQ", central::ConsoleRole::admin);
  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  const std::string csrf = csrf_of(browser.get("/console/devices")->body);

  // A bad validity is shown next to its field; no code is made.
  const auto bad =
      browser.post("/console/devices", {{"csrf", csrf}, {"action", "enrol"}, {"ttl_hours", "0"}});
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(contains(bad->body, "A whole number of hours from 1 to 2160."));
  CHECK(contains(bad->body, "aria-invalid=\"true\""));
  CHECK(code_on(bad->body).empty());

  // A manager's code is for their own office, whatever the form says.
  const auto made =
      browser.post("/console/devices",
                   {{"csrf", csrf}, {"action", "enrol"}, {"office", "Lagos"}, {"ttl_hours", "5"}});
  REQUIRE(made);
  CHECK(made->status == 200);
  const std::string code = code_on(made->body);
  REQUIRE_FALSE(code.empty());
  CHECK_FALSE(contains(browser.get("/console/devices")->body, code));
  auto client = server.client();
  const auto enrolled = client->Post(
      "/v1/devices/enroll",
      protocol::encode(protocol::EnrollRequest{
          .code = code, .device_name = "Console desk", .app_version = "test", .hlc_node = ""}),
      "application/json");
  REQUIRE(enrolled);
  REQUIRE(enrolled->status == 200);
  CHECK(protocol::decode_enroll_response(enrolled->body)->office == "Nairobi");

  const auto audit = audit_of(server, "enrolment_code");
  REQUIRE(audit.size() == 1);
  CHECK(audit[0].target == "Nairobi");
  CHECK_FALSE(contains(audit[0].after_json, code));
  CHECK_FALSE(contains(audit[0].before_json, code));

  // An admin names the office; an empty one is an error next to the field.
  Browser admin(server);
  REQUIRE(admin.login("root", kPassword)->status == 303);
  const std::string admin_csrf = csrf_of(admin.get("/console/devices")->body);
  const auto no_office =
      admin.post("/console/devices",
                 {{"csrf", admin_csrf}, {"action", "enrol"}, {"office", " "}, {"ttl_hours", "5"}});
  CHECK(no_office->status == 400);
  CHECK(contains(no_office->body, "Give an office name"));
  const auto lagos = admin.post(
      "/console/devices",
      {{"csrf", admin_csrf}, {"action", "enrol"}, {"office", "Lagos"}, {"ttl_hours", "5"}});
  CHECK(lagos->status == 200);
  CHECK(contains(lagos->body, "for office Lagos"));
}

TEST_CASE("console events: bad fields are shown in the user's language and nothing is saved") {
  test::TestServer server;
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  const std::string csrf = csrf_of(browser.get("/console/events")->body);

  const auto bad =
      browser.post("/console/events", event_fields(csrf, "  ", "2026-13-01", "2026-12-03", "ZZ"));
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(contains(bad->body, "Nothing was saved."));
  CHECK(contains(bad->body, "id=\"err-name\">Required."));
  CHECK(contains(bad->body, "id=\"err-start_date\">Not valid."));
  CHECK(contains(bad->body, "id=\"err-country\">Unknown code."));
  CHECK(contains(bad->body, "value=\"ZZ\""));  // what was typed stays in the form
  const auto backwards = browser.post(
      "/console/events", event_fields(csrf, "Case management", "2026-12-05", "2026-12-01"));
  CHECK(backwards->status == 400);
  CHECK(contains(backwards->body, "id=\"err-end_date\">Out of range"));
  const auto too_long = browser.post("/console/events", event_fields(csrf, std::string(5000, 'x')));
  CHECK(too_long->status == 400);
  CHECK(contains(too_long->body, "id=\"err-name\">Too long."));
  CHECK(server.store().count_records(protocol::Entity::event) == 0);
  CHECK(audit_of(server, "event_create").empty());

  // In French, the same errors in French.
  browser.set_cookie("console_lang", "fr");
  const auto french = browser.post("/console/events", event_fields(csrf, ""));
  CHECK(french->status == 400);
  CHECK(contains(french->body, "id=\"err-name\">Obligatoire."));
  CHECK(contains(french->body, "Rien n&#39;a été enregistré."));
  CHECK(server.store().count_records(protocol::Entity::event) == 0);
}

TEST_CASE("console events: a manager's new and edited event reaches the office's devices by pull") {
  test::TestServer server;
  const auto device = server.enroll("Nairobi");
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  const std::string csrf = csrf_of(browser.get("/console/events")->body);

  auto client = server.client();
  const std::int64_t cursor = test::pull(*client, device.token, 0).next_cursor;
  const auto created = browser.post("/console/events", event_fields(csrf, "Case management"));
  REQUIRE(created);
  CHECK(created->status == 303);
  const auto event = event_named(server, "Case management");
  REQUIRE(event);
  CHECK(event->office == "Nairobi");
  CHECK(contains(browser.get(header_of(created, "Location"))->body, "Case management"));

  const auto pulled = test::pull(*client, device.token, cursor);
  bool seen = false;
  for (const auto& change : pulled.changes) {
    if (const auto* e = std::get_if<model::TrainingEvent>(&change.record)) {
      seen |= e->id == event->id && e->name == "Case management" && e->office == "Nairobi";
    }
  }
  CHECK(seen);

  // Edited: the device pulls the new name; the office stays.
  auto fields = event_fields(csrf, "Case management, level 2");
  fields[1].second = event->id;
  fields.emplace_back("voided", "1");
  CHECK(browser.post("/console/events", fields)->status == 303);
  const auto again = test::pull(*client, device.token, pulled.next_cursor);
  bool renamed = false;
  for (const auto& change : again.changes) {
    if (const auto* e = std::get_if<model::TrainingEvent>(&change.record)) {
      renamed |= e->id == event->id && e->name == "Case management, level 2" && e->voided &&
                 e->office == "Nairobi";
    }
  }
  CHECK(renamed);

  const auto creations = audit_of(server, "event_create");
  REQUIRE(creations.size() == 1);
  CHECK(creations[0].before_json == "{}");
  CHECK(contains(creations[0].after_json, "Case management"));
  const auto edits = audit_of(server, "event_edit");
  REQUIRE(edits.size() == 1);
  CHECK(contains(edits[0].before_json, "\"name\":\"Case management\""));
  CHECK(contains(edits[0].after_json, "level 2"));
}

TEST_CASE("console events: another office's event is missing to a manager, viewers may not write") {
  test::TestServer server;
  add_account(server, "root", "HQ", central::ConsoleRole::admin);
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  add_account(server, "vera", "Lagos", central::ConsoleRole::viewer);
  Browser admin(server);
  REQUIRE(admin.login("root", kPassword)->status == 303);
  auto fields = event_fields(csrf_of(admin.get("/console/events")->body), "Lagos forum");
  fields.emplace_back("office", "Lagos");
  CHECK(admin.post("/console/events", fields)->status == 303);
  const auto event = event_named(server, "Lagos forum");
  REQUIRE(event);
  CHECK(event->office == "Lagos");

  Browser manager(server);
  REQUIRE(manager.login("alice", kPassword)->status == 303);
  const auto list = manager.get("/console/events");
  CHECK_FALSE(contains(list->body, "Lagos forum"));
  CHECK(manager.get("/console/events?edit=" + event->id)->status == 404);
  CHECK(manager.get("/console/events?edit=" + util::new_uuid_v7())->status == 404);
  auto edit = event_fields(csrf_of(list->body), "Renamed by Nairobi");
  edit[1].second = event->id;
  const auto refused = manager.post("/console/events", edit);
  CHECK(refused->status == 404);
  CHECK(contains(refused->body, "There is no such event."));
  // A manager's new event is for their office, whatever the form says.
  auto smuggled = event_fields(csrf_of(list->body), "Smuggled");
  smuggled.emplace_back("office", "Lagos");
  CHECK(manager.post("/console/events", smuggled)->status == 303);
  REQUIRE(event_named(server, "Smuggled"));
  CHECK(event_named(server, "Smuggled")->office == "Nairobi");

  Browser viewer(server);
  REQUIRE(viewer.login("vera", kPassword)->status == 303);
  const auto read_only = viewer.get("/console/events");
  CHECK(read_only->status == 200);
  CHECK(contains(read_only->body, "Lagos forum"));
  CHECK_FALSE(contains(read_only->body, "name=\"start_date\""));
  auto viewer_edit = event_fields(csrf_of(read_only->body), "Renamed by a viewer");
  viewer_edit[1].second = event->id;
  CHECK(viewer.post("/console/events", viewer_edit)->status == 403);
  CHECK(viewer.post("/console/events", event_fields(csrf_of(read_only->body), "New"))->status ==
        403);
  CHECK(event_named(server, "Lagos forum"));
  CHECK_FALSE(event_named(server, "New"));
  CHECK(server.store().count_records(protocol::Entity::event) == 2);
}

TEST_CASE("console catalogue: admins write packs, managers their office's stock, viewers nothing") {
  test::TestServer server;
  const auto device = server.enroll("Nairobi");
  add_account(server, "root", "HQ", central::ConsoleRole::admin);
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  add_account(server, "vera", "Nairobi", central::ConsoleRole::viewer);
  Browser admin(server);
  REQUIRE(admin.login("root", kPassword)->status == 303);
  const std::string csrf = csrf_of(admin.get("/console/catalogue")->body);
  const auto bad = admin.post("/console/catalogue", {{"csrf", csrf},
                                                     {"new", "1"},
                                                     {"id", "CP-TOOLKIT-01"},
                                                     {"title", "Toolkit"},
                                                     {"languages", "english"},
                                                     {"format", "print"},
                                                     {"stock", "Nairobi = lots"}});
  CHECK(bad->status == 400);
  CHECK(contains(bad->body, "id=\"err-languages\">Not valid."));
  CHECK(contains(bad->body, "id=\"err-stock\">Write each line as OFFICE = QUANTITY."));
  CHECK_FALSE(pack_of(server, "CP-TOOLKIT-01"));

  CHECK(admin
            .post("/console/catalogue", {{"csrf", csrf},
                                         {"new", "1"},
                                         {"id", "CP-TOOLKIT-01"},
                                         {"title", "Toolkit"},
                                         {"languages", "en, fr"},
                                         {"format", "print"},
                                         {"stock", "Nairobi = 10\nLagos = 4"}})
            ->status == 303);
  const auto pack = pack_of(server, "CP-TOOLKIT-01");
  REQUIRE(pack);
  CHECK(pack->stock_at("Nairobi") == 10);
  CHECK(pack->languages == std::vector<std::string>{"en", "fr"});
  // The same id again is not a second pack.
  const auto taken = admin.post("/console/catalogue", {{"csrf", csrf},
                                                       {"new", "1"},
                                                       {"id", "CP-TOOLKIT-01"},
                                                       {"title", "Other"},
                                                       {"languages", "en"},
                                                       {"format", "print"},
                                                       {"stock", ""}});
  CHECK(taken->status == 400);
  CHECK(pack_of(server, "CP-TOOLKIT-01")->title == "Toolkit");

  // The device pulls the pack.
  auto client = server.client();
  bool pulled = false;
  for (const auto& change : test::pull(*client, device.token, 0).changes) {
    if (const auto* p = std::get_if<model::ResourcePack>(&change.record)) {
      pulled |= p->id == "CP-TOOLKIT-01" && p->stock_at("Nairobi") == 10;
    }
  }
  CHECK(pulled);

  // A manager sets their office's stock; the title and Lagos's stock stay.
  Browser manager(server);
  REQUIRE(manager.login("alice", kPassword)->status == 303);
  const auto edit_page = manager.get("/console/catalogue?edit=CP-TOOLKIT-01");
  REQUIRE(edit_page->status == 200);
  CHECK_FALSE(contains(edit_page->body, "Lagos"));  // another office's stock is not shown
  CHECK(manager
            .post("/console/catalogue", {{"csrf", csrf_of(edit_page->body)},
                                         {"id", "CP-TOOLKIT-01"},
                                         {"title", "Renamed by a manager"},
                                         {"quantity", "7"}})
            ->status == 303);
  const auto after = pack_of(server, "CP-TOOLKIT-01");
  CHECK(after->stock_at("Nairobi") == 7);
  CHECK(after->stock_at("Lagos") == 4);
  CHECK(after->title == "Toolkit");
  const auto negative = manager.post(
      "/console/catalogue",
      {{"csrf", csrf_of(edit_page->body)}, {"id", "CP-TOOLKIT-01"}, {"quantity", "-3"}});
  CHECK(negative->status == 400);
  CHECK(contains(negative->body, "A whole number, 0 or more."));
  CHECK(manager
            .post("/console/catalogue", {{"csrf", csrf_of(edit_page->body)},
                                         {"new", "1"},
                                         {"id", "CP-NEW"},
                                         {"title", "New"},
                                         {"languages", "en"},
                                         {"format", "print"}})
            ->status == 404);  // managers create no packs
  CHECK_FALSE(pack_of(server, "CP-NEW"));

  Browser viewer(server);
  REQUIRE(viewer.login("vera", kPassword)->status == 303);
  const auto read_only = viewer.get("/console/catalogue");
  CHECK(contains(read_only->body, "Toolkit"));
  CHECK(viewer
            .post("/console/catalogue",
                  {{"csrf", csrf_of(read_only->body)}, {"id", "CP-TOOLKIT-01"}, {"quantity", "0"}})
            ->status == 403);
  CHECK(pack_of(server, "CP-TOOLKIT-01")->stock_at("Nairobi") == 7);

  const auto edits = audit_of(server, "pack_edit");
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].actor == "console:alice");
  CHECK(audit_of(server, "pack_create").size() == 1);
}

TEST_CASE("console exports: CSV with a BOM, formula-safe, only the account's offices, audited") {
  test::TestServer server;
  const auto nairobi = server.enroll("Nairobi");
  const auto lagos = server.enroll("Lagos");
  // Names cannot hold '=' (validation), but may start with '-'; organisations hold anything.
  push_member(server, nairobi, 1, "-Amina", 1000, "=cmd|' /C calc'!A0");
  push_member(server, nairobi, 2, "Wanjiku", 2000);
  push_member(server, lagos, 3, "Adebayo", 3000);
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  add_account(server, "vera", "Nairobi", central::ConsoleRole::viewer);
  add_account(server, "root", "HQ", central::ConsoleRole::admin);

  Browser viewer(server);
  REQUIRE(viewer.login("vera", kPassword)->status == 303);
  const auto form = viewer.get("/console/exports");
  REQUIRE(form->status == 200);
  const std::string csrf = csrf_of(form->body);
  // Asking for another office is ignored: a viewer's export is their office's.
  const auto csv =
      viewer.post("/console/exports", {{"csrf", csrf}, {"what", "members"}, {"office", "Lagos"}});
  REQUIRE(csv);
  CHECK(csv->status == 200);
  CHECK(contains(header_of(csv, "Content-Type"), "text/csv"));
  CHECK(contains(header_of(csv, "Content-Disposition"), "attachment; filename=\"members-"));
  CHECK(csv->body.starts_with(kBom));
  CHECK(contains(csv->body, ",'=cmd|' /C calc'!A0,"));
  CHECK_FALSE(contains(csv->body, ",=cmd"));
  CHECK(contains(csv->body, ",'-Amina,"));
  CHECK_FALSE(contains(csv->body, ",-Amina,"));
  CHECK(contains(csv->body, "Wanjiku"));
  CHECK_FALSE(contains(csv->body, "Adebayo"));

  // Filters: a date range that holds nothing gives the header row only.
  const auto none = viewer.post(
      "/console/exports",
      {{"csrf", csrf}, {"what", "members"}, {"from", "2030-01-01"}, {"to", "2030-12-31"}});
  CHECK(none->status == 200);
  CHECK_FALSE(contains(none->body, "Wanjiku"));
  const auto bad = viewer.post("/console/exports", {{"csrf", csrf},
                                                    {"what", "members"},
                                                    {"from", "2026-02-30"},
                                                    {"event", util::new_uuid_v7()}});
  CHECK(bad->status == 400);
  CHECK(contains(bad->body, "id=\"err-from\">A date written YYYY-MM-DD."));
  CHECK(contains(bad->body, "id=\"err-event\">There is no such event in your offices."));
  for (const char* what : {"requests", "attendance"}) {
    const auto other = viewer.post("/console/exports", {{"csrf", csrf}, {"what", what}});
    CHECK(other->status == 200);
    CHECK(other->body.starts_with(kBom));
  }

  // An admin sees every office, or picks one.
  Browser admin(server);
  REQUIRE(admin.login("root", kPassword)->status == 303);
  const std::string admin_csrf = csrf_of(admin.get("/console/exports")->body);
  const auto all = admin.post("/console/exports", {{"csrf", admin_csrf}, {"what", "members"}});
  CHECK(contains(all->body, "Adebayo"));
  CHECK(contains(all->body, "Wanjiku"));
  const auto one = admin.post("/console/exports",
                              {{"csrf", admin_csrf}, {"what", "members"}, {"office", "Lagos"}});
  CHECK(contains(one->body, "Adebayo"));
  CHECK_FALSE(contains(one->body, "Wanjiku"));

  // Audited: who exported what, never the rows.
  const auto audit = audit_of(server, "export");
  REQUIRE(audit.size() == 6);
  CHECK(audit[0].actor == "console:vera");
  CHECK(audit[0].target == "members");
  CHECK(contains(audit[0].after_json, "\"office\":\"Nairobi\""));
  CHECK(contains(audit[0].after_json, "\"rows\":\"2\""));
  for (const auto& e : audit) {
    CHECK_FALSE(contains(e.after_json, "Wanjiku"));
    CHECK_FALSE(contains(e.after_json, "cmd"));
  }
}

TEST_CASE("console audit: admins read it newest first, a page at a time, and download it") {
  test::TestServer server;
  add_account(server, "root", "HQ", central::ConsoleRole::admin);
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  {
    auto accounts = central::AccountStore::open(server.store().db_spec());
    for (int i = 0; i < 60; ++i) {
      accounts->audit({.actor = "console:root",
                       .action = "test_entry",
                       .target = util::cat("target-", i),
                       .client_address = "127.0.0.1"});
    }
  }
  Browser manager(server);
  REQUIRE(manager.login("alice", kPassword)->status == 303);
  CHECK(manager.get("/console/audit")->status == 403);
  CHECK_FALSE(contains(manager.get("/console/requests")->body, "href=\"/console/audit\""));
  CHECK(manager.post("/console/audit", {{"csrf", csrf_of(manager.get("/console/requests")->body)}})
            ->status == 403);

  Browser admin(server);
  REQUIRE(admin.login("root", kPassword)->status == 303);
  const auto first = admin.get("/console/audit");
  REQUIRE(first->status == 200);
  // 60 entries, then the two sign-ins: the newest (root's sign-in) leads.
  const auto newest = first->body.find(">login<");
  const auto oldest_shown = first->body.find(">target-59<");
  CHECK(newest != std::string::npos);
  CHECK(oldest_shown != std::string::npos);
  CHECK(newest < oldest_shown);
  CHECK_FALSE(contains(first->body, ">target-0<"));
  CHECK(contains(first->body, "href=\"/console/audit?page=1\""));
  const auto second = admin.get("/console/audit?page=1");
  CHECK(contains(second->body, ">target-0<"));
  CHECK_FALSE(contains(second->body, ">target-59<"));

  const auto csv = admin.post("/console/audit", {{"csrf", csrf_of(first->body)}});
  REQUIRE(csv->status == 200);
  CHECK(csv->body.starts_with(std::string(kBom) + "id,at,actor,action"));
  CHECK(contains(csv->body, "target-0"));
  CHECK(audit_of(server, "audit_export").size() == 1);
}

TEST_CASE("console admin pages: full pages stay under 100 KB in every language") {
  test::TestServer server;
  add_account(server, "root", "HQ", central::ConsoleRole::admin);
  // Enough rows to fill a page of each list.
  std::vector<model::ResourcePack> packs;
  std::vector<model::TrainingEvent> events;
  for (int i = 0; i < 60; ++i) {
    model::ResourcePack pack;
    pack.id = util::cat("CP-PACK-", 100 + i);
    pack.title = std::string(180, 'T');
    pack.languages = {"en", "fr", "pt", "es"};
    pack.stock = {{"Nairobi", i}, {"Lagos", i}, {"Dakar", i}, {"Maputo", i}};
    packs.push_back(pack);
    model::TrainingEvent event;
    event.name = std::string(180, 'E');
    event.place = std::string(100, 'P');
    event.country = "KE";
    event.start_date = "2026-12-01";
    event.end_date = "2026-12-02";
    event.office = "Nairobi";
    events.push_back(event);
  }
  REQUIRE(server.store().import_catalog(packs, events).has_value());
  const auto now_ms = util::to_unix_ms(std::chrono::system_clock::now());
  for (int i = 0; i < 60; ++i) {
    const std::string code = server.store().create_enrolment_code("Nairobi", std::chrono::hours(1));
    const auto enrolled =
        server.store().enroll({.code = code,
                               .device_name = std::string(100, 'D') + std::to_string(i),
                               .app_version = "1.0.0",
                               .hlc_node = ""});
    REQUIRE(enrolled.has_value());
    // The widest cells: a clock offset and the largest queue depth recorded.
    const auto device = server.store().authenticate(enrolled->token);
    REQUIRE(device.has_value());
    server.store().push(*device, {},
                        central::PushOptions{.device_time_ms = now_ms - 86'400'000,
                                             .queue_depth = central::kMaxQueueDepth});
  }
  {
    auto accounts = central::AccountStore::open(server.store().db_spec());
    const std::string big = "{\"name\":\"" + std::string(1000, 'x') + "\"}";
    for (int i = 0; i < 60; ++i) {
      accounts->audit({.actor = "console:root",
                       .action = "event_edit",
                       .target = util::new_uuid_v7(),
                       .client_address = "127.0.0.1",
                       .before_json = big,
                       .after_json = big});
    }
  }
  Browser admin(server);
  REQUIRE(admin.login("root", kPassword)->status == 303);
  for (const char* lang : {"en", "fr", "pt", "es"}) {
    admin.set_cookie("console_lang", lang);
    for (const char* path : {"/console/devices", "/console/events", "/console/catalogue",
                             "/console/exports", "/console/audit"}) {
      const auto res = admin.get(path);
      REQUIRE(res);
      CHECK(res->status == 200);
      CHECK(contains(res->body, util::cat("<html lang=\"", lang, "\">")));
      CHECK(res->body.size() < 100 * 1024);
      if (std::string_view(lang) == "en")
        MESSAGE(std::string(path) << ": " << res->body.size() << " bytes");
    }
  }
}
