// The desk's member search and how `alliance-kiosk find` prints what it found.
#include "kiosk/core/member_search.hpp"

#include <string>

#include "common/model/codes.hpp"
#include "common/model/text.hpp"
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

// A value on one line of tab-separated output: escape_for_terminal keeps tab
// and line ends, which would split the value here, so they are escaped too.
std::string cell(std::string_view value) {
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

}  // namespace

std::vector<store::MemberHit> staff_search(store::Store& store, std::string_view query,
                                           std::string_view event_country) {
  return store.search_members(query, kStaffSearchLimit, event_country);
}

void write_match_lines(const std::vector<store::MemberHit>& hits, std::ostream& out) {
  for (const auto& hit : hits) {
    const model::Member& m = hit.member;
    out << cell(m.id) << '\t' << cell(m.reference_code) << '\t' << cell(m.display_name()) << '\t'
        << cell(m.phone) << '\t' << cell(m.email) << '\n';
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
