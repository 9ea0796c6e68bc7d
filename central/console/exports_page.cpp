// The exports page: members, requests and attendance as CSV (the same
// ExportWriter as `alliance-central export`: UTF-8 with a byte order mark,
// formula-safe), of the account's offices only, filtered by office (admins),
// date range and event. Each download is in the audit log, without its rows.
#include <algorithm>

#include "central/admin/export.hpp"
#include "central/console/form_parts.hpp"
#include "central/console/pages.hpp"
#include "central/store/central_store.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::central::console {
namespace {

constexpr std::string_view kPath = "/console/exports";
constexpr std::size_t kMaxEventChoices = 200;  // the newest; keeps the page small

struct ExportFilter {
  std::string what = "members";
  std::string office;  // "" = every office the account sees
  std::string from;    // YYYY-MM-DD or ""
  std::string to;
  std::string event_id;
};

ApiResponse exports_page(Env& env, Context& context, int status, const ExportFilter& filter,
                         const FieldMessages& errors) {
  std::string main;
  if (!errors.empty()) {
    main += util::cat("<p class=\"err\">", context.t("adm.err.fix_fields"), "</p>");
  }
  main += util::cat("<p>", context.t("exports.intro"),
                    "</p><form method=\"post\" action=\"/console/exports\">",
                    hidden_csrf(context.session->csrf_token));
  main += select_field(context, errors, "exports.what", "what",
                       {{"members", std::string(tr(context.lang, "exports.members"))},
                        {"requests", std::string(tr(context.lang, "exports.requests"))},
                        {"attendance", std::string(tr(context.lang, "exports.attendance"))}},
                       filter.what);
  if (context.user().role == ConsoleRole::admin) {
    main += text_field(context, errors, "exports.office", "office", filter.office, "text",
                       "maxlength=\"100\"");
  } else {
    main += util::cat("<p>", context.t("adm.field.office"), ": <b>",
                      html_escape(context.user().office), "</b></p>");
  }
  main += text_field(context, errors, "exports.from", "from", filter.from, "date");
  main += text_field(context, errors, "exports.to", "to", filter.to, "date");
  std::vector<std::pair<std::string, std::string>> events{
      {"", std::string(tr(context.lang, "exports.any_event"))}};
  auto choices = visible_events(env, context);
  if (choices.size() > kMaxEventChoices) choices.resize(kMaxEventChoices);
  for (const auto& event : choices) {
    events.emplace_back(event.id, util::cat(event.start_date, " ", event.name));
  }
  main += select_field(context, errors, "exports.event", "event", events, filter.event_id);
  main += util::cat("<button type=\"submit\">", context.t("exports.submit"), "</button></form>");
  return page(status, context, tr(context.lang, "exports.title"), kPath, main);
}

bool in_range(std::string_view date, const ExportFilter& filter) {
  const std::string_view day = date.substr(0, 10);
  return (filter.from.empty() || day >= filter.from) && (filter.to.empty() || day <= filter.to);
}

// Whether a record passes the date range and event filters.
bool wanted(const protocol::Record& record, const ExportFilter& filter) {
  const auto pass = [&](std::string_view date, std::string_view event_id) {
    return in_range(date, filter) && (filter.event_id.empty() || event_id == filter.event_id);
  };
  if (const auto* member = std::get_if<model::Member>(&record)) {
    return pass(member->created_at, member->event_id);
  }
  if (const auto* request = std::get_if<model::ResourceRequest>(&record)) {
    return pass(request->created_at, request->event_id);
  }
  if (const auto* attendance = std::get_if<model::Attendance>(&record)) {
    return pass(attendance->day, attendance->event_id);
  }
  return false;
}

}  // namespace

ApiResponse exports_get(Env& env, const ApiRequest&, Context& context) {
  return exports_page(env, context, 200, ExportFilter{}, {});
}

ApiResponse exports_post(Env& env, const ApiRequest& request, Context& context) {
  const auto form = Form::parse(request.body);  // already parsed once: it is well-formed
  ExportFilter filter{.what = form->get("what"),
                      .office = std::string(util::trim_blanks(form->get("office"))),
                      .from = std::string(util::trim_blanks(form->get("from"))),
                      .to = std::string(util::trim_blanks(form->get("to"))),
                      .event_id = form->get("event")};
  FieldMessages errors;
  const auto entity = protocol::export_entity(filter.what);
  if (!entity) errors.emplace("what", context.t("adm.err.invalid"));
  if (context.user().role != ConsoleRole::admin) {
    filter.office = context.user().office;  // never another office's rows
  } else if (!filter.office.empty() && office_name_problem(filter.office)) {
    errors.emplace("office", context.t("adm.err.office"));
  }
  if (!filter.from.empty() && !model::is_calendar_date(filter.from)) {
    errors.emplace("from", context.t("adm.err.date"));
  }
  if (!filter.to.empty() && !model::is_calendar_date(filter.to)) {
    errors.emplace("to", context.t("adm.err.date"));
  }
  if (!errors.contains("from") && !errors.contains("to") && !filter.from.empty() &&
      !filter.to.empty() && filter.to < filter.from) {
    errors.emplace("to", context.t("adm.err.date_order"));
  }
  if (!filter.event_id.empty()) {
    const auto events = visible_events(env, context);
    if (std::none_of(events.begin(), events.end(),
                     [&](const auto& event) { return event.id == filter.event_id; }))
      errors.emplace("event", context.t("adm.err.no_event"));
  }
  if (!errors.empty()) {
    if (context.user().role != ConsoleRole::admin) filter.office.clear();
    return exports_page(env, context, 400, filter, errors);
  }
  std::vector<protocol::Record> records;
  for (auto& [office, record] : env.store.list_with_offices(*entity, filter.office)) {
    // An empty office column belongs to no office: only admins see it.
    if (context.may_see(office) && wanted(record, filter)) records.push_back(std::move(record));
  }
  const std::string body =
      export_text(*entity, protocol::ExportFormat::csv, records, code_of(context.lang));
  env.accounts.audit({.actor = context.actor(),
                      .action = "export",
                      .target = filter.what,
                      .client_address = request.client_address,
                      .after_json = json_object({{"what", filter.what},
                                                 {"office", filter.office},
                                                 {"from", filter.from},
                                                 {"to", filter.to},
                                                 {"event", filter.event_id},
                                                 {"rows", std::to_string(records.size())}})});
  const std::string today = util::local_date(std::chrono::system_clock::now());
  return download(
      context, "text/csv; charset=utf-8",
      util::cat(filter.what, "-", filter.office.empty() ? "all" : "office", "-", today, ".csv"),
      body);
}

}  // namespace alliance::central::console
