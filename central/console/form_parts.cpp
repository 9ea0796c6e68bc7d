// Form fields with their errors, paged-list links and visible events for the console's pages.
#include "central/console/form_parts.hpp"

#include <algorithm>

#include "central/store/central_store.hpp"
#include "common/util/strings.hpp"

namespace alliance::central::console {

std::string field_message(const Context& context, std::string_view key) {
  const auto dot = key.rfind('.');
  const std::string_view problem = dot == std::string_view::npos ? key : key.substr(dot + 1);
  for (const std::string_view known :
       {"required", "too_long", "invalid", "out_of_range", "unknown_code", "control_characters",
        "invalid_utf8", "too_many"}) {
    if (problem == known) return context.t(util::cat("adm.err.", known));
  }
  return context.t("adm.err.invalid");
}

FieldMessages field_messages(const Context& context, const model::FieldErrors& errors) {
  FieldMessages out;
  for (const auto& error : errors) {
    const std::string base = error.field.substr(0, error.field.find_first_of("[."));
    out.try_emplace(base, field_message(context, error.key));
  }
  return out;
}

std::string error_of(const FieldMessages& errors, std::string_view name) {
  const auto it = errors.find(name);
  if (it == errors.end()) return {};
  return util::cat(" <span class=\"field-err\" id=\"err-", name, "\">", it->second, "</span>");
}

std::string text_field(const Context& context, const FieldMessages& errors,
                       std::string_view label_key, std::string_view name, std::string_view value,
                       std::string_view type, std::string_view extra) {
  const bool wrong = errors.contains(name);
  return util::cat("<label>", context.t(label_key), "<br><input type=\"", type, "\" name=\"", name,
                   "\" value=\"", html_escape(value), "\"",
                   wrong ? util::cat(" aria-invalid=\"true\" aria-describedby=\"err-", name, "\"")
                         : std::string(),
                   extra.empty() ? "" : " ", extra, ">", error_of(errors, name), "</label>");
}

std::string select_field(const Context& context, const FieldMessages& errors,
                         std::string_view label_key, std::string_view name,
                         const std::vector<std::pair<std::string, std::string>>& options,
                         std::string_view selected) {
  std::string html = util::cat("<label>", context.t(label_key), "<br><select name=\"", name, "\">");
  for (const auto& [value, label] : options) {
    html += util::cat("<option value=\"", html_escape(value), "\"",
                      value == selected ? " selected" : "", ">", html_escape(label), "</option>");
  }
  return util::cat(html, "</select>", error_of(errors, name), "</label>");
}

std::string check_field(const Context& context, std::string_view label_key, std::string_view name,
                        bool checked) {
  return util::cat("<label><input type=\"checkbox\" name=\"", name, "\" value=\"1\"",
                   checked ? " checked" : "", "> ", context.t(label_key), "</label>");
}

PageSlice slice_of(const ApiRequest& request, std::size_t total, std::size_t per_page) {
  PageSlice slice;
  if (total == 0) return slice;
  slice.last = (total - 1) / per_page;
  slice.index = std::min(page_index(request), slice.last);
  slice.first = slice.index * per_page;
  slice.end = std::min(total, slice.first + per_page);
  return slice;
}

std::string pager(const Context& context, std::string_view path, const PageSlice& slice) {
  if (slice.last == 0) return {};
  const char joiner = path.find('?') == std::string_view::npos ? '?' : '&';
  std::string html = "<nav class=\"pages\">";
  if (slice.index > 0) {
    html += util::cat("<a href=\"", html_escape(path), joiner, "page=", slice.index - 1, "\">",
                      context.t("page.newer"), "</a> ");
  }
  if (slice.index < slice.last) {
    html += util::cat("<a href=\"", html_escape(path), joiner, "page=", slice.index + 1, "\">",
                      context.t("page.older"), "</a>");
  }
  return html + "</nav>";
}

std::vector<model::TrainingEvent> visible_events(Env& env, const Context& context) {
  std::vector<model::TrainingEvent> events;
  for (auto& record : env.store.list(protocol::Entity::event)) {
    auto& event = std::get<model::TrainingEvent>(record);
    if (context.may_see(event.office)) events.push_back(std::move(event));
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.start_date > b.start_date; });
  return events;
}

}  // namespace alliance::central::console
