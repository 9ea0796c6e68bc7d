// The database a test's central uses: a SQLite file, or with ALLIANCE_TEST_DB_BACKEND=postgres
// a fresh database on a throwaway PostgreSQL cluster (tests/support/pg-cluster.sh).
//
// ctest starts one cluster for the whole run (fixture postgres_cluster) and
// passes its state file in ALLIANCE_TEST_PG_STATE; a test binary run by hand
// starts its own cluster on first use and stops it when the process exits.
#pragma once

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>

#include "central/store/sql_connection.hpp"
#include "common/util/uuid.hpp"

#ifndef ALLIANCE_SOURCE_DIR
#error "a test using test_database.hpp needs ALLIANCE_SOURCE_DIR"
#endif

namespace alliance::test {

inline bool testing_postgres() {
  const char* backend = std::getenv("ALLIANCE_TEST_DB_BACKEND");
  return backend != nullptr && std::string(backend) == "postgres";
}

inline std::string pg_cluster_script() {
  return std::string(ALLIANCE_SOURCE_DIR) + "/tests/support/pg-cluster.sh";
}

// How a cluster of our own writes: the tests' settings (fsync off), or
// PostgreSQL's defaults, as production runs, for benchmarks.
enum class PgDurability { test_settings, durable };

// A throwaway PostgreSQL cluster: "DIR URL" from pg-cluster.sh.
class PgCluster {
 public:
  // Starts one; throws with the script's complaint when it cannot.
  static PgCluster start(PgDurability durability = PgDurability::test_settings) {
    std::array<char, 4096> buffer{};
    const std::string command =
        pg_cluster_script() + (durability == PgDurability::durable ? " start --durable" : " start");
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("cannot run tests/support/pg-cluster.sh");
    std::string line;
    while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) {
      line += buffer.data();
    }
    if (::pclose(pipe) != 0 || line.find(' ') == std::string::npos) {
      throw std::runtime_error("the throwaway PostgreSQL cluster did not start (see stderr)");
    }
    while (!line.empty() && line.back() == '\n') line.pop_back();
    return PgCluster(line.substr(0, line.find(' ')), line.substr(line.find(' ') + 1), true);
  }
  // One started by someone else (ctest's fixture), from its state file.
  static PgCluster attach(const std::filesystem::path& state_file) {
    std::ifstream in(state_file);
    std::string dir;
    std::string url;
    if (!(in >> dir >> url)) {
      throw std::runtime_error("ALLIANCE_TEST_PG_STATE names no running test cluster");
    }
    return PgCluster(dir, url, false);
  }

  PgCluster(PgCluster&& other) noexcept
      : dir_(std::move(other.dir_)), url_(std::move(other.url_)), owned_(other.owned_) {
    other.owned_ = false;
  }
  PgCluster(const PgCluster&) = delete;
  ~PgCluster() {
    if (owned_) {
      const std::string stop = pg_cluster_script() + " stop '" + dir_ + "'";
      [[maybe_unused]] const int rc = std::system(stop.c_str());
    }
  }

  // The admin URL (database "postgres").
  const std::string& url() const { return url_; }
  // Its folder (the data directory is data/ in it).
  const std::string& dir() const { return dir_; }

  // A new empty database on this cluster; returns its URL.
  std::string new_database() const {
    std::string name = "t_" + util::new_uuid_v7();
    for (char& c : name) {
      if (c == '-') c = '_';
    }
    auto admin = central::sql::Connection::open(url_);
    admin.exec("CREATE DATABASE " + name);
    return url_.substr(0, url_.rfind('/') + 1) + name;
  }

 private:
  PgCluster(std::string dir, std::string url, bool owned)
      : dir_(std::move(dir)), url_(std::move(url)), owned_(owned) {}
  std::string dir_;
  std::string url_;
  bool owned_ = false;
};

// The cluster of this test process (see the header comment).
inline const PgCluster& shared_pg_cluster() {
  static const PgCluster cluster = [] {
    if (const char* state = std::getenv("ALLIANCE_TEST_PG_STATE"); state != nullptr && *state) {
      return PgCluster::attach(state);
    }
    return PgCluster::start();
  }();
  return cluster;
}

// Where a test's central keeps its data: `sqlite_file`, or a new
// PostgreSQL database when the suite runs against PostgreSQL.
inline std::string central_db_spec(const std::filesystem::path& sqlite_file) {
  if (!testing_postgres()) return sqlite_file.string();
  return shared_pg_cluster().new_database();
}

}  // namespace alliance::test
