// The audit log page, admins only: every console action newest first, a page
// at a time, and the whole log as a CSV download (itself audited).
#include "central/console/form_parts.hpp"
#include "central/console/pages.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::central::console {
namespace {
constexpr std::size_t kAuditRowsPerPage = 50;
constexpr std::size_t kMaxShownJson = 240;  // bytes of before/after shown per entry

std::string shortened(std::string_view text) {
  if (text.size() <= kMaxShownJson) return std::string(text);
  std::size_t cut = kMaxShownJson;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return util::cat(text.substr(0, cut), "…");
}
}  // namespace

ApiResponse audit_get(Env& env, const ApiRequest& request, Context& context) {
  if (context.user().role != ConsoleRole::admin) return refusal(403, context, "audit.forbidden");
  const auto total = static_cast<std::size_t>(env.accounts.count_audit());
  std::string main = util::cat("<form method=\"post\" action=\"/console/audit\">",
                               hidden_csrf(context.session->csrf_token), "<button type=\"submit\">",
                               context.t("audit.download"), "</button></form>");
  if (total == 0) {
    main += util::cat("<p>", context.t("audit.none"), "</p>");
    return page(200, context, tr(context.lang, "audit.title"), "/console/audit", main);
  }
  const PageSlice slice = slice_of(request, total, kAuditRowsPerPage);
  const auto entries = env.accounts.list_audit_newest(slice.first, kAuditRowsPerPage);
  main += util::cat("<p>",
                    html_escape(util::format(tr(context.lang, "audit.range"), slice.first + 1,
                                             slice.first + entries.size(), total)),
                    "</p>", pager(context, "/console/audit", slice));
  main +=
      util::cat("<table><thead><tr><th>", context.t("adm.col.at"), "</th><th>",
                context.t("adm.col.actor"), "</th><th>", context.t("adm.col.action"), "</th><th>",
                context.t("adm.col.target"), "</th><th>", context.t("adm.col.address"), "</th><th>",
                context.t("adm.col.change"), "</th></tr></thead><tbody>");
  for (const auto& e : entries) {
    main += util::cat(
        "<tr><td>", html_escape(e.at.substr(0, 19)), "</td><td>", html_escape(e.actor), "</td><td>",
        html_escape(e.action), "</td><td>", html_escape(e.target), "</td><td>",
        html_escape(e.client_address), "</td><td><code>", html_escape(shortened(e.before_json)),
        "</code> &rarr; <code>", html_escape(shortened(e.after_json)), "</code></td></tr>");
  }
  main += "</tbody></table>";
  return page(200, context, tr(context.lang, "audit.title"), "/console/audit", main);
}

ApiResponse audit_post(Env& env, const ApiRequest& request, Context& context) {
  if (context.user().role != ConsoleRole::admin) return refusal(403, context, "audit.forbidden");
  const auto entries = env.accounts.list_audit();
  env.accounts.audit({.actor = context.actor(),
                      .action = "audit_export",
                      .target = "audit",
                      .client_address = request.client_address,
                      .after_json = json_object({{"rows", std::to_string(entries.size())}})});
  const std::string today = util::local_date(std::chrono::system_clock::now());
  // A byte order mark, as the other exports have, so spreadsheets read UTF-8.
  return download(context, "text/csv; charset=utf-8", util::cat("audit-", today, ".csv"),
                  util::cat("\xEF\xBB\xBF", audit_csv(entries)));
}

}  // namespace alliance::central::console
