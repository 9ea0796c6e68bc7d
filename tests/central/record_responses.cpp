// Contract recorder: starts alliance-central in-process, exercises every
// endpoint's success and error answers, and writes one JSON file per response
// into the folder named by argv[1]:
//   {"method":"POST","path":"/v1/sync/push","status":200,"body":<response body>}
// path is the OpenAPI path template (no query string). The contract
// validator in tests/contract checks these files against docs/api/openapi.yaml.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "common/store/database.hpp"
#include "common/util/time.hpp"
#include "server_fixture.hpp"

using namespace alliance;

namespace {

class Recorder {
 public:
  explicit Recorder(std::filesystem::path folder) : folder_(std::move(folder)) {}

  void record(const std::string& method, const std::string& path, const httplib::Result& res,
              const std::string& label) {
    if (!res) throw std::runtime_error("no answer for " + label);
    ++count_;
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%03d", count_);
    std::string name = std::string(prefix) + "_" + method + "_" + label + "_" +
                       std::to_string(res->status) + ".json";
    std::ofstream out(folder_ / name, std::ios::binary);
    out << "{\"method\":\"" << method << "\",\"path\":\"" << path << "\",\"status\":" << res->status
        << ",\"body\":" << (res->body.empty() ? "null" : res->body) << "}\n";
    if (!out) throw std::runtime_error("cannot write " + name);
  }
  int count() const { return count_; }

