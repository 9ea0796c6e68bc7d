// Device store: one transaction per action, outbox changes, edits, voids, requests.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>

#include "common/protocol/codec.hpp"
#include "common/store/store.hpp"
#include "common/util/hlc.hpp"
#include "common/util/reference_code.hpp"
#include "common/util/uuid.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;

namespace {

std::int64_t count(store::Store& s, const std::string& sql) {
  auto q = s.db().query(sql);
  q.step();
  return q.int64(0);
}

bool has_error(const model::FieldErrors& errors, const std::string& key) {
  for (const auto& e : errors) {
    if (e.key == key) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("registering a member writes the record and exactly one outbox change") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  CHECK(util::is_uuid_v7(s.device_id()));

  auto saved = s.register_member(test::sample_member(1), test::kenya_context());
  REQUIRE(saved.has_value());
  const auto& m = saved->member;
  CHECK(util::is_uuid_v7(m.id));
  CHECK(util::normalize_reference_code(m.reference_code) == m.reference_code);
  CHECK(m.consent.given_at.size() == 24);
  CHECK_FALSE(saved->attendance.has_value());

  const auto changes = s.changes_for(m.id);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].op == "create");
  CHECK(changes[0].state == "pending");
  auto decoded = protocol::decode_change(changes[0].payload);
  REQUIRE(decoded.has_value());
  CHECK(decoded->change_id == changes[0].change_id);
  const auto& wire = std::get<model::Member>(decoded->record);
  CHECK(wire.id == m.id);
  CHECK(wire.phone == "+254710000001");

  auto loaded = s.find_member(m.id);
  REQUIRE(loaded.has_value());
  CHECK(loaded->display_name() == m.display_name());
  CHECK(loaded->interest_groups == m.interest_groups);
  CHECK(loaded->years_experience == 5);
}

TEST_CASE("registration at an event checks the member in within the same action") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  auto event = s.save_event(test::sample_event());
  REQUIRE(event.has_value());
  auto saved =
      s.register_member(test::sample_member(2), test::kenya_context(), event->id, "2026-11-28");
  REQUIRE(saved.has_value());
  REQUIRE(saved->attendance.has_value());
  CHECK(s.attendance_for(event->id, "2026-11-28").size() == 1);
  CHECK(s.changes_for(saved->attendance->id).size() == 1);

  // Checking in again the same day writes nothing new.
  auto again = s.check_in(saved->member.id, event->id, "2026-11-28");
  REQUIRE(again.has_value());
  CHECK(again->already_checked_in);
  CHECK(again->attendance.id == saved->attendance->id);
  const auto pending = s.queue_counts().pending;

  auto next_day = s.check_in(saved->member.id, event->id, "2026-11-29");
  REQUIRE(next_day.has_value());
  CHECK_FALSE(next_day->already_checked_in);
  CHECK(s.queue_counts().pending == pending + 1);
}

TEST_CASE("an invalid member is refused with every field error and nothing is written") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  model::Member blank;
  auto saved = s.register_member(blank, test::kenya_context());
  REQUIRE_FALSE(saved.has_value());
  CHECK(has_error(saved.error(), "member.given_name.required"));
  CHECK(has_error(saved.error(), "member.consent.required"));
  CHECK(count(s, "SELECT count(*) FROM members") == 0);
  CHECK(count(s, "SELECT count(*) FROM outbox") == 0);
}

TEST_CASE("an edit queues only the fields that changed and a void is a change, not a delete") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  auto saved = s.register_member(test::sample_member(3), test::kenya_context());
  REQUIRE(saved.has_value());
  auto edited = saved->member;
  edited.region = "Kisumu";
  edited.phone = "0722 000 111";
  auto updated = s.update_member(edited, test::kenya_context());
  REQUIRE(updated.has_value());
  CHECK(updated->phone == "+254722000111");
  CHECK(updated->hlc > saved->member.hlc);

  auto changes = s.changes_for(saved->member.id);
  REQUIRE(changes.size() == 2);
  auto change = protocol::decode_change(changes[1].payload);
  REQUIRE(change.has_value());
  CHECK(change->op == protocol::Operation::update);
  CHECK(change->changed_fields == std::vector<std::string>{"phone", "region"});

  // Saving the same values again is not a change.
  REQUIRE(s.update_member(*updated, test::kenya_context()).has_value());
  CHECK(s.changes_for(saved->member.id).size() == 2);

  CHECK(s.void_member(saved->member.id, "registered twice"));
  auto voided = s.find_member(saved->member.id);
  REQUIRE(voided.has_value());
  CHECK(voided->voided);
  CHECK(voided->void_reason == "registered twice");
  changes = s.changes_for(saved->member.id);
  REQUIRE(changes.size() == 3);
  CHECK(changes[2].op == "void");
  CHECK(s.member_count() == 0);
  CHECK_FALSE(s.void_member(util::new_uuid_v7(), "no such member"));
}

