// The kiosk watches its database file: deleted, replaced, read-only, damaged at start.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "common/model/i18n.hpp"
#include "common/store/store.hpp"
#include "kiosk/core/controller.hpp"
#include "kiosk/core/database_marker.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;
using namespace alliance::kiosk;
using namespace std::chrono_literals;

namespace {

// A kiosk on a real file, with a steady clock the test moves (the watch
// looks at the file once a second).
struct WatchedDesk {
  test::TempDir dir;
  std::filesystem::path db = dir / "kiosk.db";
  store::Store store = store::Store::open(db);
  TimePoint steady{std::chrono::seconds{1000}};
  Controller controller{
      store, Clocks{[] { return std::chrono::system_clock::now(); }, [this] { return steady; }}};

  void send(const Intent& i) { controller.dispatch(i); }
  void type(const std::string& field, const std::string& value) {
    send(intent::EditField{field, value});
  }
  void second_passes() {
    steady += 1100ms;
    controller.tick();
  }
  // A whole registration up to the review step.
  void fill_registration() {
    send(intent::StartRegistration{});
    type("given_name", "Amina");
    type("family_name", "Wanjiru");
    type("country", "KE");
    type("phone", "0712 345 678");
    send(intent::Next{});
    type("organisation", "Child Welfare Society");
    type("organisation_type", "ngo");
    type("role", "social_worker");
    send(intent::Next{});
    send(intent::Next{});
    send(intent::SetConsent{true});
    send(intent::Next{});
  }
  std::string notice_key() const {
    return controller.state().notice ? controller.state().notice->key : "";
  }
};

std::int64_t members_in(const std::filesystem::path& file) {
  auto other = store::Store::open(file, {.create_if_missing = false, .read_only = true});
  return other.member_count();
}

}  // namespace

TEST_CASE("a healthy file is accepted and its free space is shown") {
  WatchedDesk d;
  CHECK(d.controller.state().store.accepting());
  CHECK(d.controller.state().store.file == d.db.string());
  REQUIRE(d.controller.state().store.free_bytes.has_value());
  CHECK(*d.controller.state().store.free_bytes > 0);
}

TEST_CASE("a deleted database file stops registrations and a save never says Saved") {
  WatchedDesk d;
  d.fill_registration();
  REQUIRE(d.controller.state().screen == Screen::register_review);
  std::filesystem::remove(d.db);

  // Saved at once, before the watch's next look: the store refuses to commit.
  d.send(intent::Save{});
  CHECK(d.controller.state().screen != Screen::register_saved);
  CHECK(d.notice_key() == "store.problem.deleted");
  CHECK(d.controller.state().store.problem == StoreProblem::deleted);
  CHECK_FALSE(d.controller.state().draft.empty());  // what was typed is kept
  CHECK(d.store.member_count() == 0);               // nor in the orphaned file

  d.send(intent::GoTo{Screen::welcome});
  d.send(intent::DismissNotice{});
  d.send(intent::StartRegistration{});
  CHECK(d.controller.state().screen == Screen::welcome);
  CHECK(d.notice_key() == "store.problem.deleted");
  d.send(intent::StartCheckIn{});
  CHECK(d.controller.state().screen == Screen::welcome);
}

TEST_CASE("a database file replaced by another is noticed within a second") {
  WatchedDesk d;
  d.fill_registration();
  REQUIRE(d.controller.state().screen == Screen::register_review);
  {
    auto other = store::Store::open(d.dir / "other.db");
    REQUIRE(other.register_members({test::sample_member(1)}, test::kenya_context()).has_value());
  }
  std::filesystem::rename(d.dir / "other.db", d.db);
  d.second_passes();
  CHECK(d.controller.state().store.problem == StoreProblem::replaced);
  CHECK(d.notice_key() == "store.problem.replaced");
  d.send(intent::Save{});
  CHECK(d.controller.state().screen == Screen::register_review);
  CHECK(d.notice_key() == "store.problem.replaced");
  CHECK(d.store.member_count() == 0);  // nothing committed through the old connection
  d.send(intent::GoTo{Screen::welcome});
  d.send(intent::StartRegistration{});
  CHECK(d.controller.state().screen == Screen::welcome);
}

