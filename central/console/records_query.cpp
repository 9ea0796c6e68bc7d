// The console's bounded reads of records, members and a member's history.
#include "central/console/records_query.hpp"

#include <algorithm>

#include "central/store/central_store.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/strings.hpp"

namespace alliance::central::console {
namespace {

template <class T>
std::vector<Held<T>> records_of(sql::Connection& db, protocol::Entity entity,
                                const std::string& office, std::size_t limit) {
  std::vector<Held<T>> out;
  auto q = db.query(
      "SELECT office, json FROM records WHERE entity = ?1 AND (?2 = '' OR office = ?2) "
      "ORDER BY seq DESC LIMIT ?3");
  q.bind_all(protocol::to_string(entity), office, static_cast<std::int64_t>(limit));
  while (q.step()) {
    auto record = protocol::decode_record(entity, q.text(1));
    if (record) out.push_back({q.text(0), std::get<T>(std::move(*record))});
  }
  return out;
}

}  // namespace

std::vector<Held<model::Member>> members_of(sql::Connection& db, const std::string& office,
                                            std::size_t limit) {
  return records_of<model::Member>(db, protocol::Entity::member, office, limit);
}

std::vector<Held<model::Attendance>> attendance_of(sql::Connection& db, const std::string& office,
                                                   std::size_t limit) {
  return records_of<model::Attendance>(db, protocol::Entity::attendance, office, limit);
}

std::vector<Held<model::ResourceRequest>> requests_of(sql::Connection& db,
                                                      const std::string& office,
                                                      std::size_t limit) {
  return records_of<model::ResourceRequest>(db, protocol::Entity::request, office, limit);
}

std::vector<Held<model::TrainingEvent>> events_of(sql::Connection& db, std::size_t limit) {
  return records_of<model::TrainingEvent>(db, protocol::Entity::event, std::string(), limit);
}

std::optional<Held<model::Member>> find_member(sql::Connection& db, const std::string& id) {
  auto q = db.query("SELECT office, json FROM records WHERE entity = 'member' AND id = ?1");
  q.bind_all(id);
  if (!q.step()) return std::nullopt;
  auto record = protocol::decode_record(protocol::Entity::member, q.text(1));
  if (!record) return std::nullopt;
  return Held<model::Member>{q.text(0), std::get<model::Member>(std::move(*record))};
}

std::vector<EditEntry> history_of(sql::Connection& db, const std::string& id, std::size_t limit) {
  std::vector<EditEntry> out;
  const auto bound = static_cast<std::int64_t>(limit);
  {
    auto q = db.query(
        "SELECT c.applied_at, c.device_id, d.name, c.outcome, c.changed_fields "
        "FROM applied_changes c LEFT JOIN devices d ON d.id = c.device_id "
        "WHERE c.entity = 'member' AND c.entity_id = ?1 ORDER BY c.applied_at DESC LIMIT ?2");
    q.bind_all(id, bound);
    while (q.step()) {
      EditEntry entry{.at = q.text(0),
                      .actor = device_actor(Device{.id = q.text(1), .name = q.text(2)}),
                      .kind = "change",
                      .outcome = q.text(3)};
      if (!q.is_null(4)) entry.fields = q.text(4);
      out.push_back(std::move(entry));
    }
  }
  {
    auto q = db.query(
        "SELECT merged_at, actor, drop_id, keep_id FROM member_merges "
        "WHERE keep_id = ?1 OR drop_id = ?1 ORDER BY merged_at DESC LIMIT ?2");
    q.bind_all(id, bound);
    while (q.step()) {
      const bool kept = q.text(3) == id;
      out.push_back(EditEntry{.at = q.text(0),
                              .actor = q.text(1),
                              .kind = kept ? "merged_from" : "merged_into",
                              .other_member = kept ? q.text(2) : q.text(3)});
    }
  }
  // ISO-8601 UTC text sorts by time.
  std::stable_sort(out.begin(), out.end(),
                   [](const EditEntry& a, const EditEntry& b) { return a.at > b.at; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace alliance::central::console
