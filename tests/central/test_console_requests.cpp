// The office console's bulk decisions, stock per office and pack, and the
// possible duplicates page with its merge, against a real alliance-central on
// 127.0.0.1 (both backends), and the weight of these pages.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "central/admin/cli.hpp"
#include "central/console/accounts.hpp"
#include "central/store/central_store.hpp"
#include "common/util/strings.hpp"
#include "console_client.hpp"
#include "server_fixture.hpp"

using namespace alliance;
using namespace alliance::console_test;

namespace {

std::string reference_of(test::TestServer& server, const std::string& id) {
  return stored_request(server, id).reference_code;
}

// The catalogue's packs: the stock page only takes packs it lists.
void add_packs(test::TestServer& server) {
  std::vector<model::ResourcePack> packs;
  for (const char* id : {"CP-TOOLKIT-01", "CP-POSTER-02", "CP-GUIDE-03"}) {
    model::ResourcePack pack;
    pack.id = id;
    pack.title = std::string("Pack ") + id;
    pack.languages = {"en"};
    packs.push_back(pack);
  }
  REQUIRE(server.store().import_catalog(packs, {}).has_value());
}

std::optional<std::int64_t> on_hand(test::TestServer& server, const std::string& office,
                                    const std::string& pack) {
  for (const auto& level : server.store().list_stock(office)) {
    if (level.pack_id == pack) return level.on_hand;
  }
  return std::nullopt;
}

// Members pushed by `device`, each registered twice (the same person on two
// days): `pairs` possible duplicate pairs. Returns the ids, pair by pair.
std::vector<std::string> push_twice_registered(test::TestServer& server,
                                               const protocol::EnrollResponse& device, int first,
                                               int pairs) {
  std::vector<protocol::Change> changes;
  std::vector<std::string> ids;
  std::int64_t clock = 5000;
  for (int n = first; n < first + pairs; ++n) {
    for (int copy = 0; copy < 2; ++copy) {
      auto member = test::member_with_id(n);
      ids.push_back(member.id);
      changes.push_back(test::change_of(member, test::hlc_at(++clock, node_of(device))));
    }
  }
  auto client = server.client();
  const auto pushed = test::push(*client, device.token, changes);
  REQUIRE(pushed.results.size() == changes.size());
  for (const auto& result : pushed.results) REQUIRE(result.outcome == protocol::Outcome::applied);
  return ids;
}

}  // namespace

