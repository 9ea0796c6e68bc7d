// What the sync tests share: a kiosk database with records, the real
// binaries' paths, and ways to ask the central store what arrived.
#pragma once

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "central/server_fixture.hpp"
#include "common/store/store.hpp"
#include "process.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

namespace alliance::test {

inline const std::string kSyncBinary = ALLIANCE_SYNC_BINARY;
inline const std::string kCentralBinary = ALLIANCE_CENTRAL_BINARY;
inline const std::filesystem::path kSourceDir = ALLIANCE_SOURCE_DIR;

// Traffic stays on 127.0.0.1 even if the environment names a proxy.
inline void keep_traffic_local() {
  setenv("no_proxy", "127.0.0.1,localhost", 1);
  setenv("NO_PROXY", "127.0.0.1,localhost", 1);
}

// Saves n registrations through common/store, in transactions of up to 100;
// returns their member ids. `offset` keeps phones and e-mails unique.
inline std::vector<std::string> register_members(store::Store& store, int n, int offset = 0) {
  std::vector<std::string> ids;
  for (int start = 0; start < n; start += 100) {
    std::vector<model::Member> drafts;
    for (int i = start; i < std::min(n, start + 100); ++i) {
      drafts.push_back(sample_member(offset + i));
    }
    auto saved = store.register_members(std::move(drafts), kenya_context());
    if (!saved) throw std::runtime_error("sample members did not validate");
    for (const auto& m : *saved) ids.push_back(m.id);
  }
  return ids;
}

inline std::set<std::string> central_member_ids(central::CentralStore& central) {
  std::set<std::string> ids;
  for (const auto& r : central.list(protocol::Entity::member)) {
    ids.insert(std::get<model::Member>(r).id);
  }
  return ids;
}

// alliance-sync <command> --db <db> <extra...>
inline std::vector<std::string> sync_args(const std::string& command,
                                          const std::filesystem::path& db,
                                          std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {kSyncBinary, command, "--db", db.string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

// Enrols the kiosk database with the real binary against url; returns the device id.
inline void enroll_with_binary(TestServer& server, const std::filesystem::path& db,
                               const std::string& url, const std::filesystem::path& dir) {
  const std::string code = server.store().create_enrolment_code("Nairobi", std::chrono::hours(1));
  auto r = run_process(sync_args("enroll", db, {"--server", url, "--code", code}), dir,
                       std::chrono::seconds(30));
  if (r.exit_code != 0) throw std::runtime_error("enroll failed: " + r.err);
}

inline std::string local_url(const TestServer& server) {
  return "http://127.0.0.1:" + std::to_string(server.port());
}

// A restarted test server listens on a new random port; in the field central
// comes back at its old address. Points the kiosk store at `server`; nothing
// else of its enrolment changes.
inline void point_at(store::Store& store, const TestServer& server) {
  auto credentials = store::load_credentials(store);
  if (!credentials) throw std::runtime_error("a test device lost its enrolment");
  credentials->server_url = local_url(server);
  store::save_credentials(store, *credentials);
}

// Polls `done` every 50 ms until it holds or `limit` passes.
template <class F>
bool eventually(F done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

}  // namespace alliance::test
