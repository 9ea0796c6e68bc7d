// The office console against a real alliance-central on 127.0.0.1: sign-in,
// rate limits, session expiry, CSRF, roles and offices, escaping, languages,
// page weight, the audit log, and the user and audit commands.
#include <doctest/doctest.h>

#include <cstdlib>
#include <sstream>
#include <thread>

#include "central/admin/cli.hpp"
#include "central/console/accounts.hpp"
#include "central/console/console.hpp"
#include "common/model/codes.hpp"
#include "common/util/strings.hpp"
#include "console_client.hpp"
#include "server_fixture.hpp"

using namespace alliance;

using namespace alliance::console_test;

TEST_CASE(
    "console: the right password signs in with a strict session cookie, a wrong one does not") {
  test::TestServer server;
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  Browser browser(server);

  const auto login_page = browser.get("/console/login");
  REQUIRE(login_page);
  CHECK(login_page->status == 200);
  CHECK(contains(login_page->body, "<form method=\"post\" action=\"/console/login\">"));
  CHECK(contains(header_of(login_page, "Content-Security-Policy"), "default-src 'none'"));
  CHECK(contains(header_of(login_page, "Content-Security-Policy"), "frame-ancestors 'none'"));
  CHECK(header_of(login_page, "X-Content-Type-Options") == "nosniff");
  CHECK(header_of(login_page, "Referrer-Policy") == "no-referrer");
  CHECK(header_of(login_page, "Cache-Control") == "no-store");
  CHECK_FALSE(contains(login_page->body, "<script"));
  CHECK_FALSE(contains(login_page->body, "http://"));
  CHECK_FALSE(contains(login_page->body, "https://"));

  // Wrong password, and an account that does not exist: the same words.
  const auto wrong = browser.login("alice", "not the password");
  REQUIRE(wrong);
  CHECK(wrong->status == 200);
  CHECK(contains(wrong->body, "Wrong name or password."));
  CHECK(browser.cookie("console_session").empty());
  const auto unknown = browser.login("nobody", "not the password");
  REQUIRE(unknown);
  CHECK(contains(unknown->body, "Wrong name or password."));
  CHECK(browser.get("/console/requests")->status == 303);

  const auto right = browser.login("alice", kPassword);
  REQUIRE(right);
  CHECK(right->status == 303);
  CHECK(header_of(right, "Location") == "/console/dashboard");
  std::string session_cookie;
  for (const auto& [name, value] : right->headers) {
    if (name == "Set-Cookie" && value.starts_with("console_session=")) session_cookie = value;
  }
  CHECK(contains(session_cookie, "HttpOnly"));
  CHECK(contains(session_cookie, "SameSite=Strict"));
  CHECK(contains(session_cookie, "Path=/console/"));
  CHECK_FALSE(contains(session_cookie, "Secure"));  // plain HTTP here
  const auto requests = browser.get("/console/requests");
  REQUIRE(requests);
  CHECK(requests->status == 200);
  CHECK(contains(requests->body, "alice"));

  // The audit log has the two failures and the success; no password anywhere.
  auto accounts = central::AccountStore::open(server.store().db_spec());
  const auto audit = accounts->list_audit();
  REQUIRE(audit.size() == 3);
  CHECK(audit[0].action == "login_failed");
  CHECK(audit[1].action == "login_failed");
  CHECK(audit[2].action == "login");
  CHECK(audit[2].actor == "console:alice");
  CHECK(audit[2].client_address == "127.0.0.1");
  const std::string csv = central::audit_csv(audit);
  CHECK_FALSE(contains(csv, "not the password"));
  CHECK_FALSE(contains(csv, kPassword));

  // Signing out needs the token, ends the session server-side and is audited.
  const std::string old_session = browser.cookie("console_session");
  const auto out = browser.post("/console/logout", {{"csrf", csrf_of(requests->body)}});
  REQUIRE(out);
  CHECK(out->status == 303);
  CHECK(header_of(out, "Location") == "/console/login");
  browser.set_cookie("console_session", old_session);  // replaying the old cookie
  CHECK(browser.get("/console/requests")->status == 303);
  CHECK(accounts->list_audit().back().action == "logout");
}