 private:
  std::filesystem::path folder_;
  int count_ = 0;
};

const char* kEnroll = "/v1/devices/enroll";
const char* kPush = "/v1/sync/push";
const char* kPull = "/v1/sync/pull";

int run(const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  Recorder rec(folder);
  test::TestServer server(central::ApiLimits{.max_changes = 5, .enroll_attempts_per_window = 100},
                          100);
  auto client = server.client();

  rec.record("GET", "/v1/health", client->Get("/v1/health"), "health");

  // Enrolment.
  const auto code = server.store().create_enrolment_code("Nairobi", std::chrono::hours(1));
  const auto enroll_body = protocol::encode(
      protocol::EnrollRequest{.code = code, .device_name = "Desk 1", .app_version = "0.1.0"});
  auto enrolled = client->Post(kEnroll, enroll_body, "application/json");
  rec.record("POST", kEnroll, enrolled, "enroll_ok");
  const auto device = *protocol::decode_enroll_response(enrolled->body);
  rec.record("POST", kEnroll, client->Post(kEnroll, enroll_body, "application/json"),
             "enroll_code_used");
  rec.record(
      "POST", kEnroll,
      client->Post(kEnroll, protocol::encode(protocol::EnrollRequest{.code = "AAAA-BBBB-CCCC"}),
                   "application/json"),
      "enroll_invalid_code");
  const auto expired = server.store().create_enrolment_code("Nairobi", std::chrono::seconds(0));
  rec.record("POST", kEnroll,
             client->Post(kEnroll, protocol::encode(protocol::EnrollRequest{.code = expired}),
                          "application/json"),
             "enroll_code_expired");
  rec.record("POST", kEnroll, client->Post(kEnroll, "{\"code\":", "application/json"),
             "enroll_malformed");
  rec.record("POST", kEnroll, client->Post(kEnroll, "{\"schema\":1}", "application/json"),
             "enroll_missing_code");
  rec.record("POST", kEnroll, client->Post(kEnroll, "code=1", "text/plain"), "enroll_wrong_type");
  {
    test::TestServer limited(central::ApiLimits{.enroll_attempts_per_window = 1});
    auto c = limited.client();
    c->Post(kEnroll, enroll_body, "application/json");
    rec.record("POST", kEnroll, c->Post(kEnroll, enroll_body, "application/json"),
               "enroll_rate_limited");
  }

  // Push.
  const auto other = server.enroll();
  auto member = test::member_with_id(1);
  auto create = test::change_of(member, test::hlc_at(1000, device.device_id));
  auto newer = member;
  newer.region = "Kisumu";
  auto update = test::change_of(newer, test::hlc_at(3000, device.device_id), {"region"},
                                protocol::Operation::update);
  auto invalid = test::change_of(test::member_with_id(2), test::hlc_at(1000, device.device_id));
  std::get<model::Member>(invalid.record).phone = "12";
  std::get<model::Member>(invalid.record).email = "";
  auto auth = test::bearer(device.token);
  rec.record(
      "POST", kPush,
      client->Post(kPush, auth, test::push_body({create, update, invalid}), "application/json"),
      "push_applied_rejected");
  auto older = member;
  older.region = "Nakuru";
  auto losing = test::change_of(older, test::hlc_at(2000, other.device_id), {"region"},
                                protocol::Operation::update);
  rec.record("POST", kPush,
             client->Post(kPush, test::bearer(other.token), test::push_body({losing, create}),
                          "application/json"),
             "push_conflict_duplicate");
  auto reused = create;
  std::get<model::Member>(reused.record).region = "Changed";
  rec.record("POST", kPush,
             client->Post(kPush, auth, test::push_body({reused}), "application/json"),
             "push_change_id_reused");
  rec.record("POST", kPush,
             client->Post(kPush, auth, "{\"schema\":1,\"changes\":[{]}", "application/json"),
             "push_malformed");
  rec.record("POST", kPush,
             client->Post(kPush, auth, "{\"schema\":1,\"changes\":\"x\"}", "application/json"),
             "push_wrong_type");
  rec.record("POST", kPush,
             client->Post(kPush, auth, std::string("{\"x\":\"\xff\"}"), "application/json"),
             "push_invalid_utf8");
  rec.record("POST", kPush,
             client->Post(kPush, auth,
                          "{\"changes\":" + std::string(100, '[') + std::string(100, ']') + "}",
                          "application/json"),
             "push_too_deep");
  rec.record("POST", kPush, client->Post(kPush, test::push_body({}), "application/json"),
             "push_no_token");
  rec.record(
      "POST", kPush,
      client->Post(kPush, test::bearer("afk_wrong"), test::push_body({}), "application/json"),
      "push_bad_token");
  rec.record("POST", kPush, client->Post(kPush, auth, "{}", "text/plain"),
             "push_wrong_content_type");
  rec.record("POST", kPush,
             client->Post(kPush, auth, std::string(9 * 1024 * 1024, ' '), "application/json"),
             "push_too_large");
  std::vector<protocol::Change> many;
  for (int i = 0; i < 6; ++i)
    many.push_back(test::change_of(test::member_with_id(10 + i), test::hlc_at(1, "a")));
  rec.record("POST", kPush, client->Post(kPush, auth, test::push_body(many), "application/json"),
             "push_too_many_changes");
  {
    auto headers = auth;
    headers.emplace("Content-Encoding", "gzip");
    rec.record("POST", kPush, client->Post(kPush, headers, "not gzip", "application/json"),
               "push_broken_gzip");
  }

  // The authorization model's answers: another office's record, a status only
  // central sets, a forged clock id, a clock clamped to the server's.
  {
    const auto accra = server.enroll("Accra", "accra-node");
    auto theirs = newer;
    theirs.region = "Accra";
    auto ahead = test::member_with_id(40);
    model::ResourceRequest request;
    request.id = util::new_uuid_v7();
    request.organisation_name = "Hope Foundation";
    request.lines = {{.pack_id = "CP-TOOLKIT-01", .quantity = 1}};
    request.office = "Accra";
    request.status = model::RequestStatus::approved;
    const auto now = util::to_unix_ms(std::chrono::system_clock::now());
    rec.record(
        "POST", kPush,
        client->Post(
            kPush, test::bearer(accra.token),
            test::push_body({test::change_of(theirs, test::hlc_at(now, "accra-node"), {"region"},
                                             protocol::Operation::update),
                             test::change_of(request, test::hlc_at(now, "accra-node")),
                             test::change_of(ahead, test::hlc_at(now, "someone-else")),
                             test::change_of(ahead, test::hlc_at(now + 3'600'000, "accra-node"))}),
            "application/json"),
        "push_forbidden_clamped");
    rec.record("POST", kEnroll,
               client->Post(
                   kEnroll,
                   protocol::encode(protocol::EnrollRequest{
                       .code = server.store().create_enrolment_code("Dakar", std::chrono::hours(1)),
                       .hlc_node = "accra-node"}),
                   "application/json"),
               "enroll_hlc_node_in_use");
    rec.record("POST", kEnroll,
               client->Post(
                   kEnroll,
                   R"({"schema":1,"code":"K7QM-4XR9","hlc_node":")" + std::string(65, 'n') + "\"}",
                   "application/json"),
               "enroll_too_long");
  }
  rec.record("POST", kPush,
             client->Post(kPush, auth, R"({"schema":1,"schema":1})", "application/json"),
             "push_duplicate_key");
  rec.record(
      "POST", kPush,
      client->Post(kPush, auth, R"({"schema":1,"changes":[],"x":"a\u0000b"})", "application/json"),
      "push_nul_character");
  // Transport refusals: ambiguous framing and oversized headers.
  {
    auto headers = auth;
    const auto body = test::push_body({});
    headers.emplace("Content-Length", std::to_string(body.size()));
    headers.emplace("Content-Length", std::to_string(body.size()));
    rec.record("POST", kPush, client->Post(kPush, headers, body, "application/json"),
               "push_duplicate_content_length");
    const httplib::Headers big = {{"X-Big", std::string(20'000, 'b')}};
    rec.record("POST", kEnroll,
               server.client()->Post(kEnroll, big, enroll_body, "application/json"),
               "enroll_headers_too_large");
    rec.record("GET", "/v1/health", server.client()->Get("/v1/health", big),
               "health_headers_too_large");
    auto big_auth = auth;
    big_auth.emplace("X-Big", std::string(20'000, 'b'));
    rec.record("GET", kPull, server.client()->Get("/v1/sync/pull?cursor=0", big_auth),
               "pull_headers_too_large");
    rec.record("POST", kPush, server.client()->Post(kPush, big_auth, body, "application/json"),
               "push_headers_too_large");
  }

  // Pull: with the catalogue there is more than one page at limit=1.
  server.store().import_catalog({{.id = "CP-TOOLKIT-01",
                                  .title = "Case Management Toolkit",
                                  .languages = {"en", "fr"},
                                  .stock = {{.office = "Nairobi", .quantity = 10}}},
                                 {.id = "GL-SUPERVISION-02",
                                  .title = "Supervision Guidelines",
                                  .languages = {"pt"},
                                  .format = model::PackFormat::digital}},
                                {});
  rec.record("GET", kPull,
             client->Get("/v1/sync/pull?cursor=0&limit=100", test::bearer(other.token)), "pull_ok");
  rec.record("GET", kPull, client->Get("/v1/sync/pull?cursor=0&limit=1", test::bearer(other.token)),
             "pull_more");
  // The device's own report: a queue depth (and a clock) as the agent sends
  // them, and values central ignores, which change nothing in the answer.
  {
    auto reporting = test::bearer(other.token);
    reporting.emplace(std::string(protocol::kQueueDepthHeader), "312");
    reporting.emplace(std::string(protocol::kDeviceTimeHeader),
                      std::to_string(util::to_unix_ms(std::chrono::system_clock::now())));
    rec.record("GET", kPull, client->Get("/v1/sync/pull?cursor=0&limit=1", reporting),
               "pull_queue_depth");
    rec.record("POST", kPush,
               client->Post(kPush, reporting, test::push_body({}), "application/json"),
               "push_queue_depth");
    auto hostile = test::bearer(other.token);
    hostile.emplace(std::string(protocol::kQueueDepthHeader), "-1e9");
    hostile.emplace(std::string(protocol::kQueueDepthHeader), std::string(4096, '9'));
    rec.record("GET", kPull, client->Get("/v1/sync/pull?cursor=0&limit=1", hostile),
               "pull_queue_depth_ignored");
    rec.record("POST", kPush, client->Post(kPush, hostile, test::push_body({}), "application/json"),
               "push_queue_depth_ignored");
  }
  rec.record("GET", kPull, client->Get("/v1/sync/pull?cursor=-5", auth), "pull_bad_cursor");
  rec.record("GET", kPull, client->Get("/v1/sync/pull?cursor=0&wait=soon", auth), "pull_bad_wait");
  {
    // A pull that waits for a change and ends with nothing new: 204.
    const auto caught_up = test::pull(*client, device.token, 0).next_cursor;
    rec.record("GET", kPull,
               client->Get(
                   ("/v1/sync/pull?cursor=" + std::to_string(caught_up) + "&wait=1").c_str(), auth),
               "pull_waited_nothing_new");
  }
  rec.record("GET", kPull, client->Get("/v1/sync/pull"), "pull_no_token");

  // Busy database: 503 with Retry-After.
  {
    auto db = server.open_db();
    central::sql::Transaction hold(db);
    rec.record("POST", kPush,
               client->Post(kPush, auth,
                            test::push_body(
                                {test::change_of(test::member_with_id(30), test::hlc_at(1, "a"))}),
                            "application/json"),
               "push_busy");
    rec.record("GET", kPull, client->Get("/v1/sync/pull?cursor=0", auth), "pull_busy");
  }

  // Revoked device.
  server.store().revoke_device(device.device_id);
  rec.record("POST", kPush, client->Post(kPush, auth, test::push_body({}), "application/json"),
             "push_revoked");
  rec.record("GET", kPull, client->Get("/v1/sync/pull?cursor=0", auth), "pull_revoked");

  std::cout << "recorded " << rec.count() << " responses in " << folder.string() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || std::string(argv[1]) == "--help") {
    std::cerr << "usage: central_contract_recorder OUTPUT_DIR\n";
    return argc == 2 ? 0 : 2;
  }
  try {
    return run(argv[1]);
  } catch (const std::exception& e) {
    std::cerr << "central_contract_recorder: " << e.what() << "\n";
    return 1;
  }
}
