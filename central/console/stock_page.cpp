// The stock page: on-hand stock per office and pack, which a manager or admin
// sets (a count after a delivery or a stock-take) and dispatches take from.
// Every change is in the audit log with its before and after.
#include <charconv>

#include "central/console/pages.hpp"
#include "central/store/central_store.hpp"
#include "common/util/strings.hpp"

namespace alliance::central::console {
namespace {

constexpr std::size_t kMaxRows = 200;  // tracked packs listed on one page

ApiResponse stock_page(Env& env, const ApiRequest& request, Context& context, int status,
                       std::string_view error, std::string_view done) {
  const std::string office = context.visible_office();
  const auto levels = env.store.list_stock(office);
  std::string main;
  if (!error.empty()) main += util::cat("<p class=\"err\">", html_escape(error), "</p>");
  if (!done.empty()) main += util::cat("<p class=\"msg\">", html_escape(done), "</p>");
  main += util::cat("<p>", context.t("stock.explain"), "</p>");
  if (context.user().role != ConsoleRole::viewer) {
    std::string packs;
    for (const auto& record : env.store.list(protocol::Entity::pack)) {
      const auto& pack = std::get<model::ResourcePack>(record);
      if (pack.retired) continue;
      packs += util::cat("<option value=\"", html_escape(pack.id), "\">", html_escape(pack.id),
                         " &ndash; ", html_escape(pack.title), "</option>");
    }
    main += util::cat("<form method=\"post\" action=\"/console/stock\">",
                      hidden_csrf(context.session->csrf_token));
    if (context.user().role == ConsoleRole::admin) {
      main +=
          util::cat("<label>", context.t("col.office"),
                    "<br><input type=\"text\" name=\"office\" required maxlength=\"100\"></label>");
    }
    main += util::cat("<label>", context.t("stock.pack"), "<br><select name=\"pack\" required>",
                      packs, "</select></label><label>", context.t("stock.quantity"),
                      "<br><input type=\"number\" name=\"quantity\" min=\"0\" max=\"",
                      kMaxStockQuantity, "\" required></label><button type=\"submit\">",
                      context.t("stock.set"), "</button></form>");
  }
  if (levels.empty()) {
    main += util::cat("<p>", context.t("stock.none"), "</p>");
  } else {
    main += util::cat("<table><thead><tr><th>", context.t("col.office"), "</th><th>",
                      context.t("stock.pack"), "</th><th>", context.t("stock.quantity"),
                      "</th><th>", context.t("stock.updated"), "</th></tr></thead><tbody>");
    std::size_t shown = 0;
    for (const auto& level : levels) {
      if (++shown > kMaxRows) break;
      main += util::cat("<tr><td>", html_escape(level.office), "</td><td>",
                        html_escape(level.pack_id), "</td><td>", level.on_hand, "</td><td>",
                        html_escape(level.updated_at.substr(0, 16)), " ",
                        html_escape(level.updated_by), "</td></tr>");
    }
    main += "</tbody></table>";
    if (levels.size() > kMaxRows) {
      main += util::cat(
          "<p>", html_escape(util::format(tr(context.lang, "stock.more"), kMaxRows, levels.size())),
          "</p>");
    }
  }
  (void)request;
  return page(status, context, tr(context.lang, "stock.title"), "/console/stock", main);
}

}  // namespace

ApiResponse stock_get(Env& env, const ApiRequest& request, Context& context) {
  return stock_page(env, request, context, 200, {}, {});
}

ApiResponse stock_post(Env& env, const ApiRequest& request, Context& context) {
  if (context.user().role == ConsoleRole::viewer) return refusal(403, context, "forbidden.stock");
  const auto form = Form::parse(request.body);  // already parsed once: it is well-formed
  // A manager sets its own office's stock only, whatever the form says.
  const std::string office = context.user().role == ConsoleRole::admin
                                 ? std::string(util::trim_blanks(form->get("office")))
                                 : context.user().office;
  const std::string pack_id(util::trim_blanks(form->get("pack")));
  const std::string typed(util::trim_blanks(form->get("quantity")));
  std::int64_t quantity = -1;
  const auto [end, ec] = std::from_chars(typed.data(), typed.data() + typed.size(), quantity);
  if (ec != std::errc{} || end != typed.data() + typed.size() || quantity < 0 ||
      quantity > kMaxStockQuantity) {
    return stock_page(env, request, context, 400,
                      util::format(tr(context.lang, "stock.bad_quantity"), kMaxStockQuantity), {});
  }
  bool known = false;
  for (const auto& record : env.store.list(protocol::Entity::pack)) {
    if (std::get<model::ResourcePack>(record).id == pack_id) known = true;
  }
  if (!known)
    return stock_page(env, request, context, 400, tr(context.lang, "stock.unknown_pack"), {});
  const auto moved = env.store.set_stock(office, pack_id, quantity, context.actor());
  if (!moved)
    return stock_page(env, request, context, 400, tr(context.lang, "stock.bad_office"), {});
  env.accounts.audit(
      {.actor = context.actor(),
       .action = "stock_set",
       .target = util::cat(office, "/", pack_id),
       .client_address = request.client_address,
       .before_json = json_object(
           {{"on_hand", moved->before ? std::to_string(*moved->before) : std::string()}}),
       .after_json = json_object({{"on_hand", std::to_string(moved->after)}})});
  return stock_page(env, request, context, 200, {},
                    util::format(tr(context.lang, "stock.saved"), pack_id, office, quantity));
}

}  // namespace alliance::central::console
