// Pulls that wait for a change (API v1 wait=S): held without a thread until
// a change the device may see lands, answered empty when the wait ends,
// bounded in length and number, released when the server stops.
#include <doctest/doctest.h>

#include <future>

#include "central/server_fixture.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Held {
  int status = 0;
  std::string body;
  std::string lineage;  // X-Alliance-Central
  double seconds = 0;
};

// GET /v1/sync/pull with wait=, timed, on its own connection.
Held held_pull(const TestServer& server, const std::string& token, std::int64_t cursor,
               const std::string& wait, httplib::Headers extra = {}) {
  auto client = server.client();
  client->set_read_timeout(60, 0);
  auto headers = bearer(token);
  headers.insert(extra.begin(), extra.end());
  const auto start = Clock::now();
  auto res = client->Get(
      util::cat("/v1/sync/pull?cursor=", cursor, "&limit=500&wait=", wait).c_str(), headers);
  Held out;
  out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (res) {
    out.status = res->status;
    out.body = res->body;
    out.lineage = res->get_header_value("X-Alliance-Central");
  }
  return out;
}

std::future<Held> held_pull_async(const TestServer& server, const std::string& token,
                                  std::int64_t cursor, const std::string& wait) {
  return std::async(std::launch::async, [&server, token, cursor, wait] {
    return held_pull(server, token, cursor, wait);
  });
}

central::ServerOptions quick_checks() {
  central::ServerOptions options;
  options.change_check_interval = milliseconds(50);
  return options;
}

// The cursor a device is at after pulling everything there is.
std::int64_t caught_up(const TestServer& server, const std::string& token) {
  return pull(*server.client(), token, 0).next_cursor;
}

// The answer of a wait that ended with nothing for the device: 204, no
// body, central's lineage in a header.
bool nothing_new(const Held& held) {
  return held.status == 204 && held.body.empty() &&
         protocol::decode_lineage_header(held.lineage).has_value();
}

std::vector<protocol::PulledChange> changes_of(const Held& held) {
  auto page = protocol::decode_pull_response(held.body);
  REQUIRE_MESSAGE(page.has_value(), held.body.substr(0, 200));
  return page->changes;
}

// A server that looks for changes every 50 ms, and a Nairobi device that
// pulled everything it had.
struct WaitingDesk {
  explicit WaitingDesk(const central::ServerOptions& options = quick_checks())
      : server(options),
        device(server.enroll("Nairobi")),
        cursor(caught_up(server, device.token)) {}
  TestServer server;
  protocol::EnrollResponse device;
  std::int64_t cursor;
};

}  // namespace

TEST_CASE("a pull with wait is held until a change for the device lands, then answered at once") {
  WaitingDesk d;
  const auto writer = d.server.enroll("Nairobi");
  auto answer = held_pull_async(d.server, d.device.token, d.cursor, "30");
  std::this_thread::sleep_for(milliseconds(1000));
  const auto pushed_at = Clock::now();
  push(*d.server.client(), writer.token,
       {change_of(member_with_id(1),
                  hlc_at(util::to_unix_ms(std::chrono::system_clock::now()), "node-w"))});
  const Held held = answer.get();
  const double after_push = std::chrono::duration<double>(Clock::now() - pushed_at).count();
  CHECK(held.status == 200);
  CHECK(held.seconds >= 0.9);  // it waited for the change
  CHECK(after_push < 5.0);     // and came soon after it (measured: about 0.1 s)
  CHECK(changes_of(held).size() == 1);
}

TEST_CASE("a held pull whose wait ends with nothing new is answered 204 with central's lineage") {
  WaitingDesk d;
  const Held held = held_pull(d.server, d.device.token, d.cursor, "2");
  CHECK(held.seconds >= 1.9);
  CHECK(held.seconds < 6.0);
  REQUIRE(nothing_new(held));
  const auto lineage = protocol::decode_lineage_header(held.lineage);
  const auto expected = d.server.store().lineage();
  CHECK(lineage->database_id == expected.database_id);
  CHECK(lineage->restore_epoch == expected.restore_epoch);
  CHECK(lineage->server_seq == expected.server_seq);
  // Without wait, the same question gets the empty page at once.
  const auto page = pull(*d.server.client(), d.device.token, d.cursor);
  CHECK(page.changes.empty());
  CHECK(page.next_cursor == d.cursor);
}

TEST_CASE("the lineage header reads back and refuses anything else") {
  const protocol::CentralLineage lineage{.database_id = "0192f4a0-7c1e-7a3b-9c2d-4e5f60718293",
                                         .restore_epoch = 2,
                                         .server_seq = 1046};
  const auto text = protocol::encode_lineage_header(lineage);
  CHECK(text == "0192f4a0-7c1e-7a3b-9c2d-4e5f60718293 2 1046");
  const auto back = protocol::decode_lineage_header(text);
  REQUIRE(back.has_value());
  CHECK(back->database_id == lineage.database_id);
  CHECK(back->restore_epoch == 2);
  CHECK(back->server_seq == 1046);
  for (const std::string& bad :
       std::vector<std::string>{"", "abc 1", "abc 1 2 3", "abc -1 2", "abc 1 x", "a;b 1 2",
                                "abc 1 99999999999999999999", std::string(65, 'a') + " 1 2"}) {
    CAPTURE(bad);
    CHECK_FALSE(protocol::decode_lineage_header(bad).has_value());
  }
}

