// The catalogue page: resource packs with their stock, and creating or
// editing one. Packs are server-only records (docs/ARCHITECTURE.md): admins
// write every field, a manager only the stock of their own office, viewers
// nothing. Saves go through CentralStore::import_catalog, the validation and
// server write `alliance-central import-catalog` uses, so kiosks pull them.
#include <algorithm>
#include <charconv>

#include "central/console/form_parts.hpp"
#include "central/console/pages.hpp"
#include "central/store/central_store.hpp"
#include "common/model/codes.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/strings.hpp"

namespace alliance::central::console {
namespace {

constexpr std::size_t kRowsPerPage = 50;
constexpr std::string_view kPath = "/console/catalogue";

bool is_admin(const Context& context) {
  return context.user().role == ConsoleRole::admin;
}
bool may_write(const Context& context) {
  return context.user().role != ConsoleRole::viewer;
}

std::vector<model::ResourcePack> all_packs(Env& env) {
  std::vector<model::ResourcePack> packs;
  for (auto& record : env.store.list(protocol::Entity::pack)) {
    packs.push_back(std::get<model::ResourcePack>(std::move(record)));
  }
  std::sort(packs.begin(), packs.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return packs;
}

std::optional<model::ResourcePack> find_pack(Env& env, std::string_view id) {
  for (auto& pack : all_packs(env)) {
    if (pack.id == id) return std::move(pack);
  }
  return std::nullopt;
}

// "Nairobi = 12" lines, as the form shows and reads them.
std::string stock_text(const model::ResourcePack& pack) {
  std::string text;
  for (const auto& line : pack.stock) text += util::cat(line.office, " = ", line.quantity, "\n");
  return text;
}

std::optional<int> quantity_from(std::string_view text) {
  text = util::trim_blanks(text);
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::vector<model::OfficeStock>> stock_from(std::string_view text) {
  std::vector<model::OfficeStock> stock;
  for (const auto& raw : util::split(text, '\n')) {
    const std::string_view line = util::trim_blanks(raw);
    if (line.empty()) continue;
    const auto equals = line.rfind('=');
    if (equals == std::string_view::npos) return std::nullopt;
    const auto quantity = quantity_from(line.substr(equals + 1));
    if (!quantity) return std::nullopt;
    stock.push_back({std::string(util::trim_blanks(line.substr(0, equals))), *quantity});
  }
  return stock;
}

std::string pack_form(const Context& context, const model::ResourcePack& pack, bool is_new,
                      const FieldMessages& errors, std::string_view stock_typed) {
  std::string html = util::cat("<h3>", context.t(is_new ? "catalogue.new" : "catalogue.edit"),
                               "</h3><form method=\"post\" action=\"/console/catalogue\">",
                               hidden_csrf(context.session->csrf_token));
  if (!is_admin(context)) {
    // A manager sets their own office's stock of an existing pack, nothing else.
    const std::string label = html_escape(
        util::format(tr(context.lang, "adm.field.office_stock"), context.user().office));
    return util::cat(html, "<input type=\"hidden\" name=\"id\" value=\"", html_escape(pack.id),
                     "\"><p><b>", html_escape(pack.id), "</b> ", html_escape(pack.title),
                     "</p><label>", label,
                     "<br><input type=\"number\" min=\"0\" name=\"quantity\" "
                     "value=\"",
                     std::string(stock_typed), "\">", error_of(errors, "stock"),
                     "</label><button type=\"submit\">", context.t("adm.save"), "</button></form>");
  }
  if (is_new) {
    html += "<input type=\"hidden\" name=\"new\" value=\"1\">";
    html += text_field(context, errors, "adm.field.pack_id", "id", pack.id, "text",
                       "required maxlength=\"64\"");
  } else {
    html += util::cat("<input type=\"hidden\" name=\"id\" value=\"", html_escape(pack.id),
                      "\"><p><b>", html_escape(pack.id), "</b></p>");
  }
  html += text_field(context, errors, "adm.field.title", "title", pack.title, "text",
                     "required maxlength=\"200\"");
  html += text_field(context, errors, "adm.field.languages", "languages",
                     util::join(pack.languages, ','), "text", "required");
  html += select_field(context, errors, "adm.field.format", "format",
                       {{"print", std::string(tr(context.lang, "adm.format.print"))},
                        {"digital", std::string(tr(context.lang, "adm.format.digital"))}},
                       model::to_string(pack.format));
  html += util::cat("<label>", context.t("adm.field.stock"),
                    "<br><textarea name=\"stock\" rows=\"4\" cols=\"40\">",
                    html_escape(stock_typed), "</textarea>", error_of(errors, "stock"), "</label>");
  if (!is_new) html += check_field(context, "adm.field.retired", "retired", pack.retired);
  return util::cat(html, "<button type=\"submit\">", context.t("adm.save"), "</button></form>");
}

// The stock column: every office's for admins, the account's own otherwise.
std::string stock_cell(const Context& context, const model::ResourcePack& pack) {
  std::string cell;
  for (const auto& line : pack.stock) {
    if (!context.may_see(line.office)) continue;
    if (!cell.empty()) cell += "<br>";
    cell += util::cat(html_escape(line.office), ": ", line.quantity);
  }
  return cell;
}

ApiResponse catalogue_page(Env& env, const ApiRequest& request, Context& context, int status,
                           const std::optional<model::ResourcePack>& editing, bool is_new,
                           const FieldMessages& errors, std::string_view stock_typed) {
  const auto packs = all_packs(env);
  std::string main;
  if (!errors.empty()) {
    main += util::cat("<p class=\"err\">", context.t("adm.err.fix_fields"), "</p>");
  }
  if (const auto done = request.param("done")) {
    for (const auto& pack : packs) {
      if (pack.id != *done) continue;
      main +=
          util::cat("<p class=\"msg\">",
                    html_escape(util::format(tr(context.lang, "catalogue.done"), pack.id)), "</p>");
    }
  }
  if (editing) {
    main += pack_form(context, *editing, is_new, errors, stock_typed);
  } else if (is_admin(context)) {
    main += pack_form(context, model::ResourcePack{}, true, errors, stock_typed);
  }
  if (packs.empty()) {
    main += util::cat("<p>", context.t("catalogue.none"), "</p>");
    return page(status, context, tr(context.lang, "catalogue.title"), kPath, main);
  }
  const PageSlice slice = slice_of(request, packs.size(), kRowsPerPage);
  main += util::cat("<p>",
                    html_escape(util::format(tr(context.lang, "catalogue.range"), slice.first + 1,
                                             slice.end, packs.size())),
                    "</p>", pager(context, kPath, slice));
  main += util::cat("<table><thead><tr><th>", context.t("adm.col.id"), "</th><th>",
                    context.t("adm.col.title"), "</th><th>", context.t("adm.col.languages"),
                    "</th><th>", context.t("adm.col.format"), "</th><th>",
                    context.t("adm.col.stock"), "</th><th>", context.t("adm.col.state"), "</th>");
  if (may_write(context)) main += util::cat("<th>", context.t("col.actions"), "</th>");
  main += "</tr></thead><tbody>";
  for (std::size_t i = slice.first; i < slice.end; ++i) {
    const auto& pack = packs[i];
    main += util::cat("<tr id=\"p-", html_escape(pack.id), "\"><td>", html_escape(pack.id),
                      "</td><td>", html_escape(pack.title), "</td><td>",
                      html_escape(util::join(pack.languages, ',')), "</td><td>",
                      context.t(util::cat("adm.format.", model::to_string(pack.format))),
                      "</td><td>", stock_cell(context, pack), "</td><td>",
                      pack.retired ? context.t("adm.pack_retired") : std::string(), "</td>");
    if (may_write(context)) {
      main += util::cat("<td><a href=\"/console/catalogue?edit=", html_escape(pack.id), "\">",
                        context.t("adm.edit"), "</a></td>");
    }
    main += "</tr>";
  }
  main += "</tbody></table>";
  return page(status, context, tr(context.lang, "catalogue.title"), kPath, main);
}

std::string own_stock_text(const Context& context, const model::ResourcePack& pack) {
  return std::to_string(pack.stock_at(context.user().office));
}

}  // namespace

ApiResponse catalogue_get(Env& env, const ApiRequest& request, Context& context) {
  if (const auto id = request.param("edit"); id && may_write(context)) {
    const auto pack = find_pack(env, *id);
    if (!pack) return refusal(404, context, "catalogue.not_found");
    return catalogue_page(env, request, context, 200, pack, false, {},
                          is_admin(context) ? stock_text(*pack) : own_stock_text(context, *pack));
  }
  return catalogue_page(env, request, context, 200, std::nullopt, true, {}, {});
}

ApiResponse catalogue_post(Env& env, const ApiRequest& request, Context& context) {
  if (!may_write(context)) return refusal(403, context, "catalogue.forbidden");
  const auto form = Form::parse(request.body);  // already parsed once: it is well-formed
  const std::string id(util::trim_blanks(form->get("id")));
  const bool is_new = is_admin(context) && form->get("new") == "1";
  const auto before = find_pack(env, id);
  FieldMessages errors;
  model::ResourcePack pack;
  std::string stock_typed;
  if (is_new) {
    if (before) errors.emplace("id", context.t("catalogue.id_taken"));
    pack.id = id;
  } else if (!before) {
    return refusal(404, context, "catalogue.not_found");
  } else {
    pack = *before;
  }
  if (is_admin(context)) {
    pack.title = form->get("title");
    pack.languages.clear();
    for (const auto& code : util::split(form->get("languages"), ',')) {
      const std::string_view trimmed = util::trim_blanks(code);
      if (!trimmed.empty()) pack.languages.emplace_back(trimmed);
    }
    if (const auto format = model::pack_format_from(form->get("format"))) {
      pack.format = *format;
    } else {
      errors.emplace("format", context.t("adm.err.invalid"));
    }
    if (!is_new) pack.retired = form->get("retired") == "1";
    stock_typed = form->get("stock");
    if (auto stock = stock_from(stock_typed)) {
      pack.stock = std::move(*stock);
    } else {
      errors.emplace("stock", context.t("adm.err.stock_line"));
    }
  } else {
    stock_typed = form->get("quantity");
    const auto quantity = quantity_from(stock_typed);
    if (!quantity || *quantity < 0) {
      errors.emplace("stock", context.t("adm.err.number"));
    } else {
      const std::string& office = context.user().office;
      auto line = std::find_if(pack.stock.begin(), pack.stock.end(),
                               [&](const auto& s) { return s.office == office; });
      if (line == pack.stock.end()) {
        pack.stock.push_back({office, *quantity});
      } else {
        line->quantity = *quantity;
      }
    }
  }
  // The validation the catalogue import applies, on a copy.
  model::ResourcePack checked = pack;
  for (auto& [field, message] : field_messages(context, model::normalize_and_validate(checked))) {
    errors.try_emplace(field, std::move(message));
  }
  if (!errors.empty()) {
    return catalogue_page(env, request, context, 400, pack, is_new, errors, stock_typed);
  }
  auto saved = env.store.import_catalog({checked}, {});
  if (!saved) {
    return catalogue_page(env, request, context, 400, pack, is_new,
                          field_messages(context, saved.error().errors), stock_typed);
  }
  const auto after = find_pack(env, checked.id);
  env.accounts.audit(
      {.actor = context.actor(),
       .action = is_new ? "pack_create" : "pack_edit",
       .target = checked.id,
       .client_address = request.client_address,
       .before_json = before ? protocol::encode_record(*before) : std::string("{}"),
       .after_json = after ? protocol::encode_record(*after) : protocol::encode_record(checked)});
  return redirect(context, util::cat("/console/catalogue?done=", checked.id));
}

}  // namespace alliance::central::console
