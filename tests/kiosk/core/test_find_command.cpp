// `alliance-kiosk find`: the real binary on a real database file, and the
// printing of matches it shares with no one else.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "common/store/store.hpp"
#include "kiosk/core/member_search.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"
#include "sync/process.hpp"

#if !defined(ALLIANCE_KIOSK_BINARY) || !defined(ALLIANCE_PYTHON3)
#error "tests need ALLIANCE_KIOSK_BINARY and ALLIANCE_PYTHON3"
#endif

using namespace alliance;

namespace {

struct FindFixture {
  test::TempDir dir;
  std::string db = (dir / "kiosk.db").string();
  model::Member nguyen;
  model::Member aleksandra;
  model::Member tampered;

  FindFixture() {
    auto s = store::Store::open(db);
    auto m = test::sample_member(1);
    m.given_name = "H\xC3\xA0";                          // Hà
    m.family_name = "Nguy\xE1\xBB\x85n Th\xE1\xBB\x8B";  // Nguyễn Thị
    nguyen = s.register_member(m, test::kenya_context())->member;
    m = test::sample_member(2);
    m.given_name =
        "\xD0\x90\xD0\xBB\xD0\xB5\xD0\xBA\xD1\x81\xD0\xB0\xD0\xBD\xD0\xB4\xD1\x80\xD0\xB0";
    m.family_name =
        "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD\xD0\xBE\xD0\xB2\xD0\xB0";  // Александра Иванова
    aleksandra = s.register_member(m, test::kenya_context())->member;
    // Validation keeps control characters out; a damaged or hostile file may not.
    tampered = s.register_member(test::sample_member(3), test::kenya_context())->member;
    s.db()
        .query("UPDATE members SET family_name = ? WHERE id = ?")
        .bind_all(
            "Evil\x1B[31m\xC2\x9B"
            "2J\xE2\x80\xAE"
            "desrever",
            tampered.id)
        .run();
  }

