// Store: registering a list of members all or nothing, and walking records for exports.
#include <doctest/doctest.h>

#include <set>

#include "common/protocol/codec.hpp"
#include "common/store/store.hpp"
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

}  // namespace

TEST_CASE("register_members saves every member with one outbox change each") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  std::vector<model::Member> drafts = {test::sample_member(1), test::sample_member(2),
                                       test::sample_member(3)};
  drafts[1].phone = "0712 000 002";  // national form, normalised on the way in

  auto saved = s.register_members(drafts, test::kenya_context());
  REQUIRE(saved.has_value());
  REQUIRE(saved->size() == 3);
  CHECK(s.member_count() == 3);
  CHECK(count(s, "SELECT count(*) FROM outbox WHERE entity = 'member' AND op = 'create'") == 3);
  CHECK(count(s, "SELECT count(*) FROM outbox") == 3);
  CHECK(count(s, "SELECT count(*) FROM attendance") == 0);

  std::set<std::string> codes;
  for (std::size_t i = 0; i < saved->size(); ++i) {
    const auto& m = (*saved)[i];
    CHECK(util::is_uuid_v7(m.id));
    codes.insert(m.reference_code);
    CHECK(m.email == drafts[i].email);  // same order as the drafts
    CHECK(m.consent.given_at == m.created_at);
    const auto changes = s.changes_for(m.id);
    REQUIRE(changes.size() == 1);
    auto decoded = protocol::decode_change(changes[0].payload);
    REQUIRE(decoded.has_value());
    CHECK(std::get<model::Member>(decoded->record).reference_code == m.reference_code);
  }
  CHECK(codes.size() == 3);
  CHECK((*saved)[1].phone == "+254712000002");
  auto loaded = s.find_member((*saved)[1].id);
  REQUIRE(loaded.has_value());
  CHECK(loaded->phone == "+254712000002");
}

TEST_CASE("register_members writes nothing when any draft is invalid") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  std::vector<model::Member> drafts = {test::sample_member(1), test::sample_member(2),
                                       test::sample_member(3), test::sample_member(4)};
  drafts[1].phone = "12";
  drafts[3].given_name = "";
  drafts[3].country = "XX";

  auto saved = s.register_members(drafts, test::kenya_context());
  REQUIRE_FALSE(saved.has_value());
  const auto& rows = saved.error();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].index == 1);
  REQUIRE(rows[0].errors.size() == 1);
  CHECK(rows[0].errors[0] == model::FieldError{"phone", "member.phone.too_few_digits", "12"});
  CHECK(rows[1].index == 3);
  CHECK(rows[1].errors.size() == 2);
  CHECK(s.member_count() == 0);
  CHECK(count(s, "SELECT count(*) FROM members") == 0);
  CHECK(count(s, "SELECT count(*) FROM outbox") == 0);
}

TEST_CASE("register_members with no drafts writes nothing") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  auto saved = s.register_members({}, test::kenya_context());
  REQUIRE(saved.has_value());
  CHECK(saved->empty());
  CHECK(count(s, "SELECT count(*) FROM outbox") == 0);
}

TEST_CASE("register_member still checks in and queues two changes after the refactor") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  auto event = s.save_event(test::sample_event());
  REQUIRE(event.has_value());
  auto saved =
      s.register_member(test::sample_member(5), test::kenya_context(), event->id, "2026-11-28");
  REQUIRE(saved.has_value());
  REQUIRE(saved->attendance.has_value());
  CHECK(saved->member.event_id == event->id);
  CHECK(saved->attendance->member_id == saved->member.id);
  CHECK(saved->member.hlc < saved->attendance->hlc);
  CHECK(s.changes_for(saved->member.id).size() == 1);
  CHECK(s.changes_for(saved->attendance->id).size() == 1);
}

TEST_CASE("for_each walks every record in id order including voided ones") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  auto event = s.save_event(test::sample_event());
  REQUIRE(event.has_value());
  std::vector<std::string> member_ids;
  for (int i = 0; i < 4; ++i) {
    auto r =
        s.register_member(test::sample_member(i), test::kenya_context(), event->id, "2026-11-28");
    REQUIRE(r.has_value());
    member_ids.push_back(r->member.id);
  }
  REQUIRE(s.void_member(member_ids[2], "duplicate"));

  std::vector<std::string> seen;
  int voided = 0;
  s.for_each_member([&](const model::Member& m) {
    seen.push_back(m.id);
    if (m.voided) ++voided;
  });
  CHECK(seen == member_ids);  // UUIDv7 ids sort in creation order
  CHECK(voided == 1);

  int attendance = 0;
  s.for_each_attendance([&](const model::Attendance& a) {
    CHECK(a.event_id == event->id);
    ++attendance;
  });
  CHECK(attendance == 4);

  model::ResourcePack pack{.id = "CP-TOOLKIT-01", .title = "Toolkit", .languages = {"en"}};
  pack.stock = {{"Nairobi", 10}};
  REQUIRE(s.save_pack(pack).has_value());
  model::ResourceRequest request;
  request.member_id = member_ids[0];
  request.lines = {{"CP-TOOLKIT-01", 2}};
  request.office = "Nairobi";
  auto made = s.create_request(request, test::kenya_context(), "desk");
  REQUIRE(made.has_value());
  std::vector<model::ResourceRequest> requests;
  s.for_each_request([&](const model::ResourceRequest& r) { requests.push_back(r); });
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].id == made->id);
  REQUIRE(requests[0].lines.size() == 1);
  CHECK(requests[0].lines[0].quantity == 2);
}
