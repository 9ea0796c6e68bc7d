// Hostile cells exported by both real programs (alliance-kiosk export and
// alliance-central export): the CSV reads back to the same values with the
// project's parser, no cell and no ';'-split piece starts a formula, files are
// owner-only under umask 022 and never written through a link or over a file,
// and standard output carries no control characters to the terminal.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "central/store/central_store.hpp"
#include "common/protocol/codec.hpp"
#include "common/protocol/table.hpp"
#include "common/store/store.hpp"
#include "common/util/csv.hpp"
#include "common/util/hlc.hpp"
#include "common/util/uuid.hpp"
#include "process.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;

namespace {

namespace fs = std::filesystem;

// What a spreadsheet could run, what could split a cell, and what could drive
// a terminal. None holds a ' before a formula sign, so the guards the exporter
// adds are exactly the ' that unguard() removes.
const std::vector<std::string>& hostile_values() {
  static const std::vector<std::string> values = {
      "=1+2",
      "+1+cmd",
      "-2+3",
      "@SUM(A1)",
      "=HYPERLINK(\"http://evil.example\",\"x\")",
      "  =1+2",
      "\xEF\xBC\x9D"
      "1+2",  // full-width =
      "\xEF\xBC\xA0"
      "SUM(A1)",  // full-width @
      "x;=1+2",
      "x; -1",
      "x;\"=1+2",
      "a;b",
      "a,b",
      "say \"hi\"",
      "\tTAB",
      "x\t=1",
      "line\rbreak",
      "line\nbreak",
      "x\r\n=cmd|' /C calc'!A0",
      "ESC\x1B[31mred\x1B]0;title\x07",
      "bell\x07",
      "del\x7F",
      "csi\xC2\x9B"
      "31m",  // U+009B, a C1 control
      "rlo\xE2\x80\xAE"
      "txt.exe",  // U+202E right-to-left override
      "lri\xE2\x81\xA6"
      "x",  // U+2066 left-to-right isolate
      "+254712345678",
      "Amélie Okonkwo-Núñez",
  };
  return values;
}

const std::string kEpoch = "2026-11-01T10:00:00.000Z";

model::Member hostile_member(const std::string& value) {
  auto m = test::sample_member(7);
  m.id = util::new_uuid_v7();
  m.reference_code = "K7QM-4XR9";
  m.given_name = value;
  m.family_name = value;
  m.organisation = value;
  m.region = value;
  m.phone = value;  // the phone column spares E.164 numbers only
  m.void_reason = value;
  m.created_at = m.updated_at = kEpoch;
  m.hlc = util::Hlc{.wall_ms = 1'700'000'000'000, .counter = 1, .node = "other"}.to_string();
  return m;
}

model::ResourceRequest hostile_request(const std::string& value, const std::string& member_id) {
  model::ResourceRequest r;
  r.id = util::new_uuid_v7();
  r.reference_code = "R-9KQ2";
  r.member_id = member_id;
  r.contact_name = value;
  r.contact_phone = value;
  r.delivery_address = value;
  r.received_by = value;
  r.office = "Nairobi";
  r.lines = {{.pack_id = "CP-TOOLKIT-01", .quantity = 1}};
  r.created_at = r.updated_at = kEpoch;
  r.hlc = util::Hlc{.wall_ms = 1'700'000'000'000, .counter = 2, .node = "other"}.to_string();
  return r;
}

std::vector<protocol::Record> hostile_records() {
  std::vector<protocol::Record> records;
  for (const auto& value : hostile_values()) {
    auto member = hostile_member(value);
    records.push_back(hostile_request(value, member.id));
    records.push_back(std::move(member));
  }
  return records;
}

std::string id_of(const protocol::Record& record) {
  return std::visit([](const auto& r) { return r.id; }, record);
}

// A kiosk database holding the records as if central had sent them.
void seed_kiosk(const fs::path& db, const std::vector<protocol::Record>& records) {
  auto kiosk = store::Store::open(db);
  std::vector<protocol::PulledChange> changes;
  std::int64_t seq = 0;
  for (const auto& record : records) {
    changes.push_back({.seq = ++seq,
                       .entity = protocol::entity_of(record),
                       .entity_id = id_of(record),
                       .hlc = std::visit([](const auto& r) { return r.hlc; }, record),
                       .record = record});
  }
  kiosk.apply_pulled(changes, seq);
}

// A central database holding the records. The API refuses control characters,
// so they are written to the store's table directly: they stand for records
// that got in another way (an older version, a restored backup).
void seed_central(const fs::path& db, const std::vector<protocol::Record>& records) {
  central::CentralStore::open(db);  // creates and migrates the file
  auto raw = store::Database::open(db);
  store::Transaction tx(raw);
  std::int64_t seq = 0;
  for (const auto& record : records) {
    raw.query(
           "INSERT INTO records (entity, id, office, json, field_hlcs, hlc, seq, last_device) "
           "VALUES (?, ?, 'Nairobi', ?, '{}', ?, ?, '')")
        .bind_all(std::string(protocol::to_string(protocol::entity_of(record))), id_of(record),
                  protocol::encode_record(record),
                  std::visit([](const auto& r) { return r.hlc; }, record), ++seq)
        .run();
  }
  tx.commit();
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool starts_with_formula_sign(std::string_view s) {
  for (const std::string_view sign :
       {"=", "+", "-", "@", "\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\xA0"}) {
    if (s.starts_with(sign)) return true;
  }
  return false;
}

bool is_split(char c) {
  return c == ';' || c == '\t' || c == '\r' || c == '\n';
}

bool is_e164(std::string_view s) {
  return s.size() >= 2 && s.size() <= 16 && s.front() == '+' &&
         s.find_first_not_of("0123456789", 1) == std::string_view::npos;
}

// Whether a spreadsheet would run this cell: a formula sign or a control
// character first (after spaces). A phone column may hold E.164 numbers.
bool runs_as_formula(std::string_view cell, bool phone_column) {
  cell.remove_prefix(std::min(cell.find_first_not_of(' '), cell.size()));
  if (cell.empty()) return false;
  if (phone_column && is_e164(cell)) return false;
  return starts_with_formula_sign(cell) || cell.front() == '\t' || cell.front() == '\r' ||
         cell.front() == '\n';
}

// The documented change, undone: the ' before a formula at the start of a
// cell, and the ' before a formula sign after a ';', tab or line break inside
// it (spaces and quotes in between).
std::string unguard(const std::string& cell) {
  std::string text = cell;
  if (text.starts_with('\'') && runs_as_formula(std::string_view(text).substr(1), false)) {
    text.erase(0, 1);
  }
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (!is_split(text[i])) continue;
    std::size_t next = i + 1;
    while (next < text.size() && (text[next] == ' ' || text[next] == '"')) out += text[next++];
    if (next < text.size() && text[next] == '\'' &&
        starts_with_formula_sign(std::string_view(text).substr(next + 1))) {
      ++next;  // drop the guard
    }
    i = next - 1;
  }
  return out;
}

// Reads a CSV export back and checks every cell against the records.
void check_csv(const std::string& text, protocol::Entity entity,
               const std::vector<protocol::Record>& records) {
  REQUIRE(text.starts_with("\xEF\xBB\xBF"));  // Excel reads UTF-8 only with it
  const auto& columns = protocol::table_columns(entity);
  const auto& cells = protocol::table_cells(entity);
  std::map<std::string, std::vector<std::string>> expected;
  for (const auto& record : records) {
    if (protocol::entity_of(record) == entity)
      expected[id_of(record)] = protocol::table_row(record);
  }

  const auto rows = util::parse_csv(text);
  REQUIRE(rows.has_value());
  REQUIRE(rows->size() == expected.size() + 1);
  CHECK((*rows)[0].fields == columns);
  std::size_t guarded = 0;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& fields = (*rows)[r].fields;
    REQUIRE(fields.size() == columns.size());
    const auto original = expected.find(fields[0]);
    REQUIRE(original != expected.end());
    for (std::size_t c = 0; c < columns.size(); ++c) {
      CAPTURE(columns[c]);
      CAPTURE(original->second[c]);
      CAPTURE(fields[c]);
      const bool phone = cells[c] == util::CsvCell::phone;
      // Every value round-trips, apart from the documented '.
      CHECK(unguard(fields[c]) == original->second[c]);
      if (fields[c] != original->second[c]) ++guarded;
      CHECK_FALSE(runs_as_formula(fields[c], phone));
    }
  }
  CHECK(guarded > 0);

