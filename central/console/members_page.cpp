// The members list (search and filters, 50 a page) and one member's page
// (person fields, attendance, requests, history of edits), for the account's
// offices only. Search uses the kiosk's keys: reference codes without their
// dash, e-mail prefixes, E.164 phone prefixes (model::phone_search_prefix)
// and folded names (model::fold_for_search / fold_query). Codes (role,
// organisation type, ...) are shown by the kiosk's labels (code_label).
#include <algorithm>
#include <map>

#include "central/console/pages.hpp"
#include "central/console/records_query.hpp"
#include "common/model/codes.hpp"
#include "common/model/country_names.hpp"
#include "common/model/text.hpp"
#include "common/util/strings.hpp"

namespace alliance::central::console {
namespace {

constexpr std::size_t kPageSize = 50;
constexpr std::size_t kMaxQueryLength = 100;   // bytes of a search
constexpr std::size_t kMaxEventOptions = 200;  // events offered in the filter
constexpr std::size_t kMaxHistory = 50;        // lines of a member's history
constexpr std::size_t kMaxAttendance = 500;    // check-ins on a member's page
constexpr std::size_t kMaxRequests = 200;      // requests on a member's page
constexpr std::size_t kMaxCountryOptions = 250;

// A query-string component: unreserved bytes as they are, the rest %XX.
std::string url_encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

// What was asked: the search and the filters (each bounded and checked).
struct Search {
  std::string query;
  std::string country;  // ISO alpha-2, upper case
  std::string event_id;
  std::string role;
};

Search search_of(const ApiRequest& request) {
  const auto param = [&](std::string_view name) {
    std::string value(request.param(name).value_or(""));
    value = model::collapse_whitespace(value);
    if (value.size() > kMaxQueryLength || !model::is_valid_utf8(value) ||
        model::has_control_characters(value)) {
      return std::string();
    }
    return value;
  };
  Search search{.query = param("q"),
                .country = util::ascii_lower(param("country")),
                .event_id = param("event"),
                .role = param("role")};
  for (auto& c : search.country) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return search;
}

std::string option(std::string_view value, std::string_view label, std::string_view chosen) {
  return util::cat("<option value=\"", html_escape(value), "\"", value == chosen ? " selected" : "",
                   ">", html_escape(label), "</option>");
}

std::string event_name(const std::map<std::string, std::string, std::less<>>& names,
                       const std::string& id) {
  const auto it = names.find(id);
  return it == names.end() || it->second.empty() ? id : it->second;
}

ApiResponse member_not_found(const Context& context) {
  return page(
      404, context, tr(context.lang, "member.title"), "/console/members",
      util::cat("<p class=\"err\">", context.t("member.not_found"),
                "</p><p><a href=\"/console/members\">", context.t("members.back"), "</a></p>"));
}

}  // namespace

ApiResponse members_get(Env& env, const ApiRequest& request, Context& context) {
  const std::string office = context.visible_office();
  const Search search = search_of(request);
  // Bounded, so that the offset stays a sane number.
  const std::size_t index =
      std::min(page_index(request), static_cast<std::size_t>(kMaxCounted) / kPageSize);
  struct Data {
    MemberPage found;
    std::vector<std::string> countries;
    std::vector<model::TrainingEvent> events;
  };
  const MemberSearch asked{.office = office,
                           .query = search.query,
                           .country = search.country,
                           .event_id = search.event_id,
                           .role = search.role};
  const Data data = env.accounts.read([&](sql::Connection& db) {
    Data d{.found = find_members(db, asked, index * kPageSize, kPageSize),
           .countries = member_countries(db, office, kMaxCountryOptions),
           .events = events_of_office(db, office, kMaxEventOptions)};
    // Past the last page: the last page.
    if (d.found.members.empty() && d.found.total > 0) {
      const auto last = static_cast<std::size_t>(d.found.total - 1) / kPageSize;
      d.found = find_members(db, asked, last * kPageSize, kPageSize);
    }
    return d;
  });
  const auto& found = data.found;

  const std::string lang(code_of(context.lang));
  std::string main = util::cat(
      "<form method=\"get\" action=\"/console/members\" class=\"search\"><label>",
      context.t("members.search"),
      "<br><input type=\"search\" name=\"q\" maxlength=\"100\" value=\"", html_escape(search.query),
      "\"></label><label>", context.t("members.country"), "<br><select name=\"country\">",
      option("", tr(context.lang, "members.any"), search.country));
  for (const auto& code : data.countries) {
    const std::string_view name = model::country_name(code, lang);
    main += option(code, name.empty() ? std::string_view(code) : name, search.country);
  }
  main += util::cat("</select></label><label>", context.t("members.event"),
                    "<br><select name=\"event\">",
                    option("", tr(context.lang, "members.any"), search.event_id));
  for (const auto& e : data.events) {
    main += option(e.id, util::cat(e.start_date, " ", e.name), search.event_id);
  }
  main +=
      util::cat("</select></label><label>", context.t("members.role"), "<br><select name=\"role\">",
                option("", tr(context.lang, "members.any"), search.role));
  for (const auto role : model::role_codes()) {
    main += option(role, code_label(context.lang, "role", role), search.role);
  }
  main += util::cat("</select></label><button type=\"submit\">", context.t("members.submit"),
                    "</button></form>");

  if (found.members.empty()) {
    main += util::cat("<p>", context.t("members.none"), "</p>");
    return page(200, context, tr(context.lang, "members.title"), "/console/members", main);
  }
  const auto total = static_cast<std::size_t>(found.total);
  const std::size_t last_page = (total - 1) / kPageSize;
  const std::size_t shown = std::min(index, last_page);
  const std::size_t first = shown * kPageSize;
  const std::size_t end_row = first + found.members.size();
  main += util::cat(
      "<p>",
      html_escape(util::format(tr(context.lang, "members.range"), first + 1, end_row, total)),
      "</p>");
  const std::string query_string = util::cat(
      "q=", url_encoded(search.query), "&amp;country=", url_encoded(search.country),
      "&amp;event=", url_encoded(search.event_id), "&amp;role=", url_encoded(search.role));
  std::string pages;
  if (shown > 0 || shown < last_page) {
    pages = "<nav class=\"pages\">";
    if (shown > 0) {
      pages += util::cat("<a href=\"/console/members?", query_string, "&amp;page=", shown - 1,
                         "\">", context.t("page.previous"), "</a> ");
    }
    if (shown < last_page) {
      pages += util::cat("<a href=\"/console/members?", query_string, "&amp;page=", shown + 1,
                         "\">", context.t("page.next"), "</a>");
    }
    pages += "</nav>";
  }
  main += util::cat(pages, "<table><thead><tr><th>", context.t("col.code"), "</th><th>",
                    context.t("member.name"), "</th><th>", context.t("member.organisation"),
                    "</th><th>", context.t("members.country"), "</th><th>",
                    context.t("members.role"), "</th><th>", context.t("member.phone"), "</th><th>",
                    context.t("col.office"), "</th></tr></thead><tbody>");
  for (const auto& [member_office, m] : found.members) {
    main += util::cat("<tr><td>", html_escape(m.reference_code),
                      "</td><td><a href=\"/console/member?id=", url_encoded(m.id), "\">",
                      html_escape(m.display_name()), "</a></td><td>", html_escape(m.organisation),
                      "</td><td>", html_escape(m.country), "</td><td>",
                      html_escape(code_label(context.lang, "role", m.role)), "</td><td>",
                      html_escape(m.phone), "</td><td>", html_escape(member_office), "</td></tr>");
  }
  main += util::cat("</tbody></table>", pages);
  return page(200, context, tr(context.lang, "members.title"), "/console/members", main);
}

ApiResponse member_get(Env& env, const ApiRequest& request, Context& context) {
  const std::string id(request.param("id").value_or(""));
  if (id.empty() || id.size() > 64) return member_not_found(context);
  struct Data {
    std::optional<Held<model::Member>> member;
    std::vector<model::Attendance> attendance;
    std::vector<model::ResourceRequest> requests;
    std::map<std::string, std::string, std::less<>> event_names;
    std::vector<EditEntry> history;
  };
  const Data data = env.accounts.read([&](sql::Connection& db) {
    Data d{.member = find_member(db, id)};
    // Another office's member is answered exactly like a missing one.
    if (!d.member || !context.may_see(d.member->office)) {
      d.member.reset();
      return d;
    }
    d.attendance = attendance_of_member(db, id, kMaxAttendance);
    d.requests = requests_of_member(db, id, kMaxRequests);
    std::vector<std::string> ids{d.member->record.event_id};
    for (const auto& a : d.attendance) ids.push_back(a.event_id);
    d.event_names = event_names(db, ids);
    d.history = history_of(db, id, kMaxHistory);
    return d;
  });
  if (!data.member) return member_not_found(context);
  const auto& [office, m] = *data.member;
  const auto& names = data.event_names;

  const std::string lang(code_of(context.lang));
  std::string main;
  if (!m.merged_into.empty()) {
    main += util::cat("<p class=\"msg\">", context.t("member.merged"),
                      " <a href=\"/console/member?id=", url_encoded(m.merged_into), "\">",
                      html_escape(m.merged_into), "</a></p>");
  } else if (m.voided) {
    main += util::cat("<p class=\"msg\">", context.t("member.voided"), " ",
                      html_escape(m.void_reason), "</p>");
  }
  // Codes as the kiosk names them, in the user's language.
  const auto label = [&](std::string_view list, std::string_view code) {
    return std::string(code_label(context.lang, list, code));
  };
  std::string interests;
  for (const auto& group : m.interest_groups) {
    if (!interests.empty()) interests += ", ";
    interests += label("interest_group", group);
  }
  const std::string_view country = model::country_name(m.country, lang);
  const auto yes_no = [&](bool yes) { return tr(context.lang, yes ? "member.yes" : "member.no"); };
  const std::pair<std::string_view, std::string> fields[] = {
      {"member.name", m.display_name()},
      {"col.code", m.reference_code},
      {"member.kind",
       std::string(tr(context.lang, util::cat("member.kind.", model::to_string(m.kind))))},
      {"member.gender", label("gender", m.gender)},
      {"member.birth_year", m.birth_year ? std::to_string(*m.birth_year) : std::string()},
      {"member.contact_person", m.contact_person},
      {"member.phone", m.phone},
      {"member.email", m.email},
      {"members.country", country.empty() ? m.country : util::cat(country, " (", m.country, ")")},
      {"member.region", m.region},
      {"member.organisation", m.organisation},
      {"member.organisation_type", label("organisation_type", m.organisation_type)},
      {"members.role", label("role", m.role)},
      {"member.years_experience",
       m.years_experience ? std::to_string(*m.years_experience) : std::string()},
      {"member.qualification", label("qualification", m.qualification)},
      {"member.interest_groups", interests},
      {"member.e_updates", std::string(yes_no(m.e_updates))},
      {"member.preferred_language", label("language", m.preferred_language)},
      {"member.consent", m.consent.given ? util::cat(yes_no(true), " (", m.consent.text_version,
                                                     ", ", m.consent.given_at, ")")
                                         : std::string(yes_no(false))},
      {"member.registered_at", m.event_id.empty() ? std::string() : event_name(names, m.event_id)},
      {"col.office", office},
      {"member.created", m.created_at},
      {"member.updated", m.updated_at},
  };
  main += util::cat("<section><h3>", context.t("member.person"), "</h3><table><tbody>");
  for (const auto& [key, value] : fields) {
    main += util::cat("<tr><th scope=\"row\">", context.t(key), "</th><td>", html_escape(value),
                      "</td></tr>");
  }
  main += "</tbody></table></section>";

  // Attendance, newest day first.
  main += util::cat("<section><h3>", context.t("member.attendance"), "</h3>");
  if (data.attendance.empty()) {
    main += util::cat("<p>", context.t("member.no_attendance"), "</p>");
  } else {
    main += util::cat("<table><thead><tr><th>", context.t("dash.event"), "</th><th>",
                      context.t("dash.day"), "</th></tr></thead><tbody>");
    for (const auto& a : data.attendance) {
      main += util::cat(
          "<tr><td>", html_escape(event_name(names, a.event_id)), "</td><td>", html_escape(a.day),
          a.voided ? util::cat(" (", context.t("member.void_mark"), ")") : "", "</td></tr>");
    }
    main += "</tbody></table>";
  }
  main += "</section>";

  main += util::cat("<section><h3>", context.t("member.requests"), "</h3>");
  std::string rows;
  for (const auto& r : data.requests) {
    std::string packs;
    for (const auto& line : r.lines) {
      if (!packs.empty()) packs += "<br>";
      packs += util::cat(html_escape(line.pack_id), " &times; ", line.quantity);
    }
    rows += util::cat("<tr><td>", html_escape(r.reference_code), "</td><td>", packs, "</td><td>",
                      status_text(context, r.status), "</td><td>",
                      html_escape(r.created_at.substr(0, 10)), "</td></tr>");
  }
  if (rows.empty()) {
    main += util::cat("<p>", context.t("member.no_requests"), "</p>");
  } else {
    main +=
        util::cat("<table><thead><tr><th>", context.t("col.code"), "</th><th>",
                  context.t("col.packs"), "</th><th>", context.t("col.status"), "</th><th>",
                  context.t("col.created"), "</th></tr></thead><tbody>", rows, "</tbody></table>");
  }
  main += "</section>";

  main += util::cat("<section><h3>", context.t("member.history"), "</h3>");
  if (data.history.empty()) {
    main += util::cat("<p>", context.t("member.no_history"), "</p>");
  } else {
    main += util::cat("<table><thead><tr><th>", context.t("member.when"), "</th><th>",
                      context.t("member.who"), "</th><th>", context.t("member.what"), "</th><th>",
                      context.t("member.fields"), "</th></tr></thead><tbody>");
    for (const auto& entry : data.history) {
      std::string what;
      std::string fields_text;
      if (entry.kind == "change") {
        what = context.t(util::cat("member.outcome.", entry.outcome));
        if (!entry.fields) {
          fields_text = context.t("member.fields_unknown");
        } else if (*entry.fields == "*") {
          fields_text = context.t("member.fields_all");
        } else if (entry.fields->empty()) {
          fields_text = context.t("member.fields_none");
        } else {
          fields_text = html_escape(util::join(util::split(*entry.fields, ','), ' '));
        }
      } else {
        what = util::cat(context.t(util::cat("member.", entry.kind)),
                         " <a href=\"/console/member?id=", url_encoded(entry.other_member), "\">",
                         html_escape(entry.other_member), "</a>");
      }
      main += util::cat("<tr><td>", html_escape(entry.at), "</td><td>", html_escape(entry.actor),
                        "</td><td>", what, "</td><td>", fields_text, "</td></tr>");
    }
    main += "</tbody></table>";
  }
  main += "</section>";
  return page(200, context, util::cat(tr(context.lang, "member.title"), ": ", m.display_name()),
              util::cat("/console/member?id=", url_encoded(m.id)), main);
}

}  // namespace alliance::central::console