TEST_CASE("changes for another office and the device's own push do not answer its held pull") {
  WaitingDesk d;
  const auto elsewhere = d.server.enroll("Dakar");
  auto answer = held_pull_async(d.server, d.device.token, d.cursor, "3");
  std::this_thread::sleep_for(milliseconds(500));
  const auto now_ms = util::to_unix_ms(std::chrono::system_clock::now());
  push(*d.server.client(), elsewhere.token,
       {change_of(member_with_id(2), hlc_at(now_ms, "node-d"))});
  push(*d.server.client(), d.device.token,
       {change_of(member_with_id(3), hlc_at(now_ms, "node-n"))});
  const Held held = answer.get();
  CHECK(held.seconds >= 2.9);  // woken twice, found nothing for it, waited on
  // Nothing for it, but the sequence moved on: the empty page with the
  // cursor past those changes (204 is only for a cursor that stays).
  REQUIRE(held.status == 200);
  CHECK(changes_of(held).empty());
  CHECK(protocol::decode_pull_response(held.body)->next_cursor > d.cursor);
}

TEST_CASE("a change written outside the HTTP API (another process, the CLI) answers a held pull") {
  WaitingDesk d;
  auto answer = held_pull_async(d.server, d.device.token, d.cursor, "30");
  std::this_thread::sleep_for(milliseconds(500));
  model::ResourcePack pack{.id = "CP-WAIT-01", .title = "Held pull test pack", .languages = {"en"}};
  REQUIRE(d.server.store().import_catalog({pack}, {}).has_value());
  const Held held = answer.get();
  CHECK(held.status == 200);
  CHECK(held.seconds < 10.0);
  const auto changes = changes_of(held);
  REQUIRE(changes.size() == 1);
  CHECK(changes.front().entity_id == "CP-WAIT-01");
}

TEST_CASE("wait is bounded by the server and must be a whole number") {
  central::ServerOptions options = quick_checks();
  options.limits.max_pull_wait = std::chrono::seconds(2);
  WaitingDesk d(options);
  const Held bounded = held_pull(d.server, d.device.token, d.cursor, "900");
  CHECK(nothing_new(bounded));
  CHECK(bounded.seconds >= 1.9);
  CHECK(bounded.seconds < 6.0);
  for (const std::string bad : {"-1", "soon", "1.5", ""}) {
    CAPTURE(bad);
    const Held refused = held_pull(d.server, d.device.token, d.cursor, bad);
    CHECK(refused.status == 400);
    CHECK(refused.body.find("invalid_parameter") != std::string::npos);
  }
  // wait=0 (and no wait) answers at once.
  const Held at_once = held_pull(d.server, d.device.token, d.cursor, "0");
  CHECK(at_once.status == 200);
  CHECK(at_once.seconds < 1.0);
}

TEST_CASE("pulls beyond max_held_pulls are answered at once, and held pulls use no worker") {
  central::ServerOptions options = quick_checks();
  options.max_held_pulls = 2;
  options.worker_threads = 1;
  WaitingDesk d(options);
  auto first = held_pull_async(d.server, d.device.token, d.cursor, "4");
  auto second = held_pull_async(d.server, d.device.token, d.cursor, "4");
  std::this_thread::sleep_for(milliseconds(500));
  // Two held, one worker: requests are still served at once.
  const auto start = Clock::now();
  CHECK(healthy(d.server));
  CHECK(std::chrono::duration<double>(Clock::now() - start).count() < 1.0);
  const Held third = held_pull(d.server, d.device.token, d.cursor, "4");
  CHECK(third.status == 200);  // the empty page, not held
  CHECK(third.seconds < 1.0);
  const Held first_held = first.get();
  const Held second_held = second.get();
  CHECK(first_held.seconds >= 3.9);
  CHECK(second_held.seconds >= 3.9);
  CHECK(nothing_new(first_held));
  CHECK(nothing_new(second_held));
}

TEST_CASE("stopping the server answers held pulls at once") {
  auto server = std::make_unique<TestServer>(quick_checks());
  const auto device = server->enroll("Nairobi");
  const auto cursor = caught_up(*server, device.token);
  auto answer = held_pull_async(*server, device.token, cursor, "60");
  std::this_thread::sleep_for(milliseconds(500));
  const auto stop_at = Clock::now();
  server.reset();  // stop() and join
  const double stop_seconds = std::chrono::duration<double>(Clock::now() - stop_at).count();
  const Held held = answer.get();
  CHECK(stop_seconds < 5.0);
  CHECK(held.seconds < 6.0);
  CHECK(nothing_new(held));
}

TEST_CASE("a held pull records the device clock as it is when answered, not when sent") {
  WaitingDesk d;
  const auto sent_ms = util::to_unix_ms(std::chrono::system_clock::now());
  // A first contact records an offset of about 0; the held answer 3 s later
  // must not move it by the hold.
  const Held held = held_pull(d.server, d.device.token, d.cursor, "3",
                              {{"X-Alliance-Device-Time", std::to_string(sent_ms)}});
  REQUIRE(nothing_new(held));
  std::optional<std::int64_t> offset;
  for (const auto& listing : d.server.store().list_devices()) {
    if (listing.id == d.device.device_id) offset = listing.clock_offset_ms;
  }
  REQUIRE(offset.has_value());
  CHECK(std::abs(*offset) < 1000);
}

}  // namespace alliance::test
