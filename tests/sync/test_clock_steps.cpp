// Wall-clock steps on the real programs (libfaketime): imports by the real
// alliance-kiosk and syncs by the real alliance-sync with the clock three
// years back and twenty hours ahead, against a real central on 127.0.0.1.
// Changes keep their order, and edits made after the step back still win.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/util/hlc.hpp"
#include "harness.hpp"
#include "local_central.hpp"

namespace alliance::sync {
namespace {

const std::string kKioskBinary = ALLIANCE_KIOSK_BINARY;
constexpr std::string_view kFaketime = "/usr/bin/faketime";
constexpr std::int64_t kHour = 3'600'000;

// argv run with the wall clock moved by `offset` ("-3y", "+20h"); the
// monotonic clock is left alone, so timeouts still measure real time.
std::vector<std::string> shifted(const std::string& offset, std::vector<std::string> argv) {
  setenv("FAKETIME_DONT_FAKE_MONOTONIC", "1", 1);
  argv.insert(argv.begin(), {std::string(kFaketime), "-f", offset});
  return argv;
}

bool have_faketime() {
  return std::filesystem::exists(kFaketime);
}

// Imports `count` new people with the real kiosk binary; `offset` may be "".
void import_people(const std::filesystem::path& db, const std::filesystem::path& dir, int first,
                   int count, const std::string& offset) {
  const auto csv = dir / ("people-" + std::to_string(first) + ".csv");
  {
    std::ofstream out(csv);
    out << "given_name,family_name,phone,country,consent\n";
    for (int i = first; i < first + count; ++i) {
      // Names take letters only: the index spelled in letters keeps them apart.
      std::string name = "Person";
      for (const char digit : std::to_string(i)) name += static_cast<char>('a' + (digit - '0'));
      out << name << ",Clock,+2547" << (10000000 + i) << ",KE,yes\n";
    }
  }
  std::vector<std::string> argv = {kKioskBinary, "import-members", "--db", db.string(),
                                   csv.string()};
  if (!offset.empty()) argv = shifted(offset, argv);
  auto r = test::run_process(argv, dir, std::chrono::seconds(60));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

std::vector<util::Hlc> outbox_clocks(store::Store& s) {
  std::vector<util::Hlc> out;
  auto q = s.db().query("SELECT hlc FROM outbox ORDER BY seq");
  while (q.step()) out.push_back(util::parse_hlc(q.text(0)).value_or(util::Hlc{}));
  return out;
}

}  // namespace

TEST_CASE(
    "imports and syncs with the wall clock 3 years back and 20 hours ahead keep their order") {
  REQUIRE_MESSAGE(have_faketime(), "faketime is not installed: run installer/install-deps.sh");
  test::keep_traffic_local();
  test::TestServer server;
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  test::enroll_with_binary(server, db, test::local_url(server), dir.path());
  const std::int64_t started = test::wall_now_ms();

  import_people(db, dir.path(), 0, 5, "");
  import_people(db, dir.path(), 5, 5, "-3y");    // a board booting without its clock
  import_people(db, dir.path(), 10, 5, "+20h");  // a zone taken for UTC, say
  import_people(db, dir.path(), 15, 5, "-3y");
  {
    auto store = store::Store::open(db);
    const auto clocks = outbox_clocks(store);
    REQUIRE(clocks.size() == 20);
    for (std::size_t i = 1; i < clocks.size(); ++i) {
      CAPTURE(i);
      CHECK(clocks[i - 1] < clocks[i]);
    }
    CHECK(clocks[5].wall_ms >= started);                // not 2023
    CHECK(clocks[10].wall_ms >= started + 19 * kHour);  // the forward step is taken
    CHECK(clocks[15].wall_ms >= clocks[14].wall_ms);    // and kept after the step back
  }

  // The agent syncs three years back: everything arrives, the offset shows.
  auto once = test::run_process(shifted("-3y", test::sync_args("once", db)), dir.path(),
                                std::chrono::seconds(60));
  REQUIRE_MESSAGE(once.exit_code == 0, once.err);
  CHECK(test::central_member_ids(server.store()).size() == 20);
  auto status = test::run_process(test::sync_args("status", db), dir.path());
  CHECK(status.out.find("days behind the server") != std::string::npos);
  CHECK(status.out.find("all records synced") != std::string::npos);
}

TEST_CASE(
    "an edit and a void made after the clock went back 3 years win at central and elsewhere") {
  REQUIRE_MESSAGE(have_faketime(), "faketime is not installed: run installer/install-deps.sh");
  test::keep_traffic_local();
  test::TestServer server;
  test::TempDir dir;
  const auto db_a = dir / "a.db";
  const auto db_b = dir / "b.db";
  test::enroll_with_binary(server, db_a, test::local_url(server), dir.path());
  test::enroll_with_binary(server, db_b, test::local_url(server), dir.path());
  auto sync = [&](const std::filesystem::path& db, const std::string& offset) {
    auto argv = test::sync_args("once", db);
    if (!offset.empty()) argv = shifted(offset, argv);
    auto r = test::run_process(argv, dir.path(), std::chrono::seconds(60));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  };

  std::string id;
  {
    auto a = store::Store::open(db_a);
    id = test::register_members(a, 1)[0];
  }
  sync(db_a, "");
  sync(db_b, "");
  {
    auto b = store::Store::open(db_b);
    auto m = b.find_member(id);
    REQUIRE(m.has_value());
    m->region = "Mombasa";
    REQUIRE(b.update_member(*m, test::kenya_context()).has_value());
  }
  sync(db_b, "");
  // A's board loses its clock: it pulls B's edit three years "earlier".
  sync(db_a, "-3y");
  const std::int64_t three_years_back = test::wall_now_ms() - 3 * 365 * 24 * kHour;
  {
    auto a = store::Store::open(db_a);
    a.set_wall_clock([&] { return three_years_back; });
    auto m = a.find_member(id);
    REQUIRE(m.has_value());
    REQUIRE(m->region == "Mombasa");
    m->region = "Kisumu";
    REQUIRE(a.update_member(*m, test::kenya_context()).has_value());
  }
  sync(db_a, "-3y");
  auto at_central = [&] {
    for (const auto& r : server.store().list(protocol::Entity::member)) {
      const auto& m = std::get<model::Member>(r);
      if (m.id == id) return m;
    }
    FAIL("the member is not at central");
    return model::Member{};
  };
  CHECK(at_central().region == "Kisumu");  // not silently reverted to B's older edit
  {
    auto a = store::Store::open(db_a);
    a.set_wall_clock([&] { return three_years_back + 1000; });
    REQUIRE(a.void_member(id, "registered twice"));
  }
  sync(db_a, "-3y");
  CHECK(at_central().voided);
  CHECK(at_central().region == "Kisumu");

  sync(db_b, "");
  auto b = store::Store::open(db_b);
  auto on_b = b.find_member(id);
  REQUIRE(on_b.has_value());
  CHECK(on_b->region == "Kisumu");
  CHECK(on_b->voided);
}

}  // namespace alliance::sync
