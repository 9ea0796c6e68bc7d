// Store: members — registration, edits, voids and search.
#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>

#include "common/model/codes.hpp"
#include "common/model/duplicates.hpp"
#include "common/model/phone.hpp"
#include "common/model/search.hpp"
#include "common/model/text.hpp"
#include "common/store/store.hpp"
#include "common/util/reference_code.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"
#include "common/util/uuid.hpp"

namespace alliance::store {
namespace {

constexpr std::string_view kMemberColumns =
    "id, kind, reference_code, given_name, family_name, gender, birth_year, contact_person, "
    "phone, email, country, region, organisation, organisation_type, role, years_experience, "
    "qualification, interest_groups, e_updates, preferred_language, consent_given, "
    "consent_version, consent_at, event_id, created_at, updated_at, hlc, voided, void_reason, "
    "merged_into";

// Reads kMemberColumns starting at column `first`.
model::Member read_member(const Query& q, int first = 0) {
  model::Member m;
  int c = first;
  m.id = q.text(c++);
  m.kind = model::member_kind_from(q.text(c++)).value_or(model::MemberKind::individual);
  m.reference_code = q.text(c++);
  m.given_name = q.text(c++);
  m.family_name = q.text(c++);
  m.gender = q.text(c++);
  m.birth_year = q.optional_int(c++);
  m.contact_person = q.text(c++);
  m.phone = q.text(c++);
  m.email = q.text(c++);
  m.country = q.text(c++);
  m.region = q.text(c++);
  m.organisation = q.text(c++);
  m.organisation_type = q.text(c++);
  m.role = q.text(c++);
  m.years_experience = q.optional_int(c++);
  m.qualification = q.text(c++);
  m.interest_groups = util::split(q.text(c++), ',');
  m.e_updates = q.integer(c++) != 0;
  m.preferred_language = q.text(c++);
  m.consent.given = q.integer(c++) != 0;
  m.consent.text_version = q.text(c++);
  m.consent.given_at = q.text(c++);
  m.event_id = q.text(c++);
  m.created_at = q.text(c++);
  m.updated_at = q.text(c++);
  m.hlc = q.text(c++);
  m.voided = q.integer(c++) != 0;
  m.void_reason = q.text(c++);
  m.merged_into = q.text(c++);
  return m;
}

constexpr std::string_view kMetaSearchKeys = "search_keys";

// How well a name matches a query, both as keys: 3 the same name (words in
// any order), 2 every query word is one of the name's words, 1 every query
// word starts one of them, 0 a looser match (inside a word).
int name_rank(std::string_view name, const std::vector<std::string>& query_words) {
  std::vector<std::string> name_words = util::split(name, ' ');
  auto every = [&](auto&& matches) {
    return std::all_of(query_words.begin(), query_words.end(), [&](std::string_view q) {
      return std::any_of(name_words.begin(), name_words.end(),
                         [&](std::string_view w) { return matches(w, q); });
    });
  };
  if (every([](std::string_view w, std::string_view q) { return w == q; })) {
    auto sorted_query = query_words;
    std::sort(name_words.begin(), name_words.end());
    std::sort(sorted_query.begin(), sorted_query.end());
    return name_words == sorted_query ? 3 : 2;
  }
  return every([](std::string_view w, std::string_view q) { return w.starts_with(q); }) ? 1 : 0;
}

// The fields staff may edit, with how to compare them; the names are the
// wire names, so the server can merge field by field.
using FieldComparer = std::function<bool(const model::Member&, const model::Member&)>;
const std::vector<std::pair<std::string, FieldComparer>>& editable_member_fields() {
  static const std::vector<std::pair<std::string, FieldComparer>> fields = [] {
    std::vector<std::pair<std::string, FieldComparer>> f;
    f.reserve(18);  // also spares g++ 12 a false -Wnull-dereference in the regrowth
#define ALLIANCE_MEMBER_FIELD(name) \
  f.emplace_back(#name,             \
                 [](const model::Member& a, const model::Member& b) { return a.name == b.name; })
    ALLIANCE_MEMBER_FIELD(given_name);
    ALLIANCE_MEMBER_FIELD(family_name);
    ALLIANCE_MEMBER_FIELD(gender);
    ALLIANCE_MEMBER_FIELD(birth_year);
    ALLIANCE_MEMBER_FIELD(contact_person);
    ALLIANCE_MEMBER_FIELD(phone);
    ALLIANCE_MEMBER_FIELD(email);
    ALLIANCE_MEMBER_FIELD(country);
    ALLIANCE_MEMBER_FIELD(region);
    ALLIANCE_MEMBER_FIELD(organisation);
    ALLIANCE_MEMBER_FIELD(organisation_type);
    ALLIANCE_MEMBER_FIELD(role);
    ALLIANCE_MEMBER_FIELD(years_experience);
    ALLIANCE_MEMBER_FIELD(qualification);
    ALLIANCE_MEMBER_FIELD(interest_groups);
    ALLIANCE_MEMBER_FIELD(e_updates);
    ALLIANCE_MEMBER_FIELD(preferred_language);
#undef ALLIANCE_MEMBER_FIELD
    f.emplace_back("consent", [](const model::Member& a, const model::Member& b) {
      return a.consent.given == b.consent.given && a.consent.text_version == b.consent.text_version;
    });
    return f;
  }();
  return fields;
}

std::string now_iso() {
  return util::iso8601_utc(std::chrono::system_clock::now());
}

// The smallest string greater than every string starting with prefix.
std::string prefix_end(std::string prefix) {
  prefix.push_back('\xff');
  return prefix;
}

// An FTS5 query that matches every word of at least three characters as a
// substring; shorter words are left to the prefix search.
std::string fts_query(std::string_view folded) {
  std::string out;
  std::size_t start = 0;
  while (start < folded.size()) {
    auto end = folded.find(' ', start);
    if (end == std::string_view::npos) end = folded.size();
    const auto word = folded.substr(start, end - start);
    if (model::utf8_length(word) >= 3) {
      if (!out.empty()) out += " AND ";
      out += '"';
      for (char c : word) {
        if (c == '"') out += '"';  // FTS5 escapes a quote by doubling it
        out += c;
      }
      out += '"';
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

void Store::write_member(const model::Member& m, bool insert, std::string_view origin) {
  const std::string sql =
      insert ? util::format("INSERT INTO members ({}, origin, name_key) VALUES ({}?, ?)",
                            kMemberColumns,
                            [] {
                              std::string marks;
                              for (int i = 0; i < 30; ++i) marks += "?, ";
                              return marks;
                            }())
             : std::string(
                   "UPDATE members SET kind = ?2, reference_code = ?3, given_name = ?4, "
                   "family_name = ?5, gender = ?6, birth_year = ?7, contact_person = ?8, "
                   "phone = ?9, email = ?10, country = ?11, region = ?12, organisation = ?13, "
                   "organisation_type = ?14, role = ?15, years_experience = ?16, "
                   "qualification = ?17, interest_groups = ?18, e_updates = ?19, "
                   "preferred_language = ?20, consent_given = ?21, consent_version = ?22, "
                   "consent_at = ?23, event_id = ?24, created_at = ?25, updated_at = ?26, "
                   "hlc = ?27, voided = ?28, void_reason = ?29, merged_into = ?30, origin = ?31, "
                   "name_key = ?32 "
                   "WHERE id = ?1");
  const std::string key = model::member_name_key(m);
  db_.query(sql)
      .bind_all(m.id, model::to_string(m.kind), m.reference_code, m.given_name, m.family_name,
                m.gender, m.birth_year, m.contact_person, m.phone, m.email, m.country, m.region,
                m.organisation, m.organisation_type, m.role, m.years_experience, m.qualification,
                util::join(m.interest_groups, ','), m.e_updates, m.preferred_language,
                m.consent.given, m.consent.text_version, m.consent.given_at, m.event_id,
                m.created_at, m.updated_at, m.hlc, m.voided, m.void_reason, m.merged_into, origin,
                key)
      .run();

  std::int64_t rowid = 0;
  {
    auto q = db_.query("SELECT rowid FROM members WHERE id = ?");
    q.bind_all(m.id);
    q.step();
    rowid = q.int64(0);
  }
  db_.query("DELETE FROM member_search WHERE rowid = ?").bind_all(rowid).run();
  db_.query("INSERT INTO member_search (rowid, names) VALUES (?, ?)").bind_all(rowid, key).run();
}

std::string Store::unused_reference_code(std::string_view table) {
  const std::string sql = util::format("SELECT 1 FROM {} WHERE reference_code = ?", table);
  const std::string prefix = reference_code_prefix();
  for (;;) {
    std::string code = util::new_reference_code(prefix);
    auto q = db_.query(sql);
    q.bind_all(code);
    if (!q.step()) return code;
  }
}

model::Member Store::insert_new_member(model::Member m, const std::string& event_id,
                                       const std::string& now) {
  m.id = util::new_uuid_v7();
  m.reference_code = unused_reference_code("members");
  m.created_at = now;
  m.updated_at = now;
  m.hlc = next_hlc().to_string();
  m.event_id = event_id;
  m.voided = false;
  m.void_reason.clear();
  if (m.consent.given && m.consent.given_at.empty()) m.consent.given_at = now;
  write_member(m, /*insert=*/true, "local");
  enqueue({.entity = protocol::Entity::member,
           .entity_id = m.id,
           .op = protocol::Operation::create,
           .hlc = m.hlc,
           .record = m});
  return m;
}

Saved<Registration> Store::register_member(model::Member draft,
                                           const model::ValidationContext& context,
                                           const std::string& event_id, const std::string& day,
                                           std::string_view draft_form) {
  auto errors = model::normalize_and_validate(draft, context);
  if (!errors.empty()) return std::unexpected(std::move(errors));

  Transaction tx(db_);
  const std::string now = now_iso();
  Registration result;
  result.member = insert_new_member(std::move(draft), event_id, now);
  const model::Member& m = result.member;

  if (!event_id.empty() && !day.empty()) {
    model::Attendance a{.id = util::new_uuid_v7(),
                        .member_id = m.id,
                        .event_id = event_id,
                        .day = day,
                        .checked_in_at = now,
                        .hlc = next_hlc().to_string()};
    write_attendance(a, "local");
    enqueue({.entity = protocol::Entity::attendance,
             .entity_id = a.id,
             .op = protocol::Operation::create,
             .hlc = a.hlc,
             .record = a});
    result.attendance = std::move(a);
  }
  if (!draft_form.empty()) clear_draft(draft_form);
  tx.commit();
  return result;
}

namespace {
constexpr std::string_view kReviewPrefix = "review.member.";
}  // namespace

Saved<model::Member> Store::update_member(const model::Member& edited,
                                          const model::ValidationContext& context,
                                          bool for_review) {
  Transaction tx(db_);
  auto current = find_member(edited.id);
  if (!current) {
    return std::unexpected(model::FieldErrors{{"id", "member.id.not_found"}});
  }
  model::Member next = edited;
  auto errors = model::normalize_and_validate(next, context);
  if (!errors.empty()) return std::unexpected(std::move(errors));

  std::vector<std::string> changed;
  for (const auto& [name, same] : editable_member_fields()) {
    if (!same(*current, next)) changed.push_back(name);
  }
  if (changed.empty()) return *current;

  // Identity and history are not editable.
  next.kind = current->kind;
  next.reference_code = current->reference_code;
  next.created_at = current->created_at;
  next.event_id = current->event_id;
  next.voided = current->voided;
  next.void_reason = current->void_reason;
  next.merged_into = current->merged_into;
  if (next.consent.given && next.consent.given_at.empty()) next.consent.given_at = now_iso();
  next.updated_at = now_iso();
  next.hlc = next_hlc().to_string();
  write_member(next, /*insert=*/false, "local");
  enqueue({.entity = protocol::Entity::member,
           .entity_id = next.id,
           .op = protocol::Operation::update,
           .hlc = next.hlc,
           .changed_fields = changed,
           .record = next});
  if (for_review) {
    set_meta(util::cat(kReviewPrefix, next.id),
             util::cat(next.updated_at, '\t', util::join(changed, ',')));
  }
  tx.commit();
  return next;
}

std::vector<MemberReview> Store::member_reviews() {
  auto q = db_.query("SELECT key, value FROM meta WHERE key >= ? AND key < ? ORDER BY value");
  q.bind_all(kReviewPrefix, util::cat(kReviewPrefix.substr(0, kReviewPrefix.size() - 1), '/'));
  std::vector<MemberReview> reviews;
  while (q.step()) {
    const std::string value = q.text(1);
    const auto tab = value.find('\t');
    reviews.push_back({.member_id = q.text(0).substr(kReviewPrefix.size()),
                       .fields = tab == std::string::npos
                                     ? std::vector<std::string>{}
                                     : util::split(std::string_view(value).substr(tab + 1), ','),
                       .at = value.substr(0, tab)});
  }
  return reviews;
}

void Store::clear_member_review(const std::string& member_id) {
  db_.query("DELETE FROM meta WHERE key = ?").bind_all(util::cat(kReviewPrefix, member_id)).run();
}

std::optional<bool> Store::set_member_voided(const std::string& id, bool voided,
                                             const std::string& reason) {
  Transaction tx(db_);
  auto m = find_member(id);
  if (!m) return std::nullopt;
  // A member merged at central stays a tombstone: neither voided again nor restored.
  if (m->voided == voided || !m->merged_into.empty()) return false;
  m->voided = voided;
  m->void_reason = voided ? reason : "";
  m->updated_at = now_iso();
  m->hlc = next_hlc().to_string();
  write_member(*m, /*insert=*/false, "local");
  enqueue({.entity = protocol::Entity::member,
           .entity_id = m->id,
           .op = voided ? protocol::Operation::void_record : protocol::Operation::update,
           .hlc = m->hlc,
           .changed_fields = {"voided", "void_reason"},
           .record = *m});
  tx.commit();
  return true;
}

bool Store::void_member(const std::string& id, const std::string& reason) {
  return set_member_voided(id, true, reason).has_value();
}

bool Store::restore_member(const std::string& id) {
  return set_member_voided(id, false, {}).value_or(false);
}

std::optional<model::Member> Store::find_member(const std::string& id) {
  auto q = db_.query(util::format("SELECT {} FROM members WHERE id = ?", kMemberColumns));
  q.bind_all(id);
  if (!q.step()) return std::nullopt;
  return read_member(q);
}

std::optional<model::Member> Store::find_member_by_reference(std::string_view code) {
  const auto canonical = util::normalize_reference_code(code);
  if (!canonical) return std::nullopt;
  auto q = db_.query(util::format(
      "SELECT {} FROM members WHERE reference_code = ? ORDER BY voided, created_at LIMIT 1",
      kMemberColumns));
  q.bind_all(*canonical);
  if (!q.step()) return std::nullopt;
  auto found = read_member(q);
  // An old card of a member merged at central finds the member kept.
  if (!found.merged_into.empty()) {
    if (auto kept = find_member(kept_member_id(found.id))) return kept;
  }
  return found;
}

std::string Store::kept_member_id(const std::string& id) {
  std::string current = id;
  // Central points every tombstone at a member that is not merged, so one
  // step is the rule; the bound keeps a chain pulled half-way from looping.
  for (int step = 0; step < 8; ++step) {
    auto q = db_.query("SELECT merged_into FROM members WHERE id = ?");
    q.bind_all(current);
    if (!q.step() || q.text(0).empty()) return current;
    current = q.text(0);
  }
  return current;
}

std::vector<MemberHit> Store::search_members(std::string_view query, std::size_t limit,
                                             std::string_view default_country) {
  std::vector<MemberHit> hits;
  const std::string trimmed = model::collapse_whitespace(query);
  if (trimmed.empty() || limit == 0) return hits;
  const auto lim = static_cast<std::int64_t>(limit);

  auto collect = [&](Query& q, MatchKind kind) {
    while (hits.size() < limit && q.step()) {
      auto m = read_member(q);
      const bool seen = std::any_of(hits.begin(), hits.end(),
                                    [&](const MemberHit& h) { return h.member.id == m.id; });
      if (!seen) hits.push_back({std::move(m), kind});
    }
  };

  // Reference codes: a full code is an exact hit; a partial one, a prefix.
  {
    const std::string code = model::reference_code_symbols(trimmed);
    const bool code_like = model::could_be_reference_code(code);
    // Stored codes carry a dash after the first half: after 5 symbols in
    // current codes, after 4 in legacy ones; typed symbols may begin either.
    for (const std::size_t length : {util::kReferenceLength, util::kLegacyReferenceLength}) {
      if (!code_like || code.size() > length) continue;
      const std::size_t head = length / 2;
      const std::string prefix =
          code.size() > head ? code.substr(0, head) + "-" + code.substr(head) : code;
      auto q = db_.query(util::format(
          "SELECT {} FROM members WHERE reference_code >= ? AND reference_code < ? AND voided = 0 "
          "ORDER BY reference_code LIMIT ?",
          kMemberColumns));
      q.bind_all(prefix, prefix_end(prefix), lim);
      collect(q, MatchKind::reference_code);
      if (code.size() == length && hits.size() < limit) {
        // The whole code of a member merged at central: the member kept.
        if (auto kept = find_member_by_reference(prefix);
            kept && !kept->voided &&
            std::none_of(hits.begin(), hits.end(),
                         [&](const MemberHit& h) { return h.member.id == kept->id; })) {
          hits.push_back({std::move(*kept), MatchKind::reference_code});
        }
      }
    }
  }

  if (trimmed.find('@') != std::string::npos) {
    std::string email = trimmed;
    for (auto& c : email) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    auto q = db_.query(util::format(
        "SELECT {} FROM members WHERE email >= ? AND email < ? AND email <> '' AND voided = 0 "
        "ORDER BY email LIMIT ?",
        kMemberColumns));
    q.bind_all(email, prefix_end(email), lim);
    collect(q, MatchKind::email);
    return hits;
  }

  if (model::looks_like_phone(trimmed)) {
    const std::string prefix = model::phone_search_prefix(trimmed, default_country);
    auto q = db_.query(util::format(
        "SELECT {} FROM members WHERE phone >= ? AND phone < ? AND phone <> '' AND voided = 0 "
        "ORDER BY phone LIMIT ?",
        kMemberColumns));
    q.bind_all(prefix, prefix_end(prefix), lim);
    collect(q, MatchKind::phone);
    return hits;
  }

  const std::string key = model::fold_query(trimmed);
  if (key.empty()) return hits;
  // Name candidates: a prefix of the full name catches short input ("jo");
  // the trigram index finds each word inside names. The closest names go
  // first, so the person whose name was typed in full is never below someone
  // whose name merely contains it. Prefix hits (at most the limit, usually
  // all shown) are read whole at once; the wider trigram set by key only,
  // and only those shown are read whole afterwards.
  struct Candidate {
    std::int64_t rowid = 0;
    std::string id;
    std::string key;
    int rank = 0;
    std::optional<std::size_t> read;  // index in `read_whole`, if read already
  };
  std::vector<Candidate> candidates;
  std::vector<model::Member> read_whole;  // apart, so ranking moves small structs only
  read_whole.reserve(limit);
  const auto query_words = util::split(key, ' ');
  // The trigram index skips words under three letters; a name must still
  // contain every word typed ("nguyen thi ha" is not Nguyễn Thị Hoa).
  auto contains_every_word = [&](std::string_view name) {
    return std::all_of(query_words.begin(), query_words.end(),
                       [&](std::string_view w) { return name.find(w) != std::string_view::npos; });
  };
  // Rows start with rowid, id, name_key; with_member: then kMemberColumns.
  auto gather = [&](Query& q, bool with_member) {
    while (q.step()) {
      Candidate c{.rowid = q.int64(0), .id = q.text(1), .key = q.text(2)};
      if (!contains_every_word(c.key)) continue;
      const bool seen = std::any_of(hits.begin(), hits.end(),
                                    [&](const MemberHit& h) { return h.member.id == c.id; }) ||
                        std::any_of(candidates.begin(), candidates.end(),
                                    [&](const Candidate& o) { return o.rowid == c.rowid; });
      if (seen) continue;
      if (with_member) {
        c.read = read_whole.size();
        read_whole.push_back(read_member(q, 3));
      }
      candidates.push_back(std::move(c));
    }
  };
  const std::size_t room = limit - hits.size();
  {
    auto q = db_.query(util::format(
        "SELECT rowid, id, name_key, {} FROM members WHERE name_key >= ? AND name_key < ? AND "
        "voided = 0 ORDER BY name_key LIMIT ?",
        kMemberColumns));
    q.bind_all(key, prefix_end(key), lim);
    gather(q, /*with_member=*/true);
  }
  const std::string match = fts_query(key);
  if (!match.empty() && candidates.size() < room) {
    auto q = db_.query(
        "SELECT rowid, id, name_key FROM members WHERE rowid IN (SELECT rowid FROM member_search "
        "WHERE member_search MATCH ? LIMIT ?) AND voided = 0 ORDER BY name_key");
    q.bind_all(match, lim * 4);
    gather(q, /*with_member=*/false);
  }
  for (auto& c : candidates) c.rank = name_rank(c.key, query_words);
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.rank > b.rank; });
  const std::string by_rowid =
      util::format("SELECT {} FROM members WHERE rowid = ?", kMemberColumns);
  hits.reserve(limit);
  for (const auto& c : candidates) {
    if (hits.size() >= limit) break;
    if (c.read) {
      hits.push_back({std::move(read_whole[*c.read]), MatchKind::name});
      continue;
    }
    auto q = db_.query(by_rowid);
    q.bind_all(c.rowid);
    if (q.step()) hits.push_back({read_member(q), MatchKind::name});
  }
  return hits;
}

std::vector<model::Member> Store::possible_duplicates(const model::Member& typed,
                                                      std::string_view default_country,
                                                      std::size_t limit) {
  std::vector<model::Member> matches;
  auto consider = [&](std::vector<MemberHit> hits) {
    for (auto& hit : hits) {
      if (matches.size() >= limit) return;
      if (!model::duplicate_reason(typed, hit.member)) continue;
      if (std::none_of(matches.begin(), matches.end(),
                       [&](const model::Member& m) { return m.id == hit.member.id; })) {
        matches.push_back(std::move(hit.member));
      }
    }
  };
  // Exact phone and e-mail matches come through their indexes; a name may
  // be shared, so more hits are read to find the one in the same organisation.
  if (!typed.phone.empty()) consider(search_members(typed.phone, limit, default_country));
  if (!typed.email.empty()) consider(search_members(typed.email, limit, default_country));
  if (const std::string name = typed.display_name(); !name.empty()) {
    consider(search_members(name, 2 * limit, default_country));
  }
  return matches;
}

bool Store::refresh_search_keys() {
  const std::string version = model::search_key_version();
  if (meta(kMetaSearchKeys) == version) return false;
  Transaction tx(db_);
  if (meta(kMetaSearchKeys) == version) return false;  // another process rebuilt them
  // Read first, then write: updating rows under an open scan of the same
  // table is not something to rely on.
  std::vector<std::pair<std::int64_t, std::string>> changed;
  {
    auto q = db_.query(
        "SELECT rowid, kind, given_name, family_name, organisation, contact_person, name_key "
        "FROM members");
    while (q.step()) {
      const auto kind = model::member_kind_from(q.text(1)).value_or(model::MemberKind::individual);
      std::string key = model::member_name_key(kind, q.text(2), q.text(3), q.text(4), q.text(5));
      if (key != q.text(6)) changed.emplace_back(q.int64(0), std::move(key));
    }
  }
  auto count = [&](const char* sql) {
    auto q = db_.query(sql);
    q.step();
    return q.int64(0);
  };
  const auto members = count("SELECT count(*) FROM members");
  // The index holds each member's old key, so only changed keys need new
  // rows, unless most changed (an upgrade) or the index lost rows: then
  // refilling it whole is quicker.
  const bool refill = static_cast<std::int64_t>(changed.size()) * 2 > members ||
                      count("SELECT count(*) FROM member_search") != members;
  for (const auto& [rowid, key] : changed) {
    db_.query("UPDATE members SET name_key = ? WHERE rowid = ?").bind_all(key, rowid).run();
    if (refill) continue;
    db_.query("DELETE FROM member_search WHERE rowid = ?").bind_all(rowid).run();
    db_.query("INSERT INTO member_search (rowid, names) VALUES (?, ?)").bind_all(rowid, key).run();
  }
  if (refill) {
    db_.exec(
        "DELETE FROM member_search; "
        "INSERT INTO member_search (rowid, names) SELECT rowid, name_key FROM members;");
  }
  set_meta(kMetaSearchKeys, version);
  tx.commit();
  return true;
}

std::vector<model::Member> Store::members_registered(const std::string& event_id,
                                                     const std::string& day) {
  std::vector<model::Member> out;
  // created_at is UTC; the desk's day is a local date.
  auto q = db_.query(util::format(
      "SELECT {} FROM members WHERE event_id = ? AND date(created_at, 'localtime') = ? "
      "AND merged_into = '' ORDER BY created_at DESC",
      kMemberColumns));
  q.bind_all(event_id, day);
  while (q.step()) out.push_back(read_member(q));
  return out;
}

std::int64_t Store::member_count() {
  auto q = db_.query("SELECT count(*) FROM members WHERE voided = 0");
  q.step();
  return q.int64(0);
}

}  // namespace alliance::store
