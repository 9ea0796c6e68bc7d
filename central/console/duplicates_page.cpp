// The possible duplicates page: pairs of members of one office that the one
// duplicate rule (admin/duplicates.hpp, as `alliance-central duplicates`)
// flags, side by side with the fields that differ, and the merge of a pair
// through the store's merge (as `alliance-central merge`), audited.
#include <algorithm>

#include "central/admin/duplicates.hpp"
#include "central/console/pages.hpp"
#include "central/http/form.hpp"
#include "central/store/central_store.hpp"
#include "common/model/codes.hpp"
#include "common/util/strings.hpp"

namespace alliance::central::console {
namespace {

// The work of one page view is one office's members and their candidate
// pairs; of the pairs, the likeliest kMaxPairs are kept and shown
// kPairsPerPage at a time.
constexpr std::size_t kMaxPairs = 500;
constexpr std::size_t kPairsPerPage = 10;
constexpr std::size_t kMaxOfficesListed = 500;

std::string office_link(std::string_view office, std::size_t page_number = 0) {
  std::string link = util::cat("/console/duplicates?office=", html_escape(form_encoded(office)));
  if (page_number > 0) link += util::cat("&amp;page=", page_number);
  return link;
}

// One row of the side-by-side table: the value of each member, marked when they differ.
std::string compare_row(std::string_view label, std::string_view first, std::string_view second) {
  if (first.empty() && second.empty()) return {};
  const bool differ = first != second;
  const auto cell = [&](std::string_view value) {
    return differ ? util::cat("<td><mark>", html_escape(value), "</mark></td>")
                  : util::cat("<td>", html_escape(value), "</td>");
  };
  return util::cat("<tr><th>", label, "</th>", cell(first), cell(second), "</tr>");
}

std::string optional_number(const std::optional<int>& value) {
  return value ? std::to_string(*value) : std::string();
}

std::string pair_html(const Context& context, const DuplicatePair& pair, bool may_merge) {
  const model::Member& a = pair.first;
  const model::Member& b = pair.second;
  std::string reasons;
  for (const auto signal : pair.assessment.reasons) {
    if (!reasons.empty()) reasons += ", ";
    reasons += context.t(util::cat("dup.signal.", model::duplicate_signal_name(signal)));
  }
  std::string html = util::cat(
      "<section><h3>",
      context.t(util::cat("dup.verdict.", model::duplicate_verdict_name(pair.assessment.verdict))),
      " (", pair.assessment.score, "/100): ", reasons, "</h3><table><thead><tr><th></th><th>",
      html_escape(a.display_name()), "</th><th>", html_escape(b.display_name()),
      "</th></tr></thead><tbody>");
  html += compare_row(context.t("dup.field.reference_code"), a.reference_code, b.reference_code);
  html += compare_row(context.t("dup.field.given_name"), a.given_name, b.given_name);
  html += compare_row(context.t("dup.field.family_name"), a.family_name, b.family_name);
  html += compare_row(context.t("dup.field.organisation"), a.organisation, b.organisation);
  html += compare_row(context.t("dup.field.contact_person"), a.contact_person, b.contact_person);
  html += compare_row(context.t("dup.field.phone"), a.phone, b.phone);
  html += compare_row(context.t("dup.field.email"), a.email, b.email);
  html += compare_row(context.t("dup.field.birth_year"), optional_number(a.birth_year),
                      optional_number(b.birth_year));
  html += compare_row(context.t("dup.field.gender"), a.gender, b.gender);
  html += compare_row(context.t("dup.field.country"), a.country, b.country);
  html += compare_row(context.t("dup.field.region"), a.region, b.region);
  html += compare_row(context.t("dup.field.role"), a.role, b.role);
  html += compare_row(context.t("dup.field.created"), a.created_at.substr(0, 10),
                      b.created_at.substr(0, 10));
  html += "</tbody></table>";
  if (may_merge) {
    const std::string csrf = hidden_csrf(context.session->csrf_token);
    const auto keep_form = [&](const model::Member& keep, const model::Member& drop) {
      return util::cat("<form class=\"inline\" method=\"post\" action=\"/console/duplicates\">",
                       csrf, "<input type=\"hidden\" name=\"office\" value=\"",
                       html_escape(pair.office), "\"><input type=\"hidden\" name=\"keep\" value=\"",
                       html_escape(keep.id), "\"><input type=\"hidden\" name=\"drop\" value=\"",
                       html_escape(drop.id), "\"><button type=\"submit\">",
                       html_escape(util::format(tr(context.lang, "dup.keep"), keep.reference_code,
                                                drop.reference_code)),
                       "</button></form>");
    };
    html += util::cat("<p>", keep_form(a, b), keep_form(b, a), "</p>");
  }
  return html + "</section>";
}

ApiResponse duplicates_page(Env& env, const ApiRequest& request, Context& context, int status,
                            std::string_view error, std::string_view done, std::string office) {
  std::string main;
  if (!error.empty()) main += util::cat("<p class=\"err\">", html_escape(error), "</p>");
  if (!done.empty()) main += util::cat("<p class=\"msg\">", html_escape(done), "</p>");
  const bool admin = context.user().role == ConsoleRole::admin;
  if (!admin) office = context.user().office;
  if (admin && office.empty()) {
    // Admins pick one office at a time: the pair computation is per office.
    const auto offices = env.store.member_offices();
    if (offices.empty()) {
      main += util::cat("<p>", context.t("dup.none"), "</p>");
      return page(status, context, tr(context.lang, "dup.title"), "/console/duplicates", main);
    }
    if (offices.size() == 1) {
      office = offices.front();
    } else {
      main += util::cat("<p>", context.t("dup.pick_office"), "</p><ul>");
      for (std::size_t i = 0; i < offices.size() && i < kMaxOfficesListed; ++i) {
        main += util::cat("<li><a href=\"", office_link(offices[i]), "\">", html_escape(offices[i]),
                          "</a></li>");
      }
      main += "</ul>";
      return page(status, context, tr(context.lang, "dup.title"), "/console/duplicates", main);
    }
  }
  auto pairs = find_duplicate_pairs(env.store.list_members(office));
  const std::size_t found = pairs.size();
  if (pairs.size() > kMaxPairs) pairs.resize(kMaxPairs);
  main += util::cat("<p>", html_escape(util::format(tr(context.lang, "dup.office"), office)), " ",
                    context.t("dup.explain"), "</p>");
  if (pairs.empty()) {
    main += util::cat("<p>", context.t("dup.none"), "</p>");
    return page(status, context, tr(context.lang, "dup.title"), "/console/duplicates", main);
  }
  const std::size_t last_page = (pairs.size() - 1) / kPairsPerPage;
  const std::size_t index = std::min(page_index(request), last_page);
  const std::size_t first = index * kPairsPerPage;
  const std::size_t end = std::min(pairs.size(), first + kPairsPerPage);
  main += util::cat(
      "<p>", html_escape(util::format(tr(context.lang, "dup.range"), first + 1, end, found)),
      found > kMaxPairs
          ? util::cat(" ", html_escape(util::format(tr(context.lang, "dup.capped"), kMaxPairs)))
          : std::string(),
      "</p>");
  if (last_page > 0) {
    main += "<nav class=\"pages\">";
    if (index > 0) {
      main += util::cat("<a href=\"", office_link(office, index - 1), "\">",
                        context.t("dup.previous"), "</a> ");
    }
    if (index < last_page) {
      main += util::cat("<a href=\"", office_link(office, index + 1), "\">", context.t("dup.next"),
                        "</a>");
    }
    main += "</nav>";
  }
  const bool may_merge = context.user().role != ConsoleRole::viewer;
  for (std::size_t i = first; i < end; ++i) main += pair_html(context, pairs[i], may_merge);
  return page(status, context, tr(context.lang, "dup.title"), "/console/duplicates", main);
}

}  // namespace

ApiResponse duplicates_get(Env& env, const ApiRequest& request, Context& context) {
  return duplicates_page(env, request, context, 200, {}, {},
                         std::string(request.param("office").value_or(std::string_view())));
}

ApiResponse duplicates_post(Env& env, const ApiRequest& request, Context& context) {
  if (context.user().role == ConsoleRole::viewer) return refusal(403, context, "forbidden.merge");
  const auto form = Form::parse(request.body);  // already parsed once: it is well-formed
  const std::string keep = form->get("keep");
  const std::string drop = form->get("drop");
  const std::string office = form->get("office");
  const auto refused = [&](int status, std::string_view key) {
    return duplicates_page(env, request, context, status, tr(context.lang, key), {}, office);
  };
  // A member of an office the account may not see is answered like a missing one.
  const auto keep_office = env.store.office_of_member(keep);
  const auto drop_office = env.store.office_of_member(drop);
  if (!keep_office || !drop_office || !context.may_see(*keep_office) ||
      !context.may_see(*drop_office)) {
    return refused(404, "merge.refused.not_found");
  }
  const auto merged = env.store.merge_members(keep, drop, context.actor());
  if (!merged) return refused(409, util::cat("merge.refused.", merged.error().code));
  if (merged->already_merged) {
    return duplicates_page(
        env, request, context, 200, {},
        util::format(tr(context.lang, "merge.already"), merged->merged_at, merged->actor), office);
  }
  env.accounts.audit(
      {.actor = context.actor(),
       .action = "member_merge",
       .target = drop,
       .client_address = request.client_address,
       .before_json = json_object({{"keep", keep}, {"drop", drop}, {"merged_into", ""}}),
       .after_json = json_object({{"keep", keep},
                                  {"drop", drop},
                                  {"merged_into", keep},
                                  {"attendance_moved", std::to_string(merged->attendance_moved)},
                                  {"attendance_folded", std::to_string(merged->attendance_folded)},
                                  {"requests_moved", std::to_string(merged->requests_moved)},
                                  {"fields_filled", util::join(merged->fields_filled, ',')}})});
  return duplicates_page(env, request, context, 200, {},
                         util::format(tr(context.lang, "merge.done"), merged->attendance_moved,
                                      merged->requests_moved),
                         office);
}

}  // namespace alliance::central::console