TEST_CASE("resource requests move forward through their lifecycle only") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  auto member = s.register_member(test::sample_member(4), test::kenya_context());
  REQUIRE(member.has_value());
  model::ResourcePack pack{.id = "CP-TOOLKIT-01",
                           .title = "Case management toolkit",
                           .languages = {"en", "fr"},
                           .stock = {{"Nairobi", 40}}};
  REQUIRE(s.save_pack(pack).has_value());
  REQUIRE(s.list_packs().size() == 1);
  CHECK(s.list_packs()[0].stock_at("Nairobi") == 40);

  model::ResourceRequest draft;
  draft.member_id = member->member.id;
  draft.lines = {{"CP-TOOLKIT-01", 2}};
  draft.office = "Nairobi";
  auto request = s.create_request(draft, test::kenya_context(), "desk-1");
  REQUIRE(request.has_value());
  CHECK(request->status == model::RequestStatus::requested);
  REQUIRE(request->transitions.size() == 1);

  // A desk cancels or delivers; approving, preparing and dispatching are central's.
  for (const auto central_only : {model::RequestStatus::approved, model::RequestStatus::ready,
                                  model::RequestStatus::dispatched}) {
    auto refused = s.transition_request(request->id, central_only, "staff A");
    REQUIRE_FALSE(refused.has_value());
    CHECK(has_error(refused.error(), "request.status.not_allowed"));
  }
  auto no_receiver = s.transition_request(request->id, model::RequestStatus::delivered, "staff A");
  REQUIRE_FALSE(no_receiver.has_value());
  CHECK(has_error(no_receiver.error(), "request.received_by.required"));
  auto delivered =
      s.transition_request(request->id, model::RequestStatus::delivered, "staff A", "Amina W.");
  REQUIRE(delivered.has_value());

  auto loaded = s.find_request(request->id);
  REQUIRE(loaded.has_value());
  CHECK(loaded->status == model::RequestStatus::delivered);
  CHECK(loaded->received_by == "Amina W.");
  REQUIRE(loaded->transitions.size() == 2);
  CHECK(loaded->transitions[1].status == model::RequestStatus::delivered);
  CHECK(loaded->transitions[1].actor == "staff A");
  CHECK(s.requests_for_office("Nairobi").empty());
  CHECK(s.requests_for_office("Nairobi", /*open_only=*/false).size() == 1);
  CHECK(s.changes_for(request->id).size() == 2);
}

TEST_CASE("drafts and meta survive reopening the file") {
  test::TempDir dir;
  {
    auto s = store::Store::open(dir / "kiosk.db");
    s.save_draft("registration", R"({"given_name":"Ami"})");
    s.set_meta("current_event", "abc");
  }
  auto s = store::Store::open(dir / "kiosk.db");
  CHECK(s.load_draft("registration") == std::optional<std::string>(R"({"given_name":"Ami"})"));
  CHECK(s.meta("current_event") == std::optional<std::string>("abc"));
  s.clear_draft("registration");
  CHECK_FALSE(s.load_draft("registration").has_value());
}

TEST_CASE("a new database and its write-ahead log are readable by their owner only") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  REQUIRE(s.register_member(test::sample_member(5), test::kenya_context()).has_value());
  for (const char* name : {"kiosk.db", "kiosk.db-wal"}) {
    struct stat st {};
    REQUIRE(::stat((dir / name).c_str(), &st) == 0);
    CAPTURE(name);
    CHECK((st.st_mode & 0777) == 0600);
  }
}

TEST_CASE("in a setgid (shared) folder the database and its log are group read/write") {
  // The packaged /var/lib/alliance is 2770 alliance:alliance: the kiosk's desktop
  // user and the agent share kiosk.db through the folder's group.
  auto mode_of = [](const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
  };
  test::TempDir dir;
  const auto shared = dir / "shared";
  std::filesystem::create_directory(shared);
  REQUIRE(::chmod(shared.c_str(), 02770) == 0);
  struct stat folder {};
  REQUIRE(::stat(shared.c_str(), &folder) == 0);
  REQUIRE((folder.st_mode & S_ISGID) != 0);
  CHECK(store::database_file_mode(shared / "kiosk.db") ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
         std::filesystem::perms::group_read | std::filesystem::perms::group_write));
  CHECK(store::database_file_mode(dir / "kiosk.db") ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

  const mode_t old_umask = ::umask(022);  // the umask must not drop the group's write bit
  {
    auto s = store::Store::open(shared / "kiosk.db");
    REQUIRE(s.register_member(test::sample_member(6), test::kenya_context()).has_value());
    for (const char* name : {"kiosk.db", "kiosk.db-wal", "kiosk.db-shm"}) {
      CAPTURE(name);
      CHECK(mode_of(shared / name) == 0660);
    }
    // Enrolling keeps the group's access in a shared folder...
    store::save_credentials(s, {.server_url = "https://central.example",
                                .device_id = "d1",
                                .token = "secret",
                                .office = ""});
    CHECK(mode_of(shared / "kiosk.db") == 0660);
    CHECK(mode_of(shared / "kiosk.db-wal") == 0660);
  }
  {
    // ...and takes it away anywhere else, whatever mode the file had.
    auto s = store::Store::open(dir / "private.db");
    REQUIRE(::chmod((dir / "private.db").c_str(), 0664) == 0);
    store::save_credentials(s, {.server_url = "https://central.example",
                                .device_id = "d2",
                                .token = "secret",
                                .office = ""});
    CHECK(mode_of(dir / "private.db") == 0600);
  }
  ::umask(old_umask);
}

