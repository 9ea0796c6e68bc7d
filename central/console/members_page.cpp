// The members list (search and filters, 50 a page) and one member's page
// (person fields, attendance, requests, history of edits), for the account's
// offices only. Search uses the kiosk's keys: reference codes without their
// dash, e-mail prefixes, E.164 phone prefixes (model::phone_search_prefix)
// and folded names (model::fold_for_search / fold_query).
#include <algorithm>
#include <map>
#include <set>

#include "central/console/pages.hpp"
#include "central/console/records_query.hpp"
#include "common/model/codes.hpp"
#include "common/model/country_names.hpp"
#include "common/model/phone.hpp"
#include "common/model/text.hpp"
#include "common/util/reference_code.hpp"
#include "common/util/strings.hpp"

namespace alliance::central::console {
namespace {

constexpr std::size_t kPageSize = 50;
constexpr std::size_t kMaxQueryLength = 100;   // bytes of a search
constexpr std::size_t kMaxEventOptions = 200;  // events offered in the filter
constexpr std::size_t kMaxHistory = 50;        // lines of a member's history

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

// The search's key kinds, as the kiosk tells them apart (common/store/members.cpp).
bool is_phone_like(std::string_view text) {
  std::size_t digits = 0;
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return false;
    }
  }
  return digits >= 3;
}

class Matcher {
 public:
  explicit Matcher(std::string_view query) : query_(query) {
    for (const char c : query) {
      if (c == '-' || c == ' ') continue;
      code_.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    }
    if (code_.size() < 4 || code_.size() > util::kReferenceLength ||
        code_.find_first_not_of(util::kReferenceAlphabet) != std::string::npos) {
      code_.clear();
    }
    email_ = query.find('@') != std::string_view::npos;
    if (email_) query_ = util::ascii_lower(query);
    phone_ = !email_ && is_phone_like(query);
    if (!email_ && !phone_) words_ = util::split(model::fold_query(query), ' ');
    std::erase(words_, std::string());
  }

  bool matches(const model::Member& m) {
    if (query_.empty()) return true;
    if (!code_.empty()) {
      std::string stored;
      for (const char c : m.reference_code) {
        if (c != '-') stored += c;
      }
      if (stored.starts_with(code_)) return true;
    }
    if (email_) return !m.email.empty() && m.email.starts_with(query_);
    if (phone_) {
      auto [it, fresh] = phone_prefixes_.try_emplace(m.country);
      if (fresh) it->second = model::phone_search_prefix(query_, m.country);
      return !m.phone.empty() && !it->second.empty() && m.phone.starts_with(it->second);
    }
    if (words_.empty()) return false;
    // The kiosk's name key: organisation and contact, or given and family name.
    const std::string key = model::fold_for_search(
        m.kind == model::MemberKind::organisation ? util::cat(m.organisation, " ", m.contact_person)
                                                  : util::cat(m.given_name, " ", m.family_name));
    return std::all_of(words_.begin(), words_.end(),
                       [&](const std::string& w) { return key.find(w) != std::string::npos; });
  }

 private:
  std::string query_;
  std::string code_;
  bool email_ = false;
  bool phone_ = false;
  std::vector<std::string> words_;
  std::map<std::string, std::string> phone_prefixes_;  // member country -> E.164 prefix
};

std::string option(std::string_view value, std::string_view label, std::string_view chosen) {
  return util::cat("<option value=\"", html_escape(value), "\"",
                   value == chosen ? " selected" : "", ">", html_escape(label), "</option>");
}

std::string event_name(const std::map<std::string, std::string, std::less<>>& names,
                       const std::string& id) {
  const auto it = names.find(id);
  return it == names.end() || it->second.empty() ? id : it->second;
}

ApiResponse member_not_found(const Context& context) {
  return page(404, context, tr(context.lang, "member.title"), "/console/members",
              util::cat("<p class=\"err\">", context.t("member.not_found"),
                        "</p><p><a href=\"/console/members\">", context.t("members.back"),
                        "</a></p>"));
}

}  // namespace

