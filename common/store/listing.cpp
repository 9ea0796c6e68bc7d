// Store: walking every record of a kind, for exports.
#include "common/store/store.hpp"

namespace alliance::store {

// Each walk keeps its id query open while it visits, so every row comes from
// the snapshot the first step saw, and loads one full record at a time.

void Store::for_each_member(const std::function<void(const model::Member&)>& visit) {
  auto ids = db_.query("SELECT id FROM members ORDER BY id");
  while (ids.step()) {
    if (auto m = find_member(ids.text(0))) visit(*m);
  }
}

void Store::for_each_request(const std::function<void(const model::ResourceRequest&)>& visit) {
  auto ids = db_.query("SELECT id FROM requests ORDER BY id");
  while (ids.step()) {
    if (auto r = find_request(ids.text(0))) visit(*r);
  }
}

void Store::for_each_attendance(const std::function<void(const model::Attendance&)>& visit) {
  // (member, event, day) is unique, and find_attendance reads by it.
  auto keys = db_.query("SELECT member_id, event_id, day FROM attendance ORDER BY id");
  while (keys.step()) {
    if (auto a = find_attendance(keys.text(0), keys.text(1), keys.text(2))) visit(*a);
  }
}

}  // namespace alliance::store
