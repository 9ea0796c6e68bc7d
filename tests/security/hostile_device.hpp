// What the hostile-device tests share: two offices' devices on a real
// alliance-central, a push that keeps the raw answer (to prove nothing leaks),
// and a snapshot of what the central store holds.
#pragma once

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "central/server_fixture.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::test {

inline std::int64_t now_ms() {
  return util::to_unix_ms(std::chrono::system_clock::now());
}

// A device with its clock id bound at enrolment, and its next HLC value.
struct Desk {
  protocol::EnrollResponse enrolled;
  std::string node;
  std::int64_t last_ms = 0;

  std::string next_hlc() {
    last_ms = std::max(last_ms + 1, now_ms());
    return hlc_at(last_ms, node);
  }
};

inline Desk enroll_desk(TestServer& server, const std::string& office, std::string node = "") {
  if (node.empty()) node = util::new_uuid_v7();
  return Desk{.enrolled = server.enroll(office, node), .node = node};
}

// A push's decoded answer and its raw body.
struct Pushed {
  protocol::PushResponse response;
  std::string body;
};

// Pushes changes already encoded (as JSON text), which may be hand-made.
inline Pushed push_encoded(TestServer& server, const Desk& desk,
                           const std::vector<std::string>& changes) {
  const std::vector<std::string_view> views(changes.begin(), changes.end());
  auto res =
      server.client()->Post("/v1/sync/push", bearer(desk.enrolled.token),
                            protocol::encode_push_request_from_encoded(views), "application/json");
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  auto decoded = protocol::decode_push_response(res->body);
  REQUIRE(decoded);
  REQUIRE(decoded->results.size() == changes.size());
  return {*decoded, res->body};
}

inline Pushed push_raw(TestServer& server, const Desk& desk,
                       const std::vector<protocol::Change>& changes) {
  std::vector<std::string> encoded;
  for (const auto& change : changes) encoded.push_back(protocol::encode(change));
  return push_encoded(server, desk, encoded);
}

inline protocol::ChangeResult push_one(TestServer& server, const Desk& desk,
                                       const protocol::Change& change) {
  return push_raw(server, desk, {change}).response.results.front();
}

// Every record the central store holds, encoded, by entity and id.
inline std::map<std::string, std::string> central_snapshot(central::CentralStore& store) {
  std::map<std::string, std::string> out;
  for (const auto entity :
       {protocol::Entity::member, protocol::Entity::event, protocol::Entity::attendance,
        protocol::Entity::pack, protocol::Entity::request}) {
    for (const auto& record : store.list(entity)) {
      const std::string id = std::visit([](const auto& r) { return r.id; }, record);
      out[util::cat(protocol::to_string(entity), "/", id)] = protocol::encode_record(record);
    }
  }
  return out;
}

inline model::ResourceRequest request_for(const std::string& office, const std::string& member_id) {
  model::ResourceRequest r;
  r.id = util::new_uuid_v7();
  r.member_id = member_id;
  r.lines = {{.pack_id = "CP-TOOLKIT-01", .quantity = 1}};
  r.office = office;
  r.transitions = {{.status = model::RequestStatus::requested,
                    .actor = "kiosk desk",
                    .at = util::iso8601_utc(std::chrono::system_clock::now())}};
  return r;
}

}  // namespace alliance::test