TEST_CASE("console bulk: three approved at once, one cannot move: two approved, one reported") {
  test::TestServer server;
  const auto device = server.enroll("Nairobi");
  const std::string r1 = push_request(server, device, "Nairobi", "Amina", 1000);
  const std::string r2 = push_request(server, device, "Nairobi", "Jo", 2000);
  const std::string r3 = push_request(server, device, "Nairobi", "Kofi", 3000);
  REQUIRE(server.store()
              .set_request_status(r3, model::RequestStatus::cancelled, "admin:test")
              .has_value());
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  const auto queue = browser.get("/console/requests");
  REQUIRE(queue);
  // A check-box per row joins the one bulk form.
  CHECK(contains(queue->body, "<form id=\"bulk\""));
  CHECK(contains(queue->body, util::cat("name=\"id\" form=\"bulk\" value=\"", r1, "\"")));
  const std::string csrf = csrf_of(queue->body);

  const auto bulk = browser.post(
      "/console/requests",
      {{"csrf", csrf}, {"bulk", "1"}, {"id", r1}, {"id", r2}, {"id", r3}, {"action", "approve"}});
  REQUIRE(bulk);
  CHECK(bulk->status == 200);
  CHECK(contains(bulk->body, "2 of 3 ticked requests done."));
  CHECK(contains(bulk->body, util::cat(reference_of(server, r3),
                                       ": This request cannot move from cancelled to approved.")));
  CHECK(status_of(server, r1) == model::RequestStatus::approved);
  CHECK(status_of(server, r2) == model::RequestStatus::approved);
  CHECK(status_of(server, r3) == model::RequestStatus::cancelled);
  const auto decisions = audit_of(server, "request_status");
  REQUIRE(decisions.size() == 2);
  CHECK(decisions[0].target == r1);
  CHECK(decisions[1].target == r2);
  CHECK(decisions[1].actor == "console:alice");

  // One reason for all the rejected ones, each audited with it.
  const std::string r4 = push_request(server, device, "Nairobi", "Ana", 4000);
  CHECK(browser
            .post("/console/requests",
                  {{"csrf", csrf}, {"bulk", "1"}, {"id", r4}, {"id", r2}, {"action", "reject"}})
            ->status == 400);  // no reason: nothing changes
  CHECK(status_of(server, r4) == model::RequestStatus::requested);
  const auto rejected = browser.post("/console/requests", {{"csrf", csrf},
                                                           {"bulk", "1"},
                                                           {"id", r4},
                                                           {"id", r2},
                                                           {"action", "reject"},
                                                           {"reason", "out of print"}});
  CHECK(contains(rejected->body, "2 of 2 ticked requests done."));
  CHECK(status_of(server, r4) == model::RequestStatus::cancelled);
  CHECK(status_of(server, r2) == model::RequestStatus::cancelled);
  CHECK(audit_of(server, "request_status").back().after_json ==
        "{\"status\":\"cancelled\",\"reason\":\"out of print\"}");

  // Nothing ticked, and more ids than one POST may carry: refused, nothing changed.
  const auto none =
      browser.post("/console/requests", {{"csrf", csrf}, {"bulk", "1"}, {"action", "approve"}});
  CHECK(none->status == 400);
  CHECK(contains(none->body, "Tick at least one request first."));
  std::vector<std::pair<std::string, std::string>> many = {
      {"csrf", csrf}, {"bulk", "1"}, {"action", "dispatch"}};
  many.emplace_back("id", r1);
  for (int i = 0; i < 100; ++i) many.emplace_back("id", util::cat("missing-", i));
  const auto too_many = browser.post("/console/requests", many);
  CHECK(too_many->status == 413);
  CHECK(contains(too_many->body, "At most 100 requests at once."));
  CHECK(status_of(server, r1) == model::RequestStatus::approved);
  CHECK(audit_of(server, "request_status").size() == 4);
}

TEST_CASE("console bulk: a viewer's bulk decision is refused with 403 and changes nothing") {
  test::TestServer server;
  const auto device = server.enroll("Nairobi");
  const std::string r1 = push_request(server, device, "Nairobi", "Amina", 1000);
  const std::string r2 = push_request(server, device, "Nairobi", "Jo", 2000);
  add_account(server, "victor", "Nairobi", central::ConsoleRole::viewer);
  Browser browser(server);
  REQUIRE(browser.login("victor", kPassword)->status == 303);
  const auto queue = browser.get("/console/requests");
  CHECK_FALSE(contains(queue->body, "<form id=\"bulk\""));
  CHECK_FALSE(contains(queue->body, "type=\"checkbox\""));
  const auto bulk = browser.post("/console/requests", {{"csrf", csrf_of(queue->body)},
                                                       {"bulk", "1"},
                                                       {"id", r1},
                                                       {"id", r2},
                                                       {"action", "approve"}});
  REQUIRE(bulk);
  CHECK(bulk->status == 403);
  CHECK(status_of(server, r1) == model::RequestStatus::requested);
  CHECK(status_of(server, r2) == model::RequestStatus::requested);
  CHECK(audit_of(server, "request_status").empty());
}

TEST_CASE("console bulk: another office's ids in a manager's bulk are treated as missing") {
  test::TestServer server;
  const auto nairobi = server.enroll("Nairobi");
  const auto mombasa = server.enroll("Mombasa");
  const std::string own = push_request(server, nairobi, "Nairobi", "Amina", 1000);
  const std::string other = push_request(server, mombasa, "Mombasa", "Secret Person", 2000);
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  const auto queue = browser.get("/console/requests");
  CHECK_FALSE(contains(queue->body, other));
  const auto bulk = browser.post("/console/requests", {{"csrf", csrf_of(queue->body)},
                                                       {"bulk", "1"},
                                                       {"id", own},
                                                       {"id", other},
                                                       {"action", "approve"}});
  REQUIRE(bulk);
  CHECK(bulk->status == 200);
  CHECK(contains(bulk->body, "1 of 2 ticked requests done."));
  CHECK(contains(bulk->body, "There is no such request."));
  CHECK_FALSE(contains(bulk->body, "Secret Person"));
  CHECK_FALSE(contains(bulk->body, reference_of(server, other)));
  CHECK(status_of(server, own) == model::RequestStatus::approved);
  CHECK(status_of(server, other) == model::RequestStatus::requested);
}