  // A spreadsheet that splits on ';' (or tabs) and honours no quote that
  // opens mid-field starts a cell after every ';', tab and line break in the
  // file: none of those pieces may start a formula either.
  std::size_t pieces = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && !is_split(text[i])) continue;
    std::string_view piece = std::string_view(text).substr(start, i - start);
    while (!piece.empty() && (piece.front() == ' ' || piece.front() == '"')) piece.remove_prefix(1);
    if (starts_with_formula_sign(piece))
      FAIL_CHECK("a ';'-split piece starts a formula: " << piece);
    ++pieces;
    start = i + 1;
  }
  CHECK(pieces > rows->size());
}

// What a terminal would act on: C0 controls but tab and line ends, DEL, C1
// controls in UTF-8, and bidirectional overrides and isolates.
std::string terminal_hazard(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    const bool line_end = b == '\n' || (b == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
    if ((b < 0x20 && b != '\t' && !line_end) || b == 0x7F) return "C0/DEL at " + std::to_string(i);
    if (b == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return "C1 at " + std::to_string(i);
    }
    if (b == 0xE2 && i + 2 < text.size()) {
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      const auto b2 = static_cast<unsigned char>(text[i + 2]);
      if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
        return "bidi control at " + std::to_string(i);
      }
    }
  }
  return {};
}

