// Store: the resource pack catalogue and resource requests with their lifecycle.
#include <chrono>

#include "common/model/codes.hpp"
#include "common/store/store.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"
#include "common/util/uuid.hpp"

namespace alliance::store {
namespace {

constexpr std::string_view kRequestColumns =
    "id, reference_code, member_id, organisation_name, contact_name, contact_phone, "
    "contact_email, delivery, delivery_address, office, event_id, status, received_by, "
    "created_at, updated_at, hlc";

std::string now_iso() {
  return util::iso8601_utc(std::chrono::system_clock::now());
}

model::ResourceRequest read_request_row(const Query& q) {
  model::ResourceRequest r;
  r.id = q.text(0);
  r.reference_code = q.text(1);
  r.member_id = q.text(2);
  r.organisation_name = q.text(3);
  r.contact_name = q.text(4);
  r.contact_phone = q.text(5);
  r.contact_email = q.text(6);
  r.delivery = model::delivery_from(q.text(7)).value_or(model::DeliveryPreference::pickup);
  r.delivery_address = q.text(8);
  r.office = q.text(9);
  r.event_id = q.text(10);
  r.status = model::request_status_from(q.text(11)).value_or(model::RequestStatus::requested);
  r.received_by = q.text(12);
  r.created_at = q.text(13);
  r.updated_at = q.text(14);
  r.hlc = q.text(15);
  return r;
}

}  // namespace

void Store::write_pack(const model::ResourcePack& p) {
  db_.query(
         "INSERT INTO packs (id, title, languages, format, hlc, updated_at, retired) "
         "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
         "languages = excluded.languages, format = excluded.format, hlc = excluded.hlc, "
         "updated_at = excluded.updated_at, retired = excluded.retired")
      .bind_all(p.id, p.title, util::join(p.languages, ','), model::to_string(p.format), p.hlc,
                p.updated_at, p.retired)
      .run();
  db_.query("DELETE FROM pack_stock WHERE pack_id = ?").bind_all(p.id).run();
  for (const auto& s : p.stock) {
    db_.query("INSERT INTO pack_stock (pack_id, office, quantity) VALUES (?, ?, ?)")
        .bind_all(p.id, s.office, s.quantity)
        .run();
  }
}

void Store::write_request(const model::ResourceRequest& r, std::string_view origin) {
  db_
      .query(util::format(
          "INSERT INTO requests ({}, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?, ?) ON CONFLICT (id) DO UPDATE SET reference_code = excluded.reference_code, "
          "member_id = excluded.member_id, organisation_name = excluded.organisation_name, "
          "contact_name = excluded.contact_name, contact_phone = excluded.contact_phone, "
          "contact_email = excluded.contact_email, delivery = excluded.delivery, "
          "delivery_address = excluded.delivery_address, office = excluded.office, "
          "event_id = excluded.event_id, status = excluded.status, "
          "received_by = excluded.received_by, created_at = excluded.created_at, "
          "updated_at = excluded.updated_at, hlc = excluded.hlc, origin = excluded.origin",
          kRequestColumns))
      .bind_all(r.id, r.reference_code, r.member_id, r.organisation_name, r.contact_name,
                r.contact_phone, r.contact_email, model::to_string(r.delivery), r.delivery_address,
                r.office, r.event_id, model::to_string(r.status), r.received_by, r.created_at,
                r.updated_at, r.hlc, origin)
      .run();
  db_.query("DELETE FROM request_lines WHERE request_id = ?").bind_all(r.id).run();
  int line_no = 0;
  for (const auto& line : r.lines) {
    db_.query(
           "INSERT INTO request_lines (request_id, line_no, pack_id, quantity) VALUES (?, ?, ?, ?)")
        .bind_all(r.id, ++line_no, line.pack_id, line.quantity)
        .run();
  }
  db_.query("DELETE FROM request_transitions WHERE request_id = ?").bind_all(r.id).run();
  int seq = 0;
  for (const auto& t : r.transitions) {
    db_.query(
           "INSERT INTO request_transitions (request_id, seq, status, actor, at) VALUES (?, ?, ?, "
           "?, ?)")
        .bind_all(r.id, ++seq, model::to_string(t.status), t.actor, t.at)
        .run();
  }
}

Saved<model::ResourcePack> Store::save_pack(model::ResourcePack pack) {
  auto errors = model::normalize_and_validate(pack);
  if (!errors.empty()) return std::unexpected(std::move(errors));
  Transaction tx(db_);
  pack.hlc = next_hlc().to_string();
  pack.updated_at = now_iso();
  write_pack(pack);
  enqueue({.entity = protocol::Entity::pack,
           .entity_id = pack.id,
           .op = protocol::Operation::create,
           .hlc = pack.hlc,
           .record = pack});
  tx.commit();
  return pack;
}

std::vector<model::ResourcePack> Store::list_packs() {
  std::vector<model::ResourcePack> out;
  {
    auto q = db_.query(
        "SELECT id, title, languages, format, hlc, updated_at, retired FROM packs "
        "WHERE retired = 0 ORDER BY title");
    while (q.step()) {
      model::ResourcePack p;
      p.id = q.text(0);
      p.title = q.text(1);
      p.languages = util::split(q.text(2), ',');
      p.format = model::pack_format_from(q.text(3)).value_or(model::PackFormat::print);
      p.hlc = q.text(4);
      p.updated_at = q.text(5);
      p.retired = q.integer(6) != 0;
      out.push_back(std::move(p));
    }
  }
  for (auto& p : out) {
    auto q = db_.query("SELECT office, quantity FROM pack_stock WHERE pack_id = ? ORDER BY office");
    q.bind_all(p.id);
    while (q.step()) p.stock.push_back({q.text(0), q.integer(1)});
  }
  return out;
}

Saved<model::ResourceRequest> Store::create_request(model::ResourceRequest draft,
                                                    const model::ValidationContext& context,
                                                    const std::string& actor) {
  auto errors = model::normalize_and_validate(draft, context);
  if (!errors.empty()) return std::unexpected(std::move(errors));
  Transaction tx(db_);
  // A member merged at central asks as the member kept.
  if (!draft.member_id.empty()) draft.member_id = kept_member_id(draft.member_id);
  if (!draft.member_id.empty() && !find_member(draft.member_id)) {
    return std::unexpected(model::FieldErrors{{"member_id", "request.member_id.not_found"}});
  }
  const std::string now = now_iso();
  draft.id = util::new_uuid_v7();
  draft.reference_code = unused_reference_code("requests");
  draft.status = model::RequestStatus::requested;
  draft.transitions = {{model::RequestStatus::requested, actor, now}};
  draft.received_by.clear();
  draft.created_at = now;
  draft.updated_at = now;
  draft.hlc = next_hlc().to_string();
  write_request(draft, "local");
  enqueue({.entity = protocol::Entity::request,
           .entity_id = draft.id,
           .op = protocol::Operation::create,
           .hlc = draft.hlc,
           .record = draft});
  tx.commit();
  return draft;
}

Saved<model::ResourceRequest> Store::transition_request(const std::string& id,
                                                        model::RequestStatus to,
                                                        const std::string& actor,
                                                        const std::string& received_by) {
  Transaction tx(db_);
  auto r = find_request(id);
  if (!r) return std::unexpected(model::FieldErrors{{"id", "request.id.not_found"}});
  if (!model::device_may_transition(r->status, to)) {
    return std::unexpected(model::FieldErrors{{"status", "request.status.not_allowed"}});
  }
  if (to == model::RequestStatus::delivered && received_by.empty()) {
    return std::unexpected(model::FieldErrors{{"received_by", "request.received_by.required"}});
  }
  const std::string now = now_iso();
  r->status = to;
  r->transitions.push_back({to, actor, now});
  if (to == model::RequestStatus::delivered) r->received_by = received_by;
  r->updated_at = now;
  r->hlc = next_hlc().to_string();
  write_request(*r, "local");
  std::vector<std::string> changed{"status", "transitions"};
  if (to == model::RequestStatus::delivered) changed.push_back("received_by");
  enqueue({.entity = protocol::Entity::request,
           .entity_id = r->id,
           .op = protocol::Operation::transition,
           .hlc = r->hlc,
           .changed_fields = std::move(changed),
           .record = *r});
  tx.commit();
  return *r;
}

std::optional<model::ResourceRequest> Store::find_request(const std::string& id) {
  std::optional<model::ResourceRequest> r;
  {
    auto q = db_.query(util::format("SELECT {} FROM requests WHERE id = ?", kRequestColumns));
    q.bind_all(id);
    if (!q.step()) return std::nullopt;
    r = read_request_row(q);
  }
  {
    auto q = db_.query(
        "SELECT pack_id, quantity FROM request_lines WHERE request_id = ? ORDER BY line_no");
    q.bind_all(id);
    while (q.step()) r->lines.push_back({q.text(0), q.integer(1)});
  }
  {
    auto q = db_.query(
        "SELECT status, actor, at FROM request_transitions WHERE request_id = ? ORDER BY seq");
    q.bind_all(id);
    while (q.step()) {
      r->transitions.push_back(
          {model::request_status_from(q.text(0)).value_or(model::RequestStatus::requested),
           q.text(1), q.text(2)});
    }
  }
  return r;
}

std::vector<model::ResourceRequest> Store::requests_for_office(const std::string& office,
                                                               bool open_only) {
  std::vector<std::string> ids;
  {
    auto q = db_.query(
        "SELECT id FROM requests WHERE office = ? AND (? = 0 OR status NOT IN ('delivered', "
        "'cancelled')) ORDER BY created_at");
    q.bind_all(office, open_only);
    while (q.step()) ids.push_back(q.text(0));
  }
  return requests_by_id(ids);
}

std::vector<model::ResourceRequest> Store::requests_for_desk(const std::string& office,
                                                             const std::string& made_by) {
  std::vector<std::string> ids;
  {
    auto q = db_.query(
        "SELECT id FROM requests r WHERE status NOT IN ('delivered', 'cancelled') AND "
        "(office = ?1 OR office = '' OR EXISTS (SELECT 1 FROM request_transitions t WHERE "
        "t.request_id = r.id AND t.seq = (SELECT min(seq) FROM request_transitions f WHERE "
        "f.request_id = r.id) AND t.actor = ?2)) "
        "ORDER BY office <> ?1, created_at");
    q.bind_all(office, made_by);
    while (q.step()) ids.push_back(q.text(0));
  }
  return requests_by_id(ids);
}

std::vector<model::ResourceRequest> Store::requests_by_id(const std::vector<std::string>& ids) {
  std::vector<model::ResourceRequest> out;
  for (const auto& id : ids) {
    auto r = find_request(id);
    if (!r) continue;
    // Made here for a member merged at central since: the member kept asked.
    if (!r->member_id.empty()) r->member_id = kept_member_id(r->member_id);
    out.push_back(std::move(*r));
  }
  return out;
}

}  // namespace alliance::store