TEST_CASE(
    "console stock: set per office and pack, taken by dispatch, refused when short, audited") {
  test::TestServer server;
  add_packs(server);
  const auto device = server.enroll("Nairobi");
  const std::string first = push_request(server, device, "Nairobi", "Amina", 1000);
  const std::string second = push_request(server, device, "Nairobi", "Jo", 2000);
  // Two lines: CP-POSTER-02 has enough, CP-TOOLKIT-01 will not.
  const std::string mixed = push_request(
      server, device, "Nairobi", "Kofi", 3000,
      {{.pack_id = "CP-POSTER-02", .quantity = 1}, {.pack_id = "CP-TOOLKIT-01", .quantity = 1}});
  // CP-GUIDE-03 has no stock recorded: untracked, dispatched freely.
  const std::string untracked = push_request(server, device, "Nairobi", "Ana", 4000,
                                             {{.pack_id = "CP-GUIDE-03", .quantity = 9}});
  for (const auto& id : {first, second, mixed, untracked}) {
    REQUIRE(server.store()
                .set_request_status(id, model::RequestStatus::approved, "admin:test")
                .has_value());
  }
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  add_account(server, "victor", "Nairobi", central::ConsoleRole::viewer);
  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  const auto stock_page = browser.get("/console/stock");
  REQUIRE(stock_page);
  CHECK(stock_page->status == 200);
  CHECK(contains(stock_page->body, "No stock recorded yet"));
  CHECK(contains(stock_page->body, "<option value=\"CP-TOOLKIT-01\">"));
  const std::string csrf = csrf_of(stock_page->body);

  // A manager's office is its own, whatever the form says; bad input is refused.
  const auto set = browser.post(
      "/console/stock",
      {{"csrf", csrf}, {"office", "Mombasa"}, {"pack", "CP-TOOLKIT-01"}, {"quantity", "3"}});
  REQUIRE(set);
  CHECK(set->status == 200);
  CHECK(contains(set->body, "Stock of CP-TOOLKIT-01 at Nairobi is now 3."));
  CHECK(on_hand(server, "Nairobi", "CP-TOOLKIT-01") == 3);
  CHECK_FALSE(on_hand(server, "Mombasa", "CP-TOOLKIT-01").has_value());
  CHECK(browser
            .post("/console/stock", {{"csrf", csrf}, {"pack", "CP-POSTER-02"}, {"quantity", "10"}})
            ->status == 200);
  for (const std::string bad : {"-1", "2.5", "", "ten", "99999999999"}) {
    const auto refused = browser.post(
        "/console/stock", {{"csrf", csrf}, {"pack", "CP-TOOLKIT-01"}, {"quantity", bad}});
    CHECK(refused->status == 400);
    CHECK(contains(refused->body, "a whole number from 0 to"));
  }
  const auto unknown =
      browser.post("/console/stock", {{"csrf", csrf}, {"pack", "NOT-A-PACK"}, {"quantity", "1"}});
  CHECK(unknown->status == 400);
  CHECK(contains(unknown->body, "Choose a pack from the catalogue."));
  CHECK(on_hand(server, "Nairobi", "CP-TOOLKIT-01") == 3);
  const auto stock_sets = audit_of(server, "stock_set");
  REQUIRE(stock_sets.size() == 2);
  CHECK(stock_sets[0].target == "Nairobi/CP-TOOLKIT-01");
  CHECK(stock_sets[0].before_json == "{\"on_hand\":\"\"}");
  CHECK(stock_sets[0].after_json == "{\"on_hand\":\"3\"}");

  // The queue shows what is on hand next to each pack.
  const auto queue = browser.get("/console/requests");
  CHECK(contains(queue->body, "CP-TOOLKIT-01 &times; 2 <small>(3 on hand)</small>"));
  CHECK(contains(queue->body, "CP-GUIDE-03 &times; 9 <small>(stock not tracked)</small>"));

  // Dispatch takes 2 of 3; the next needs 2 of 1: refused, nothing saved.
  CHECK(browser.post("/console/requests", {{"csrf", csrf}, {"id", first}, {"action", "dispatch"}})
            ->status == 303);
  CHECK(status_of(server, first) == model::RequestStatus::dispatched);
  CHECK(on_hand(server, "Nairobi", "CP-TOOLKIT-01") == 1);
  const auto short_one =
      browser.post("/console/requests", {{"csrf", csrf}, {"id", second}, {"action", "dispatch"}});
  CHECK(short_one->status == 409);
  CHECK(contains(short_one->body, "pack CP-TOOLKIT-01 has 1 on hand and this request needs 2"));
  CHECK(status_of(server, second) == model::RequestStatus::approved);
  CHECK(on_hand(server, "Nairobi", "CP-TOOLKIT-01") == 1);

  // In bulk: the mixed request's poster is not taken when its toolkit falls
  // short (one transaction); the untracked one goes out.
  CHECK(browser
            .post("/console/requests", {{"csrf", csrf},
                                        {"bulk", "1"},
                                        {"id", second},
                                        {"id", untracked},
                                        {"action", "dispatch"}})
            ->status == 200);
  CHECK(status_of(server, untracked) == model::RequestStatus::dispatched);
  CHECK_FALSE(on_hand(server, "Nairobi", "CP-GUIDE-03").has_value());
  CHECK(browser.post("/console/requests", {{"csrf", csrf}, {"id", mixed}, {"action", "dispatch"}})
            ->status == 303);  // 1 toolkit of 1, 1 poster of 10
  CHECK(on_hand(server, "Nairobi", "CP-TOOLKIT-01") == 0);
  CHECK(on_hand(server, "Nairobi", "CP-POSTER-02") == 9);
  const std::string late = push_request(
      server, device, "Nairobi", "Late", 5000,
      {{.pack_id = "CP-POSTER-02", .quantity = 1}, {.pack_id = "CP-TOOLKIT-01", .quantity = 1}});
  REQUIRE(server.store()
              .set_request_status(late, model::RequestStatus::approved, "admin:test")
              .has_value());
  const auto half = server.store().decide_request(late, model::RequestStatus::dispatched, "t");
  REQUIRE_FALSE(half.has_value());
  CHECK(half.error().code == "insufficient_stock");
  CHECK(on_hand(server, "Nairobi", "CP-POSTER-02") == 9);  // nothing half-saved
  CHECK(status_of(server, late) == model::RequestStatus::approved);

  const auto taken = audit_of(server, "stock_dispatch");
  REQUIRE(taken.size() == 3);
  CHECK(taken[0].target == "Nairobi/CP-TOOLKIT-01");
  CHECK(taken[0].before_json == "{\"on_hand\":\"3\"}");
  CHECK(taken[0].after_json == util::cat("{\"on_hand\":\"1\",\"request\":\"", first, "\"}"));

  // A viewer sees the stock but cannot set it.
  Browser viewer(server);
  REQUIRE(viewer.login("victor", kPassword)->status == 303);
  const auto seen = viewer.get("/console/stock");
  CHECK(contains(seen->body, "CP-POSTER-02"));
  CHECK_FALSE(contains(seen->body, "name=\"quantity\""));
  CHECK(viewer
            .post("/console/stock",
                  {{"csrf", csrf_of(seen->body)}, {"pack", "CP-POSTER-02"}, {"quantity", "50"}})
            ->status == 403);
  CHECK(on_hand(server, "Nairobi", "CP-POSTER-02") == 9);
}

