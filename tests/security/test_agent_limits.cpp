// Hostile and limited servers against the real agent: gzip bombs, huge and
// endless bodies (memory stays bounded, the error is clear), oversized pull
// pages (the agent asks for smaller ones and converges), and server URLs that
// would send the token in clear or carry a password (refused before any
// connection).
#include <doctest/doctest.h>
#include <signal.h>

#include <algorithm>

#include "harness.hpp"
#include "local_central.hpp"
#include "local_server.hpp"
#include "sync/agent.hpp"

namespace alliance::sync {

using test::LocalAnswer;
using test::LocalRequest;
using test::LocalServer;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
// The agent's peak resident memory under every hostile answer below. Its caps
// hold an answer to 16 MiB; the rest is the program itself, SQLite and
// libcurl (about 14 MiB) and the half-size buffer copied once while the body
// grows: about 46 MiB measured. Without the caps the gzip bomb alone takes it
// past 1 GiB.
constexpr long kPeakRssBoundKib = 64 * 1024;

// Enrolment answered normally; every pull answered by `hostile`.
test::LocalHandler hostile_pulls(std::function<void(LocalAnswer&)> hostile) {
  return [hostile = std::move(hostile)](const LocalRequest& r, LocalAnswer& a) {
    if (r.path == "/v1/devices/enroll") {
      a.send(test::enroll_answer());
    } else if (r.path == "/v1/sync/pull") {
      hostile(a);
    } else {
      a.send(test::error_answer(404, "not_found", "no such route"));
    }
  };
}

int pull_requests(const LocalServer& server) {
  const auto all = server.requests();
  return static_cast<int>(std::count_if(
      all.begin(), all.end(), [](const LocalRequest& r) { return r.path == "/v1/sync/pull"; }));
}

std::vector<std::int64_t> pull_limits(const LocalServer& server) {
  std::vector<std::int64_t> limits;
  for (const auto& r : server.requests()) {
    if (r.path == "/v1/sync/pull") limits.push_back(r.query_int("limit").value_or(-1));
  }
  return limits;
}

struct HostileRun {
  long peak_rss_kib = -1;
  std::string status_json;
  test::ProcessResult agent;
  std::vector<std::int64_t> limits;
};

// Enrols a fresh database against a server whose pulls are hostile, runs the
// real agent until it has asked for a page 10 times (500 down to 1, and one
// retry), reads its peak memory while it is alive, then stops it.
HostileRun run_agent_against(std::function<void(LocalAnswer&)> hostile) {
  test::keep_traffic_local();
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  LocalServer server(hostile_pulls(std::move(hostile)), 512 * kMiB, std::chrono::seconds(30));
  test::enroll_locally(server, db, dir.path());

  HostileRun run;
  test::Process agent(test::sync_args("run", db,
                                      {"--backoff-base-ms", "100", "--backoff-cap", "1",
                                       "--low-speed-time", "10", "--log-level", "warn"}),
                      dir.path());
  // The first attempt ends once a single record proved too large.
  const bool reported = test::eventually(
      [&] {
        auto store = store::Store::open(db, {.read_only = true});
        const auto status = store.sync_status();
        return status.state == "backing_off" &&
               status.last_error.find("record_too_large") != std::string::npos;
      },
      std::chrono::seconds(90));
  run.peak_rss_kib = test::peak_rss_kib(agent.pid());
  run.status_json = test::run_process(test::sync_args("status", db, {"--json"}), dir.path()).out;
  // After the backoff it asks again, for that one record only.
  const bool asked =
      test::eventually([&] { return pull_requests(server) >= 10; }, std::chrono::seconds(30));
  agent.signal(SIGTERM);
  run.agent = agent.wait(std::chrono::seconds(15));
  run.limits = pull_limits(server);
  CHECK_MESSAGE(reported, "no record_too_large status within 90 s");
  CHECK_MESSAGE(asked, "the agent asked for ", pull_requests(server), " pages");
  return run;
}

void check_bounded(const HostileRun& run, std::string_view what) {
  const std::string name(what);
  INFO(name);
  INFO(run.status_json);
  REQUIRE(run.peak_rss_kib > 0);
  MESSAGE(name, ": agent peak RSS (VmHWM) ", run.peak_rss_kib, " KiB");
  CHECK(run.peak_rss_kib < kPeakRssBoundKib);
  // It stopped cleanly when asked, and said what went wrong.
  CHECK(run.agent.exit_code == 0);
  CHECK_FALSE(run.agent.timed_out);
  CHECK(run.status_json.find("\"state\":\"backing_off\"") != std::string::npos);
  CHECK(run.status_json.find("record_too_large") != std::string::npos);
  CHECK(run.status_json.find("too large to receive even alone") != std::string::npos);
  CHECK(run.status_json.find("limit of 16 MiB") != std::string::npos);
  // Each oversized page was asked for again smaller, down to one record.
  REQUIRE(run.limits.size() >= 10);
  const std::vector<std::int64_t> halving = {500, 250, 125, 62, 31, 15, 7, 3, 1, 1};
  CHECK(std::vector<std::int64_t>(run.limits.begin(), run.limits.begin() + 10) == halving);
}

}  // namespace

