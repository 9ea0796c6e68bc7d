// Reference codes across devices, end to end: the real alliance-sync enrols
// kiosk databases with a real alliance-central, which hands each one a
// prefix; a device enrolled before prefixes, or restored from a backup, gets
// a fresh one from its next pull.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "common/store/backup.hpp"
#include "common/util/reference_code.hpp"
#include "harness.hpp"

namespace alliance::test {
namespace {

std::string symbols_of(const std::string& code) {
  std::string symbols;
  for (const char c : code) {
    if (c != '-') symbols.push_back(c);
  }
  return symbols;
}

// The reference codes of the members registered by register_members.
std::set<std::string> codes_of(store::Store& kiosk, const std::vector<std::string>& ids) {
  std::set<std::string> codes;
  for (const auto& id : ids) {
    auto member = kiosk.find_member(id);
    REQUIRE(member.has_value());
    codes.insert(member->reference_code);
  }
  return codes;
}

}  // namespace

TEST_CASE("three enrolled kiosks mint codes of their own prefixes, all distinct at central") {
  keep_traffic_local();
  TestServer server;
  TempDir dir;
  std::set<std::string> prefixes;
  std::set<std::string> all_codes;
  for (int desk = 0; desk < 3; ++desk) {
    const auto db = dir / ("desk" + std::to_string(desk) + ".db");
    auto kiosk = store::Store::open(db);
    enroll_with_binary(server, db, local_url(server), dir.path());
    const auto credentials = store::load_credentials(kiosk);
    REQUIRE(credentials.has_value());
    const std::string prefix = kiosk.reference_code_prefix();
    CAPTURE(prefix);
    REQUIRE(util::is_allocatable_reference_prefix(prefix));
    CHECK(credentials->code_prefix == prefix);
    CHECK(server.store().code_prefixes_of(credentials->device_id) ==
          std::vector<std::string>{prefix});
    prefixes.insert(prefix);

    const auto ids = register_members(kiosk, 40, desk * 100);
    for (const auto& code : codes_of(kiosk, ids)) {
      CAPTURE(code);
      CHECK(symbols_of(code).starts_with(prefix));
      CHECK(util::normalize_reference_code(code) == std::optional<std::string>(code));
      all_codes.insert(code);
    }
    auto pushed = run_process(sync_args("once", db), dir.path());
    INFO(pushed.err);
    REQUIRE(pushed.exit_code == 0);
  }
  CHECK(prefixes.size() == 3);
  CHECK(all_codes.size() == 120);
  std::set<std::string> central_codes;
  for (const auto& r : server.store().list(protocol::Entity::member)) {
    central_codes.insert(std::get<model::Member>(r).reference_code);
  }
  CHECK(central_codes == all_codes);
}

TEST_CASE("a device without a prefix gets one by pull, and a restored device a fresh one") {
  keep_traffic_local();
  TestServer server;
  TempDir dir;
  const auto db = dir / "kiosk.db";
  const auto backup = dir / "kiosk-backup.db";
  std::string device_id;
  std::string first_prefix;
  std::string second_prefix;
  {
    auto kiosk = store::Store::open(db);
    enroll_with_binary(server, db, local_url(server), dir.path());
    device_id = store::load_credentials(kiosk)->device_id;
    first_prefix = kiosk.reference_code_prefix();
    REQUIRE(util::is_allocatable_reference_prefix(first_prefix));

    // As if enrolled by an agent from before prefixes: codes are unallocated.
    kiosk.set_reference_code_prefix("");
    const auto before = register_members(kiosk, 5);
    for (const auto& code : codes_of(kiosk, before)) {
      CAPTURE(code);
      CHECK(code.size() == 11);
      CHECK(code[0] == util::kUnallocatedPrefixSymbol);
    }
    auto pulled = run_process(sync_args("once", db), dir.path());
    INFO(pulled.err);
    REQUIRE(pulled.exit_code == 0);
    second_prefix = kiosk.reference_code_prefix();
    CAPTURE(second_prefix);
    REQUIRE(util::is_allocatable_reference_prefix(second_prefix));
    CHECK(second_prefix != first_prefix);
    for (const auto& code : codes_of(kiosk, register_members(kiosk, 5, 10))) {
      CHECK(symbols_of(code).starts_with(second_prefix));
    }
    // Asked once: the next pull keeps it.
    REQUIRE(run_process(sync_args("once", db), dir.path()).exit_code == 0);
    CHECK(kiosk.reference_code_prefix() == second_prefix);
    CHECK(server.store().code_prefixes_of(device_id).size() == 2);

    REQUIRE(run_process(sync_args("backup", db, {backup.string()}), dir.path()).exit_code == 0);
    register_members(kiosk, 5, 20);  // after the backup: only central has them after the restore
    REQUIRE(run_process(sync_args("once", db), dir.path()).exit_code == 0);
  }

  auto restored = run_process(sync_args("restore", db, {backup.string()}), dir.path());
  INFO(restored.err);
  REQUIRE(restored.exit_code == 0);
  {
    auto kiosk = store::Store::open(db);
    // Codes the device minted after the backup are on the server only: the
    // restored file must not keep minting from the prefix they used.
    CHECK(kiosk.reference_code_prefix().empty());
  }
  auto after = run_process(sync_args("once", db), dir.path());
  INFO(after.err);
  REQUIRE(after.exit_code == 0);
  auto kiosk = store::Store::open(db);
  const std::string third_prefix = kiosk.reference_code_prefix();
  CAPTURE(third_prefix);
  REQUIRE(util::is_allocatable_reference_prefix(third_prefix));
  CHECK(third_prefix != first_prefix);
  CHECK(third_prefix != second_prefix);
  CHECK(server.store().code_prefixes_of(device_id).size() == 3);
  CHECK(kiosk.member_count() == 15);
}

}  // namespace alliance::test