TEST_CASE("console duplicates: a manager sees its office's pairs and merges one, viewers cannot") {
  test::TestServer server;
  const auto nairobi = server.enroll("Nairobi");
  const auto mombasa = server.enroll("Mombasa");
  const auto ids = push_twice_registered(server, nairobi, 1, 1);
  const auto elsewhere = push_twice_registered(server, mombasa, 2, 1);
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  add_account(server, "victor", "Nairobi", central::ConsoleRole::viewer);
  add_account(server, "root", "HQ", central::ConsoleRole::admin);

  Browser viewer(server);
  REQUIRE(viewer.login("victor", kPassword)->status == 303);
  const auto seen = viewer.get("/console/duplicates");
  REQUIRE(seen);
  CHECK(seen->status == 200);
  CHECK(contains(seen->body, "Likely the same person"));
  CHECK_FALSE(contains(seen->body, "action=\"/console/duplicates\""));
  CHECK(viewer
            .post("/console/duplicates",
                  {{"csrf", csrf_of(seen->body)}, {"keep", ids[0]}, {"drop", ids[1]}})
            ->status == 403);

  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  const auto page = browser.get("/console/duplicates");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(contains(page->body, "Pairs 1 to 1 of 1."));
  CHECK(contains(page->body, ids[0]));
  CHECK(contains(page->body, ids[1]));
  CHECK(contains(page->body, "same phone"));
  // The other office's pair is never shown to this manager, even when asked for.
  CHECK_FALSE(contains(page->body, elsewhere[0]));
  CHECK_FALSE(contains(browser.get("/console/duplicates?office=Mombasa")->body, elsewhere[0]));
  const auto french = browser.get("/console/duplicates?lang=fr");
  CHECK(contains(french->body, "Doublons possibles"));
  CHECK(contains(french->body, "Probablement la même personne"));
  browser.get("/console/duplicates?lang=en");
  const std::string csrf = csrf_of(page->body);

  // Another office's members are answered like missing ones; nothing merges.
  const auto foreign = browser.post(
      "/console/duplicates", {{"csrf", csrf}, {"keep", elsewhere[0]}, {"drop", elsewhere[1]}});
  CHECK(foreign->status == 404);
  CHECK(contains(foreign->body, "does not exist"));

  const auto merged =
      browser.post("/console/duplicates",
                   {{"csrf", csrf}, {"office", "Nairobi"}, {"keep", ids[0]}, {"drop", ids[1]}});
  REQUIRE(merged);
  CHECK(merged->status == 200);
  CHECK(contains(merged->body, "Merged: 0 check-in(s) and 0 request(s) moved"));
  CHECK(contains(merged->body, "No possible duplicates."));
  const auto held = server.store().list_members("Nairobi");
  bool tombstone = false;
  for (const auto& m : held) tombstone |= m.member.id == ids[1] && m.member.merged_into == ids[0];
  CHECK(tombstone);
  const auto audit = audit_of(server, "member_merge");
  REQUIRE(audit.size() == 1);
  CHECK(audit[0].actor == "console:alice");
  CHECK(audit[0].target == ids[1]);
  CHECK(contains(audit[0].after_json, util::cat("\"merged_into\":\"", ids[0], "\"")));

  // Again: "already merged", in the user's language; the reverse is refused.
  const auto again =
      browser.post("/console/duplicates",
                   {{"csrf", csrf}, {"office", "Nairobi"}, {"keep", ids[0]}, {"drop", ids[1]}});
  CHECK(contains(again->body, "Already merged"));
  browser.get("/console/duplicates?lang=fr");
  const auto reverse =
      browser.post("/console/duplicates",
                   {{"csrf", csrf}, {"office", "Nairobi"}, {"keep", ids[1]}, {"drop", ids[0]}});
  CHECK(reverse->status == 409);
  CHECK(contains(reverse->body, "Le membre à garder a lui-même été fusionné"));
  CHECK(audit_of(server, "member_merge").size() == 1);

  // An admin picks an office, and sees the other office's pair there.
  Browser admin(server);
  REQUIRE(admin.login("root", kPassword)->status == 303);
  const auto offices = admin.get("/console/duplicates");
  CHECK(contains(offices->body, "/console/duplicates?office=Mombasa"));
  CHECK(contains(admin.get("/console/duplicates?office=Mombasa")->body, elsewhere[0]));
}

