// The console's bounded reads: counts for the dashboard, member search on the
// console's keys, one member's records and history.
#include "central/console/records_query.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <variant>

#include "central/store/central_store.hpp"
#include "common/model/phone.hpp"
#include "common/model/search.hpp"
#include "common/model/text.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/reference_code.hpp"
#include "common/util/strings.hpp"

namespace alliance::central::console {
namespace {

// A statement built from parts: each '?' of a part takes the part's next
// value and becomes ?N, numbered across the whole statement.
class Statement {
 public:
  using Value = std::variant<std::int64_t, std::string>;

  explicit Statement(std::string_view head) { add(head); }

  Statement& add(std::string_view part, std::vector<Value> values = {}) {
    std::size_t next = 0;
    for (const char c : part) {
      if (c != '?') {
        text_ += c;
        continue;
      }
      if (next == values.size()) throw std::logic_error("a statement part lacks a value");
      values_.push_back(std::move(values[next++]));
      text_ += util::cat("?", values_.size());
    }
    return *this;
  }

  sql::Query query(sql::Connection& db) const {
    auto q = db.query(text_);
    for (std::size_t i = 0; i < values_.size(); ++i) {
      std::visit([&](const auto& value) { q.bind(static_cast<int>(i + 1), value); }, values_[i]);
    }
    return q;
  }

 private:
  std::string text_;
  std::vector<Value> values_;
};

// `office` narrows to one office; "" (admins) to none. Two shapes rather
// than (? = '' OR office = ?), so the planner can use the office in an index.
void in_office(Statement& s, const std::string& office, std::string_view column = "office") {
  if (!office.empty()) s.add(util::cat(" AND ", column, " = ?"), {office});
}

std::string like_escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\' || c == '%' || c == '_') out += '\\';
    out += c;
  }
  return out;
}

// `column` starts with `prefix`: LIKE says exactly, and a range on the
// column's index finds the rows when the prefix is printable ASCII.
std::string starts_with(std::string_view column, const std::string& prefix,
                        std::vector<Statement::Value>& values) {
  std::string sql = util::cat("(", column, " LIKE ? ESCAPE '\\'");
  values.emplace_back(like_escaped(prefix) + "%");
  const bool ascii =
      std::all_of(prefix.begin(), prefix.end(), [](char c) { return c > ' ' && c < '~'; });
  if (!prefix.empty() && ascii) {
    std::string end = prefix;
    ++end.back();
    sql += util::cat(" AND ", column, " >= ? AND ", column, " < ?");
    values.emplace_back(prefix);
    values.emplace_back(std::move(end));
  }
  return sql + ")";
}

std::int64_t bounded_count(sql::Connection& db, std::string_view entity,
                           const std::string& office) {
  Statement s("SELECT COUNT(*) FROM (SELECT 1 FROM record_keys WHERE entity = ");
  s.add("? AND hidden = 0", {std::string(entity)});
  in_office(s, office);
  s.add(" LIMIT ?) AS counted", {kMaxCounted});
  auto q = s.query(db);
  return q.step() ? q.int64(0) : 0;
}

std::vector<Count> counts(Statement& s, sql::Connection& db) {
  std::vector<Count> out;
  auto q = s.query(db);
  while (q.step()) out.push_back({q.text(0), q.int64(1)});
  return out;
}

template <class T>
std::optional<T> decoded(protocol::Entity entity, const std::string& json) {
  auto record = protocol::decode_record(entity, json);
  if (!record) return std::nullopt;
  return std::get<T>(std::move(*record));
}

// A member's records of one entity (attendance, request), latest day first.
template <class T>
std::vector<T> records_of_member(sql::Connection& db, protocol::Entity entity,
                                 const std::string& member_id, std::size_t limit) {
  std::vector<T> out;
  auto q = db.query(
      "SELECT r.json FROM record_keys k JOIN records r ON r.entity = k.entity AND r.id = k.id "
      "WHERE k.member_id = ?1 AND k.entity = ?2 ORDER BY k.day DESC, k.id LIMIT ?3");
  q.bind_all(member_id, protocol::to_string(entity), static_cast<std::int64_t>(limit));
  while (q.step()) {
    if (auto record = decoded<T>(entity, q.text(0))) out.push_back(std::move(*record));
  }
  return out;
}