TEST_CASE("console: sign-in attempts are limited per account and per address") {
  central::ApiLimits limits;
  limits.console.login_attempts_per_account = 3;
  limits.console.login_attempts_per_address = 5;
  test::TestServer server(limits);
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  add_account(server, "bruno", "Nairobi", central::ConsoleRole::manager);
  Browser browser(server);
  for (int i = 0; i < 3; ++i) CHECK(browser.login("alice", "wrong password!")->status == 200);
  // Now even the right password is refused for alice, with no hint whether it was right.
  const auto limited = browser.login("alice", kPassword);
  REQUIRE(limited);
  CHECK(limited->status == 429);
  CHECK(contains(limited->body, "Too many sign-in attempts"));
  CHECK(browser.cookie("console_session").empty());
  // Another account from this address still may, until the address's limit.
  CHECK(browser.login("bruno", kPassword)->status == 303);
  // 6th from this address, from a browser already signed in: refused, not a crash.
  const std::string form_token(32, 'f');
  browser.set_cookie("console_login", form_token);
  const auto sixth = browser.post(
      "/console/login", {{"csrf", form_token}, {"name", "bruno"}, {"password", kPassword}});
  CHECK(sixth->status == 429);
  auto accounts = central::AccountStore::open(server.store().db_spec());
  CHECK(accounts->list_audit().back().action == "login_refused");
}

