// The training events page: the account's offices' events, newest first, and
// creating or editing one. Saves go through CentralStore::import_catalog, the
// same validation and server write as `alliance-central import-catalog`, so
// kiosks get them by pull; managers write their own office's events only,
// viewers none; every save is in the audit log with before and after.
#include <algorithm>

#include "central/console/form_parts.hpp"
#include "central/console/pages.hpp"
#include "central/store/central_store.hpp"
#include "common/model/codes.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/strings.hpp"
#include "common/util/uuid.hpp"

namespace alliance::central::console {
namespace {

constexpr std::size_t kRowsPerPage = 50;
constexpr std::string_view kPath = "/console/events";

bool may_write(const Context& context) {
  return context.user().role != ConsoleRole::viewer;
}

std::optional<model::TrainingEvent> find_visible(Env& env, const Context& context,
                                                 std::string_view id) {
  if (id.empty()) return std::nullopt;
  for (auto& event : visible_events(env, context)) {
    if (event.id == id) return std::move(event);
  }
  return std::nullopt;
}

std::string event_form(const Context& context, const model::TrainingEvent& event, bool is_new,
                       const FieldMessages& errors) {
  std::string html =
      util::cat("<h3>", context.t(is_new ? "events.new" : "events.edit"),
                "</h3><form method=\"post\" action=\"/console/events\">",
                hidden_csrf(context.session->csrf_token),
                "<input type=\"hidden\" name=\"id\" value=\"", html_escape(event.id), "\">");
  html += text_field(context, errors, "adm.field.name", "name", event.name, "text",
                     "required maxlength=\"200\"");
  html += select_field(context, errors, "adm.field.kind", "kind",
                       {{"training", std::string(tr(context.lang, "adm.kind.training"))},
                        {"webinar", std::string(tr(context.lang, "adm.kind.webinar"))}},
                       model::to_string(event.kind));
  html += text_field(context, errors, "adm.field.place", "place", event.place);
  html += text_field(context, errors, "adm.field.country", "country", event.country, "text",
                     "required maxlength=\"2\"");
  html += text_field(context, errors, "adm.field.start_date", "start_date", event.start_date,
                     "date", "required");
  html += text_field(context, errors, "adm.field.end_date", "end_date", event.end_date, "date",
                     "required");
  html += text_field(context, errors, "adm.field.organiser", "organiser", event.organiser);
  if (is_new && context.user().role == ConsoleRole::admin) {
    html += text_field(context, errors, "adm.field.office", "office", event.office, "text",
                       "required maxlength=\"100\"");
  } else {
    // An event keeps the office it was made for: that office's devices write it.
    html += util::cat("<p>", context.t("adm.field.office"), ": <b>",
                      html_escape(is_new ? context.user().office : event.office), "</b>",
                      error_of(errors, "office"), "</p>");
  }
  if (!is_new) html += check_field(context, "adm.field.voided", "voided", event.voided);
  return util::cat(html, "<button type=\"submit\">", context.t("adm.save"), "</button></form>");
}

ApiResponse events_page(Env& env, const ApiRequest& request, Context& context, int status,
                        const std::optional<model::TrainingEvent>& editing, bool is_new,
                        const FieldMessages& errors) {
  const auto events = visible_events(env, context);
  std::string main;
  if (!errors.empty()) {
    main += util::cat("<p class=\"err\">", context.t("adm.err.fix_fields"), "</p>");
  }
  if (const auto done = request.param("done")) {
    for (const auto& event : events) {
      if (event.id != *done) continue;
      main +=
          util::cat("<p class=\"msg\">",
                    html_escape(util::format(tr(context.lang, "events.done"), event.name)), "</p>");
    }
  }
  // A form being edited or corrected comes first; a blank one after the list.
  std::string form;
  if (may_write(context)) {
    model::TrainingEvent blank;
    blank.office = context.user().role == ConsoleRole::admin ? "" : context.user().office;
    form = event_form(context, editing ? *editing : blank, is_new, errors);
  }
  const bool form_first = editing.has_value() || !errors.empty();
  if (form_first) main += form;
  if (events.empty()) {
    main += util::cat("<p>", context.t("events.none"), "</p>", form_first ? "" : form);
    return page(status, context, tr(context.lang, "events.title"), kPath, main);
  }
  const PageSlice slice = slice_of(request, events.size(), kRowsPerPage);
  main += util::cat("<p>",
                    html_escape(util::format(tr(context.lang, "events.range"), slice.first + 1,
                                             slice.end, events.size())),
                    "</p>", pager(context, kPath, slice));
  main += util::cat("<table><thead><tr><th>", context.t("adm.col.name"), "</th><th>",
                    context.t("adm.field.kind"), "</th><th>", context.t("adm.col.dates"),
                    "</th><th>", context.t("adm.col.place"), "</th><th>", context.t("col.office"),
                    "</th><th>", context.t("adm.col.state"), "</th>");
  if (may_write(context)) main += util::cat("<th>", context.t("col.actions"), "</th>");
  main += "</tr></thead><tbody>";
  for (std::size_t i = slice.first; i < slice.end; ++i) {
    const auto& event = events[i];
    main +=
        util::cat("<tr id=\"e-", html_escape(event.id), "\"><td>", html_escape(event.name),
                  "</td><td>", context.t(util::cat("adm.kind.", model::to_string(event.kind))),
                  "</td><td>", html_escape(event.start_date), " &ndash; ",
                  html_escape(event.end_date), "</td><td>", html_escape(event.place), " (",
                  html_escape(event.country), ")</td><td>", html_escape(event.office), "</td><td>",
                  event.voided ? context.t("adm.event_cancelled") : std::string(), "</td>");
    if (may_write(context)) {
      main += util::cat("<td><a href=\"/console/events?edit=", html_escape(event.id), "\">",
                        context.t("adm.edit"), "</a></td>");
    }
    main += "</tr>";
  }
  main += "</tbody></table>";
  if (!form_first) main += form;
  return page(status, context, tr(context.lang, "events.title"), kPath, main);
}

}  // namespace

ApiResponse events_get(Env& env, const ApiRequest& request, Context& context) {
  if (const auto id = request.param("edit"); id && may_write(context)) {
    const auto event = find_visible(env, context, *id);
    if (!event) return refusal(404, context, "events.not_found");
    return events_page(env, request, context, 200, event, false, {});
  }
  return events_page(env, request, context, 200, std::nullopt, true, {});
}

ApiResponse events_post(Env& env, const ApiRequest& request, Context& context) {
  if (!may_write(context)) return refusal(403, context, "events.forbidden");
  const auto form = Form::parse(request.body);  // already parsed once: it is well-formed
  const std::string id = form->get("id");
  const bool is_new = id.empty();
  std::optional<model::TrainingEvent> before;
  if (!is_new) {
    // Another office's event is answered exactly like a missing one.
    before = find_visible(env, context, id);
    if (!before) return refusal(404, context, "events.not_found");
  }
  model::TrainingEvent event = before.value_or(model::TrainingEvent{});
  event.name = form->get("name");
  event.place = form->get("place");
  event.country = form->get("country");
  event.start_date = std::string(util::trim_blanks(form->get("start_date")));
  event.end_date = std::string(util::trim_blanks(form->get("end_date")));
  event.organiser = form->get("organiser");
  if (!is_new) event.voided = form->get("voided") == "1";
  FieldMessages errors;
  if (const auto kind = model::event_kind_from(form->get("kind"))) {
    event.kind = *kind;
  } else {
    errors.emplace("kind", context.t("adm.err.invalid"));
  }
  if (is_new) {
    event.office = context.user().role == ConsoleRole::admin
                       ? std::string(util::trim_blanks(form->get("office")))
                       : context.user().office;
    if (office_name_problem(event.office)) errors.emplace("office", context.t("adm.err.office"));
  }
  // The validation the API and import-catalog apply, on a copy: the form
  // shows what was typed, with the errors next to their fields.
  model::TrainingEvent checked = event;
  if (checked.id.empty()) checked.id = util::new_uuid_v7();
  for (auto& [field, message] : field_messages(context, model::normalize_and_validate(checked))) {
    errors.try_emplace(field, std::move(message));
  }
  if (!errors.empty()) return events_page(env, request, context, 400, event, is_new, errors);

  auto saved = env.store.import_catalog({}, {checked});
  if (!saved) {
    return events_page(env, request, context, 400, event, is_new,
                       field_messages(context, saved.error().errors));
  }
  const auto after = find_visible(env, context, checked.id);
  env.accounts.audit(
      {.actor = context.actor(),
       .action = is_new ? "event_create" : "event_edit",
       .target = checked.id,
       .client_address = request.client_address,
       .before_json = before ? protocol::encode_record(*before) : std::string("{}"),
       .after_json = after ? protocol::encode_record(*after) : protocol::encode_record(checked)});
  return redirect(context, util::cat("/console/events?done=", checked.id));
}

}  // namespace alliance::central::console
