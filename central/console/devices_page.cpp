// The devices page: every enrolled device of the account's offices with its
// last contact, clock offset and reported queue depth, revoking one (after a
// confirm step), and new enrolment codes, whose plain text is shown once and
// never stored.
#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "central/admin/devices.hpp"
#include "central/console/form_parts.hpp"
#include "central/console/pages.hpp"
#include "central/store/central_store.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::central::console {
namespace {

constexpr std::size_t kRowsPerPage = 50;
constexpr std::string_view kPath = "/console/devices";

bool may_change(const Context& context) {
  return context.user().role != ConsoleRole::viewer;
}

// Device clock minus server clock as "+1.5 s" / "-320 s".
std::string offset_text(std::int64_t offset_ms) {
  const std::int64_t tenths = offset_ms / 100;
  const std::int64_t whole = std::abs(tenths) / 10;
  const std::int64_t fraction = std::abs(tenths) % 10;
  return util::cat(offset_ms < 0 ? "-" : "+", whole, ".", fraction, " s");
}

// "12 waiting (2026-11-30T14:32)", or "never reported" (an older agent).
std::string queue_depth_text(const Context& context, const DeviceListing& d) {
  if (!d.queue_depth) return context.t("devices.queue_never");
  return html_escape(util::format(tr(context.lang, "devices.queue_at"), *d.queue_depth,
                                  d.queue_depth_at.substr(0, 16)));
}

std::vector<DeviceListing> visible_devices(Env& env, const Context& context) {
  auto devices = env.store.list_devices();
  std::erase_if(devices, [&](const DeviceListing& d) { return !context.may_see(d.office); });
  std::reverse(devices.begin(), devices.end());  // newest enrolment first
  return devices;
}

std::string enrolment_form(const Context& context, const FieldMessages& errors,
                           std::string_view office, std::string_view ttl) {
  std::string html = util::cat("<h3>", context.t("enrol.title"),
                               "</h3><form method=\"post\" action=\"/console/devices\">",
                               hidden_csrf(context.session->csrf_token),
                               "<input type=\"hidden\" name=\"action\" value=\"enrol\">");
  if (context.user().role == ConsoleRole::admin) {
    html += text_field(context, errors, "adm.field.office", "office", office, "text",
                       "required maxlength=\"100\"");
  } else {
    html += util::cat("<p>", context.t("adm.field.office"), ": <b>",
                      html_escape(context.user().office), "</b></p>");
  }
  html += text_field(context, errors, "enrol.ttl", "ttl_hours", ttl, "number",
                     util::cat("min=\"1\" max=\"", kMaxEnrolmentTtlHours, "\" required"));
  return util::cat(html, "<button type=\"submit\">", context.t("enrol.submit"), "</button></form>");
}

ApiResponse devices_page(Env& env, const ApiRequest& request, Context& context, int status,
                         std::string_view notice, const FieldMessages& errors,
                         std::string_view office, std::string_view ttl) {
  const auto devices = visible_devices(env, context);
  const bool writer = may_change(context);
  std::string main;
  if (!notice.empty()) main += notice;
  if (!errors.empty())
    main += util::cat("<p class=\"err\">", context.t("adm.err.fix_fields"), "</p>");
  if (devices.empty()) {
    main += util::cat("<p>", context.t("devices.none"), "</p>");
  } else {
    const PageSlice slice = slice_of(request, devices.size(), kRowsPerPage);
    main += util::cat("<p>",
                      html_escape(util::format(tr(context.lang, "devices.range"), slice.first + 1,
                                               slice.end, devices.size())),
                      "</p>", pager(context, kPath, slice));
    main += util::cat(
        "<table><thead><tr><th>", context.t("adm.col.device"), "</th><th>", context.t("col.office"),
        "</th><th>", context.t("adm.col.app_version"), "</th><th>", context.t("adm.col.enrolled"),
        "</th><th>", context.t("adm.col.last_contact"), "</th><th>",
        context.t("adm.col.clock_offset"), "</th><th>", context.t("adm.col.queue_depth"),
        "</th><th>", context.t("adm.col.state"), "</th>");
    if (writer) main += util::cat("<th>", context.t("col.actions"), "</th>");
    main += "</tr></thead><tbody>";
    const std::string csrf = hidden_csrf(context.session->csrf_token);
    for (std::size_t i = slice.first; i < slice.end; ++i) {
      const DeviceListing& d = devices[i];
      const bool revoked = !d.revoked_at.empty();
      main += util::cat("<tr id=\"d-", html_escape(d.id), "\"><td>", html_escape(d.name),
                        "</td><td>", html_escape(d.office), "</td><td>", html_escape(d.app_version),
                        "</td><td>", html_escape(d.enrolled_at.substr(0, 16)), "</td><td>",
                        d.last_contact_at.empty() ? context.t("adm.never")
                                                  : html_escape(d.last_contact_at.substr(0, 16)),
                        "</td><td>",
                        d.clock_offset_ms ? offset_text(*d.clock_offset_ms) : std::string("-"),
                        "</td><td>", queue_depth_text(context, d), "</td><td>",
                        revoked ? util::cat(context.t("devices.revoked"), " ",
                                            html_escape(d.revoked_at.substr(0, 10)))
                                : context.t("devices.active"),
                        "</td>");
      if (writer) {
        main += "<td>";
        if (!revoked) {
          main += util::cat(
              "<form class=\"inline\" method=\"post\" action=\"/console/devices\">", csrf,
              "<input type=\"hidden\" name=\"action\" value=\"revoke\"><input type=\"hidden\" "
              "name=\"id\" value=\"",
              html_escape(d.id), "\"><button type=\"submit\">", context.t("devices.revoke"),
              "</button></form>");
        }
        main += "</td>";
      }
      main += "</tr>";
    }
    main += "</tbody></table>";
  }
  if (writer) main += enrolment_form(context, errors, office, ttl);
  return page(status, context, tr(context.lang, "devices.title"), kPath, main);
}

ApiResponse revoke(Env& env, const ApiRequest& request, Context& context, const Form& form) {
  const std::string id = form.get("id");
  const auto devices = visible_devices(env, context);
  const auto found = std::find_if(devices.begin(), devices.end(),
                                  [&](const DeviceListing& d) { return d.id == id; });
  if (found == devices.end()) {
    // Another office's device is answered exactly like a missing one.
    return devices_page(env, request, context, 404,
                        util::cat("<p class=\"err\">", context.t("devices.not_found"), "</p>"), {},
                        {}, "72");
  }
  if (form.get("confirm") != "yes") {
    return page(
        200, context, tr(context.lang, "devices.confirm_title"), kPath,
        util::cat("<p>",
                  html_escape(util::format(tr(context.lang, "devices.confirm"), found->name,
                                           found->office)),
                  "</p><form method=\"post\" action=\"/console/devices\">",
                  hidden_csrf(context.session->csrf_token),
                  "<input type=\"hidden\" name=\"action\" value=\"revoke\"><input type=\"hidden\" "
                  "name=\"id\" value=\"",
                  html_escape(found->id),
                  "\"><button type=\"submit\" name=\"confirm\" value=\"yes\">",
                  context.t("devices.confirm_yes"), "</button> <a href=\"/console/devices\">",
                  context.t("adm.cancel"), "</a></form>"));
  }
  const bool was_revoked = !found->revoked_at.empty();
  if (!env.store.revoke_device(found->id)) {
    return devices_page(env, request, context, 404,
                        util::cat("<p class=\"err\">", context.t("devices.not_found"), "</p>"), {},
                        {}, "72");
  }
  std::string revoked_at;
  for (const auto& d : env.store.list_devices()) {
    if (d.id == found->id) revoked_at = d.revoked_at;
  }
  env.accounts.audit(
      {.actor = context.actor(),
       .action = "device_revoke",
       .target = found->id,
       .client_address = request.client_address,
       .before_json = json_object({{"name", found->name},
                                   {"office", found->office},
                                   {"revoked_at", was_revoked ? found->revoked_at : ""}}),
       .after_json = json_object(
           {{"name", found->name}, {"office", found->office}, {"revoked_at", revoked_at}})});
  return devices_page(
      env, request, context, 200,
      util::cat("<p class=\"msg\">",
                html_escape(util::format(tr(context.lang, "devices.revoked_done"), found->name)),
                "</p>"),
      {}, {}, "72");
}

ApiResponse enrol(Env& env, const ApiRequest& request, Context& context, const Form& form) {
  const bool admin = context.user().role == ConsoleRole::admin;
  const std::string office =
      admin ? std::string(util::trim_blanks(form.get("office"))) : context.user().office;
  const std::string ttl_text(util::trim_blanks(form.get("ttl_hours")));
  FieldMessages errors;
  if (office_name_problem(office)) errors.emplace("office", context.t("adm.err.office"));
  int hours = 0;
  const auto [end, ec] = std::from_chars(ttl_text.data(), ttl_text.data() + ttl_text.size(), hours);
  if (ec != std::errc{} || end != ttl_text.data() + ttl_text.size() || hours < 1 ||
      hours > kMaxEnrolmentTtlHours) {
    errors.emplace("ttl_hours", context.t("adm.err.ttl"));
  }
  if (!errors.empty()) {
    return devices_page(env, request, context, 400, {}, errors, office, ttl_text);
  }
  const std::string code = env.store.create_enrolment_code(office, std::chrono::hours(hours));
  const std::string valid_until =
      util::iso8601_utc(std::chrono::system_clock::now() + std::chrono::hours(hours)).substr(0, 16);
  env.accounts.audit(
      {.actor = context.actor(),
       .action = "enrolment_code",
       .target = office,
       .client_address = request.client_address,
       .after_json = json_object({{"office", office}, {"ttl_hours", std::to_string(hours)}})});
  // Shown on this answer only (the server marks every answer no-store): never
  // in a URL, a log or the audit.
  return page(
      200, context, tr(context.lang, "enrol.title"), kPath,
      util::cat(
          "<p>", html_escape(util::format(tr(context.lang, "enrol.done"), office, valid_until)),
          "</p><p class=\"msg\"><code id=\"enrolment-code\">", html_escape(code),
          "</code></p><p><a href=\"/console/devices\">", context.t("enrol.back"), "</a></p>"));
}

}  // namespace

ApiResponse devices_get(Env& env, const ApiRequest& request, Context& context) {
  return devices_page(env, request, context, 200, {}, {}, {}, "72");
}

ApiResponse devices_post(Env& env, const ApiRequest& request, Context& context) {
  if (!may_change(context)) return refusal(403, context, "devices.forbidden");
  const auto form = Form::parse(request.body);  // already parsed once: it is well-formed
  const std::string action = form->get("action");
  if (action == "revoke") return revoke(env, request, context, *form);
  if (action == "enrol") return enrol(env, request, context, *form);
  return refusal(400, context, "bad_form");
}

}  // namespace alliance::central::console
