// The requests queue page: every request of the account's offices, newest
// first, with the office's stock of each pack, and approve / reject (with a
// reason) / mark dispatched, one request or several ticked ones at once.
// Decisions are server changes the kiosks pull; each is in the audit log.
#include "central/console/pages.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "central/store/central_store.hpp"
#include "common/model/codes.hpp"
#include "common/model/text.hpp"
#include "common/util/strings.hpp"

namespace alliance::central::console {
namespace {

constexpr std::size_t kMaxRows = 50;  // a page of requests stays well under 100 KB
constexpr std::size_t kMaxReasonLength = 500;
// Ids one bulk decision may carry: a page shows kMaxRows, so twice that is
// generous and still bounds the work of one POST.
constexpr std::size_t kMaxBulkIds = 2 * kMaxRows;

// Messages shown above the queue: errors and what was done.
struct Notes {
  std::vector<std::string> errors;
  std::vector<std::string> done;
};

ApiResponse requests_page(Env& env, const ApiRequest& request, Context& context, int status,
                          const Notes& notes);

// (office, pack id) -> on hand, for the packs whose stock is tracked.
using StockMap = std::map<std::pair<std::string, std::string>, std::int64_t>;

StockMap stock_map(Env& env, const std::string& office) {
  StockMap out;
  for (auto& level : env.store.list_stock(office)) {
    out[{std::move(level.office), std::move(level.pack_id)}] = level.on_hand;
  }
  return out;
}

}  // namespace

ApiResponse requests_get(Env& env, const ApiRequest& request, Context& context) {
  return requests_page(env, request, context, 200, {});
}

namespace {

ApiResponse requests_page(Env& env, const ApiRequest& request, Context& context, int status,
                          const Notes& notes) {
  const ConsoleUser& user = context.session->user;
  const std::string office = context.visible_office();
  const auto requests = env.accounts.list_requests(office);
  const StockMap stock = stock_map(env, office);
  const bool may_decide = user.role != ConsoleRole::viewer;
  std::string main;
  for (const auto& error : notes.errors) {
    main += util::cat("<p class=\"err\">", html_escape(error), "</p>");
  }
  for (const auto& done : notes.done) {
    main += util::cat("<p class=\"msg\">", html_escape(done), "</p>");
  }
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
    const std::string csrf = hidden_csrf(context.session->csrf_token);
    if (may_decide) {
      // One form for the ticked rows: the check-boxes join it with form="bulk".
      main += util::cat(
          "<form id=\"bulk\" method=\"post\" action=\"/console/requests\">", csrf,
          "<input type=\"hidden\" name=\"bulk\" value=\"1\"><b>", context.t("bulk.title"),
          "</b> <button type=\"submit\" name=\"action\" value=\"approve\">",
          context.t("action.approve"),
          "</button> <button type=\"submit\" name=\"action\" "
          "value=\"dispatch\">",
          context.t("action.dispatch"),
          "</button> <input type=\"text\" name=\"reason\" maxlength=\"500\" placeholder=\"",
          context.t("action.reason"), "\" aria-label=\"", context.t("action.reason"),
          "\"> <button type=\"submit\" name=\"action\" value=\"reject\">",
          context.t("action.reject"), "</button></form>");
    }
    main += "<table><thead><tr>";
    if (may_decide) main += util::cat("<th>", context.t("bulk.select"), "</th>");
    main +=
        util::cat("<th>", context.t("col.code"), "</th><th>", context.t("col.office"), "</th><th>",
                  context.t("col.requester"), "</th><th>", context.t("col.packs"), "</th><th>",
                  context.t("col.status"), "</th><th>", context.t("col.created"), "</th>");
    if (may_decide) main += util::cat("<th>", context.t("col.actions"), "</th>");
    main += "</tr></thead><tbody>";
    for (std::size_t i = first; i < end_row; ++i) {
      const auto& [request_office, r] = requests[i];
      std::string packs;
      for (const auto& line : r.lines) {
        if (!packs.empty()) packs += "<br>";
        packs += util::cat(html_escape(line.pack_id), " &times; ", line.quantity);
        const auto held = stock.find({request_office, line.pack_id});
        packs +=
            held == stock.end()
                ? util::cat(" <small>(", context.t("stock.untracked"), ")</small>")
                : util::cat(
                      " <small>(",
                      html_escape(util::format(tr(context.lang, "stock.on_hand"), held->second)),
                      ")</small>");
      }
      const std::string& requester =
          r.organisation_name.empty() ? r.contact_name : r.organisation_name;
      main += util::cat("<tr id=\"r-", html_escape(r.id), "\">");
      if (may_decide) {
        main += util::cat("<td><input type=\"checkbox\" name=\"id\" form=\"bulk\" value=\"",
                          html_escape(r.id), "\" aria-label=\"", html_escape(r.reference_code),
                          "\"></td>");
      }
      main += util::cat("<td>", html_escape(r.reference_code), "</td><td>",
                        html_escape(request_office), "</td><td>", html_escape(requester),
                        "</td><td>", packs, "</td><td>", status_text(context, r.status),
                        "</td><td>", html_escape(r.created_at.substr(0, 10)), "</td>");
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

namespace {

// One decision on one request, as the account may make it.
struct Outcome {
  int status = 200;     // 200 done; 400, 404, 409 refused
  std::string message;  // in the account's language
};

// The first tracked pack of `existing` its office has too few of, as a message.
std::string shortfall_message(Env& env, const Context& context, const OfficeRequest& existing) {
  const StockMap stock = stock_map(env, existing.office);
  std::map<std::string, std::int64_t> needed;
  for (const auto& line : existing.request.lines) needed[line.pack_id] += line.quantity;
  for (const auto& [pack_id, quantity] : needed) {
    const auto held = stock.find({existing.office, pack_id});
    if (held != stock.end() && held->second < quantity) {
      return util::format(tr(context.lang, "stock.short"), existing.request.reference_code, pack_id,
                          held->second, quantity);
    }
  }
  return util::format(tr(context.lang, "stock.short_unknown"), existing.request.reference_code);
}

Outcome decide(Env& env, const ApiRequest& request, const Context& context, const std::string& id,
               model::RequestStatus status, const std::string& reason) {
  const auto existing = env.accounts.find_request(id);
  if (!existing || !context.may_see(existing->office)) {
    // Another office's request is answered exactly like a missing one.
    return {404, std::string(tr(context.lang, "action.not_found"))};
  }
  const auto& code = existing->request.reference_code;
  const std::string before(model::to_string(existing->request.status));
  auto decided = env.store.decide_request(existing->request.id, status, context.actor());
  if (!decided) {
    if (decided.error().code == "invalid_transition") {
      return {409, util::cat(code, ": ",
                             util::format(tr(context.lang, "action.invalid"),
                                          tr(context.lang, util::cat("status.", before)),
                                          tr(context.lang,
                                             util::cat("status.", model::to_string(status)))))};
    }
    if (decided.error().code == "insufficient_stock") {
      return {409, shortfall_message(env, context, *existing)};
    }
    return {404, std::string(tr(context.lang, "action.not_found"))};
  }
  const std::string after(model::to_string(decided->request.status));
  env.accounts.audit({.actor = context.actor(),
                      .action = "request_status",
                      .target = existing->request.id,
                      .client_address = request.client_address,
                      .before_json = json_object({{"status", before}}),
                      .after_json = status == model::RequestStatus::cancelled
                                        ? json_object({{"status", after}, {"reason", reason}})
                                        : json_object({{"status", after}})});
  for (const auto& move : decided->stock_moves) {
    const std::string was = move.before ? std::to_string(*move.before) : std::string();
    env.accounts.audit({.actor = context.actor(),
                        .action = "stock_dispatch",
                        .target = util::cat(move.office, "/", move.pack_id),
                        .client_address = request.client_address,
                        .before_json = json_object({{"on_hand", was}}),
                        .after_json = json_object({{"on_hand", std::to_string(move.after)},
                                                   {"request", existing->request.id}})});
  }
  return {200, util::format(tr(context.lang, "action.done"), code,
                            tr(context.lang, util::cat("status.", after)))};
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
  const bool bulk = form->has("bulk");
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (auto& id : form->all("id")) {
    if (seen.insert(id).second) ids.push_back(std::move(id));
  }
  if (ids.empty()) {
    return requests_page(env, request, context, 400,
                         {.errors = {std::string(tr(context.lang, "bulk.none"))}});
  }
  if (ids.size() > kMaxBulkIds) {
    return requests_page(
        env, request, context, 413,
        {.errors = {util::format(tr(context.lang, "bulk.too_many"), kMaxBulkIds)}});
  }
  const std::string reason = model::collapse_whitespace(field("reason"));
  if (status == model::RequestStatus::cancelled &&
      (reason.empty() || reason.size() > kMaxReasonLength ||
       model::has_control_characters(reason))) {
    return requests_page(env, request, context, 400,
                         {.errors = {std::string(tr(context.lang, "action.reason_required"))}});
  }
  if (!bulk && ids.size() == 1) {
    const Outcome outcome = decide(env, request, context, ids.front(), status, reason);
    if (outcome.status != 200) {
      return requests_page(env, request, context, outcome.status, {.errors = {outcome.message}});
    }
    return redirect(context, util::cat("/console/requests?done=", ids.front()));
  }
  // Each ticked request on its own rules: a refusal for one leaves the others applied.
  Notes notes;
  for (const auto& id : ids) {
    Outcome outcome = decide(env, request, context, id, status, reason);
    (outcome.status == 200 ? notes.done : notes.errors).push_back(std::move(outcome.message));
  }
  notes.done.insert(notes.done.begin(),
                    util::format(tr(context.lang, "bulk.summary"), notes.done.size(), ids.size()));
  return requests_page(env, request, context, 200, notes);
}

}  // namespace alliance::central::console