TEST_CASE("a gzip bomb does not inflate in the agent's memory") {
  // 1 GiB of zeros in about 1 MiB of gzip.
  static const std::string bomb = test::gzip_of_zeros(1024 * kMiB);
  REQUIRE(bomb.size() < 2 * kMiB);
  const auto run = run_agent_against([](LocalAnswer& a) {
    a.send(
        test::http_answer(200, bomb, {"Content-Type: application/json", "Content-Encoding: gzip"}));
  });
  check_bounded(run, "gzip bomb (1 GiB in ~1 MiB)");
  CHECK(run.status_json.find("decoded body bytes") != std::string::npos);
}

TEST_CASE("a huge plain body without a length is cut off at the cap") {
  const auto run = run_agent_against([](LocalAnswer& a) {
    a.send_endless("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n",
                   std::string(64 * 1024, ' '));
  });
  check_bounded(run, "plain body until close (budget 512 MiB)");
}

TEST_CASE("an endless chunked body is cut off at the cap") {
  const auto run = run_agent_against([](LocalAnswer& a) {
    a.send_endless(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        test::http_chunk(std::string(32 * 1024, '[')));
  });
  check_bounded(run, "endless chunked body");
}

TEST_CASE("an endless compressed body that decodes to nothing is cut off on the wire") {
  const auto run = run_agent_against([](LocalAnswer& a) {
    a.send_endless(
        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"
        "Connection: close\r\n\r\n" +
            test::http_chunk(test::gzip_header()),
        test::http_chunk(test::empty_deflate_blocks(13'000)));
  });
  check_bounded(run, "endless empty gzip blocks");
  CHECK(run.status_json.find("body bytes on the wire") != std::string::npos);
}

TEST_CASE("an announced 4 GiB body is refused before it is read") {
  const auto run = run_agent_against([](LocalAnswer& a) {
    a.send_endless("HTTP/1.1 200 OK\r\nContent-Length: 4294967296\r\nConnection: close\r\n\r\n",
                   std::string(64 * 1024, ' '));
  });
  check_bounded(run, "Content-Length 4 GiB");
  CHECK(run.status_json.find("Content-Length") != std::string::npos);
}

TEST_CASE("a server that refuses large pages gets smaller ones and every record") {
  test::keep_traffic_local();
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  const auto members = test::server_members(300);
  constexpr std::int64_t kMaxPage = 40;
  LocalServer server([&](const LocalRequest& r, LocalAnswer& a) {
    if (r.path == "/v1/devices/enroll") {
      a.send(test::enroll_answer());
    } else if (r.path == "/v1/sync/pull") {
      const std::int64_t limit = r.query_int("limit").value_or(500);
      if (limit > kMaxPage) {
        a.send(test::error_answer(413, "too_large", "ask for at most 40 records"));
      } else {
        a.send(test::json_answer(200, protocol::encode(test::pull_page(
                                          members, r.query_int("cursor").value_or(0), limit))));
      }
    } else {
      a.send(test::error_answer(404, "not_found", "no such route"));
    }
  });
  test::enroll_locally(server, db, dir.path());
  auto once = test::run_process(test::sync_args("once", db), dir.path(), std::chrono::seconds(60));
  REQUIRE_MESSAGE(once.exit_code == 0, once.err);
  CHECK(once.out.find("pulled 300") != std::string::npos);

  // 500, 250, 125 and 62 refused; every later page asked for 31 and fitted.
  const auto limits = pull_limits(server);
  REQUIRE(limits.size() == 4 + 10);
  CHECK(std::vector<std::int64_t>(limits.begin(), limits.begin() + 4) ==
        std::vector<std::int64_t>{500, 250, 125, 62});
  CHECK(std::all_of(limits.begin() + 4, limits.end(), [](std::int64_t l) { return l == 31; }));

  auto store = store::Store::open(db);
  CHECK(store.pull_cursor() == 300);
  for (const int i : {0, 150, 299}) {
    CHECK(store.find_member(members[static_cast<std::size_t>(i)].entity_id).has_value());
  }
}

TEST_CASE("pages over the agent's own cap shrink until they fit, and stay small for a while") {
  test::keep_traffic_local();
  test::TempDir dir;
  auto members = test::server_members(120);
  std::size_t available = 80;  // the server's sequence grows between attempts
  LocalServer server([&](const LocalRequest& r, LocalAnswer& a) {
    const std::vector<protocol::PulledChange> visible(
        members.begin(), members.begin() + static_cast<long>(available));
    a.send(test::json_answer(
        200, protocol::encode(test::pull_page(visible, r.query_int("cursor").value_or(0),
                                              r.query_int("limit").value_or(500)))));
  });
  auto store = store::Store::open(dir / "kiosk.db");
  store::save_credentials(store, {.server_url = server.url(), .device_id = "d", .token = "t"});
  AgentOptions options;
  options.http.limits = {.wire_bytes = 16 * kMiB, .body_bytes = 8 * 1024};
  options.http.connect_timeout_ms = 2000;
  Agent agent(store, options);

  auto first = agent.attempt();
  REQUIRE_MESSAGE(first.report.ok(), first.report.failure->message);
  CHECK(first.report.pulled == 80);
  const int settled = agent.pull_limit();
  CHECK(settled < 500);
  CHECK(settled >= 1);
  const auto after_first = pull_limits(server);
  // Halved from 500 until a page fitted, then kept there.
  CHECK(after_first.front() == 500);
  CHECK(std::count(after_first.begin(), after_first.end(), settled) >= 2);

  available = 120;
  const std::size_t asked_before = after_first.size();
  auto second = agent.attempt();
  REQUIRE(second.report.ok());
  CHECK(second.report.pulled == 40);
  const auto after_second = pull_limits(server);
  // The next attempt starts at the remembered size: no oversized answer again.
  REQUIRE(after_second.size() > asked_before);
  CHECK(std::all_of(after_second.begin() + static_cast<long>(asked_before), after_second.end(),
                    [&](std::int64_t l) { return l == settled; }));
  CHECK(store.pull_cursor() == 120);
}

TEST_CASE("a record too large even alone is reported, and retried only after a pause") {
  test::keep_traffic_local();
  test::TempDir dir;
  const auto members = test::server_members(5);
  LocalServer server([&](const LocalRequest& r, LocalAnswer& a) {
    a.send(test::json_answer(
        200, protocol::encode(test::pull_page(members, r.query_int("cursor").value_or(0),
                                              r.query_int("limit").value_or(500)))));
  });
  auto store = store::Store::open(dir / "kiosk.db");
  store::save_credentials(store, {.server_url = server.url(), .device_id = "d", .token = "t"});
  AgentOptions options;
  options.http.limits = {.wire_bytes = 16 * kMiB, .body_bytes = 300};  // less than one member
  options.http.connect_timeout_ms = 2000;
  Agent agent(store, options);

  auto first = agent.attempt();
  REQUIRE(first.report.failure.has_value());
  CHECK(first.report.failure->code == "record_too_large");
  CHECK(first.report.failure->kind == FailureKind::transient);
  CHECK(first.retry_in > std::chrono::milliseconds(0));
  CHECK(server.request_count() == 9);  // 500, 250, ... 3, 1
  const auto status = store.sync_status();
  CHECK(status.state == "backing_off");
  CHECK(status.last_error.find("too large to receive even alone") != std::string::npos);
  CHECK(status.last_error.find("300 bytes") != std::string::npos);
  CHECK_FALSE(status.next_retry_at.empty());

  // The next attempt asks for that one record once, not 500 down to 1 again.
  auto second = agent.attempt();
  REQUIRE(second.report.failure.has_value());
  CHECK(second.report.failure->code == "record_too_large");
  CHECK(server.request_count() == 10);
  CHECK(second.retry_in > std::chrono::milliseconds(0));
  CHECK(store.pull_cursor() == 0);
}

TEST_CASE("enrolment refuses plain http to another computer without connecting") {
  test::keep_traffic_local();
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  // TEST-NET-1: never routed. A connection attempt would hang for the 15 s
  // connect timeout or fail with a connect error; a refusal is immediate.
  const auto start = std::chrono::steady_clock::now();
  auto r = test::run_process(
      test::sync_args("enroll", db, {"--server", "http://192.0.2.1:8080", "--code", "X"}),
      dir.path(), std::chrono::seconds(30));
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(r.exit_code == 2);
  CHECK(took < std::chrono::seconds(3));
  CHECK(r.err.find("--server refused") != std::string::npos);
  CHECK(r.err.find("unencrypted") != std::string::npos);
  CHECK(r.err.find("connect") == std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  auto store = store::Store::open(db);
  CHECK_FALSE(store::load_credentials(store).has_value());
}

TEST_CASE("enrolment refuses a user and password in the URL, and other schemes") {
  test::keep_traffic_local();
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  LocalServer server([](const LocalRequest&, LocalAnswer& a) { a.send(test::enroll_answer()); });
  const std::string port = std::to_string(server.port());
  for (const std::string& url :
       {"http://admin:secret@127.0.0.1:" + port, "https://admin:secret@127.0.0.1:" + port,
        "http://admin@127.0.0.1:" + port, "ftp://127.0.0.1:" + port}) {
    INFO(url);
    auto r = test::run_process(test::sync_args("enroll", db, {"--server", url, "--code", "X"}),
                               dir.path(), std::chrono::seconds(30));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--server refused") != std::string::npos);
    CHECK(r.err.find("secret") == std::string::npos);  // the password is not repeated
  }
  CHECK(server.request_count() == 0);
}

TEST_CASE("plain http to 127.0.0.1 is accepted, and the real central enrols and syncs") {
  test::keep_traffic_local();
  test::TestServer central;
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  test::enroll_with_binary(central, db, test::local_url(central), dir.path());
  {
    auto store = store::Store::open(db);
    test::register_members(store, 5);
  }
  auto once = test::run_process(test::sync_args("once", db), dir.path(), std::chrono::seconds(60));
  REQUIRE_MESSAGE(once.exit_code == 0, once.err);
  CHECK(test::central_member_ids(central.store()).size() == 5);
}

TEST_CASE("a stored http URL to another computer is refused at sync time") {
  test::keep_traffic_local();
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  {
    // As an older version, which accepted any http:// URL, left it.
    auto store = store::Store::open(db);
    store::save_credentials(
        store, {.server_url = "http://192.0.2.1:8080", .device_id = "d", .token = "t"});
    test::register_members(store, 1);
  }
  const auto start = std::chrono::steady_clock::now();
  auto once = test::run_process(test::sync_args("once", db), dir.path(), std::chrono::seconds(30));
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(once.exit_code == 1);
  CHECK(took < std::chrono::seconds(3));
  CHECK(once.err.find("enrol again with an https:// URL") != std::string::npos);
  CHECK(once.err.find("unencrypted") != std::string::npos);

  auto json = test::run_process(test::sync_args("status", db, {"--json"}), dir.path());
  CHECK(json.out.find("\"state\":\"not_enrolled\"") != std::string::npos);
  CHECK(json.out.find("server URL refused") != std::string::npos);
  auto text = test::run_process(test::sync_args("status", db), dir.path());
  CHECK(text.out.find("server URL refused; enrol again with https://") != std::string::npos);
  auto store = store::Store::open(db);
  CHECK(store.queue_counts().pending == 1);  // nothing lost, nothing sent
}

}  // namespace alliance::sync
