// The requests queue page: every request of the account's offices, newest
// first, with approve / reject (with a reason) / mark dispatched. Decisions
// are server changes the kiosks pull; each is in the audit log.
#include "central/console/pages.hpp"

#include <algorithm>

#include "central/store/central_store.hpp"
#include "common/model/codes.hpp"
#include "common/model/text.hpp"
#include "common/util/strings.hpp"

namespace alliance::central::console {
namespace {

constexpr std::size_t kMaxRows = 50;  // a page of requests stays well under 100 KB
constexpr std::size_t kMaxReasonLength = 500;

ApiResponse requests_page(Env& env, const ApiRequest& request, Context& context, int status,
                          std::string_view error);

}  // namespace

ApiResponse requests_get(Env& env, const ApiRequest& request, Context& context) {
  return requests_page(env, request, context, 200, {});
}

namespace {

ApiResponse requests_page(Env& env, const ApiRequest& request, Context& context, int status,
                          std::string_view error) {
  const ConsoleUser& user = context.session->user;
  const std::string office = user.role == ConsoleRole::admin ? std::string() : user.office;
  const auto requests = env.accounts.list_requests(office);
  const bool may_decide = user.role != ConsoleRole::viewer;
  std::string main;
  if (!error.empty()) main += util::cat("<p class=\"err\">", html_escape(error), "</p>");
  if (const auto done = request.param("done")) {
    for (const auto& r : requests) {
      if (r.request.id != *done) continue;
      main += util::cat(
          "<p class=\"msg\">",
          html_escape(util::format(
              tr(context.lang, "action.done"), r.request.reference_code,
              tr(context.lang, util::cat("status.", model::to_string(r.request.status))))),
          "</p>");
    }
  }
  if (requests.empty()) {
    main += util::cat("<p>", context.t("requests.none"), "</p>");
  } else {
    // Newest first, kMaxRows a page; ?page=N (from 0) for older ones.
    std::size_t index = page_index(request);
    const std::size_t last_page = (requests.size() - 1) / kMaxRows;
    index = std::min(index, last_page);
    const std::size_t first = index * kMaxRows;
    const std::size_t end_row = std::min(requests.size(), first + kMaxRows);
    main += util::cat("<p>",
                      html_escape(util::format(tr(context.lang, "requests.range"), first + 1,
                                               end_row, requests.size())),
                      "</p>");
    if (index > 0 || index < last_page) {
      main += "<nav class=\"pages\">";
      if (index > 0) {
        main += util::cat("<a href=\"/console/requests?page=", index - 1, "\">",
                          context.t("page.newer"), "</a> ");
      }
      if (index < last_page) {
        main += util::cat("<a href=\"/console/requests?page=", index + 1, "\">",
                          context.t("page.older"), "</a>");
      }
      main += "</nav>";
    }
    main += util::cat("<table><thead><tr><th>", context.t("col.code"), "</th><th>",
                      context.t("col.office"), "</th><th>", context.t("col.requester"), "</th><th>",
                      context.t("col.packs"), "</th><th>", context.t("col.status"), "</th><th>",
                      context.t("col.created"), "</th>");
    if (may_decide) main += util::cat("<th>", context.t("col.actions"), "</th>");
    main += "</tr></thead><tbody>";
    const std::string csrf = hidden_csrf(context.session->csrf_token);
    for (std::size_t i = first; i < end_row; ++i) {
      const auto& [request_office, r] = requests[i];
      std::string packs;
      for (const auto& line : r.lines) {
        if (!packs.empty()) packs += "<br>";
        packs += util::cat(html_escape(line.pack_id), " &times; ", line.quantity);
      }
      const std::string& requester =
          r.organisation_name.empty() ? r.contact_name : r.organisation_name;
      main +=
          util::cat("<tr id=\"r-", html_escape(r.id), "\"><td>", html_escape(r.reference_code),
                    "</td><td>", html_escape(request_office), "</td><td>", html_escape(requester),
                    "</td><td>", packs, "</td><td>", status_text(context, r.status), "</td><td>",
                    html_escape(r.created_at.substr(0, 10)), "</td>");
      if (may_decide) {
        const auto action_form = [&](std::string_view action, std::string_view extra) {
          return util::cat("<form class=\"inline\" method=\"post\" action=\"/console/requests\">",
                           csrf, "<input type=\"hidden\" name=\"id\" value=\"", html_escape(r.id),
                           "\"><input type=\"hidden\" name=\"action\" value=\"", action, "\">",
                           extra, "<button type=\"submit\" name=\"do\" value=\"", action, "\">",
                           context.t(util::cat("action.", action)), "</button></form>");
        };
        main += "<td>";
        if (model::can_transition(r.status, model::RequestStatus::approved)) {
          main += action_form("approve", "");
        }
        if (model::can_transition(r.status, model::RequestStatus::dispatched) &&
            r.status != model::RequestStatus::requested) {
          main += action_form("dispatch", "");
        }
        if (model::can_transition(r.status, model::RequestStatus::cancelled)) {
          main += action_form("reject",
                              util::cat("<input type=\"text\" name=\"reason\" maxlength=\"500\" "
                                        "placeholder=\"",
                                        context.t("action.reason"), "\" aria-label=\"",
                                        context.t("action.reason"), "\"> "));
        }
        main += "</td>";
      }
      main += "</tr>";
    }
    main += "</tbody></table>";
  }
  return page(status, context, tr(context.lang, "requests.title"), "/console/requests", main);
}

}  // namespace

ApiResponse requests_post(Env& env, const ApiRequest& request, Context& context) {
  const ConsoleUser& user = context.session->user;
  if (user.role == ConsoleRole::viewer) return refusal(403, context, "forbidden.role");
  const auto form = Form::parse(request.body);  // already parsed once: it is well-formed
  const auto field = [&](std::string_view name) { return form->get(name); };
  const std::string action = field("action");
  model::RequestStatus status = model::RequestStatus::approved;
  if (action == "approve") {
    status = model::RequestStatus::approved;
  } else if (action == "dispatch") {
    status = model::RequestStatus::dispatched;
  } else if (action == "reject") {
    status = model::RequestStatus::cancelled;
  } else {
    return refusal(400, context, "bad_form");
  }
  const auto existing = env.accounts.find_request(field("id"));
  if (!existing || (user.role != ConsoleRole::admin && existing->office != user.office)) {
    // Another office's request is answered exactly like a missing one.
    return requests_page(env, request, context, 404, tr(context.lang, "action.not_found"));
  }
  const std::string reason = model::collapse_whitespace(field("reason"));
  if (status == model::RequestStatus::cancelled &&
      (reason.empty() || reason.size() > kMaxReasonLength ||
       model::has_control_characters(reason))) {
    return requests_page(env, request, context, 400, tr(context.lang, "action.reason_required"));
  }
  const std::string before(model::to_string(existing->request.status));
  auto updated = env.store.set_request_status(existing->request.id, status, context.actor());
  if (!updated) {
    if (updated.error().code == "invalid_transition") {
      return requests_page(
          env, request, context, 409,
          util::format(tr(context.lang, "action.invalid"),
                       tr(context.lang, util::cat("status.", before)),
                       tr(context.lang, util::cat("status.", model::to_string(status)))));
    }
    return requests_page(env, request, context, 404, tr(context.lang, "action.not_found"));
  }
  const std::string after(model::to_string(updated->status));
  env.accounts.audit({.actor = context.actor(),
                      .action = "request_status",
                      .target = existing->request.id,
                      .client_address = request.client_address,
                      .before_json = json_object({{"status", before}}),
                      .after_json = status == model::RequestStatus::cancelled
                                        ? json_object({{"status", after}, {"reason", reason}})
                                        : json_object({{"status", after}})});
  return redirect(context, util::cat("/console/requests?done=", existing->request.id));
}

}  // namespace alliance::central::console