struct Program {
  std::string name;
  std::string binary;
  fs::path db;
};

// Runs a command under umask 022, the usual shell default.
test::ProcessResult run_with_umask_022(const std::vector<std::string>& argv, const fs::path& dir) {
  const mode_t previous = ::umask(022);
  auto result = test::run_process(argv, dir, std::chrono::seconds(60));
  ::umask(previous);
  return result;
}

std::vector<Program> both_programs(const test::TempDir& dir,
                                   const std::vector<protocol::Record>& records) {
  seed_kiosk(dir / "kiosk.db", records);
  seed_central(dir / "central.db", records);
  return {{"alliance-kiosk", ALLIANCE_KIOSK_BINARY, dir / "kiosk.db"},
          {"alliance-central", ALLIANCE_CENTRAL_BINARY, dir / "central.db"}};
}

}  // namespace

TEST_CASE("hostile cells exported to CSV by both programs read back and run nothing") {
  test::TempDir dir;
  const auto records = hostile_records();
  for (const auto& program : both_programs(dir, records)) {
    for (const auto& [what, entity] : {std::pair{"members", protocol::Entity::member},
                                       std::pair{"requests", protocol::Entity::request}}) {
      CAPTURE(program.name);
      CAPTURE(what);
      const fs::path file = dir / (program.name + "-" + what + ".csv");
      const auto run = run_with_umask_022(
          {program.binary, "export", "--db", program.db.string(), what, "--output", file.string()},
          dir.path());
      INFO(run.err);
      REQUIRE(run.exit_code == 0);
      CHECK(run.out.empty());
      // Owner-only whatever the umask: exports hold personal data.
      CHECK((fs::status(file).permissions() & fs::perms::all) ==
            (fs::perms::owner_read | fs::perms::owner_write));
      const std::string text = read_file(file);
      check_csv(text, entity, records);
      // The file holds the data exactly: control characters included.
      CHECK(text.find("\x1B[31m") != std::string::npos);
      CHECK(text.find("\xE2\x80\xAE") != std::string::npos);
    }
  }
}