ApiResponse members_get(Env& env, const ApiRequest& request, Context& context) {
  const std::string office = context.visible_office();
  const Search search = search_of(request);
  struct Data {
    std::vector<Held<model::Member>> members;
    std::vector<Held<model::Attendance>> attendance;
    std::vector<Held<model::TrainingEvent>> events;
  };
  const Data data = env.accounts.read([&](sql::Connection& db) {
    return Data{members_of(db, office),
                search.event_id.empty() ? std::vector<Held<model::Attendance>>()
                                        : attendance_of(db, office),
                events_of(db)};
  });
  std::set<std::string> attended;  // members checked in at the chosen event
  for (const auto& [attendance_office, a] : data.attendance) {
    if (!a.voided && a.event_id == search.event_id) attended.insert(a.member_id);
  }
  std::set<std::string> countries;
  std::set<std::string> member_events;
  Matcher matcher(search.query);
  std::vector<const Held<model::Member>*> found;
  for (const auto& held : data.members) {
    const model::Member& m = held.record;
    if (m.voided || !m.merged_into.empty()) continue;  // voided members and merge tombstones
    if (!m.country.empty()) countries.insert(m.country);
    if (!m.event_id.empty()) member_events.insert(m.event_id);
    if (!search.country.empty() && m.country != search.country) continue;
    if (!search.role.empty() && m.role != search.role) continue;
    if (!search.event_id.empty() && m.event_id != search.event_id && !attended.contains(m.id)) {
      continue;
    }
    if (!matcher.matches(m)) continue;
    found.push_back(&held);
  }

  std::map<std::string, std::string, std::less<>> event_names;
  std::vector<const model::TrainingEvent*> event_options;
  for (const auto& [event_office, e] : data.events) {
    event_names.emplace(e.id, e.name);
    const bool visible = office.empty() || e.office == office || event_office == office ||
                         member_events.contains(e.id);
    if (visible && !e.voided && event_options.size() < kMaxEventOptions) event_options.push_back(&e);
  }
  std::sort(event_options.begin(), event_options.end(),
            [](const auto* a, const auto* b) { return a->start_date > b->start_date; });

  const std::string lang(code_of(context.lang));
  std::string main = util::cat(
      "<form method=\"get\" action=\"/console/members\" class=\"search\"><label>",
      context.t("members.search"), "<br><input type=\"search\" name=\"q\" maxlength=\"100\" value=\"",
      html_escape(search.query), "\"></label><label>", context.t("members.country"),
      "<br><select name=\"country\">", option("", tr(context.lang, "members.any"), search.country));
  for (const auto& code : countries) {
    const std::string_view name = model::country_name(code, lang);
    main += option(code, name.empty() ? std::string_view(code) : name, search.country);
  }
  main += util::cat("</select></label><label>", context.t("members.event"),
                    "<br><select name=\"event\">",
                    option("", tr(context.lang, "members.any"), search.event_id));
  for (const auto* e : event_options) {
    main += option(e->id, util::cat(e->start_date, " ", e->name), search.event_id);
  }
  main += util::cat("</select></label><label>", context.t("members.role"),
                    "<br><select name=\"role\">",
                    option("", tr(context.lang, "members.any"), search.role));
  for (const auto role : model::role_codes()) main += option(role, role, search.role);
  main += util::cat("</select></label><button type=\"submit\">", context.t("members.submit"),
                    "</button></form>");

  if (found.empty()) {
    main += util::cat("<p>", context.t("members.none"), "</p>");
    return page(200, context, tr(context.lang, "members.title"), "/console/members", main);
  }
  const std::size_t last_page = (found.size() - 1) / kPageSize;
  const std::size_t index = std::min(page_index(request), last_page);
  const std::size_t first = index * kPageSize;
  const std::size_t end_row = std::min(found.size(), first + kPageSize);
  main += util::cat("<p>",
                    html_escape(util::format(tr(context.lang, "members.range"), first + 1, end_row,
                                             found.size())),
                    "</p>");
  const std::string query_string =
      util::cat("q=", url_encoded(search.query), "&amp;country=", url_encoded(search.country),
                "&amp;event=", url_encoded(search.event_id), "&amp;role=", url_encoded(search.role));
  std::string pages;
  if (index > 0 || index < last_page) {
    pages = "<nav class=\"pages\">";
    if (index > 0) {
      pages += util::cat("<a href=\"/console/members?", query_string, "&amp;page=", index - 1,
                         "\">", context.t("page.previous"), "</a> ");
    }
    if (index < last_page) {
      pages += util::cat("<a href=\"/console/members?", query_string, "&amp;page=", index + 1,
                         "\">", context.t("page.next"), "</a>");
    }
    pages += "</nav>";
  }
  main += util::cat(pages, "<table><thead><tr><th>", context.t("col.code"), "</th><th>",
                    context.t("member.name"), "</th><th>", context.t("member.organisation"),
                    "</th><th>", context.t("members.country"), "</th><th>",
                    context.t("members.role"), "</th><th>", context.t("member.phone"), "</th><th>",
                    context.t("col.office"), "</th></tr></thead><tbody>");
  for (std::size_t i = first; i < end_row; ++i) {
    const auto& [member_office, m] = *found[i];
    main += util::cat("<tr><td>", html_escape(m.reference_code),
                      "</td><td><a href=\"/console/member?id=", url_encoded(m.id), "\">",
                      html_escape(m.display_name()), "</a></td><td>", html_escape(m.organisation),
                      "</td><td>", html_escape(m.country), "</td><td>", html_escape(m.role),
                      "</td><td>", html_escape(m.phone), "</td><td>", html_escape(member_office),
                      "</td></tr>");
  }
  main += util::cat("</tbody></table>", pages);
  return page(200, context, tr(context.lang, "members.title"), "/console/members", main);
}

