// The console's page frame and shared answers. HTML is built here, escaped
// value by value; the one inline style is allowed by its hash.
#include "central/console/page.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <charconv>
#include <chrono>

#include "central/http/form.hpp"
#include "common/model/codes.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace console {
namespace {

constexpr std::string_view kStyle =
    "body{font-family:sans-serif;margin:0;color:#1a1a1a;background:#f6f6f4}"
    "header{background:#1d4e89;color:#fff;padding:.5em 1em;display:flex;flex-wrap:wrap;"
    "gap:1em;align-items:center}header h1{font-size:1.2em;margin:0;flex:1}"
    "header a{color:#fff}main{padding:1em;max-width:72em}"
    "nav.pages-menu{background:#e8edf4;padding:.4em 1em}nav.pages-menu a{margin-right:1em}"
    "nav.pages-menu a[aria-current]{font-weight:bold}"
    "table{border-collapse:collapse;width:100%;background:#fff}"
    "th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}"
    "form.inline{display:inline-block;margin:.1em}.msg{padding:.5em;background:#e6f2e6}"
    ".err{padding:.5em;background:#fbe3e3;color:#7a0000}label{display:block;margin:.5em 0}"
    ".field-err{color:#7a0000;font-size:.9em}"
    "input[type=text],input[type=password],input[type=search],input[type=date],"
    "input[type=number],select{width:100%;max-width:20em;padding:.3em}"
    "button{padding:.3em .8em}nav.lang a{margin-right:.5em}"
    "svg{max-width:100%;height:auto;background:#fff}";

// The pages in the navigation bar, in order; admin_only ones only for admins.
struct NavItem {
  std::string_view path;
  std::string_view key;
  bool admin_only;
};
constexpr NavItem kNavigation[] = {
    {"/console/dashboard", "nav.dashboard", false},
    {"/console/members", "nav.members", false},
    {"/console/requests", "nav.requests", false},
    {"/console/devices", "nav.devices", false},
    {"/console/events", "nav.events", false},
    {"/console/catalogue", "nav.catalogue", false},
    {"/console/exports", "nav.exports", false},
    {"/console/audit", "nav.audit", true},
    {"/console/duplicates", "nav.duplicates", false},
    {"/console/stock", "nav.stock", false},
};

std::string base64(const unsigned char* bytes, int size) {
  std::string out(static_cast<std::size_t>(4 * ((size + 2) / 3)) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, size);
  out.resize(static_cast<std::size_t>(written));
  return out;
}

const std::string& content_security_policy() {
  static const std::string policy = [] {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(kStyle.data()), kStyle.size(), digest);
    return util::cat("default-src 'none'; style-src 'sha256-", base64(digest, sizeof digest),
                     "'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
                     "base-uri 'none'");
  }();
  return policy;
}

void add_safety_headers(ApiResponse& response) {
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
}

}  // namespace

std::string Context::visible_office() const {
  return user().role == ConsoleRole::admin ? std::string() : user().office;
}

bool Context::may_see(std::string_view office) const {
  return user().role == ConsoleRole::admin || office == user().office;
}

std::string Context::actor() const {
  return util::cat("console:", user().name);
}

std::optional<Form> Form::parse(std::string_view text) {
  Form form;
  // Bounded by the caller: bodies and query strings have size limits.
  for (const auto& pair : util::split(text, '&')) {
    if (pair.empty()) continue;
    const std::string_view item(pair);
    const auto equals = item.find('=');
    auto name = form_decoded(item.substr(0, equals));
    auto value = form_decoded(equals == std::string_view::npos ? std::string_view()
                                                               : item.substr(equals + 1));
    if (!name || !value) return std::nullopt;
    form.pairs_.emplace_back(std::move(*name), std::move(*value));
  }
  return form;
}

std::string Form::get(std::string_view name) const {
  for (const auto& [key, value] : pairs_) {
    if (key == name) return value;
  }
  return {};
}

std::vector<std::string> Form::all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [key, value] : pairs_) {
    if (key == name) out.push_back(value);
  }
  return out;
}

bool Form::has(std::string_view name) const {
  for (const auto& pair : pairs_) {
    if (pair.first == name) return true;
  }
  return false;
}

std::string hidden_csrf(std::string_view token) {
  return util::cat("<input type=\"hidden\" name=\"csrf\" value=\"", html_escape(token), "\">");
}

