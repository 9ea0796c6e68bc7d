// The device clock in the store: the persisted value wins over a wall clock
// stepped back three years or forward twenty hours, between and during writes,
// across two connections, and after the server's clock is observed.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/protocol/codec.hpp"
#include "common/store/store.hpp"
#include "common/util/hlc.hpp"
#include "common/util/time.hpp"
#include "common/util/uuid.hpp"
#include "support/fixtures.hpp"
#include "support/temp_dir.hpp"

using namespace alliance;

namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kThreeYears = 3 * 365 * 24 * kHour;

std::int64_t system_ms() {
  return util::to_unix_ms(std::chrono::system_clock::now());
}

// Every outbox change's HLC, in queue order.
std::vector<util::Hlc> outbox_clocks(store::Store& s) {
  std::vector<util::Hlc> out;
  auto q = s.db().query("SELECT hlc FROM outbox ORDER BY seq");
  while (q.step()) {
    auto hlc = util::parse_hlc(q.text(0));
    REQUIRE(hlc.has_value());
    out.push_back(*hlc);
  }
  return out;
}

void check_increasing(const std::vector<util::Hlc>& clocks) {
  for (std::size_t i = 1; i < clocks.size(); ++i) {
    CAPTURE(i);
    REQUIRE(clocks[i - 1] < clocks[i]);
  }
}

}  // namespace

TEST_CASE("the device clock never goes back when the wall clock steps during and between writes") {
  test::TempDir dir;
  auto kiosk = store::Store::open(dir / "kiosk.db");
  auto agent = store::Store::open(dir / "kiosk.db");  // a second process on the same file
  const std::int64_t start = system_ms();

  // During one import: every read of the wall clock steps, back three years,
  // forward twenty hours, back again.
  std::int64_t reads = 0;
  kiosk.set_wall_clock([&] {
    const std::int64_t steps[] = {0, -kThreeYears, 20 * kHour, -kThreeYears + 5, 7};
    const std::int64_t read = reads++;
    return start + steps[read % 5] + read;
  });
  std::vector<model::Member> drafts;
  for (int i = 0; i < 300; ++i) drafts.push_back(test::sample_member(i));
  auto saved = kiosk.register_members(std::move(drafts), test::kenya_context());
  REQUIRE(saved.has_value());
  CHECK(reads >= 300);
  auto clocks = outbox_clocks(kiosk);
  REQUIRE(clocks.size() == 300);
  check_increasing(clocks);
  // The forward step was within the bound: taken, and kept after it.
  CHECK(clocks.back().wall_ms >= start + 20 * kHour);

  // Between writes: the other connection's wall clock is three years back;
  // the clock persisted in the file wins.
  agent.set_wall_clock([&] { return start - kThreeYears; });
  kiosk.set_wall_clock([&] { return start - kThreeYears; });
  const auto member = saved->front();
  auto edited = member;
  edited.region = "Kisumu";
  auto updated = kiosk.update_member(edited, test::kenya_context());
  REQUIRE(updated.has_value());
  CHECK(updated->hlc > member.hlc);
  CHECK(util::parse_hlc(updated->hlc)->wall_ms >= start + 20 * kHour);
  CHECK(kiosk.void_member(member.id, "registered twice"));
  clocks = outbox_clocks(agent);
  REQUIRE(clocks.size() == 302);
  check_increasing(clocks);

  // The file's clock after a restart (a new connection) is still ahead.
  {
    auto reopened = store::Store::open(dir / "kiosk.db");
    reopened.set_wall_clock([&] { return start - kThreeYears; });
    REQUIRE(reopened.register_member(test::sample_member(900), test::kenya_context()));
    clocks = outbox_clocks(reopened);
    check_increasing(clocks);
  }
}

TEST_CASE("pulled clocks and the server's clock move a device whose wall clock is behind") {
  test::TempDir dir;
  auto s = store::Store::open(dir / "kiosk.db");
  const std::int64_t now = system_ms();
  s.set_wall_clock([&] { return now; });
  REQUIRE(s.register_member(test::sample_member(1), test::kenya_context()));

  // The board reboots three years back and pulls a record another device
  // edited a minute ago: its next edit of that record comes after it.
  s.set_wall_clock([&] { return now - kThreeYears; });
  auto pulled = test::sample_member(42);
  pulled.id = util::new_uuid_v7();
  pulled.reference_code = "K7QM-4XR9";
  pulled.hlc = util::Hlc{now + 60'000, 3, "other-device"}.to_string();
  s.apply_pulled({{.seq = 1,
                   .entity = protocol::Entity::member,
                   .entity_id = pulled.id,
                   .hlc = pulled.hlc,
                   .record = pulled}},
                 1);
  auto held = s.find_member(pulled.id);
  REQUIRE(held.has_value());
  auto edited = *held;
  edited.region = "Kisumu";
  auto updated = s.update_member(edited, test::kenya_context());
  REQUIRE(updated.has_value());
  CHECK(updated->hlc > pulled.hlc);

  // The server's clock, measured at sync, is a floor as well.
  CHECK(s.observe_server_clock(now + 10 * 60'000));
  CHECK_FALSE(s.observe_server_clock(now));
  auto later = s.register_member(test::sample_member(2), test::kenya_context());
  REQUIRE(later.has_value());
  CHECK(util::parse_hlc(later->member.hlc)->wall_ms == now + 10 * 60'000);
}
