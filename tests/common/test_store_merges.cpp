// Device store: members merged at central arrive as tombstones; the kiosk
// shows one person, finds the kept member by the old card, and reads what it
// made for the dropped member as the kept member's.
#include <doctest/doctest.h>

#include <cctype>

#include "common/protocol/codec.hpp"
#include "common/store/store.hpp"
#include "common/util/hlc.hpp"
#include "common/util/reference_code.hpp"
#include "common/util/uuid.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;

namespace {

std::string remote_clock(std::uint32_t counter) {
  return util::Hlc{.wall_ms = 1'764'000'000'000, .counter = counter, .node = "central"}.to_string();
}

void pull(store::Store& s, protocol::Record record, std::int64_t seq) {
  const std::string id = std::visit([](const auto& r) { return r.id; }, record);
  const std::string hlc = remote_clock(static_cast<std::uint32_t>(seq));
  std::visit([&](auto& r) { r.hlc = hlc; }, record);
  s.apply_pulled({{.seq = seq,
                   .entity = protocol::entity_of(record),
                   .entity_id = id,
                   .hlc = hlc,
                   .record = std::move(record)}},
                 seq);
}

model::Member pulled_member(const std::string& code) {
  auto m = test::sample_member(1);
  m.id = util::new_uuid_v7();
  m.reference_code = code;
  m.created_at = m.updated_at = "2026-11-28T09:00:00.000Z";
  return m;
}

}  // namespace

TEST_CASE("a pulled tombstone leaves one person on the kiosk, found by either card") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const std::string event_id = util::new_uuid_v7();
  auto kept = pulled_member(util::new_reference_code("K7Q"));
  auto dropped = pulled_member(util::new_reference_code("M3R"));
  kept.event_id = dropped.event_id = event_id;
  pull(s, kept, 1);
  pull(s, dropped, 2);
  pull(s,
       model::Attendance{.id = util::new_uuid_v7(),
                         .member_id = kept.id,
                         .event_id = event_id,
                         .day = "2026-11-28",
                         .checked_in_at = "2026-11-28T09:00:00.000Z"},
       3);
  // Made here for the dropped member before the merge arrived (not yet pushed).
  const auto day2 = s.check_in(dropped.id, event_id, "2026-11-29");
  REQUIRE(day2.has_value());
  const auto same_day = s.check_in(dropped.id, event_id, "2026-11-28");
  REQUIRE(same_day.has_value());
  auto draft = test::sample_request();
  draft.member_id = dropped.id;
  const auto request = s.create_request(draft, test::kenya_context(), "desk-1");
  REQUIRE(request.has_value());
  REQUIRE(request->member_id == dropped.id);
  CHECK(s.search_members("José Wanjiru").size() == 2);  // two people, until the merge

  auto tombstone = dropped;
  tombstone.merged_into = kept.id;
  tombstone.voided = true;
  tombstone.void_reason = "merged into " + kept.reference_code;
  pull(s, tombstone, 4);

  // The column round-trips, and the tombstone is hidden wherever people are listed.
  const auto stored = s.find_member(dropped.id);
  REQUIRE(stored.has_value());
  CHECK(stored->merged_into == kept.id);
  const auto hits = s.search_members("José Wanjiru");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].member.id == kept.id);
  CHECK(s.member_count() == 1);
  // Registered that day (local time of the test machine): the kept member only.
  bool listed = false;
  for (const auto& day : {"2026-11-27", "2026-11-28", "2026-11-29"}) {
    for (const auto& m : s.members_registered(event_id, day)) {
      CHECK(m.id == kept.id);
      listed = true;
    }
  }
  CHECK(listed);
  const auto duplicates = s.possible_duplicates(test::sample_member(1), "KE");
  REQUIRE(duplicates.size() == 1);
  CHECK(duplicates[0].id == kept.id);

  // The old card finds the kept member, exactly and in staff search.
  // Typed loosely: lower case, a space for the dash.
  std::string typed = dropped.reference_code;
  for (auto& c : typed) c = c == '-' ? ' ' : static_cast<char>(std::tolower(c));
  const auto by_old_card = s.find_member_by_reference(typed);
  REQUIRE(by_old_card.has_value());
  CHECK(by_old_card->id == kept.id);
  const auto code_hits = s.search_members(dropped.reference_code);
  REQUIRE(code_hits.size() == 1);
  CHECK(code_hits[0].member.id == kept.id);

  // Check-ins made here for the dropped member count once, for the kept member.
  const auto day1 = s.attendance_for(event_id, "2026-11-28");
  REQUIRE(day1.size() == 1);
  CHECK(day1[0].member_id == kept.id);
  const auto day2_list = s.attendance_for(event_id, "2026-11-29");
  REQUIRE(day2_list.size() == 1);
  CHECK(day2_list[0].id == day2->attendance.id);
  CHECK(day2_list[0].member_id == kept.id);
  // Checking the old card in again finds the visit already recorded.
  const auto again = s.check_in(dropped.id, event_id, "2026-11-28");
  REQUIRE(again.has_value());
  CHECK(again->already_checked_in);
  CHECK(again->attendance.member_id == kept.id);

  // The request made for the dropped member is the kept member's at the desk.
  const auto desk = s.requests_for_desk("Nairobi", "desk-1");
  REQUIRE(desk.size() == 1);
  CHECK(desk[0].member_id == kept.id);
  auto another = test::sample_request();
  another.member_id = dropped.id;
  const auto made_after = s.create_request(another, test::kenya_context(), "desk-1");
  REQUIRE(made_after.has_value());
  CHECK(made_after->member_id == kept.id);

  // A tombstone is not restored or voided again at the desk.
  CHECK_FALSE(s.restore_member(dropped.id));
  CHECK(s.find_member(dropped.id)->voided);
}