// The search condition on member keys `k`, as the kiosk reads a query: a
// reference code (dash and case ignored), else an e-mail prefix, a phone
// prefix (E.164, read with each country the office's members have) or the
// words of a name (each inside the folded name).
void add_search(Statement& s, sql::Connection& db, const MemberSearch& search) {
  const std::string typed = model::collapse_whitespace(search.query);
  if (typed.empty()) return;
  std::vector<Statement::Value> values;
  std::vector<std::string> either;
  const std::string code = model::reference_code_symbols(typed);
  if (model::could_be_reference_code(code)) {
    either.push_back(starts_with("k.code_key", code, values));
  }
  if (typed.find('@') != std::string::npos) {
    either.push_back(starts_with("k.email", util::ascii_lower(typed), values));
  } else if (model::looks_like_phone(typed)) {
    std::vector<std::string> countries;
    if (!search.country.empty()) {
      countries.push_back(search.country);
    } else {
      countries = member_countries(db, search.office, 50);
      if (countries.empty()) countries.emplace_back();
    }
    std::set<std::string> prefixes;
    for (const auto& country : countries) {
      if (auto prefix = model::phone_search_prefix(typed, country); !prefix.empty()) {
        prefixes.insert(std::move(prefix));
      }
    }
    for (const auto& prefix : prefixes) either.push_back(starts_with("k.phone", prefix, values));
  } else {
    std::vector<std::string> words;
    for (auto& word : util::split(model::fold_query(typed), ' ')) {
      if (!word.empty()) words.push_back(std::move(word));
    }
    if (!words.empty()) {
      std::string all = "(";
      for (std::size_t i = 0; i < words.size(); ++i) {
        all += util::cat(i == 0 ? "" : " AND ", "k.name_key LIKE ? ESCAPE '\\'");
        values.emplace_back(util::cat("%", like_escaped(words[i]), "%"));
      }
      either.push_back(all + ")");
    }
  }
  if (either.empty()) {
    s.add(" AND 1 = 0");
    return;
  }
  std::string any;
  for (const auto& condition : either) any += util::cat(any.empty() ? "" : " OR ", condition);
  s.add(util::cat(" AND (", any, ")"), std::move(values));
}

// The conditions every member listing shares.
void add_member_filters(Statement& s, sql::Connection& db, const MemberSearch& search) {
  s.add(" WHERE k.entity = 'member' AND k.hidden = 0");
  in_office(s, search.office, "k.office");
  if (!search.country.empty()) s.add(" AND k.country = ?", {search.country});
  if (!search.role.empty()) s.add(" AND k.role = ?", {search.role});
  if (!search.event_id.empty()) {
    s.add(
        " AND (k.event_id = ? OR EXISTS (SELECT 1 FROM record_keys a WHERE a.member_id = k.id "
        "AND a.entity = 'attendance' AND a.hidden = 0 AND a.event_id = ?))",
        {search.event_id, search.event_id});
  }
  add_search(s, db, search);
}

}  // namespace

std::int64_t count_members(sql::Connection& db, const std::string& office) {
  return bounded_count(db, "member", office);
}
std::int64_t count_check_ins(sql::Connection& db, const std::string& office) {
  return bounded_count(db, "attendance", office);
}
std::int64_t count_requests(sql::Connection& db, const std::string& office) {
  return bounded_count(db, "request", office);
}

std::vector<Count> registrations_per_day(sql::Connection& db, const std::string& office,
                                         const std::string& since) {
  Statement s("SELECT day, COUNT(*) FROM record_keys WHERE entity = 'member' AND hidden = 0");
  in_office(s, office);
  s.add(" AND day >= ? GROUP BY day ORDER BY day LIMIT 400", {since});
  return counts(s, db);
}

std::vector<Count> registrations_per_event(sql::Connection& db, const std::string& office,
                                           std::size_t limit) {
  Statement s(
      "SELECT event_id, COUNT(*) FROM record_keys WHERE entity = 'member' AND hidden = 0 "
      "AND event_id <> ''");
  in_office(s, office);
  s.add(" GROUP BY event_id ORDER BY COUNT(*) DESC, event_id LIMIT ?",
        {static_cast<std::int64_t>(limit)});
  return counts(s, db);
}

std::vector<EventDayCount> check_ins_per_event_day(sql::Connection& db, const std::string& office,
                                                   std::size_t limit) {
  Statement s(
      "SELECT day, event_id, COUNT(*) FROM record_keys WHERE entity = 'attendance' AND hidden = 0");
  in_office(s, office);
  s.add(" GROUP BY day, event_id ORDER BY day DESC, event_id LIMIT ?",
        {static_cast<std::int64_t>(limit)});
  std::vector<EventDayCount> out;
  auto q = s.query(db);
  while (q.step()) out.push_back({q.text(0), q.text(1), q.int64(2)});
  return out;
}

