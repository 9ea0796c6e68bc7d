// Keys of members, check-ins and requests for the office console (schema 7).
#include "central/store/record_keys.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "common/model/codes.hpp"
#include "common/model/search.hpp"
#include "common/model/text.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/log.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {
namespace {

// Names the key rules; meta 'record_keys' holds the one the stored keys follow.
std::string keys_version() {
  return util::cat("1/", model::search_key_version());
}

struct Keys {
  std::string_view entity;
  std::string id;
  bool hidden = false;
  std::string day;
  std::string member_id;
  std::string event_id;
  std::string status;
  std::string name_key;
  std::string phone;
  std::string email;
  std::string code_key;
  std::string country;
  std::string role;
};

std::optional<Keys> keys_of(const protocol::Record& record) {
  if (const auto* m = std::get_if<model::Member>(&record)) {
    return Keys{.entity = "member",
                .id = m->id,
                .hidden = m->voided || !m->merged_into.empty(),
                .day = m->created_at.substr(0, 10),
                .member_id = m->id,
                .event_id = m->event_id,
                .name_key = model::member_name_key(*m),
                .phone = m->phone,
                .email = m->email,
                .code_key = model::reference_code_symbols(m->reference_code),
                .country = m->country,
                .role = m->role};
  }
  if (const auto* a = std::get_if<model::Attendance>(&record)) {
    return Keys{.entity = "attendance",
                .id = a->id,
                .hidden = a->voided,
                .day = a->day,
                .member_id = a->member_id,
                .event_id = a->event_id};
  }
  if (const auto* r = std::get_if<model::ResourceRequest>(&record)) {
    return Keys{.entity = "request",
                .id = r->id,
                .day = r->created_at.substr(0, 10),
                .member_id = r->member_id,
                .event_id = r->event_id,
                .status = std::string(model::to_string(r->status))};
  }
  return std::nullopt;
}

}  // namespace

void write_record_keys(sql::Connection& db, const protocol::Record& record,
                       const std::string& office) {
  const auto keys = keys_of(record);
  if (!keys) return;
  db.query(
        "INSERT INTO record_keys (entity, id, office, hidden, day, member_id, event_id, status, "
        "name_key, phone, email, code_key, country, role) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT (entity, id) DO UPDATE SET "
        "office = excluded.office, hidden = excluded.hidden, day = excluded.day, "
        "member_id = excluded.member_id, event_id = excluded.event_id, status = excluded.status, "
        "name_key = excluded.name_key, phone = excluded.phone, email = excluded.email, "
        "code_key = excluded.code_key, country = excluded.country, role = excluded.role")
      .bind_all(keys->entity, keys->id, office, keys->hidden ? 1 : 0, keys->day, keys->member_id,
                keys->event_id, keys->status, keys->name_key, keys->phone, keys->email,
                keys->code_key, keys->country, keys->role)
      .run();
}

namespace {

struct KeysState {
  std::string version;     // meta 'record_keys': the rules the stored keys follow
  std::int64_t mark = -1;  // meta 'record_keys_seq': the change sequence they reflect
  std::int64_t change_seq = 0;
};

KeysState keys_state(sql::Connection& db) {
  auto q = db.query(
      "SELECT COALESCE((SELECT value FROM meta WHERE key = 'record_keys'), ''), "
      "COALESCE((SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'record_keys_seq'), -1), "
      "COALESCE((SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'change_seq'), 0)");
  if (!q.step()) throw store::StoreError(0, "the central database's meta table cannot be read");
  return KeysState{.version = q.text(0), .mark = q.int64(1), .change_seq = q.int64(2)};
}

bool up_to_date(const KeysState& state, const std::string& version) {
  return state.version == version && state.mark >= state.change_seq;
}

}  // namespace

std::int64_t catch_up_record_keys(sql::Connection& db, std::int64_t per_transaction) {
  const std::string version = keys_version();
  const KeysState start = keys_state(db);
  if (up_to_date(start, version)) return 0;  // the common case, without the lock
  // Records saved after this call began are left to the next one, so a busy
  // server cannot keep it here.
  const std::int64_t target = start.change_seq;
  const std::int64_t page_size = std::clamp<std::int64_t>(per_transaction, 1, 5000);
  std::int64_t written = 0;
  bool rebuilt = false;
  for (;;) {
    // The writers' lock: every record with a seq up to change_seq is
    // committed, and no writer takes a number until this commits.
    sql::Transaction tx(db);
    KeysState state = keys_state(db);
    if (state.version != version) {
      db.exec("DELETE FROM record_keys");
      state.mark = -1;
      rebuilt = true;
    } else if (state.mark >= target) {
      return written;  // another connection caught up meanwhile
    }
    // Walked by seq in pages, so memory stays bounded on a national database.
    std::int64_t after = state.mark;
    std::int64_t in_transaction = 0;
    bool walked_all = false;
    while (!walked_all && in_transaction < per_transaction) {
      std::vector<std::pair<protocol::Record, std::string>> page;
      {
        auto q = db.query(
            "SELECT entity, json, office, seq FROM records WHERE seq > ?1 AND entity IN "
            "('member', 'attendance', 'request') ORDER BY seq LIMIT ?2");
        q.bind_all(after, page_size);
        while (q.step()) {
          after = q.int64(3);
          const auto entity = protocol::entity_from(q.text(0));
          if (!entity) continue;
          auto record = protocol::decode_record(*entity, q.text(1));
          if (!record) throw store::StoreError(0, "a stored record cannot be read");
          page.emplace_back(std::move(*record), q.text(2));
        }
      }
      walked_all = static_cast<std::int64_t>(page.size()) < page_size;
      for (const auto& [record, office] : page) write_record_keys(db, record, office);
      in_transaction += static_cast<std::int64_t>(page.size());
    }
    db.query(
          "INSERT INTO meta (key, value) VALUES ('record_keys', ?1), ('record_keys_seq', ?2) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind_all(version, std::to_string(walked_all ? state.change_seq : after))
        .run();
    tx.commit();
    written += in_transaction;
    if (walked_all) break;
  }
  if (rebuilt && written > 0) log::info("central.record_keys_rebuilt", {{"records", written}});
  return written;
}

}  // namespace alliance::central
