// USB bundles: the real alliance-sync and alliance-central binaries carry a
// device's changes to central and central's answer back in signed files, and
// refuse every bundle that is cut short, altered, replayed, for another
// device or from another central, changing nothing (both backends).
#include <doctest/doctest.h>

#include <fstream>

#include "common/bundle/bundle.hpp"
#include "common/bundle/signing.hpp"
#include "common/util/strings.hpp"
#include "harness.hpp"
#include "support/file_modes.hpp"

namespace alliance::test {
namespace {

// A kiosk database enrolled with the real binary, in its own folder.
struct Device {
  TempDir dir;
  std::filesystem::path db = dir / "kiosk.db";
  store::Store store = store::Store::open(db);

  explicit Device(TestServer& server) {
    enroll_with_binary(server, db, local_url(server), dir.path());
  }
  std::string id() { return store::load_credentials(store)->device_id; }
  ProcessResult sync(const std::string& command, std::vector<std::string> extra = {}) {
    return run_process(sync_args(command, db, std::move(extra)), dir.path());
  }
  std::int64_t members() {
    std::int64_t n = 0;
    store.for_each_member([&](const model::Member&) { ++n; });
    return n;
  }
};

ProcessResult import_at_central(const TestServer& server, const std::filesystem::path& bundle,
                                const std::filesystem::path& dir,
                                std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {kCentralBinary, "import-bundle", "--db", server.db_spec(),
                                   bundle.string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return run_process(argv, dir);
}

std::string read_bytes(const std::filesystem::path& path) {
  return slurp(path);
}

void write_bytes(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// Where a header line's value begins in the file.
std::size_t value_of(const std::string& bytes, std::string_view name) {
  const auto at = bytes.find(util::cat("\n", name, ": "));
  if (at == std::string::npos) throw std::runtime_error("no header line " + std::string(name));
  return at + name.size() + 3;
}

}  // namespace

TEST_CASE("a bundle carries a device's changes to central and its answer brings the rest back") {
  keep_traffic_local();
  TestServer server;
  Device a(server);
  Device b(server);
  register_members(b.store, 20, 1000);
  REQUIRE(b.sync("once").exit_code == 0);
  register_members(a.store, 50);
  const auto a_id = a.id();

  // Enrolment registered each device's key with central, and central's with it.
  const auto registered = server.store().bundle_device(a_id);
  REQUIRE(registered.has_value());
  CHECK(bundle::is_public_key(registered->signing_key));
  const auto credentials = store::load_credentials(a.store);
  CHECK(bundle::public_key_of(credentials->signing_key) == registered->signing_key);
  CHECK(credentials->central_key == server.store().bundle_signer().public_key);

  const auto bundle_file = a.dir / "desk1.bundle";
  auto exported = a.sync("export-bundle", {bundle_file.string()});
  INFO(exported.err);
  REQUIRE(exported.exit_code == 0);
  CHECK(contains(exported.out, "50 changes not yet acknowledged"));
  CHECK(mode_of(bundle_file) == 0600);
  CHECK(a.store.queue_counts().pending == 50);  // nothing is acknowledged by exporting

  auto imported = import_at_central(server, bundle_file, a.dir.path());
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK(contains(imported.out, "50 changes (50 applied, 0 duplicate"));
  const auto answer = std::filesystem::path(bundle_file.string() + ".answer");
  REQUIRE(std::filesystem::exists(answer));
  CHECK(mode_of(answer) == 0600);
  CHECK(server.store().count_records(protocol::Entity::member) == 70);
  CHECK(server.store().count_applied_changes() == 70);
  // The import was made as device A: its changes belong to A's office.
  CHECK(server.store().list_members("Nairobi").size() == 70);

  auto applied = a.sync("import-bundle", {answer.string()});
  INFO(applied.err);
  REQUIRE(applied.exit_code == 0);
  CHECK(contains(applied.out, "50 changes answered (50 applied"));
  CHECK(a.store.queue_counts().pending == 0);
  CHECK(a.store.queue_counts().acked == 50);
  CHECK(a.members() == 70);  // B's twenty came in the answer
  CHECK(a.store.pull_cursor() > 0);

  // Online afterwards: nothing is sent or pulled twice.
  auto online = a.sync("once");
  REQUIRE(online.exit_code == 0);
  CHECK(contains(online.out, "pushed 0 changes"));
  CHECK(contains(online.out, "pulled 0"));
  CHECK(server.store().count_applied_changes() == 70);
  CHECK(server.store().count_records(protocol::Entity::member) == 70);

  // Help texts name the commands.
  CHECK(contains(a.sync("--help").out, "export-bundle"));
  CHECK(contains(run_process({kCentralBinary, "import-bundle", "--help"}, a.dir.path()).out,
                 "import-bundle --db DB BUNDLE"));
}

TEST_CASE("a bundle altered in its header, changes or signature, or cut short, changes nothing") {
  keep_traffic_local();
  TestServer server;
  Device a(server);
  register_members(a.store, 10);
  const auto bundle_file = a.dir / "desk.bundle";
  REQUIRE(a.sync("export-bundle", {bundle_file.string()}).exit_code == 0);
  const std::string good = read_bytes(bundle_file);
  const auto first_part = good.find("\npart ");
  const auto signature = good.rfind("signature ");
  REQUIRE(first_part != std::string::npos);
  REQUIRE(signature != std::string::npos);

  struct Variant {
    std::string name;
    std::string bytes;
    std::string_view says;
  };
  std::vector<Variant> variants;
  const auto flipped = [&](std::size_t at, char to) {
    std::string bytes = good;
    bytes[at] = to;
    return bytes;
  };
  {
    // The last digit of the bundle number: still a number, but not the signed one.
    const auto at = value_of(good, "sequence") + 5;
    variants.push_back({"header", flipped(at, good[at] == '1' ? '2' : '1'), "signature"});
    // A letter of the first change's JSON.
    const auto in_part = good.find("given_name", first_part);
    variants.push_back({"changes", flipped(in_part + 1, 'X'), "signature"});
    // A base64 character of the signature: well-formed, but another signature.
    const auto in_signature = signature + 20;
    variants.push_back(
        {"signature", flipped(in_signature, good[in_signature] == 'A' ? 'B' : 'A'), "signature"});
  }
  for (const std::size_t keep :
       {std::size_t{0}, std::size_t{9}, value_of(good, "device"), first_part, first_part + 40,
        (first_part + signature) / 2, signature, signature + 30, good.size() - 1}) {
    variants.push_back({util::cat("cut at ", keep), good.substr(0, keep), "cut short"});
  }

  for (const auto& v : variants) {
    CAPTURE(v.name);
    const auto path = a.dir / util::cat("variant-", variants.size(), "-", &v - variants.data());
    write_bytes(path, v.bytes);
    auto refused = import_at_central(server, path, a.dir.path());
    CHECK(refused.exit_code == 1);
    CHECK_MESSAGE(contains(refused.err, v.says), refused.err);
    CHECK(contains(refused.err, "alliance-central import-bundle: "));
    CHECK_FALSE(std::filesystem::exists(path.string() + ".answer"));
  }
  CHECK(server.store().count_applied_changes() == 0);
  CHECK(server.store().count_records(protocol::Entity::member) == 0);
  CHECK(server.store().bundle_device(a.id())->last_bundle == 0);

  // The file as made is still good.
  auto imported = import_at_central(server, bundle_file, a.dir.path());
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK(server.store().count_applied_changes() == 10);

  // Central's answer, altered or cut short, is refused at the device the same way.
  const auto answer = std::filesystem::path(bundle_file.string() + ".answer");
  const std::string good_answer = read_bytes(answer);
  const auto answer_part = good_answer.find("\npart ");
  std::vector<std::pair<std::string, std::string_view>> bad_answers;
  {
    std::string bytes = good_answer;
    bytes[answer_part + 30] = bytes[answer_part + 30] == 'a' ? 'b' : 'a';
    bad_answers.emplace_back(bytes, "signature");
    bad_answers.emplace_back(good_answer.substr(0, good_answer.size() / 2), "cut short");
    bad_answers.emplace_back(good_answer.substr(0, good_answer.size() - 3), "cut short");
  }
  for (std::size_t i = 0; i < bad_answers.size(); ++i) {
    CAPTURE(i);
    const auto path = a.dir / util::cat("answer-variant-", i);
    write_bytes(path, bad_answers[i].first);
    auto refused = a.sync("import-bundle", {path.string()});
    CHECK(refused.exit_code == 1);
    CHECK_MESSAGE(contains(refused.err, bad_answers[i].second), refused.err);
  }
  CHECK(a.store.queue_counts().pending == 10);
  CHECK(a.store.pull_cursor() == 0);
  REQUIRE(a.sync("import-bundle", {answer.string()}).exit_code == 0);
  CHECK(a.store.queue_counts().pending == 0);
}

TEST_CASE("a bundle presented as another device's, and an answer for another device, are refused") {
  keep_traffic_local();
  TestServer server;
  Device a(server);
  Device b(server);
  register_members(a.store, 5);
  register_members(b.store, 3, 500);
  const auto a_bundle = a.dir / "a.bundle";
  REQUIRE(a.sync("export-bundle", {a_bundle.string()}).exit_code == 0);

  // A's bundle with B's id in its header: B's key does not verify A's signature.
  std::string bytes = read_bytes(a_bundle);
  const auto at = value_of(bytes, "device");
  const std::string a_id = a.id();
  const std::string b_id = b.id();
  REQUIRE(a_id.size() == b_id.size());
  bytes.replace(at, a_id.size(), b_id);
  const auto as_b = a.dir / "as-b.bundle";
  write_bytes(as_b, bytes);
  auto refused = import_at_central(server, as_b, a.dir.path());
  CHECK(refused.exit_code == 1);
  CHECK_MESSAGE(contains(refused.err, "signature does not match device " + b_id), refused.err);
  CHECK(server.store().count_applied_changes() == 0);

  // A's answer applied at B: refused, B unchanged.
  REQUIRE(import_at_central(server, a_bundle, a.dir.path()).exit_code == 0);
  auto wrong_device = b.sync("import-bundle", {a_bundle.string() + ".answer"});
  CHECK(wrong_device.exit_code == 1);
  CHECK_MESSAGE(contains(wrong_device.err, "this answer is for device " + a_id), wrong_device.err);
  CHECK(b.store.queue_counts().pending == 3);
  CHECK(b.members() == 3);
  CHECK(b.store.pull_cursor() == 0);

  // A device's bundle given to a device, and an answer given to central.
  auto not_an_answer = b.sync("import-bundle", {a_bundle.string()});
  CHECK(not_an_answer.exit_code == 1);
  CHECK(contains(not_an_answer.err, "not central's answer"));
  auto not_a_bundle = import_at_central(server, a_bundle.string() + ".answer", a.dir.path());
  CHECK(not_a_bundle.exit_code == 1);
  CHECK(contains(not_a_bundle.err, "not a device's bundle"));
}

TEST_CASE("bundles and answers of another central are refused at both ends") {
  keep_traffic_local();
  TestServer first;
  TestServer second;
  Device a(first);
  Device c(second);
  register_members(a.store, 4);
  register_members(c.store, 6, 700);

  const auto c_bundle = c.dir / "c.bundle";
  REQUIRE(c.sync("export-bundle", {c_bundle.string()}).exit_code == 0);
  REQUIRE(import_at_central(second, c_bundle, c.dir.path()).exit_code == 0);
  auto foreign_answer = a.sync("import-bundle", {c_bundle.string() + ".answer"});
  CHECK(foreign_answer.exit_code == 1);
  CHECK_MESSAGE(contains(foreign_answer.err, "made by another central"), foreign_answer.err);
  CHECK(a.store.queue_counts().pending == 4);
  CHECK(a.members() == 4);

  const auto a_bundle = a.dir / "a.bundle";
  REQUIRE(a.sync("export-bundle", {a_bundle.string()}).exit_code == 0);
  auto foreign_bundle = import_at_central(second, a_bundle, a.dir.path());
  CHECK(foreign_bundle.exit_code == 1);
  CHECK_MESSAGE(contains(foreign_bundle.err, "made for another central"), foreign_bundle.err);
  CHECK(second.store().count_applied_changes() == 6);
  CHECK(first.store().count_applied_changes() == 0);
}

TEST_CASE("a replayed bundle or answer is refused as already imported and changes nothing") {
  keep_traffic_local();
  TestServer server;
  Device a(server);
  register_members(a.store, 5);
  const auto first_bundle = a.dir / "1.bundle";
  REQUIRE(a.sync("export-bundle", {first_bundle.string()}).exit_code == 0);
  REQUIRE(import_at_central(server, first_bundle, a.dir.path()).exit_code == 0);
  const auto answer = std::filesystem::path(first_bundle.string() + ".answer");
  const std::string first_answer = read_bytes(answer);

  auto again = import_at_central(server, first_bundle, a.dir.path());
  CHECK(again.exit_code == 1);
  CHECK_MESSAGE(contains(again.err, "was already imported"), again.err);
  CHECK(contains(again.err, "nothing was changed"));
  CHECK(read_bytes(answer) == first_answer);  // no new answer either
  CHECK(server.store().count_applied_changes() == 5);

  REQUIRE(a.sync("import-bundle", {answer.string()}).exit_code == 0);
  const auto cursor = a.store.pull_cursor();
  auto applied_again = a.sync("import-bundle", {answer.string()});
  CHECK(applied_again.exit_code == 1);
  CHECK_MESSAGE(contains(applied_again.err, "already applied"), applied_again.err);
  CHECK(a.store.pull_cursor() == cursor);
  CHECK(a.store.queue_counts().acked == 5);

  // A newer bundle goes through; the first one is now older than it.
  register_members(a.store, 3, 100);
  const auto second_bundle = a.dir / "2.bundle";
  REQUIRE(a.sync("export-bundle", {second_bundle.string()}).exit_code == 0);
  auto second = import_at_central(server, second_bundle, a.dir.path());
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(contains(second.out, "3 changes (3 applied"));
  auto older = import_at_central(server, first_bundle, a.dir.path(),
                                 {"--answer", (a.dir / "other.answer").string()});
  CHECK(older.exit_code == 1);
  CHECK_MESSAGE(contains(older.err, "is older than bundle"), older.err);
  CHECK_FALSE(std::filesystem::exists(a.dir / "other.answer"));
  CHECK(server.store().count_applied_changes() == 8);
  // An export never writes over a file.
  auto over = a.sync("export-bundle", {second_bundle.string()});
  CHECK(over.exit_code == 1);
  CHECK(contains(over.err, "already exists"));
}

TEST_CASE("a bundle exported before an online sync doubles nothing when imported afterwards") {
  keep_traffic_local();
  TestServer server;
  Device a(server);
  register_members(a.store, 30);
  const auto bundle_file = a.dir / "old.bundle";
  REQUIRE(a.sync("export-bundle", {bundle_file.string()}).exit_code == 0);

  // A network appears: everything goes online.
  REQUIRE(a.sync("once").exit_code == 0);
  CHECK(a.store.queue_counts().acked == 30);
  CHECK(server.store().count_applied_changes() == 30);
  const auto cursor = a.store.pull_cursor();

  auto imported = import_at_central(server, bundle_file, a.dir.path());
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK(contains(imported.out, "30 changes (0 applied, 30 duplicate"));
  CHECK(server.store().count_applied_changes() == 30);
  CHECK(server.store().count_records(protocol::Entity::member) == 30);

  auto applied = a.sync("import-bundle", {bundle_file.string() + ".answer"});
  INFO(applied.err);
  REQUIRE(applied.exit_code == 0);
  CHECK(a.members() == 30);
  CHECK(a.store.queue_counts().acked == 30);
  CHECK(a.store.queue_counts().pending == 0);
  CHECK(a.store.pull_cursor() >= cursor);
  auto online = a.sync("once");
  REQUIRE(online.exit_code == 0);
  CHECK(contains(online.out, "pushed 0 changes"));
  CHECK(server.store().count_applied_changes() == 30);
  CHECK(server.store().count_records(protocol::Entity::member) == 30);
}

TEST_CASE("a revoked device's bundle is refused") {
  keep_traffic_local();
  TestServer server;
  Device a(server);
  register_members(a.store, 2);
  const auto bundle_file = a.dir / "revoked.bundle";
  REQUIRE(a.sync("export-bundle", {bundle_file.string()}).exit_code == 0);
  REQUIRE(
      run_process({kCentralBinary, "revoke-device", "--db", server.db_spec(), a.id()}, a.dir.path())
          .exit_code == 0);
  auto refused = import_at_central(server, bundle_file, a.dir.path());
  CHECK(refused.exit_code == 1);
  CHECK_MESSAGE(contains(refused.err, "is revoked"), refused.err);
  CHECK(server.store().count_applied_changes() == 0);
}

TEST_CASE("a device enrolled before bundles is told to enrol again, and learns central's key") {
  keep_traffic_local();
  TestServer server;
  TempDir dir;
  const auto db = dir / "kiosk.db";
  auto kiosk = store::Store::open(db);
  // An enrolment as an agent older than bundles made it: no key sent.
  const auto old = server.enroll("Nairobi", kiosk.device_id());
  store::save_credentials(kiosk, {.server_url = local_url(server),
                                  .device_id = old.device_id,
                                  .token = old.token,
                                  .office = old.office});
  register_members(kiosk, 2);
  auto refused =
      run_process(sync_args("export-bundle", db, {(dir / "x.bundle").string()}), dir.path());
  CHECK(refused.exit_code == 1);
  CHECK_MESSAGE(contains(refused.err, "enrolled before USB bundles"), refused.err);
  CHECK_FALSE(std::filesystem::exists(dir / "x.bundle"));

  // A bundle signed by some key for that device: central has none to check it with.
  const auto keys = bundle::new_signing_key_pair();
  bundle::Bundle forged{.header = {.kind = bundle::Kind::changes,
                                   .device_id = old.device_id,
                                   .central_key = server.store().bundle_signer().public_key,
                                   .sequence = 1,
                                   .created_at = "2026-01-01T00:00:00Z"}};
  write_bytes(dir / "forged.bundle", bundle::seal(forged, keys.secret_key));
  auto no_key = import_at_central(server, dir / "forged.bundle", dir.path());
  CHECK(no_key.exit_code == 1);
  CHECK_MESSAGE(contains(no_key.err, "enrolled before USB bundles"), no_key.err);

  // Online, it learns central's key from the answers.
  CHECK(store::load_credentials(kiosk)->central_key.empty());
  REQUIRE(run_process(sync_args("once", db), dir.path()).exit_code == 0);
  CHECK(store::load_credentials(kiosk)->central_key == server.store().bundle_signer().public_key);
}

TEST_CASE(
    "the bundle reader refuses what is not a bundle, a newer format and bytes after the end") {
  const auto keys = bundle::new_signing_key_pair();
  const auto central = bundle::new_signing_key_pair();
  bundle::Bundle made{.header = {.kind = bundle::Kind::changes,
                                 .device_id = "0190f5a2-1111-7aaa-8bbb-cccccccccccc",
                                 .central_key = central.public_key,
                                 .sequence = 42,
                                 .created_at = "2026-01-01T00:00:00Z",
                                 .push_parts = 1},
                      .parts = {R"({"schema":1,"changes":[]})"}};
  const std::string sealed = bundle::seal(made, keys.secret_key);
  auto opened = bundle::open(sealed);
  REQUIRE(opened.has_value());
  CHECK(opened->signed_by(keys.public_key));
  CHECK_FALSE(opened->signed_by(central.public_key));
  CHECK(opened->bundle.header.sequence == 42);
  CHECK(opened->bundle.parts == made.parts);

  CHECK(bundle::open("PK\x03\x04 a zip file").error().code == "not_a_bundle");
  std::string newer = sealed;
  newer.replace(0, std::string("ALLIANCE-BUNDLE 1").size(), "ALLIANCE-BUNDLE 2");
  CHECK(bundle::open(newer).error().code == "newer_format");
  CHECK(bundle::open(sealed + "x").error().code == "damaged");
  std::string twice = sealed;
  twice.insert(value_of(sealed, "device") - 8, "device: other\n");
  CHECK(bundle::open(twice).error().code == "damaged");
}

}  // namespace alliance::test
