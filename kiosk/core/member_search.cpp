// The desk's member search and how `alliance-kiosk find` prints what it found.
#include "kiosk/core/member_search.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "common/model/codes.hpp"
#include "common/model/phone.hpp"
#include "common/model/text.hpp"
#include "common/util/reference_code.hpp"
#include "common/util/strings.hpp"

namespace alliance::kiosk {
namespace {

std::string_view match_name(store::MatchKind kind) {
  switch (kind) {
    case store::MatchKind::reference_code:
      return "reference_code";
    case store::MatchKind::phone:
      return "phone";
    case store::MatchKind::email:
      return "email";
    case store::MatchKind::name:
      break;
  }
  return "name";
}

// A JSON string with the exact value; the whole document then goes through
// escape_for_terminal, whose \uXXXX escapes keep it valid JSON.
std::string json_string(std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

// The words of a name's search key, sorted, so word order does not matter.
std::vector<std::string> name_words(std::string_view folded) {
  std::vector<std::string> words = util::split(folded, ' ');
  std::erase(words, std::string());
  std::sort(words.begin(), words.end());
  return words;
}

std::optional<int> whole_year(std::string_view typed) {
  const std::string trimmed = model::collapse_whitespace(typed);
  int year = 0;
  const auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), year);
  if (trimmed.empty() || ec != std::errc{} || end != trimmed.data() + trimmed.size()) {
    return std::nullopt;
  }
  return year;
}

bool looks_like_phone(std::string_view typed) {
  return std::none_of(typed.begin(), typed.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '@' ||
           static_cast<unsigned char>(c) >= 0x80;
  });
}

PublicSearchResult one_of(std::vector<model::Member> members) {
  if (members.empty()) return {.outcome = PublicSearchOutcome::not_found};
  if (members.size() > 1) return {.outcome = PublicSearchOutcome::several};
  return {.outcome = PublicSearchOutcome::found, .member = std::move(members.front())};
}

}  // namespace

std::string one_line_for_terminal(std::string_view value) {
  std::string out;
  for (const char c : model::escape_for_terminal(value)) {
    if (c == '\t') {
      out += "\\u0009";
    } else if (c == '\n') {
      out += "\\u000A";
    } else if (c == '\r') {
      out += "\\u000D";
    } else {
      out += c;
    }
  }
  return out;
}

PublicMatch public_view(const model::Member& m) {
  const std::string& code = m.reference_code;
  return {
      .member_id = m.id,
      .name = m.kind == model::MemberKind::organisation ? m.organisation
              : !m.given_name.empty()                   ? m.given_name
                                                        : m.family_name,
      .code_end = code.size() > kPublicCodeEnd ? code.substr(code.size() - kPublicCodeEnd) : code};
}

PublicSearchResult public_search(store::Store& store, std::string_view query,
                                 std::string_view birth_year, std::string_view event_country) {
  const std::string typed = model::collapse_whitespace(query);
  if (typed.empty()) return {};
  // Enough hits to tell one match from several among exact matches.
  constexpr std::size_t kEnough = 5;
  std::vector<model::Member> exact;

  if (util::normalize_reference_code(typed)) {
    if (auto m = store.find_member_by_reference(typed); m && !m->voided) exact.push_back(*m);
    return one_of(std::move(exact));
  }
  if (typed.find('@') != std::string::npos) {
    const std::string email = util::ascii_lower(typed);
    for (auto& hit : store.search_members(email, kEnough, event_country)) {
      if (hit.member.email == email) exact.push_back(std::move(hit.member));
    }
    return one_of(std::move(exact));
  }
  if (looks_like_phone(typed)) {
    const auto phone = model::normalize_phone(typed, event_country);
    if (!phone) return {.outcome = PublicSearchOutcome::not_found};
    for (auto& hit : store.search_members(*phone, kEnough, event_country)) {
      if (hit.member.phone == *phone) exact.push_back(std::move(hit.member));
    }
    return one_of(std::move(exact));
  }
  // A name: only with the year of birth, and only the whole name.
  const auto year = whole_year(birth_year);
  if (!year) return {.outcome = PublicSearchOutcome::needs_birth_year};
  const auto wanted = name_words(model::fold_query(typed));
  if (wanted.empty()) return {.outcome = PublicSearchOutcome::not_found};
  constexpr std::size_t kNamesRead = 50;  // people sharing a name, before the year narrows them
  for (auto& hit : store.search_members(typed, kNamesRead, event_country)) {
    const model::Member& m = hit.member;
    if (m.kind == model::MemberKind::individual && m.birth_year == *year &&
        name_words(model::fold_query(m.display_name())) == wanted) {
      exact.push_back(std::move(hit.member));
    }
  }
  return one_of(std::move(exact));
}

std::vector<store::MemberHit> staff_search(store::Store& store, std::string_view query,
                                           std::string_view event_country) {
  return store.search_members(query, kStaffSearchLimit, event_country);
}

void write_match_lines(const std::vector<store::MemberHit>& hits, std::ostream& out) {
  for (const auto& hit : hits) {
    const model::Member& m = hit.member;
    out << one_line_for_terminal(m.id) << '\t' << one_line_for_terminal(m.reference_code) << '\t'
        << one_line_for_terminal(m.display_name()) << '\t' << one_line_for_terminal(m.phone) << '\t'
        << one_line_for_terminal(m.email) << '\n';
  }
}

void write_match_json(const std::vector<store::MemberHit>& hits, std::ostream& out) {
  std::string json = "[";
  for (const auto& hit : hits) {
    const model::Member& m = hit.member;
    json += &hit == &hits.front() ? "\n" : ",\n";
    json += util::cat("  {\"id\": ", json_string(m.id),
                      ", \"reference_code\": ", json_string(m.reference_code),
                      ", \"kind\": ", json_string(model::to_string(m.kind)),
                      ", \"given_name\": ", json_string(m.given_name),
                      ", \"family_name\": ", json_string(m.family_name),
                      ", \"organisation\": ", json_string(m.organisation),
                      ", \"contact_person\": ", json_string(m.contact_person),
                      ", \"phone\": ", json_string(m.phone), ", \"email\": ", json_string(m.email),
                      ", \"matched_by\": ", json_string(match_name(hit.matched_by)), "}");
  }
  json += hits.empty() ? "]\n" : "\n]\n";
  out << model::escape_for_terminal(json);
}

}  // namespace alliance::kiosk
