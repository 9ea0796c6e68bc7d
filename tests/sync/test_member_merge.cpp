// Merge convergence: one person registered on two offline kiosks, merged with
// the real `alliance-central merge`, while one kiosk edits and checks in the
// dropped member before it pulls; the real alliance-sync agent syncs both
// until quiet, and both kiosks and central show one person with every visit.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "harness.hpp"

namespace alliance::test {
namespace {

std::optional<model::Member> central_member(central::CentralStore& central, const std::string& id) {
  for (const auto& r : central.list(protocol::Entity::member)) {
    if (const auto& m = std::get<model::Member>(r); m.id == id) return m;
  }
  return std::nullopt;
}

// Member ids that central or a kiosk lists as people (not voided).
std::set<std::string> people(store::Store& kiosk) {
  std::set<std::string> ids;
  kiosk.for_each_member([&](const model::Member& m) {
    if (!m.voided) ids.insert(m.id);
  });
  return ids;
}

// Each day's check-ins of the event as the kiosk's desk lists them: day -> members.
std::map<std::string, std::vector<std::string>> visits(store::Store& kiosk,
                                                       const std::string& event_id) {
  std::map<std::string, std::vector<std::string>> out;
  for (const char* day : {"2026-11-28", "2026-11-29", "2026-11-30"}) {
    for (const auto& a : kiosk.attendance_for(event_id, day)) out[day].push_back(a.member_id);
  }
  return out;
}

}  // namespace

TEST_CASE("a merge at central converges on two kiosks and central, edits made meanwhile kept") {
  keep_traffic_local();
  TestServer server;
  TempDir dir;
  const auto db_a = dir / "kiosk-a.db";
  const auto db_b = dir / "kiosk-b.db";
  const std::string central_db = server.db_spec();  // a file, or a PostgreSQL URL
  auto kiosk_a = store::Store::open(db_a);
  auto kiosk_b = store::Store::open(db_b);
  enroll_with_binary(server, db_a, local_url(server), dir.path());
  enroll_with_binary(server, db_b, local_url(server), dir.path());
  const auto once = [&](const std::filesystem::path& db) {
    auto r = run_process(sync_args("once", db), dir.path());
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  const auto event = kiosk_a.save_event(sample_event());
  REQUIRE(event.has_value());
  once(db_a);
  once(db_b);
  REQUIRE(kiosk_b.find_event(event->id).has_value());

  // Both desks register the same person while offline, each with a day-one
  // check-in; desk B also checks them in on day two.
  auto typed_a = sample_member(1);
  typed_a.region.clear();
  auto typed_b = sample_member(1);
  typed_b.region = "Kisumu";
  const auto on_a = kiosk_a.register_member(typed_a, kenya_context(), event->id, "2026-11-28");
  const auto on_b = kiosk_b.register_member(typed_b, kenya_context(), event->id, "2026-11-28");
  REQUIRE(on_a.has_value());
  REQUIRE(on_b.has_value());
  const std::string keep = on_a->member.id;
  const std::string drop = on_b->member.id;
  REQUIRE(kiosk_b.check_in(drop, event->id, "2026-11-29").has_value());
  once(db_a);
  once(db_b);
  once(db_a);
  CHECK(people(kiosk_a).size() == 2);
  CHECK(people(kiosk_b).size() == 2);

  // Central lists the pair, and the admin merges it.
  auto listed = run_process({kCentralBinary, "duplicates", "--db", central_db, "--format", "csv"},
                            dir.path());
  REQUIRE(listed.exit_code == 0);
  CHECK(listed.out.find(keep) != std::string::npos);
  CHECK(listed.out.find(drop) != std::string::npos);
  auto merged = run_process({kCentralBinary, "merge", "--db", central_db, keep, drop}, dir.path());
  INFO(merged.err);
  REQUIRE(merged.exit_code == 0);
  CHECK(merged.out.find("merged " + drop + " into " + keep) != std::string::npos);

  // Before pulling the merge, desk B edits the dropped person and checks them
  // in on day three.
  auto edited = *kiosk_b.find_member(drop);
  edited.email = "amina.merged@example.org";
  REQUIRE(kiosk_b.update_member(edited, kenya_context()).has_value());
  REQUIRE(kiosk_b.check_in(drop, event->id, "2026-11-30").has_value());

  // Both sync until a round moves nothing (bounded).
  bool quiet = false;
  for (int round = 0; round < 6 && !quiet; ++round) {
    const auto a = once(db_a);
    const auto b = once(db_b);
    quiet = a.find("pushed 0 changes") != std::string::npos &&
            a.find("pulled 0,") != std::string::npos &&
            b.find("pushed 0 changes") != std::string::npos &&
            b.find("pulled 0,") != std::string::npos;
  }
  CHECK(quiet);

  // Central: one person, the edit and the filled region on it, the tombstone.
  auto& central = server.store();
  const auto kept = central_member(central, keep);
  const auto dropped = central_member(central, drop);
  REQUIRE(kept.has_value());
  REQUIRE(dropped.has_value());
  CHECK_FALSE(kept->voided);
  CHECK(kept->email == "amina.merged@example.org");
  CHECK(kept->region == "Kisumu");
  CHECK(dropped->voided);
  CHECK(dropped->merged_into == keep);
  std::map<std::string, int> central_days;
  for (const auto& r : central.list(protocol::Entity::attendance)) {
    const auto& a = std::get<model::Attendance>(r);
    CHECK_MESSAGE((a.member_id == keep || a.voided), "a visit left on the dropped member");
    if (!a.voided) ++central_days[a.day];
  }
  CHECK(central_days ==
        std::map<std::string, int>{{"2026-11-28", 1}, {"2026-11-29", 1}, {"2026-11-30", 1}});

  // Both kiosks: one person, found by either card, with every visit once.
  const std::map<std::string, std::vector<std::string>> expected = {
      {"2026-11-28", {keep}}, {"2026-11-29", {keep}}, {"2026-11-30", {keep}}};
  for (auto* kiosk : {&kiosk_a, &kiosk_b}) {
    CHECK(people(*kiosk).count(drop) == 0);
    CHECK(people(*kiosk).count(keep) == 1);
    const auto hits = kiosk->search_members("José Wanjiru");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].member.id == keep);
    CHECK(hits[0].member.email == "amina.merged@example.org");
    const auto by_old_card = kiosk->find_member_by_reference(on_b->member.reference_code);
    REQUIRE(by_old_card.has_value());
    CHECK(by_old_card->id == keep);
    CHECK(visits(*kiosk, event->id) == expected);
    CHECK(kiosk->queue_counts().all_synced());
  }

  // Merging again changes nothing: nothing new to pull.
  auto again = run_process({kCentralBinary, "merge", "--db", central_db, keep, drop}, dir.path());
  REQUIRE(again.exit_code == 0);
  CHECK(again.out.find("already merged") != std::string::npos);
  CHECK(once(db_a).find("pulled 0,") != std::string::npos);
  CHECK(once(db_b).find("pulled 0,") != std::string::npos);
}

}  // namespace alliance::test
