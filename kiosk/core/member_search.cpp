// The desk's member search and how `alliance-kiosk find` prints what it found.
#include "kiosk/core/member_search.hpp"

#include <string>

#include "common/model/codes.hpp"
#include "common/model/text.hpp"

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

// A JSON string whose value is the terminal-safe text the lines show:
// escape_controls leaves no control character, so only quotes and
// backslashes need escaping for JSON.
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : model::escape_controls(text)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

std::vector<store::MemberHit> staff_search(store::Store& store, std::string_view query,
                                           std::string_view event_country) {
  return store.search_members(query, kStaffSearchLimit, event_country);
}

void write_match_lines(const std::vector<store::MemberHit>& hits, std::ostream& out) {
  for (const auto& hit : hits) {
    const model::Member& m = hit.member;
    out << model::escape_controls(m.id) << '\t' << model::escape_controls(m.reference_code) << '\t'
        << model::escape_controls(m.display_name()) << '\t' << model::escape_controls(m.phone)
        << '\t' << model::escape_controls(m.email) << '\n';
  }
}

void write_match_json(const std::vector<store::MemberHit>& hits, std::ostream& out) {
  out << '[';
  bool first = true;
  for (const auto& hit : hits) {
    const model::Member& m = hit.member;
    out << (first ? "\n" : ",\n") << "  {\"id\": " << json_string(m.id)
        << ", \"reference_code\": " << json_string(m.reference_code)
        << ", \"kind\": " << json_string(model::to_string(m.kind))
        << ", \"given_name\": " << json_string(m.given_name)
        << ", \"family_name\": " << json_string(m.family_name)
        << ", \"organisation\": " << json_string(m.organisation)
        << ", \"contact_person\": " << json_string(m.contact_person)
        << ", \"phone\": " << json_string(m.phone) << ", \"email\": " << json_string(m.email)
        << ", \"matched_by\": " << json_string(match_name(hit.matched_by)) << "}";
    first = false;
  }
  out << (first ? "]\n" : "\n]\n");
}

}  // namespace alliance::kiosk