TEST_CASE(
    "console: the queue with stock and check-boxes, duplicates and stock pages stay under "
    "100 KB") {
  test::TestServer server;
  add_packs(server);
  const auto device = server.enroll("Nairobi");
  for (int i = 0; i < 60; ++i) {
    push_request(
        server, device, "Nairobi", util::cat("Contact person number ", i), 1000 + i,
        {{.pack_id = "CP-TOOLKIT-01", .quantity = 2}, {.pack_id = "CP-POSTER-02", .quantity = 1}});
  }
  push_twice_registered(server, device, 1, 14);
  REQUIRE(server.store().set_stock("Nairobi", "CP-TOOLKIT-01", 500, "admin:test").has_value());
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  for (const char* path :
       {"/console/requests", "/console/duplicates", "/console/duplicates?page=1", "/console/stock",
        "/console/requests?lang=fr", "/console/duplicates?lang=pt"}) {
    const auto res = browser.get(path);
    REQUIRE(res);
    CHECK(res->status == 200);
    MESSAGE(std::string(path) << ": " << res->body.size() << " bytes");
    CHECK(res->body.size() < 100 * 1024);
  }
  const auto pairs = browser.get("/console/duplicates?lang=en");
  CHECK(contains(pairs->body, "Pairs 1 to 10 of "));
  CHECK(contains(browser.get("/console/duplicates?page=1")->body, "Pairs 11 to "));
  // Pairs ("paires") are feminine in French: the duplicates pages say so, the members' do not.
  CHECK(contains(browser.get("/console/duplicates?lang=fr")->body, ">Suivantes</a>"));
  CHECK(contains(browser.get("/console/duplicates?page=1")->body, ">Précédentes</a>"));
}

