// Several real alliance-central serve processes on one database, and an admin store on it.
#pragma once

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "central_process.hpp"
#include "server_fixture.hpp"
#include "support/free_port.hpp"

namespace alliance::test {

struct CentralProcesses {
  // Starts `processes` serve processes on `db` (a PostgreSQL URL, or a SQLite
  // file) after opening it once, so the schema exists before they start;
  // throws when one does not answer. With `log_dir`, process i writes its
  // output to central-<i>.log there.
  CentralProcesses(std::string db, int processes, const std::filesystem::path& log_dir = {})
      : url(std::move(db)) {
    admin = central::CentralStore::open(url);
    for (int i = 0; i < processes; ++i) {
      const auto log_file =
          log_dir.empty() ? log_dir : log_dir / ("central-" + std::to_string(i) + ".log");
      servers.push_back(std::make_unique<CentralProcess>(url, free_port(), log_file));
    }
    for (const auto& s : servers) {
      if (!s->wait_ready()) throw std::runtime_error("a central process did not start");
    }
  }

  std::unique_ptr<httplib::Client> client(std::size_t i) const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", servers.at(i)->port());
    c->set_connection_timeout(5, 0);
    c->set_read_timeout(60, 0);
    c->set_write_timeout(60, 0);
    return c;
  }

  // Enrols a device named `name` (also its clock id) through process `server`.
  protocol::EnrollResponse enroll(std::size_t server, const std::string& name) {
    const std::string code = admin->create_enrolment_code("Nairobi", std::chrono::hours(1));
    auto res = client(server)->Post(
        "/v1/devices/enroll",
        protocol::encode(protocol::EnrollRequest{
            .code = code, .device_name = name, .app_version = "test", .hlc_node = name}),
        "application/json");
    if (!res || res->status != 200) throw std::runtime_error("enrolment failed");
    return *protocol::decode_enroll_response(res->body);
  }

  std::string url;
  std::unique_ptr<central::CentralStore> admin;
  std::vector<std::unique_ptr<CentralProcess>> servers;
};

}  // namespace alliance::test