std::vector<Count> requests_per_status(sql::Connection& db, const std::string& office) {
  Statement s("SELECT status, COUNT(*) FROM record_keys WHERE entity = 'request'");
  in_office(s, office);
  s.add(" GROUP BY status ORDER BY status LIMIT 20");
  return counts(s, db);
}

std::map<std::string, std::string, std::less<>> event_names(sql::Connection& db,
                                                            const std::vector<std::string>& ids) {
  std::map<std::string, std::string, std::less<>> names;
  for (const auto& id : ids) {
    if (names.contains(id)) continue;
    auto q = db.query("SELECT json FROM records WHERE entity = 'event' AND id = ?1");
    q.bind_all(id);
    if (!q.step()) continue;
    if (auto event = decoded<model::TrainingEvent>(protocol::Entity::event, q.text(0))) {
      names.emplace(id, event->name);
    }
  }
  return names;
}

std::vector<model::TrainingEvent> events_of_office(sql::Connection& db, const std::string& office,
                                                   std::size_t limit) {
  // Events are few (a catalogue, not a register): the newest changes are read
  // and those of the office kept.
  std::vector<model::TrainingEvent> out;
  auto q = db.query(
      "SELECT office, json FROM records WHERE entity = 'event' ORDER BY seq DESC LIMIT ?1");
  q.bind_all(static_cast<std::int64_t>(limit) * 10);
  while (q.step() && out.size() < limit) {
    auto event = decoded<model::TrainingEvent>(protocol::Entity::event, q.text(1));
    if (!event || event->voided) continue;
    if (office.empty() || event->office == office || q.text(0) == office) {
      out.push_back(std::move(*event));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.start_date > b.start_date; });
  return out;
}

MemberPage find_members(sql::Connection& db, const MemberSearch& search, std::size_t offset,
                        std::size_t limit) {
  MemberPage page;
  {
    Statement s("SELECT COUNT(*) FROM (SELECT 1 FROM record_keys k");
    add_member_filters(s, db, search);
    s.add(" LIMIT ?) AS counted", {kMaxCounted});
    auto q = s.query(db);
    page.total = q.step() ? q.int64(0) : 0;
  }
  Statement s(
      "SELECT r.office, r.json FROM record_keys k JOIN records r ON r.entity = 'member' AND "
      "r.id = k.id");
  add_member_filters(s, db, search);
  s.add(" ORDER BY k.name_key, k.id LIMIT ? OFFSET ?",
        {static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset)});
  auto q = s.query(db);
  while (q.step()) {
    if (auto m = decoded<model::Member>(protocol::Entity::member, q.text(1))) {
      page.members.push_back({q.text(0), std::move(*m)});
    }
  }
  return page;
}

std::vector<std::string> member_countries(sql::Connection& db, const std::string& office,
                                          std::size_t limit) {
  Statement s(
      "SELECT DISTINCT country FROM record_keys WHERE entity = 'member' AND hidden = 0 "
      "AND country <> ''");
  in_office(s, office);
  s.add(" ORDER BY country LIMIT ?", {static_cast<std::int64_t>(limit)});
  std::vector<std::string> out;
  auto q = s.query(db);
  while (q.step()) out.push_back(q.text(0));
  return out;
}

std::optional<Held<model::Member>> find_member(sql::Connection& db, const std::string& id) {
  auto q = db.query("SELECT office, json FROM records WHERE entity = 'member' AND id = ?1");
  q.bind_all(id);
  if (!q.step()) return std::nullopt;
  auto m = decoded<model::Member>(protocol::Entity::member, q.text(1));
  if (!m) return std::nullopt;
  return Held<model::Member>{q.text(0), std::move(*m)};
}

std::vector<model::Attendance> attendance_of_member(sql::Connection& db, const std::string& id,
                                                    std::size_t limit) {
  return records_of_member<model::Attendance>(db, protocol::Entity::attendance, id, limit);
}

std::vector<model::ResourceRequest> requests_of_member(sql::Connection& db, const std::string& id,
                                                       std::size_t limit) {
  return records_of_member<model::ResourceRequest>(db, protocol::Entity::request, id, limit);
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