TEST_CASE(
    "stock on the command line: stock set and list, audited, set-request-status respects it") {
  test::TestServer server;
  add_packs(server);
  const auto device = server.enroll("Nairobi");
  const std::string request = push_request(server, device, "Nairobi", "Amina", 1000);
  const std::string db = server.store().db_spec();
  const auto cli = [](std::vector<std::string> args, std::string& out, std::string& err) {
    std::ostringstream o, e;
    const int code = central::run_cli(args, o, e);
    out = o.str();
    err = e.str();
    return code;
  };
  std::string out, err;
  CHECK(cli({"stock", "set", "--db", db, "--office", "Nairobi", "--pack", "CP-TOOLKIT-01",
             "--quantity", "1"},
            out, err) == 0);
  CHECK(out == "stock of CP-TOOLKIT-01 at Nairobi: untracked -> 1\n");
  CHECK(cli({"stock", "set", "--db", db, "--office", "Nairobi", "--pack", "NOT-A-PACK",
             "--quantity", "1"},
            out, err) == 1);
  CHECK(contains(err, "there is no pack NOT-A-PACK in the catalogue"));
  CHECK(cli({"stock", "set", "--db", db, "--office", "Nairobi", "--pack", "CP-TOOLKIT-01",
             "--quantity", "-2"},
            out, err) == 2);
  CHECK(cli({"stock", "list", "--db", db}, out, err) == 0);
  CHECK(out.starts_with("office,pack_id,on_hand,updated_at,updated_by"));
  CHECK(contains(out, "Nairobi,CP-TOOLKIT-01,1,"));
  CHECK(cli({"stock", "list", "--db", db, "--format", "json", "--office", "Mombasa"}, out, err) ==
        0);
  CHECK(out == "[]\n");
  const auto sets = audit_of(server, "stock_set");
  REQUIRE(sets.size() == 1);
  CHECK(sets[0].actor.starts_with("admin:"));

  // The request needs 2 of the 1 on hand: dispatch is refused, with the figures.
  CHECK(cli({"set-request-status", "--db", db, request, "approved"}, out, err) == 0);
  CHECK(cli({"set-request-status", "--db", db, request, "dispatched"}, out, err) != 0);
  CHECK(contains(err, "has 1 of pack CP-TOOLKIT-01 on hand; dispatching this request needs 2"));
  CHECK(status_of(server, request) == model::RequestStatus::approved);
  CHECK(on_hand(server, "Nairobi", "CP-TOOLKIT-01") == 1);
}