TEST_CASE("a database made read-only stops registrations until it is writable again") {
  WatchedDesk d;
  std::filesystem::permissions(d.db,
                               std::filesystem::perms::owner_read |
                                   std::filesystem::perms::group_read |
                                   std::filesystem::perms::others_read,
                               std::filesystem::perm_options::replace);
  d.second_passes();
  CHECK(d.controller.state().store.problem == StoreProblem::read_only);
  CHECK(d.notice_key() == "store.problem.read_only");
  d.send(intent::StartRegistration{});
  CHECK(d.controller.state().screen == Screen::welcome);

  std::filesystem::permissions(
      d.db, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
      std::filesystem::perm_options::replace);
  d.second_passes();
  CHECK(d.controller.state().store.accepting());
  d.send(intent::DismissNotice{});
  d.fill_registration();
  d.send(intent::Save{});
  CHECK(d.controller.state().screen == Screen::register_saved);
  CHECK(d.notice_key() == "notice.saved");
  CHECK(members_in(d.db) == 1);
}

TEST_CASE("a file refused at start keeps the kiosk from taking any record") {
  test::TempDir dir;
  auto stand_in = store::Store::open(":memory:");
  Controller controller(stand_in);
  controller.refuse_store(StoreProblem::damaged, (dir / "kiosk.db").string(),
                          "kiosk.db is damaged (database disk image is malformed)");
  CHECK(controller.state().store.problem == StoreProblem::damaged);
  REQUIRE(controller.state().notice.has_value());
  CHECK(controller.state().notice->key == "store.problem.damaged");
  CHECK(controller.state().notice->args.front() == (dir / "kiosk.db").string());
  for (const Intent& i : std::initializer_list<Intent>{
           intent::StartRegistration{}, intent::StartCheckIn{}, intent::StartRequest{}}) {
    controller.dispatch(i);
    CHECK(controller.state().screen == Screen::welcome);
  }
  controller.tick();  // the refusal holds whatever the stand-in looks like
  CHECK(controller.state().store.problem == StoreProblem::damaged);
  CHECK_FALSE(std::filesystem::exists(dir / "kiosk.db"));
}

TEST_CASE("every store problem has a staff message in all four languages") {
  const auto& i18n = model::I18n::embedded();
  for (auto problem : {StoreProblem::deleted, StoreProblem::replaced, StoreProblem::read_only,
                       StoreProblem::damaged, StoreProblem::disk_low, StoreProblem::missing}) {
    const std::string key = problem_key(problem);
    for (const auto& lang : i18n.languages()) {
      INFO(lang << " " << key);
      const std::string text = i18n.format(lang, key, {"/var/lib/alliance/kiosk.db"});
      CHECK(text != key);
      if (problem != StoreProblem::disk_low) {
        CHECK(text.find("/var/lib/alliance/kiosk.db") != std::string::npos);
      }
    }
  }
}

TEST_CASE("a database a marker says was in use is missing, and nothing else is") {
  test::TempDir dir;
  const std::filesystem::path db = dir / "kiosk.db";
  CHECK_FALSE(database_missing(db));  // never used here: a first start
  { auto first = store::Store::open(db); }
  mark_database_in_use(db);
  REQUIRE(std::filesystem::exists(database_marker(db)));
  struct stat st {};
  REQUIRE(::stat(database_marker(db).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK_FALSE(database_missing(db));
  mark_database_in_use(db);  // again: still one marker, no error
  std::filesystem::remove(db);
  CHECK(database_missing(db));
  CHECK_FALSE(database_missing(":memory:"));
}

TEST_CASE("a kiosk whose database went missing takes no records and says how to go on") {
  auto stand_in = store::Store::open(":memory:");
  Controller controller(stand_in);
  controller.refuse_store(StoreProblem::missing, "/var/lib/alliance/kiosk.db",
                          "/var/lib/alliance/kiosk.db is missing");
  CHECK(controller.state().store.problem == StoreProblem::missing);
  controller.dispatch(intent::StartRegistration{});
  CHECK(controller.state().screen == Screen::welcome);
  REQUIRE(controller.state().notice.has_value());
  CHECK(controller.state().notice->key == "store.problem.missing");
  const std::string text =
      model::I18n::embedded().format("en", "store.problem.missing", {"/var/lib/alliance/kiosk.db"});
  CHECK(text.find("--new-database") != std::string::npos);
  CHECK(text.find("alliance-sync restore") != std::string::npos);
}