  test::ProcessResult find(std::vector<std::string> args) {
    args.insert(args.begin(), {ALLIANCE_KIOSK_BINARY, "find"});
    return test::run_process(args, dir.path(), std::chrono::seconds(60));
  }
};

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("find prints one line per match: id, reference code, name, phone, e-mail") {
  FindFixture f;
  const auto run = f.find({"--db", f.db, "nguyen"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(run.out == f.nguyen.id + "\t" + f.nguyen.reference_code +
                       "\tH\xC3\xA0 Nguy\xE1\xBB\x85n Th\xE1\xBB\x8B\t" + f.nguyen.phone + "\t" +
                       f.nguyen.email + "\n");
  CHECK(run.err.empty());

  // Several words are one query; script and accents do not matter.
  const auto two_words = f.find({"--db", f.db, "aleksandra", "IVANOVA"});
  REQUIRE(two_words.exit_code == 0);
  CHECK(lines(two_words.out) == 1);
  CHECK(two_words.out.starts_with(f.aleksandra.id + "\t"));

  // By reference code, as the desk finds people.
  const auto by_code = f.find({"--db", f.db, f.nguyen.reference_code});
  REQUIRE(by_code.exit_code == 0);
  CHECK(by_code.out.starts_with(f.nguyen.id + "\t"));

  const auto nobody = f.find({"--db", f.db, "zzzzzz"});
  CHECK(nobody.exit_code == 0);
  CHECK(nobody.out.empty());
}

TEST_CASE("find --json prints a JSON array a script can read") {
  FindFixture f;
  const auto run = f.find({"--json", "--db", f.db, "\xD0\x90\xD0\xBB\xD0\xB5\xD0\xBA\xD1\x81"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto json_file = f.dir / "found.json";
  std::ofstream(json_file) << run.out;
  // Python's json module is the judge of the syntax (python3 is a build dependency).
  const auto parsed = test::run_process(
      {ALLIANCE_PYTHON3, "-c",
       "import json,sys\n"
       "for m in json.load(open(sys.argv[1], encoding='utf-8')):\n"
       "  print(m['id'], m['reference_code'], m['kind'], m['given_name'], m['family_name'],\n"
       "        m['phone'], m['email'], m['matched_by'], sep='|')\n",
       json_file.string()},
      f.dir.path(), std::chrono::seconds(30));
  INFO(parsed.err);
  REQUIRE(parsed.exit_code == 0);
  const auto& a = f.aleksandra;
  CHECK(parsed.out == a.id + "|" + a.reference_code + "|individual|" + a.given_name + "|" +
                          a.family_name + "|" + a.phone + "|" + a.email + "|name\n");

  const auto none = f.find({"--db", f.db, "--json", "zzzzzz"});
  CHECK(none.exit_code == 0);
  CHECK(none.out == "[]\n");
}

TEST_CASE("find prints control characters from the database as harmless escapes") {
  FindFixture f;
  for (const bool json : {false, true}) {
    CAPTURE(json);
    std::vector<std::string> args = {"--db", f.db, f.tampered.reference_code};
    if (json) args.insert(args.begin(), "--json");
    const auto run = f.find(args);
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.find('\x1B') == std::string::npos);
    CHECK(run.out.find("\xC2\x9B") == std::string::npos);      // C1 CSI
    CHECK(run.out.find("\xE2\x80\xAE") == std::string::npos);  // right-to-left override
    CHECK(run.out.find("Evil\\u001B[31m\\u009B2J\\u202Edesrever") != std::string::npos);
  }
}

TEST_CASE("find says what is wrong in one line and exits non-zero") {
  FindFixture f;
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string_view says;
  };
  const Case cases[] = {
      {{"nguyen"}, 2, "--db FILE is required"},
      {{"--db", f.db}, 2, "say what to look for"},
      {{"--db", f.db, "  "}, 2, "say what to look for"},
      {{"--db", f.db, "--limit", "3", "nguyen"}, 2, "unknown option '--limit'"},
      {{"--db", (f.dir / "missing.db").string(), "nguyen"}, 1, "no database at"},
      {{"--db", f.dir.path().string(), "nguyen"}, 1, "alliance-kiosk:"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.says);
    const auto run = f.find(c.args);
    CHECK(run.exit_code == c.exit_code);
    CHECK(run.out.empty());
    CHECK(run.err.find(c.says) != std::string::npos);
    CHECK(lines(run.err) == 1);
  }
  CHECK_FALSE(std::filesystem::exists(f.dir / "missing.db"));
}

TEST_CASE("find answers --help and --version") {
  FindFixture f;
  const auto help = f.find({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.starts_with("usage: alliance-kiosk find --db FILE [--json] QUERY\n"));
  const auto version = f.find({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.starts_with("alliance-kiosk "));
  const auto top = test::run_process({ALLIANCE_KIOSK_BINARY, "--help"}, f.dir.path());
  CHECK(top.out.find("alliance-kiosk find --db FILE [--json] QUERY") != std::string::npos);
}

TEST_CASE("match lines and JSON escape what could break them") {
  model::Member m = test::sample_member(0);
  m.id = "id-1";
  m.reference_code = "K7QM-4XR9";
  m.given_name = "Tab\there";
  m.family_name = "Quote\" back\\slash\nnext";
  const std::vector<store::MemberHit> hits = {{m, store::MatchKind::email}};
  std::ostringstream lines_out;
  kiosk::write_match_lines(hits, lines_out);
  // One line, five tab-separated cells, whatever the values hold.
  CHECK(lines_out.str() == "id-1\tK7QM-4XR9\tTab\\u0009here Quote\" back\\slash\\u000Anext\t" +
                               m.phone + "\t" + m.email + "\n");
  std::ostringstream json_out;
  kiosk::write_match_json(hits, json_out);
  CHECK(json_out.str().find("\"given_name\": \"Tab\\u0009here\"") != std::string::npos);
  CHECK(json_out.str().find("\"family_name\": \"Quote\\\" back\\\\slash\\u000Anext\"") !=
        std::string::npos);
  CHECK(json_out.str().find("\"matched_by\": \"email\"") != std::string::npos);
  std::ostringstream empty;
  kiosk::write_match_json({}, empty);
  CHECK(empty.str() == "[]\n");
}
