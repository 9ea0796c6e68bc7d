// Merging two members who are one person, and pushed changes that name a merged member.
#include <algorithm>
#include <chrono>
#include <set>
#include <utility>

#include "central/store/central_store.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::central {
namespace {

using protocol::Entity;
using protocol::Record;

std::unexpected<StoreFailure> refuse(std::string code, std::string message) {
  return std::unexpected(StoreFailure{.code = std::move(code), .message = std::move(message)});
}

// The attendance or request records held for `office` whose member_id is one
// of `members`, in id order. A merge or a push naming a merged member is
// rare, so a scan of the office's records (no index on member_id) is fine.
std::vector<Record> records_naming(sql::Connection& db, Entity entity, const std::string& office,
                                   const std::set<std::string>& members) {
  std::vector<Record> out;
  auto q = db.query("SELECT json FROM records WHERE entity = ?1 AND office = ?2 ORDER BY id");
  q.bind_all(protocol::to_string(entity), office);
  while (q.step()) {
    auto record = protocol::decode_record(entity, q.text(0));
    if (!record) {
      throw store::StoreError(0, util::cat("a stored ", protocol::to_string(entity),
                                           " record cannot be read: ", record.error().message));
    }
    const bool names = std::visit(
        [&](const auto& r) {
          if constexpr (requires { r.member_id; }) return members.contains(r.member_id);
          return false;
        },
        *record);
    if (names) out.push_back(std::move(*record));
  }
  return out;
}

}  // namespace

std::string CentralStore::kept_member_of(const std::string& member_id) {
  if (member_id.empty()) return {};
  if (batch_) {
    if (const auto* known = batch_->kept_member(member_id)) return *known;
  }
  auto q = db_.query("SELECT keep_id FROM member_merges WHERE drop_id = ?1");
  q.bind(1, member_id);
  std::string keep = q.step() ? q.text(0) : std::string();
  if (batch_) batch_->remember_merge(member_id, keep);
  return keep;
}

