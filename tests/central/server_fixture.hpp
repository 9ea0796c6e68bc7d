// A real alliance-central server on 127.0.0.1 with a random port and a
// temporary database, plus helpers to build changes and call the API.
#pragma once

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "central/http/server.hpp"
#include "central/store/central_store.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/hlc.hpp"
#include "common/util/log.hpp"
#include "common/util/uuid.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace alliance::test {

class TestServer {
 public:
  explicit TestServer(central::ApiLimits limits = {}, int busy_timeout_ms = 10'000)
      : TestServer(central::ServerOptions{.limits = limits}, busy_timeout_ms) {}
  // With tls_cert and tls_key set in options, it speaks only HTTPS.
  explicit TestServer(central::ServerOptions options, int busy_timeout_ms = 10'000)
      : TestServer(std::string(), std::move(options), busy_timeout_ms) {}
  // Serves the central database `db`, a file or a PostgreSQL URL (empty: a
  // new one, a file in its own temporary folder or a database on the test
  // cluster, see test_database.hpp), so a test can restart a server on the
  // same data with other options.
  TestServer(const std::string& db, central::ServerOptions options, int busy_timeout_ms = 10'000)
      : https_(!options.tls_cert.empty()) {
    log::set_level(log::Level::warn);
    db_spec_ = db.empty() ? central_db_spec(dir_ / "central.db") : db;
    store_ = central::CentralStore::open(db_spec_, busy_timeout_ms);
    server_ = std::make_unique<central::Server>(*store_, options);
    port_ = server_->bind_to_any_port();
    if (port_ <= 0) throw std::runtime_error("cannot bind a test port");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    for (int i = 0; i < 1000 && !server_->is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  ~TestServer() {
    server_->stop();
    thread_.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  std::string url() const {
    return (https_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_);
  }
  central::CentralStore& store() { return *store_; }
  // The database it serves: a SQLite file or a PostgreSQL URL.
  const std::string& db_spec() const { return db_spec_; }
  // Another connection to the same database, for looking at what is stored.
  central::sql::Connection open_db() const { return central::sql::Connection::open(db_spec_); }
  const TempDir& dir() const { return dir_; }

  std::unique_ptr<httplib::Client> client() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
    c->set_connection_timeout(5, 0);
    c->set_read_timeout(30, 0);
    c->set_write_timeout(30, 0);
    return c;
  }

  // Enrols a new device for `office`; returns its enrolment answer. Without
  // hlc_node the device's clock id is bound by its first push.
  protocol::EnrollResponse enroll(const std::string& office = "Nairobi",
                                  const std::string& hlc_node = "") {
    const std::string code = store_->create_enrolment_code(office, std::chrono::hours(1));
    auto res = client()->Post("/v1/devices/enroll",
                              protocol::encode(protocol::EnrollRequest{
                                  .code = code,
                                  .device_name = "Desk " + std::to_string(++enrolled_),
                                  .app_version = "test",
                                  .hlc_node = hlc_node}),
                              "application/json");
    if (!res || res->status != 200) throw std::runtime_error("enrolment failed in a fixture");
    auto decoded = protocol::decode_enroll_response(res->body);
    if (!decoded) throw std::runtime_error("bad enrolment answer in a fixture");
    return *decoded;
  }

 private:
  TempDir dir_;
  std::string db_spec_;
  std::unique_ptr<central::CentralStore> store_;
  std::unique_ptr<central::Server> server_;
  std::thread thread_;
  int port_ = -1;
  bool https_ = false;
  int enrolled_ = 0;  // device names differ: enrolment is rate-limited per name
};

inline httplib::Headers bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

inline std::string hlc_at(std::int64_t wall_ms, const std::string& node = "node-a",
                          std::uint32_t counter = 0) {
  return util::Hlc{.wall_ms = wall_ms, .counter = counter, .node = node}.to_string();
}

inline model::Member member_with_id(int n, std::string id = util::new_uuid_v7()) {
  auto m = sample_member(n);
  m.id = std::move(id);
  return m;
}

inline protocol::Change change_of(protocol::Record record, const std::string& hlc,
                                  std::vector<std::string> fields = {},
                                  protocol::Operation op = protocol::Operation::create) {
  protocol::Change c;
  c.change_id = util::new_uuid_v7();
  c.entity = protocol::entity_of(record);
  c.entity_id = std::visit([](const auto& r) { return r.id; }, record);
  c.op = op;
  c.hlc = hlc;
  c.changed_fields = std::move(fields);
  c.record = std::move(record);
  return c;
}

inline std::string push_body(const std::vector<protocol::Change>& changes) {
  return protocol::encode(protocol::PushRequest{.changes = changes});
}

// POST /v1/sync/push; returns the decoded answer or throws.
inline protocol::PushResponse push(httplib::Client& client, const std::string& token,
                                   const std::vector<protocol::Change>& changes) {
  auto res = client.Post("/v1/sync/push", bearer(token), push_body(changes), "application/json");
  if (!res) throw std::runtime_error("push: no answer");
  if (res->status != 200) throw std::runtime_error("push: status " + std::to_string(res->status));
  auto decoded = protocol::decode_push_response(res->body);
  if (!decoded) throw std::runtime_error("push: bad answer");
  return *decoded;
}

inline protocol::PullResponse pull(httplib::Client& client, const std::string& token,
                                   std::int64_t cursor, int limit = 500) {
  auto res = client.Get(
      "/v1/sync/pull?cursor=" + std::to_string(cursor) + "&limit=" + std::to_string(limit),
      bearer(token));
  if (!res) throw std::runtime_error("pull: no answer");
  if (res->status != 200) throw std::runtime_error("pull: status " + std::to_string(res->status));
  auto decoded = protocol::decode_pull_response(res->body);
  if (!decoded) throw std::runtime_error("pull: bad answer");
  return *decoded;
}

inline protocol::ErrorBody error_of(const httplib::Result& res) {
  if (!res) throw std::runtime_error("no answer");
  auto decoded = protocol::decode_error_body(res->body);
  if (!decoded) throw std::runtime_error("not an error body: " + res->body.substr(0, 200));
  return *decoded;
}

inline bool healthy(const TestServer& server) {
  auto res = server.client()->Get("/v1/health");
  return res && res->status == 200;
}

}  // namespace alliance::test