ApiResponse member_get(Env& env, const ApiRequest& request, Context& context) {
  const std::string id(request.param("id").value_or(""));
  if (id.empty() || id.size() > 64) return member_not_found(context);
  struct Data {
    std::optional<Held<model::Member>> member;
    std::vector<Held<model::Attendance>> attendance;
    std::vector<Held<model::ResourceRequest>> requests;
    std::vector<Held<model::TrainingEvent>> events;
    std::vector<EditEntry> history;
  };
  const Data data = env.accounts.read([&](sql::Connection& db) {
    Data d{.member = find_member(db, id)};
    // Another office's member is answered exactly like a missing one.
    if (!d.member || !context.may_see(d.member->office)) {
      d.member.reset();
      return d;
    }
    d.attendance = attendance_of(db, d.member->office);
    d.requests = requests_of(db, d.member->office);
    d.events = events_of(db);
    d.history = history_of(db, id, kMaxHistory);
    return d;
  });
  if (!data.member) return member_not_found(context);
  const auto& [office, m] = *data.member;
  std::map<std::string, std::string, std::less<>> event_names;
  for (const auto& [event_office, e] : data.events) event_names.emplace(e.id, e.name);

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
  std::string interests;
  for (const auto& group : m.interest_groups) {
    if (!interests.empty()) interests += ", ";
    interests += group;
  }
  const std::string_view country = model::country_name(m.country, lang);
  const auto yes_no = [&](bool yes) { return tr(context.lang, yes ? "member.yes" : "member.no"); };
  const std::pair<std::string_view, std::string> fields[] = {
      {"member.name", m.display_name()},
      {"col.code", m.reference_code},
      {"member.kind", std::string(model::to_string(m.kind))},
      {"member.gender", m.gender},
      {"member.birth_year", m.birth_year ? std::to_string(*m.birth_year) : std::string()},
      {"member.contact_person", m.contact_person},
      {"member.phone", m.phone},
      {"member.email", m.email},
      {"members.country", country.empty() ? m.country : util::cat(country, " (", m.country, ")")},
      {"member.region", m.region},
      {"member.organisation", m.organisation},
      {"member.organisation_type", m.organisation_type},
      {"members.role", m.role},
      {"member.years_experience",
       m.years_experience ? std::to_string(*m.years_experience) : std::string()},
      {"member.qualification", m.qualification},
      {"member.interest_groups", interests},
      {"member.e_updates", std::string(yes_no(m.e_updates))},
      {"member.preferred_language", m.preferred_language},
      {"member.consent", m.consent.given ? util::cat(yes_no(true), " (", m.consent.text_version,
                                                     ", ", m.consent.given_at, ")")
                                         : std::string(yes_no(false))},
      {"member.registered_at", m.event_id.empty() ? std::string() : event_name(event_names, m.event_id)},
      {"col.office", office},
      {"col.created", m.created_at},
      {"member.updated", m.updated_at},
  };
  main += util::cat("<section><h3>", context.t("member.person"), "</h3><table><tbody>");
  for (const auto& [key, value] : fields) {
    main += util::cat("<tr><th scope=\"row\">", context.t(key), "</th><td>", html_escape(value),
                      "</td></tr>");
  }
  main += "</tbody></table></section>";

  // Attendance, newest day first.
  std::vector<const model::Attendance*> days;
  for (const auto& [attendance_office, a] : data.attendance) {
    if (a.member_id == m.id) days.push_back(&a);
  }
  std::sort(days.begin(), days.end(),
            [](const auto* a, const auto* b) { return a->day > b->day; });
  main += util::cat("<section><h3>", context.t("member.attendance"), "</h3>");
  if (days.empty()) {
    main += util::cat("<p>", context.t("member.no_attendance"), "</p>");
  } else {
    main += util::cat("<table><thead><tr><th>", context.t("dash.event"), "</th><th>",
                      context.t("dash.day"), "</th></tr></thead><tbody>");
    for (const auto* a : days) {
      main += util::cat("<tr><td>", html_escape(event_name(event_names, a->event_id)), "</td><td>",
                        html_escape(a->day),
                        a->voided ? util::cat(" (", context.t("member.void_mark"), ")") : "",
                        "</td></tr>");
    }
    main += "</tbody></table>";
  }
  main += "</section>";

  main += util::cat("<section><h3>", context.t("member.requests"), "</h3>");
  std::string rows;
  for (const auto& [request_office, r] : data.requests) {
    if (r.member_id != m.id) continue;
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
    main += util::cat("<table><thead><tr><th>", context.t("col.code"), "</th><th>",
                      context.t("col.packs"), "</th><th>", context.t("col.status"), "</th><th>",
                      context.t("col.created"), "</th></tr></thead><tbody>", rows,
                      "</tbody></table>");
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