ApiResponse page(int status, const Context& context, std::string_view title,
                 std::string_view self_path, std::string_view main) {
  std::string html =
      util::cat("<!DOCTYPE html>\n<html lang=\"", code_of(context.lang),
                "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                "content=\"width=device-width,initial-scale=1\"><title>",
                html_escape(title), " - ", context.t("title"), "</title><style>", kStyle,
                "</style></head><body><header><h1>", context.t("title"), "</h1>");
  if (context.session) {
    const auto& user = context.session->user;
    html += util::cat("<span>", context.t("signed_in_as"), " <b>", html_escape(user.name), "</b> (",
                      context.t(util::cat("role.", to_string(user.role))), ", ",
                      html_escape(user.office),
                      ")</span><form class=\"inline\" method=\"post\" action=\"/console/logout\">",
                      hidden_csrf(context.session->csrf_token), "<button type=\"submit\">",
                      context.t("logout"), "</button></form>");
  }
  html += util::cat("<nav class=\"lang\" aria-label=\"", context.t("language"), "\">");
  for (const Lang lang : {Lang::en, Lang::fr, Lang::pt, Lang::es}) {
    // A self path with a query (a member's page) keeps it.
    html += util::cat("<a href=\"", html_escape(self_path),
                      self_path.find('?') == std::string_view::npos ? "?lang=" : "&amp;lang=",
                      code_of(lang), "\" hreflang=\"", code_of(lang), "\">", code_of(lang), "</a>");
  }
  html += "</nav></header>";
  if (context.session) {
    html += util::cat("<nav class=\"pages-menu\" aria-label=\"", context.t("nav.label"), "\">");
    for (const auto& item : kNavigation) {
      if (item.admin_only && context.user().role != ConsoleRole::admin) continue;
      html += util::cat("<a href=\"", item.path, "\"",
                        self_path == item.path ? " aria-current=\"page\"" : "", ">",
                        context.t(item.key), "</a>");
    }
    html += "</nav>";
  }
  html += util::cat("<main><h2>", html_escape(title), "</h2>", main, "</main></body></html>\n");
  ApiResponse response{.status = status, .body = std::move(html)};
  response.content_type = "text/html; charset=utf-8";
  response.headers = context.headers;
  response.headers.emplace_back("Content-Security-Policy", content_security_policy());
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Content-Language", std::string(code_of(context.lang)));
  add_safety_headers(response);
  return response;
}

ApiResponse redirect(const Context& context, std::string location) {
  ApiResponse response{.status = 303, .body = {}};
  response.content_type = "text/plain; charset=utf-8";
  response.headers = context.headers;
  response.headers.emplace_back("Location", std::move(location));
  add_safety_headers(response);
  return response;
}

ApiResponse refusal(int status, const Context& context, std::string_view message_key) {
  return page(status, context, tr(context.lang, "forbidden.title"), "/console/requests",
              util::cat("<p class=\"err\">", context.t(message_key),
                        "</p><p><a href=\"/console/requests\">", context.t("back"), "</a></p>"));
}

ApiResponse download(const Context& context, std::string content_type, std::string filename,
                     std::string body) {
  ApiResponse response{.status = 200, .body = std::move(body)};
  response.content_type = std::move(content_type);
  response.headers = context.headers;
  response.headers.emplace_back("Content-Disposition",
                                util::cat("attachment; filename=\"", filename, "\""));
  response.headers.emplace_back("Cache-Control", "no-store");
  add_safety_headers(response);
  return response;
}

std::string status_text(const Context& context, model::RequestStatus status) {
  return context.t(util::cat("status.", model::to_string(status)));
}

std::string json_object(
    std::initializer_list<std::pair<std::string_view, std::string_view>> items) {
  std::string out = "{";
  for (const auto& [key, value] : items) {
    if (out.size() > 1) out += ',';
    out += util::cat(protocol::json_string(key), ":", protocol::json_string(value));
  }
  return out + "}";
}

std::size_t page_index(const ApiRequest& request) {
  std::size_t parsed = 0;
  if (const auto asked = request.param("page")) {
    const auto [end, ec] = std::from_chars(asked->data(), asked->data() + asked->size(), parsed);
    if (ec != std::errc{} || end != asked->data() + asked->size()) parsed = 0;
  }
  return parsed;
}

std::optional<std::string> cookie(const ApiRequest& request, std::string_view name) {
  for (const auto& item : util::split(request.header("cookie"), ';')) {
    const std::string_view pair = util::trim_blanks(item);
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      return std::string(pair.substr(equals + 1));
    }
  }
  return std::nullopt;
}

bool same_secret(std::string_view a, std::string_view b) {
  return !a.empty() && a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace console
}  // namespace alliance::central