StoreResult<MemberMerge> CentralStore::merge_members(const std::string& keep_id,
                                                     const std::string& drop_id,
                                                     const std::string& actor) {
  if (keep_id == drop_id) {
    return refuse("same_member", "KEEP_ID and DROP_ID are the same member; name two members");
  }
  std::lock_guard lock(mutex_);
  sql::Transaction tx(db_);
  auto keep = load_stored(Entity::member, keep_id);
  if (!keep) return refuse("not_found", util::cat("there is no member ", keep_id, " (KEEP_ID)"));
  auto drop = load_stored(Entity::member, drop_id);
  if (!drop) return refuse("not_found", util::cat("there is no member ", drop_id, " (DROP_ID)"));

  MemberMerge result{.keep_id = keep_id, .drop_id = drop_id};
  {
    auto q = db_.query("SELECT keep_id, merged_at, actor FROM member_merges WHERE drop_id = ?1");
    q.bind(1, drop_id);
    if (q.step()) {
      if (q.text(0) != keep_id) {
        return refuse("merged_elsewhere",
                      util::cat("member ", drop_id, " was merged into ", q.text(0),
                                " already; a merge is not undone or moved"));
      }
      result.already_merged = true;
      result.merged_at = q.text(1);
      result.actor = q.text(2);
      return result;
    }
  }
  if (const std::string into = kept_member_of(keep_id); !into.empty()) {
    return refuse("keep_merged", util::cat("member ", keep_id, " was itself merged into ", into,
                                           "; merge into ", into, " instead"));
  }
  if (keep->office != drop->office) {
    return refuse("different_offices",
                  util::cat("member ", keep_id, " belongs to office '", keep->office,
                            "' and member ", drop_id, " to office '", drop->office,
                            "'; only members of one office can be merged"));
  }
  model::Member kept = std::get<model::Member>(keep->held.record);
  const model::Member dropped = std::get<model::Member>(drop->held.record);
  if (kept.kind != dropped.kind) {
    return refuse("different_kinds",
                  "one member is an individual and the other an organisation; they cannot be "
                  "one person");
  }
  if (kept.voided) {
    return refuse("keep_voided", util::cat("member ", keep_id,
                                           " is voided; restore it on a kiosk first, or keep "
                                           "the other member (swap KEEP_ID and DROP_ID)"));
  }
  const std::string now = util::iso8601_utc(std::chrono::system_clock::now());
  result.merged_at = now;
  result.actor = actor;

  // Check-ins: one on an event and day keep already has (not voided) is the
  // same visit, voided and left on drop; the others move to keep.
  std::set<std::pair<std::string, std::string>> keep_days;
  std::vector<model::Attendance> drop_attendance;
  for (auto& record : records_naming(db_, Entity::attendance, keep->office, {keep_id, drop_id})) {
    auto& attendance = std::get<model::Attendance>(record);
    if (attendance.member_id == drop_id) {
      drop_attendance.push_back(std::move(attendance));
    } else if (!attendance.voided) {
      keep_days.emplace(attendance.event_id, attendance.day);
    }
  }
  for (auto& attendance : drop_attendance) {
    auto stored = load_stored(Entity::attendance, attendance.id);
    if (keep_days.contains({attendance.event_id, attendance.day})) {
      ++result.attendance_folded;
      if (attendance.voided) continue;
      attendance.voided = true;
      write_server_change(*stored, attendance, {"voided"});
    } else {
      ++result.attendance_moved;
      if (!attendance.voided) keep_days.emplace(attendance.event_id, attendance.day);
      attendance.member_id = keep_id;
      write_server_change(*stored, attendance, {"member_id"});
    }
  }
  for (auto& record : records_naming(db_, Entity::request, keep->office, {drop_id})) {
    auto& request = std::get<model::ResourceRequest>(record);
    auto stored = load_stored(Entity::request, request.id);
    request.member_id = keep_id;
    request.updated_at = now;
    write_server_change(*stored, request, {"member_id"});
    ++result.requests_moved;
  }
  // Members merged into drop before now point at keep, so no device has to
  // follow a chain.
  std::vector<std::string> earlier;
  {
    auto q = db_.query("SELECT drop_id FROM member_merges WHERE keep_id = ?1 ORDER BY drop_id");
    q.bind(1, drop_id);
    while (q.step()) earlier.push_back(q.text(0));
  }
  for (const auto& id : earlier) {
    auto stored = load_stored(Entity::member, id);
    if (!stored) continue;
    auto tombstone = std::get<model::Member>(stored->held.record);
    tombstone.merged_into = keep_id;
    tombstone.updated_at = now;
    write_server_change(*stored, tombstone, {"merged_into"});
    ++result.tombstones_moved;
  }
  db_.query("UPDATE member_merges SET keep_id = ?1 WHERE keep_id = ?2")
      .bind_all(keep_id, drop_id)
      .run();

  result.fields_filled = fill_missing_person_fields(kept, dropped);
  if (!result.fields_filled.empty()) {
    kept.updated_at = now;
    write_server_change(*keep, kept, result.fields_filled);
  }
  // The tombstone last: a device that applies it already has the records
  // that moved (pull goes in sequence order).
  model::Member tombstone = dropped;
  tombstone.merged_into = keep_id;
  tombstone.updated_at = now;
  std::vector<std::string> fields = {"merged_into"};
  if (!tombstone.voided) {
    tombstone.voided = true;
    tombstone.void_reason =
        util::cat("merged into ", kept.reference_code.empty() ? keep_id : kept.reference_code);
    fields.insert(fields.end(), {"voided", "void_reason"});
  }
  write_server_change(*drop, tombstone, fields);
  db_.query(
         "INSERT INTO member_merges (drop_id, keep_id, office, merged_at, actor) "
         "VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind_all(drop_id, keep_id, keep->office, now, actor)
      .run();
  tx.commit();
  return result;
}

protocol::ChangeResult CentralStore::apply_to_kept_member(const protocol::Change& change,
                                                          const model::Member& incoming,
                                                          const std::string& hlc,
                                                          const std::string& keep_id) {
  auto keep = load_stored(Entity::member, keep_id);
  auto drop = load_stored(Entity::member, incoming.id);
  if (!keep || !drop) throw store::StoreError(0, "a merged member's record is missing");
  // Only what the device changed, and only the person's details: the kept
  // member's identity, void state and consent stay its own. The change's
  // clock decides field by field, as if it had been made to keep.
  std::vector<std::string> carried;
  const auto person = person_fields();
  for (const auto& field : change.changed_fields) {
    if (std::find(person.begin(), person.end(), field) != person.end()) carried.push_back(field);
  }
  if (!carried.empty()) {
    model::Member edit = incoming;
    edit.id = keep_id;
    edit.merged_into.clear();
    write_server_change(*keep, edit, carried, hlc);
  }
  send_again(*drop);
  return protocol::ChangeResult{
      .change_id = change.change_id,
      .outcome = protocol::Outcome::applied,
      .code = "member_merged",
      .message = util::cat("this member was merged into ", keep_id, " at central; ",
                           carried.empty() ? "nothing in this change carries over to it"
                                           : "the changed details were applied to that member")};
}

void CentralStore::point_at_kept_member(Record& incoming, bool& rewritten) {
  if (auto* request = std::get_if<model::ResourceRequest>(&incoming)) {
    if (std::string keep = kept_member_of(request->member_id); !keep.empty()) {
      request->member_id = std::move(keep);
      rewritten = true;
    }
    return;
  }
  auto* attendance = std::get_if<model::Attendance>(&incoming);
  if (attendance == nullptr) return;
  const std::string keep = kept_member_of(attendance->member_id);
  if (keep.empty()) return;
  rewritten = true;
  // The rule of the merge itself: a check-in on a day keep already has is
  // the same visit, voided on the dropped member. The scan reads the
  // database, so what the batch wrote so far goes there first.
  if (batch_) batch_->flush(db_);
  const auto office = office_of(Entity::member, keep);
  for (const auto& record : records_naming(db_, Entity::attendance, office.value_or(""), {keep})) {
    const auto& other = std::get<model::Attendance>(record);
    if (other.id != attendance->id && !other.voided && other.event_id == attendance->event_id &&
        other.day == attendance->day) {
      attendance->voided = true;
      return;
    }
  }
  attendance->member_id = keep;
}

}  // namespace alliance::central