TEST_CASE("files that are not a kiosk database are refused with a clear message") {
  test::TempDir dir;
  {
    std::ofstream garbage(dir / "garbage.db", std::ios::binary);
    garbage << std::string(8192, 'x');
  }
  try {
    store::Store::open(dir / "garbage.db");
    FAIL("opening a garbage file must fail");
  } catch (const store::StoreError& e) {
    CHECK(std::string(e.what()).find("not a database") != std::string::npos);
  }

  {
    auto other = store::Database::open(dir / "other.db");
    other.exec("CREATE TABLE something_else (x INTEGER)");
  }
  try {
    store::Store::open(dir / "other.db");
    FAIL("opening another application's database must fail");
  } catch (const store::StoreError& e) {
    CHECK(std::string(e.what()).find("not an Alliance Field Kit kiosk database") !=
          std::string::npos);
  }
}

TEST_CASE("a full disk fails the save with a clear error and keeps what was saved") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  REQUIRE(s.register_member(test::sample_member(6), test::kenya_context()).has_value());
  const auto members_before = count(s, "SELECT count(*) FROM members");
  const auto outbox_before = count(s, "SELECT count(*) FROM outbox");
  // SQLite answers SQLITE_FULL, exactly as for a full disk, once the file may not grow.
  auto q = s.db().query("PRAGMA page_count");
  q.step();
  const auto pages = q.int64(0);
  s.db().exec("PRAGMA max_page_count = " + std::to_string(pages));

  bool failed = false;
  for (int i = 0; i < 200 && !failed; ++i) {
    try {
      auto saved = s.register_member(test::sample_member(100 + i), test::kenya_context());
      REQUIRE(saved.has_value());
    } catch (const store::StoreError& e) {
      failed = true;
      CHECK(e.is_disk_problem());
      CHECK(std::string(e.what()).find("disk is full") != std::string::npos);
    }
  }
  REQUIRE(failed);
  // Every member that was saved has its outbox change; the failed one left nothing half-written.
  const auto members_after = count(s, "SELECT count(*) FROM members");
  CHECK(members_after >= members_before);
  CHECK(count(s, "SELECT count(*) FROM outbox") - outbox_before == members_after - members_before);
  CHECK(count(s,
              "SELECT count(*) FROM members m WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE "
              "o.entity_id = m.id)") == 0);
  auto check = s.db().query("PRAGMA integrity_check");
  REQUIRE(check.step());
  CHECK(check.text(0) == "ok");
}

TEST_CASE("codes of the device's prefix, and legacy codes from other devices, are found") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  CHECK(s.reference_code_prefix().empty());
  CHECK_THROWS_AS(s.set_reference_code_prefix("2AB"), store::StoreError);
  s.set_reference_code_prefix("K7Q");
  CHECK(s.reference_code_prefix() == "K7Q");

  auto saved = s.register_member(test::sample_member(1), test::kenya_context());
  REQUIRE(saved.has_value());
  const std::string code = saved->member.reference_code;
  CHECK(code.starts_with("K7Q"));
  CHECK(code.size() == 11);

  // A member minted before device prefixes, pulled from central.
  model::Member legacy = test::sample_member(2);
  legacy.id = util::new_uuid_v7();
  legacy.reference_code = "3222-222W";
  legacy.created_at = legacy.updated_at = "2026-11-01T10:00:00.000Z";
  legacy.hlc = util::Hlc{.wall_ms = 1'700'000'000'000, .counter = 1, .node = "other"}.to_string();
  s.apply_pulled({{.seq = 1,
                   .entity = protocol::Entity::member,
                   .entity_id = legacy.id,
                   .hlc = legacy.hlc,
                   .record = legacy}},
                 1);
  auto by_legacy = s.find_member_by_reference("3222 222w");
  REQUIRE(by_legacy.has_value());
  CHECK(by_legacy->id == legacy.id);
  auto by_new = s.find_member_by_reference(code);
  REQUIRE(by_new.has_value());
  CHECK(by_new->id == saved->member.id);
  // Staff search by the start of a code, past the dash, in either form.
  const auto legacy_hits = s.search_members("3222 22");
  REQUIRE(legacy_hits.size() == 1);
  CHECK(legacy_hits[0].member.id == legacy.id);
  const auto new_hits = s.search_members(code.substr(0, 7));
  REQUIRE(new_hits.size() == 1);
  CHECK(new_hits[0].member.id == saved->member.id);
}