TEST_CASE("exports to standard output show control characters as escapes") {
  test::TempDir dir;
  const auto records = hostile_records();
  for (const auto& program : both_programs(dir, records)) {
    CAPTURE(program.name);
    const auto csv = run_with_umask_022(
        {program.binary, "export", "--db", program.db.string(), "members"}, dir.path());
    REQUIRE(csv.exit_code == 0);
    CHECK(terminal_hazard(csv.out) == "");
    CHECK(csv.out.find("ESC\\u001B[31mred") != std::string::npos);
    CHECK(csv.out.find("rlo\\u202Etxt.exe") != std::string::npos);
    CHECK(csv.out.find("csi\\u009B31m") != std::string::npos);
    CHECK(csv.out.find("Amélie Okonkwo-Núñez") != std::string::npos);  // letters stay letters

    // JSON stays valid JSON, and the escapes decode to the same values.
    const auto json = run_with_umask_022(
        {program.binary, "export", "--db", program.db.string(), "members", "--format", "json"},
        dir.path());
    REQUIRE(json.exit_code == 0);
    CHECK(terminal_hazard(json.out) == "");
    std::map<std::string, model::Member> originals;
    for (const auto& record : records) {
      if (const auto* m = std::get_if<model::Member>(&record)) originals[m->id] = *m;
    }
    std::istringstream lines(json.out);
    std::size_t decoded = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line == "[" || line == "]") continue;
      if (line.ends_with(',')) line.pop_back();
      auto record = protocol::decode_record(protocol::Entity::member, line);
      REQUIRE(record.has_value());
      const auto& member = std::get<model::Member>(*record);
      REQUIRE(originals.contains(member.id));
      CHECK(member.given_name == originals[member.id].given_name);
      CHECK(member.void_reason == originals[member.id].void_reason);
      ++decoded;
    }
    CHECK(decoded == originals.size());
  }
}

TEST_CASE("an export never follows or replaces what is already at its path") {
  test::TempDir dir;
  const auto records = hostile_records();
  const fs::path victim = dir / "victim.txt";
  for (const auto& program : both_programs(dir, records)) {
    CAPTURE(program.name);
    { std::ofstream(victim, std::ios::trunc) << "keep me"; }
    const fs::path link = dir / (program.name + "-link.csv");
    const fs::path dangling = dir / (program.name + "-dangling.csv");
    const fs::path existing = dir / (program.name + "-existing.csv");
    const fs::path nowhere = dir / (program.name + "-nowhere.txt");
    fs::create_symlink(victim, link);
    fs::create_symlink(nowhere, dangling);
    { std::ofstream(existing) << "an older export"; }

    for (const auto& target : {link, dangling, existing}) {
      CAPTURE(target.string());
      const auto run = run_with_umask_022({program.binary, "export", "--db", program.db.string(),
                                           "members", "--output", target.string()},
                                          dir.path());
      CHECK(run.exit_code == 1);
      CHECK(run.err.find("already exists") != std::string::npos);
      CHECK(run.err.find(target.string()) != std::string::npos);
    }
    CHECK(read_file(victim) == "keep me");
    CHECK(fs::read_symlink(link) == victim);
    CHECK_FALSE(fs::exists(nowhere));
    CHECK(read_file(existing) == "an older export");
    // And no temporary file is left next to them.
    for (const auto& entry : fs::directory_iterator(dir.path())) {
      CHECK_FALSE(entry.path().extension() == ".tmp");
    }
  }
}

TEST_CASE("a database path that is a dangling symbolic link is refused by both programs") {
  test::TempDir dir;
  const fs::path target = dir / "elsewhere" / "kiosk.db";
  fs::create_directory(dir / "elsewhere");
  const fs::path link = dir / "linked.db";
  fs::create_symlink(target, link);
  const fs::path participants = dir / "participants.csv";
  { std::ofstream(participants) << "given_name,family_name,phone\n"; }
  for (const auto& argv : std::vector<std::vector<std::string>>{
           {ALLIANCE_KIOSK_BINARY, "import-members", "--db", link.string(), participants.string()},
           {ALLIANCE_CENTRAL_BINARY, "enroll-code", "--db", link.string()}}) {
    CAPTURE(argv[0]);
    const auto run = run_with_umask_022(argv, dir.path());
    CHECK(run.exit_code == 1);
    CHECK(run.err.find(link.string()) != std::string::npos);
    CHECK(run.err.find("symbolic link") != std::string::npos);
    // Nothing was created through the link, world-readable or otherwise.
    CHECK_FALSE(fs::exists(target));
  }
}
