// The kiosk's first staff PIN: the real agent keeps a salted hash of the
// enrolment code it used (never the code), and a kiosk never enrolled gets its
// first PIN only from its terminal (alliance-kiosk set-pin).
#include <doctest/doctest.h>

#include <fstream>

#include "central/server_fixture.hpp"
#include "common/store/store.hpp"
#include "harness.hpp"

using namespace alliance;

TEST_CASE("alliance-sync enroll keeps a hash of its enrolment code for the first staff PIN") {
  test::TestServer server;
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  const std::string code = server.store().create_enrolment_code("Nairobi", std::chrono::hours(1));
  const auto enrolled = test::run_process(
      test::sync_args("enroll", db, {"--server", test::local_url(server), "--code", code}),
      dir.path(), std::chrono::seconds(30));
  INFO(enrolled.err);
  REQUIRE(enrolled.exit_code == 0);

  auto kiosk = store::Store::open(db, {.create_if_missing = false});
  REQUIRE(store::has_enrolment_code(kiosk));
  // Typed as people type it: lower case, spaces instead of dashes.
  std::string typed;
  for (const char c : code) typed += c == '-' ? ' ' : static_cast<char>(std::tolower(c));
  CHECK(store::verify_enrolment_code(kiosk, typed));
  CHECK_FALSE(store::verify_enrolment_code(kiosk, "AAAA-BBBB-CCCC"));
  CHECK_FALSE(store::verify_enrolment_code(kiosk, ""));
  // Nowhere in the file or its write-ahead log is the code itself.
  auto wal = db;
  wal += "-wal";
  const std::string bytes = test::slurp(db) + test::slurp(wal);
  std::string bare = code;
  std::erase(bare, '-');
  CHECK(bytes.find(code) == std::string::npos);
  CHECK(bytes.find(bare) == std::string::npos);
}

TEST_CASE("alliance-kiosk set-pin takes a PIN twice from standard input and refuses weak ones") {
  test::TempDir dir;
  const auto db = dir / "kiosk.db";
  // stdin from a file: the real command reads the PIN the way a pipe gives it.
  const auto set_pin = [&](const std::string& input) {
    const auto in = dir / "pin.txt";
    { std::ofstream(in, std::ios::trunc) << input; }
    return test::run_process(
        {"/bin/sh", "-c", std::string("exec \"$0\" set-pin --db \"$1\" < \"$2\""),
         ALLIANCE_KIOSK_BINARY, db.string(), in.string()},
        dir.path(), std::chrono::seconds(30));
  };
  for (const std::string weak : {"2468\n2468\n", "123456\n123456\n", "000000\n000000\n",
                                 "24681a\n24681a\n", "246813\n246831\n", "246813\n", ""}) {
    CAPTURE(weak);
    const auto refused = set_pin(weak);
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("nothing changed") != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(db));  // nothing was even created

  const auto ok = set_pin("246813\n246813\n");
  INFO(ok.err);
  REQUIRE(ok.exit_code == 0);
  auto kiosk = store::Store::open(db, {.create_if_missing = false});
  const auto stored = kiosk.meta("kiosk.staff_pin").value_or("");
  CHECK(stored.starts_with("pbkdf2-sha256$"));
  CHECK(stored.find("246813") == std::string::npos);
  CHECK((std::filesystem::status(db).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}
