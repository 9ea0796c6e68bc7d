// API v1 answers as a test's LocalServer gives them (enrolment, push, pull
// pages from a fixed list of members), and enrolment of a kiosk database
// against such a server with the real alliance-sync binary.
#pragma once

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/protocol/codec.hpp"
#include "common/util/time.hpp"
#include "harness.hpp"
#include "local_server.hpp"

namespace alliance::test {

inline std::int64_t wall_now_ms() {
  return util::to_unix_ms(std::chrono::system_clock::now());
}

inline std::string enroll_answer() {
  return json_answer(200, protocol::encode(protocol::EnrollResponse{
                              .device_id = "01900000-0000-7000-8000-00000000d001",
                              .token = "afk1_local_test_token",
                              .office = "Nairobi"}));
}

// Every change of a push answered "applied".
inline std::string push_answer(const LocalRequest& request, std::int64_t server_time_ms = 0) {
  auto decoded = protocol::decode_push_request(request.body);
  protocol::PushResponse answer{.server_time_ms = server_time_ms};
  if (decoded) {
    for (const auto& c : decoded->changes) answer.results.push_back({.change_id = c.change_id});
  }
  return json_answer(200, protocol::encode(answer));
}

// `count` members as a server's sequence holds them (seq 1..count).
inline std::vector<protocol::PulledChange> server_members(int count) {
  std::vector<protocol::PulledChange> out;
  for (int i = 0; i < count; ++i) {
    auto member = member_with_id(5000 + i);
    out.push_back({.seq = i + 1,
                   .entity = protocol::Entity::member,
                   .entity_id = member.id,
                   .hlc = hlc_at(1'700'000'000'000 + i, "server-node"),
                   .record = member});
  }
  return out;
}

// The page after `cursor` of at most `limit` changes, as GET /v1/sync/pull answers it.
inline protocol::PullResponse pull_page(const std::vector<protocol::PulledChange>& all,
                                        std::int64_t cursor, std::int64_t limit,
                                        std::int64_t server_time_ms = 0) {
  protocol::PullResponse page{.next_cursor = cursor, .server_time_ms = server_time_ms};
  for (const auto& c : all) {
    if (c.seq <= cursor) continue;
    if (static_cast<std::int64_t>(page.changes.size()) >= limit) {
      page.more = true;
      break;
    }
    page.changes.push_back(c);
    page.next_cursor = c.seq;
  }
  return page;
}

inline std::string error_answer(int status, const std::string& code, const std::string& message) {
  return json_answer(status,
                     protocol::encode(protocol::ErrorBody{.code = code, .message = message}));
}

// Enrolment, push (every change applied) and pull (an empty page) as a
// server whose clock runs `ahead_ms` ahead of this machine's.
inline LocalHandler central_ahead_by(std::int64_t ahead_ms) {
  return [ahead_ms](const LocalRequest& r, LocalAnswer& a) {
    if (r.path == "/v1/devices/enroll") {
      a.send(enroll_answer());
    } else if (r.path == "/v1/sync/push") {
      a.send(push_answer(r, wall_now_ms() + ahead_ms));
    } else if (r.path == "/v1/sync/pull") {
      a.send(json_answer(200, protocol::encode(pull_page({}, r.query_int("cursor").value_or(0), 500,
                                                         wall_now_ms() + ahead_ms))));
    } else {
      a.send(error_answer(404, "not_found", "no such route"));
    }
  };
}

// alliance-sync enroll against a LocalServer that answers enrolment.
inline void enroll_locally(const LocalServer& server, const std::filesystem::path& db,
                           const std::filesystem::path& dir) {
  auto r = run_process(sync_args("enroll", db, {"--server", server.url(), "--code", "LOCAL-CODE"}),
                       dir, std::chrono::seconds(30));
  if (r.exit_code != 0) throw std::runtime_error("local enrolment failed: " + r.err);
}

}  // namespace alliance::test