TEST_CASE("console: a session expires when idle, server-side") {
  central::ApiLimits limits;
  limits.console.session_idle = std::chrono::milliseconds(400);
  test::TestServer server(limits);
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  CHECK(browser.get("/console/requests")->status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  const auto expired = browser.get("/console/requests");
  REQUIRE(expired);
  CHECK(expired->status == 303);
  CHECK(header_of(expired, "Location") == "/console/login?expired=1");
  CHECK(contains(browser.get("/console/login?expired=1")->body, "Your session has ended"));
}

TEST_CASE("console: the absolute session lifetime holds even while active") {
  central::ApiLimits limits;
  limits.console.session_absolute = std::chrono::milliseconds(600);
  test::TestServer server(limits);
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  for (int i = 0; i < 3; ++i) {
    CHECK(browser.get("/console/requests")->status == 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  CHECK(browser.get("/console/requests")->status == 303);
}

TEST_CASE("console: a manager approves, rejects with a reason and dispatches, devices pull it") {
  test::TestServer server;
  const auto device = server.enroll("Nairobi");
  const std::string first = push_request(server, device, "Nairobi");
  const std::string second = push_request(server, device, "Nairobi", "Jo", 2000);
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  const auto page = browser.get("/console/requests");
  REQUIRE(page);
  CHECK(contains(page->body, "Amina Njoroge"));
  CHECK(contains(page->body, "CP-TOOLKIT-01 &times; 2"));
  const std::string csrf = csrf_of(page->body);
  REQUIRE(csrf.size() == 64);

  const auto approved =
      browser.post("/console/requests", {{"csrf", csrf}, {"id", first}, {"action", "approve"}});
  REQUIRE(approved);
  CHECK(approved->status == 303);
  CHECK(status_of(server, first) == model::RequestStatus::approved);
  CHECK(contains(browser.get(header_of(approved, "Location"))->body, "is now: approved"));

  // A rejection needs a reason; without one nothing changes.
  const auto no_reason = browser.post(
      "/console/requests", {{"csrf", csrf}, {"id", second}, {"action", "reject"}, {"reason", " "}});
  REQUIRE(no_reason);
  CHECK(no_reason->status == 400);
  CHECK(contains(no_reason->body, "Give a reason"));
  CHECK(status_of(server, second) == model::RequestStatus::requested);
  CHECK(browser
            .post("/console/requests", {{"csrf", csrf},
                                        {"id", second},
                                        {"action", "reject"},
                                        {"reason", "no stock this month"}})
            ->status == 303);
  CHECK(status_of(server, second) == model::RequestStatus::cancelled);

  // Dispatching an approved one works; approving it again is a clear 409.
  CHECK(browser.post("/console/requests", {{"csrf", csrf}, {"id", first}, {"action", "dispatch"}})
            ->status == 303);
  CHECK(status_of(server, first) == model::RequestStatus::dispatched);
  const auto again =
      browser.post("/console/requests", {{"csrf", csrf}, {"id", first}, {"action", "approve"}});
  CHECK(again->status == 409);
  CHECK(contains(again->body, "cannot move from dispatched to approved"));

  // The device pulls the decisions, with the console account as their actor.
  auto client = server.client();
  const auto pulled = test::pull(*client, device.token, 0);
  bool saw_console_actor = false;
  for (const auto& change : pulled.changes) {
    const auto& request = std::get<model::ResourceRequest>(change.record);
    if (request.id != first) continue;
    CHECK(request.status == model::RequestStatus::dispatched);
    for (const auto& t : request.transitions) saw_console_actor |= t.actor == "console:alice";
  }
  CHECK(saw_console_actor);

  // Each decision is in the audit log with before and after.
  const auto decisions = audit_of(server, "request_status");
  REQUIRE(decisions.size() == 3);
  CHECK(decisions[0].target == first);
  CHECK(decisions[0].before_json == "{\"status\":\"requested\"}");
  CHECK(decisions[0].after_json == "{\"status\":\"approved\"}");
  CHECK(decisions[1].after_json == "{\"status\":\"cancelled\",\"reason\":\"no stock this month\"}");
}

TEST_CASE("console: a POST without the right CSRF token is refused with 403 and changes nothing") {
  test::TestServer server;
  const auto device = server.enroll("Nairobi");
  const std::string id = push_request(server, device, "Nairobi");
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  const std::string csrf = csrf_of(browser.get("/console/requests")->body);

  const auto missing = browser.post("/console/requests", {{"id", id}, {"action", "approve"}});
  REQUIRE(missing);
  CHECK(missing->status == 403);
  CHECK(contains(missing->body, "This form has expired or did not come from this console"));
  std::string wrong = csrf;
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  CHECK(browser.post("/console/requests", {{"csrf", wrong}, {"id", id}, {"action", "approve"}})
            ->status == 403);
  CHECK(browser.post("/console/logout", {{"csrf", wrong}})->status == 403);
  CHECK(status_of(server, id) == model::RequestStatus::requested);
  CHECK(browser.get("/console/requests")->status == 200);  // still signed in

  // Another session's token is not this session's.
  Browser other(server);
  REQUIRE(other.login("alice", kPassword)->status == 303);
  const std::string other_csrf = csrf_of(other.get("/console/requests")->body);
  REQUIRE(other_csrf != csrf);
  CHECK(
      browser.post("/console/requests", {{"csrf", other_csrf}, {"id", id}, {"action", "approve"}})
          ->status == 403);
  CHECK(status_of(server, id) == model::RequestStatus::requested);

  // The sign-in form too: without its token, no session even with the right password.
  Browser fresh(server);
  REQUIRE(fresh.get("/console/login")->status == 200);
  const auto forged = fresh.post("/console/login", {{"name", "alice"}, {"password", kPassword}});
  CHECK(forged->status == 403);
  CHECK(fresh.cookie("console_session").empty());

  // Not a form at all.
  auto client = server.client();
  CHECK(client->Post("/console/requests", "{}", "application/json")->status == 415);
}

TEST_CASE("console: a viewer sees the queue without buttons and may not decide") {
  test::TestServer server;
  const auto device = server.enroll("Nairobi");
  const std::string id = push_request(server, device, "Nairobi");
  add_account(server, "vera", "Nairobi", central::ConsoleRole::viewer);
  Browser browser(server);
  REQUIRE(browser.login("vera", kPassword)->status == 303);
  const auto page = browser.get("/console/requests");
  REQUIRE(page);
  CHECK(contains(page->body, "Amina Njoroge"));
  CHECK_FALSE(contains(page->body, "name=\"action\""));
  const auto refused = browser.post(
      "/console/requests", {{"csrf", csrf_of(page->body)}, {"id", id}, {"action", "approve"}});
  REQUIRE(refused);
  CHECK(refused->status == 403);
  CHECK(contains(refused->body, "may look at requests but not decide"));
  CHECK(status_of(server, id) == model::RequestStatus::requested);
}

TEST_CASE(
    "console: office A's manager neither sees nor decides office B's requests, admins see all") {
  test::TestServer server;
  const auto nairobi = server.enroll("Nairobi");
  const auto dakar = server.enroll("Dakar");
  const std::string ours = push_request(server, nairobi, "Nairobi", "Ours Person");
  const std::string theirs = push_request(server, dakar, "Dakar", "Their Person", 2000);
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  add_account(server, "root", "HQ", central::ConsoleRole::admin);
  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  const auto page = browser.get("/console/requests");
  CHECK(contains(page->body, "Ours Person"));
  CHECK_FALSE(contains(page->body, "Their Person"));
  CHECK_FALSE(contains(page->body, theirs));
  const auto refused = browser.post(
      "/console/requests", {{"csrf", csrf_of(page->body)}, {"id", theirs}, {"action", "approve"}});
  CHECK(refused->status == 404);
  CHECK(contains(refused->body, "There is no such request."));
  CHECK(status_of(server, theirs) == model::RequestStatus::requested);

  Browser admin(server);
  REQUIRE(admin.login("root", kPassword)->status == 303);
  const auto all = admin.get("/console/requests");
  CHECK(contains(all->body, "Ours Person"));
  CHECK(contains(all->body, "Their Person"));
  CHECK(admin
            .post("/console/requests",
                  {{"csrf", csrf_of(all->body)}, {"id", theirs}, {"action", "approve"}})
            ->status == 303);
  CHECK(status_of(server, theirs) == model::RequestStatus::approved);
}

TEST_CASE("console: every value is HTML-escaped") {
  test::TestServer server;
  const auto device = server.enroll("Nairobi");
  push_request(server, device, "Nairobi", "<script>alert(\"x\")</script> & 'co'");
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  Browser browser(server);
  REQUIRE(browser.login("alice", kPassword)->status == 303);
  const auto page = browser.get("/console/requests");
  REQUIRE(page);
  CHECK_FALSE(contains(page->body, "<script>"));
  CHECK(
      contains(page->body, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;"));
  CHECK(central::html_escape("<a href=\"x\">") == "&lt;a href=&quot;x&quot;&gt;");
}

TEST_CASE("console: pages are in the browser's language, switchable, and under 100 KB") {
  test::TestServer server;
  const auto device = server.enroll("Nairobi");
  // More requests than a page shows, with long names: the page stays light.
  for (int i = 0; i < 130; ++i) {
    push_request(server, device, "Nairobi", std::string(60, 'x') + std::to_string(i), 1000 + i);
  }
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  Browser browser(server);

  const auto french_login =
      browser.get("/console/login", {{"Accept-Language", "fr-CA,fr;q=0.9,en;q=0.5"}});
  CHECK(contains(french_login->body, "<html lang=\"fr\">"));
  CHECK(contains(french_login->body, "Mot de passe"));
  CHECK(header_of(french_login, "Content-Language") == "fr");
  CHECK(
      contains(browser.get("/console/login", {{"Accept-Language", "de, es;q=0.8, pt;q=0.5"}})->body,
               "Contraseña"));

  REQUIRE(browser.login("alice", kPassword)->status == 303);
  const auto english = browser.get("/console/requests");
  REQUIRE(english);
  CHECK(contains(english->body, "Resource requests"));
  CHECK(contains(english->body, "Requests 1 to 50 of 130."));
  const auto older = browser.get("/console/requests?page=2");
  CHECK(contains(older->body, "Requests 101 to 130 of 130."));
  CHECK(contains(older->body, "href=\"/console/requests?page=1\""));
  CHECK(older->body.size() < 100 * 1024);
  CHECK(english->body.size() < 100 * 1024);
  MESSAGE("requests page, 50 rows: " << english->body.size() << " bytes");

  // ?lang= switches and is remembered by a cookie.
  const auto french = browser.get("/console/requests?lang=fr");
  REQUIRE(french);
  CHECK(contains(french->body, "Demandes de ressources"));
  CHECK(contains(french->body, "Approuver"));
  CHECK(french->body.size() < 100 * 1024);
  CHECK(browser.cookie("console_lang") == "fr");
  CHECK(contains(browser.get("/console/requests")->body, "Demandes de ressources"));
  CHECK(contains(browser.get("/console/requests?lang=pt")->body, "Pedidos de recursos"));
  CHECK(contains(browser.get("/console/requests?lang=es")->body, "Solicitudes de recursos"));
  const auto login_page = Browser(server).get("/console/login");
  CHECK(login_page->body.size() < 100 * 1024);
  MESSAGE("sign-in page: " << login_page->body.size() << " bytes");
}

TEST_CASE("console: unknown pages are 404 pages, other methods 405, and / leads to sign-in") {
  test::TestServer server;
  auto client = server.client();
  const auto missing = client->Get("/console/nope");
  CHECK(missing->status == 404);
  CHECK(contains(missing->body, "There is no such page."));
  CHECK(client->Delete("/console/requests")->status == 405);
  const auto root = client->Get("/console/");
  CHECK(root->status == 303);
  CHECK(header_of(root, "Location") == "/console/login");
  // The API is untouched.
  CHECK(test::healthy(server));
}

namespace {

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

CliRun cli(std::vector<std::string> args, const std::string& input = {}) {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  const int code = central::run_cli(args, in, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("console accounts: user add, list, passwd, remove and audit on the command line") {
  test::TempDir dir;
  const std::string db = (dir / "central.db").string();
  for (const char* command : {"add", "passwd", "remove", "list"}) {
    CAPTURE(command);
    const auto help = cli({"user", command, "--help"});
    CHECK(help.code == 0);
    CHECK(contains(help.out, "usage: alliance-central user"));
  }
  CHECK(cli({"audit", "--help"}).code == 0);

  const auto short_password = cli({"user", "add", "--db", db, "alice", "--office", "Nairobi",
                                   "--role", "manager", "--password-stdin"},
                                  "short\n");
  CHECK(short_password.code == 2);
  CHECK(contains(short_password.err, "too short: use at least 10 characters"));
  CHECK_FALSE(contains(short_password.err, "short\n"));
  const auto no_stdin =
      cli({"user", "add", "--db", db, "alice", "--office", "Nairobi", "--role", "manager"},
          std::string(kPassword) + "\n");
  CHECK(no_stdin.code == 2);
  CHECK(contains(no_stdin.err, "--password-stdin"));
  CHECK(cli({"user", "add", "--db", db, "alice", "--office", "Nairobi", "--role", "boss",
             "--password-stdin"},
            std::string(kPassword) + "\n")
            .code == 2);
  CHECK(cli({"user", "add", "--db", db, "al ice", "--office", "Nairobi", "--role", "manager",
             "--password-stdin"},
            std::string(kPassword) + "\n")
            .code == 1);

  const auto added = cli({"user", "add", "--db", db, "alice", "--office", "Nairobi", "--role",
                          "manager", "--password-stdin"},
                         std::string(kPassword) + "\r\n");
  CHECK(added.code == 0);
  CHECK_FALSE(contains(added.out + added.err, kPassword));
  CHECK(cli({"user", "add", "--db", db, "alice", "--office", "Nairobi", "--role", "viewer",
             "--password-stdin"},
            std::string(kPassword) + "\n")
            .code == 1);

  const auto listed = cli({"user", "list", "--db", db});
  CHECK(listed.code == 0);
  CAPTURE(listed.out);
  CHECK(contains(listed.out, "name,office,role,created_at,updated_at"));
  CHECK(contains(listed.out, "alice,Nairobi,manager,"));
  CHECK_FALSE(contains(listed.out, "argon2"));
  CHECK(contains(cli({"user", "list", "--db", db, "--format", "json"}).out,
                 "\"name\":\"alice\",\"office\":\"Nairobi\",\"role\":\"manager\""));

  {
    auto accounts = central::AccountStore::open(db);
    CHECK(accounts->verify_login("alice", kPassword).has_value());  // the \r was not kept
    CHECK_FALSE(accounts->verify_login("alice", "another password").has_value());
    accounts->create_session("alice", 1);
  }
  CHECK(
      cli({"user", "passwd", "--db", db, "alice", "--password-stdin"}, "another password\n").code ==
      0);
  CHECK(cli({"user", "passwd", "--db", db, "nobody", "--password-stdin"}, "another password\n")
            .code == 1);
  {
    auto accounts = central::AccountStore::open(db);
    CHECK(accounts->verify_login("alice", "another password").has_value());
    CHECK_FALSE(accounts->verify_login("alice", kPassword).has_value());
  }
  CHECK(cli({"user", "remove", "--db", db, "alice"}).code == 0);
  CHECK(cli({"user", "remove", "--db", db, "alice"}).code == 1);
  CHECK(cli({"user", "list", "--db", db, "--format", "json"}).out == "[]\n");

  const auto audit = cli({"audit", "--db", db});
  CHECK(audit.code == 0);
  CHECK(contains(audit.out, ",user_add,alice,"));
  CHECK(contains(audit.out, ",user_passwd,alice,"));
  CHECK(contains(audit.out, ",user_remove,alice,"));
  CHECK_FALSE(contains(audit.out, "another password"));
  CHECK(contains(cli({"audit", "--db", db, "--format", "json"}).out, "\"action\":\"user_add\""));
}

TEST_CASE("console: over TLS its cookies are Secure") {
  test::TempDir dir;
  const auto cert = dir / "cert.pem";
  const auto key = dir / "key.pem";
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
      "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout '" +
      key.string() + "' -out '" + cert.string() + "' >/dev/null 2>&1";
  REQUIRE_MESSAGE(std::system(command.c_str()) == 0,
                  "openssl could not make a test certificate; run installer/install-deps.sh");
  test::TestServer server(central::ServerOptions{.tls_cert = cert, .tls_key = key});
  add_account(server, "alice", "Nairobi", central::ConsoleRole::manager);
  httplib::SSLClient client("127.0.0.1", server.port());
  client.set_ca_cert_path(cert.c_str());
  client.enable_server_certificate_verification(true);
  const auto page = client.Get("/console/login");
  REQUIRE(page);
  const std::string form_cookie = page->get_header_value("Set-Cookie");
  CHECK(contains(form_cookie, "; Secure"));
  const std::string token = form_cookie.substr(14, form_cookie.find(';') - 14);
  const auto signed_in = client.Post("/console/login", {{"Cookie", "console_login=" + token}},
                                     "csrf=" + token + "&name=alice&password=correct+horse+battery",
                                     "application/x-www-form-urlencoded");
  REQUIRE(signed_in);
  CHECK(signed_in->status == 303);
  const std::string session_cookie = signed_in->get_header_value("Set-Cookie", 0);
  CHECK(session_cookie.starts_with("console_session="));
  CHECK(contains(session_cookie, "HttpOnly; SameSite=Strict; Secure"));
}
