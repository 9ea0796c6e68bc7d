// The office console's pages and actions: HTML built here, escaped value by
// value; every POST checks its CSRF token; every decision is audited.
#include "central/console/console.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <charconv>
#include <chrono>

#include "central/console/text.hpp"
#include "central/crypto.hpp"
#include "central/http/form.hpp"
#include "central/store/central_store.hpp"
#include "common/model/codes.hpp"
#include "common/model/text.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {

using console::Lang;
using console::tr;

namespace {

constexpr std::string_view kSessionCookie = "console_session";
constexpr std::string_view kLoginCookie = "console_login";  // the sign-in form's CSRF token
constexpr std::string_view kLangCookie = "console_lang";
constexpr std::size_t kMaxRows = 50;  // a page of requests stays well under 100 KB
constexpr std::size_t kMaxReasonLength = 500;

constexpr std::string_view kStyle =
    "body{font-family:sans-serif;margin:0;color:#1a1a1a;background:#f6f6f4}"
    "header{background:#1d4e89;color:#fff;padding:.5em 1em;display:flex;flex-wrap:wrap;"
    "gap:1em;align-items:center}header h1{font-size:1.2em;margin:0;flex:1}"
    "header a{color:#fff}main{padding:1em;max-width:72em}"
    "table{border-collapse:collapse;width:100%;background:#fff}"
    "th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}"
    "form.inline{display:inline-block;margin:.1em}.msg{padding:.5em;background:#e6f2e6}"
    ".err{padding:.5em;background:#fbe3e3;color:#7a0000}label{display:block;margin:.5em 0}"
    "input[type=text],input[type=password]{width:100%;max-width:20em;padding:.3em}"
    "button{padding:.3em .8em}nav.lang a{margin-right:.5em}";

std::string base64(const unsigned char* bytes, int size) {
  std::string out(static_cast<std::size_t>(4 * ((size + 2) / 3)) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, size);
  out.resize(static_cast<std::size_t>(written));
  return out;
}

// The inline style is allowed by its hash, so the policy needs no 'unsafe-inline'.
const std::string& content_security_policy() {
  static const std::string policy = [] {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(kStyle.data()), kStyle.size(), digest);
    return util::cat("default-src 'none'; style-src 'sha256-", base64(digest, sizeof digest),
                     "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  }();
  return policy;
}

bool same_secret(std::string_view a, std::string_view b) {
  return !a.empty() && a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
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

}  // namespace

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

// What one request carries through the pages: its language, the signed-in
// session if any, and the headers to add to the answer.
struct Console::Context {
  Lang lang = Lang::en;
  std::optional<ConsoleSession> session;
  std::vector<std::pair<std::string, std::string>> headers;

  std::string t(std::string_view key) const { return html_escape(tr(lang, key)); }
};

namespace {

std::string cookie_attributes(const ConsoleLimits& limits) {
  return limits.secure_cookies ? "; Path=/console/; HttpOnly; SameSite=Strict; Secure"
                               : "; Path=/console/; HttpOnly; SameSite=Strict";
}

std::string hidden_csrf(std::string_view token) {
  return util::cat("<input type=\"hidden\" name=\"csrf\" value=\"", html_escape(token), "\">");
}

// A whole page: the header (title, account, sign-out, languages) and `main`.
ApiResponse page(int status, const Console::Context& context, std::string_view title,
                 std::string_view self_path, std::string_view main) {
  std::string html =
      util::cat("<!DOCTYPE html>\n<html lang=\"", console::code_of(context.lang),
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
    html +=
        util::cat("<a href=\"", html_escape(self_path), "?lang=", console::code_of(lang),
                  "\" hreflang=\"", console::code_of(lang), "\">", console::code_of(lang), "</a>");
  }
  html += util::cat("</nav></header><main><h2>", html_escape(title), "</h2>", main,
                    "</main></body></html>\n");
  ApiResponse response{.status = status, .body = std::move(html)};
  response.content_type = "text/html; charset=utf-8";
  response.headers = context.headers;
  response.headers.emplace_back("Content-Security-Policy", content_security_policy());
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("Content-Language", std::string(console::code_of(context.lang)));
  return response;
}

ApiResponse redirect(const Console::Context& context, std::string location) {
  ApiResponse response{.status = 303, .body = {}};
  response.content_type = "text/plain; charset=utf-8";
  response.headers = context.headers;
  response.headers.emplace_back("Location", std::move(location));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  return response;
}

ApiResponse refusal(int status, const Console::Context& context, std::string_view message_key) {
  return page(status, context, tr(context.lang, "forbidden.title"), "/console/requests",
              util::cat("<p class=\"err\">", context.t(message_key),
                        "</p><p><a href=\"/console/requests\">", context.t("back"), "</a></p>"));
}

std::string status_text(const Console::Context& context, model::RequestStatus status) {
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

}  // namespace

Console::Console(CentralStore& store, const ConsoleLimits& limits)
    : store_(store),
      limits_(limits),
      accounts_(AccountStore::open(store.db_spec())),
      login_per_address_(limits.login_attempts_per_address, limits.login_window, 20'000),
      login_per_account_(limits.login_attempts_per_account, limits.login_window, 20'000) {}

bool Console::owns(std::string_view path) {
  return path == "/console" || path.starts_with("/console/");
}

std::optional<ApiResponse> Console::screen(const ApiRequest& head) const {
  Context context;
  if (head.method != "GET" && head.method != "POST") {
    auto response = page(405, context, tr(context.lang, "forbidden.title"), "/console/login",
                         util::cat("<p class=\"err\">", context.t("bad_form"), "</p>"));
    response.headers.emplace_back("Allow", "GET, POST");
    return response;
  }
  if (head.method == "POST") {
    const std::string_view type = head.header("content-type");
    const std::string media = util::ascii_lower(util::trim_blanks(type.substr(0, type.find(';'))));
    if (media != "application/x-www-form-urlencoded") {
      return page(415, context, tr(context.lang, "forbidden.title"), "/console/login",
                  util::cat("<p class=\"err\">", context.t("bad_form"), "</p>"));
    }
    const std::string_view length = util::trim_blanks(head.header("content-length"));
    std::size_t declared = 0;
    const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), declared);
    if (!length.empty() && (ec != std::errc{} || end != length.data() + length.size() ||
                            declared > limits_.max_form_bytes)) {
      return page(413, context, tr(context.lang, "forbidden.title"), "/console/login",
                  util::cat("<p class=\"err\">", context.t("bad_form"), "</p>"));
    }
  }
  return std::nullopt;
}

ApiResponse Console::handle(const ApiRequest& request) {
  Context context;
  // The language: ?lang= (remembered in a cookie), the cookie, the browser's.
  if (const auto asked = request.param("lang"); asked && console::lang_from(*asked)) {
    context.lang = *console::lang_from(*asked);
    context.headers.emplace_back("Set-Cookie",
                                 util::cat(kLangCookie, "=", console::code_of(context.lang),
                                           cookie_attributes(limits_), "; Max-Age=31536000"));
  } else if (const auto remembered = cookie(request, kLangCookie);
             remembered && console::lang_from(*remembered)) {
    context.lang = *console::lang_from(*remembered);
  } else {
    context.lang = console::lang_from_accept_language(request.header("accept-language"));
  }
  if (request.body.size() > limits_.max_form_bytes) {
    return page(413, context, tr(context.lang, "forbidden.title"), "/console/login",
                util::cat("<p class=\"err\">", context.t("bad_form"), "</p>"));
  }
  try {
    return route(request, context);
  } catch (const std::exception&) {
    auto response = page(503, context, tr(context.lang, "forbidden.title"), "/console/requests",
                         util::cat("<p class=\"err\">", context.t("busy"), "</p>"));
    response.retry_after_s = 5;
    return response;
  }
}

ApiResponse Console::route(const ApiRequest& request, Context& context) {
  const SessionTimeouts timeouts{.idle_ms = limits_.session_idle.count(),
                                 .absolute_ms = limits_.session_absolute.count()};
  const auto token = cookie(request, kSessionCookie);
  if (token) context.session = accounts_->find_session(*token, now_ms(), timeouts);

  const std::string_view path = request.path;
  const bool post = request.method == "POST";
  if (path == "/console/login")
    return post ? login(request, context) : login_page(request, context);
  if (path == "/console" || path == "/console/") {
    return redirect(context, context.session ? "/console/requests" : "/console/login");
  }
  if (path != "/console/logout" && path != "/console/requests") {
    return page(404, context, tr(context.lang, "forbidden.title"), "/console/requests",
                util::cat("<p class=\"err\">", context.t("not_found"), "</p>"));
  }
  if (!context.session) {
    // A POST without a live session cannot carry a valid CSRF token.
    if (post) return refusal(403, context, "forbidden.csrf");
    return redirect(context, token ? "/console/login?expired=1" : "/console/login");
  }
  if (post) {
    const auto form = parse_form(request.body);
    const auto csrf =
        form ? form->find("csrf") : std::map<std::string, std::string>::const_iterator{};
    if (!form || csrf == form->end() || !same_secret(csrf->second, context.session->csrf_token)) {
      return refusal(403, context, "forbidden.csrf");
    }
    if (path == "/console/logout") return logout(request, context);
    return decide(request, context);
  }
  if (path == "/console/logout") return redirect(context, "/console/requests");
  return requests_page(request, context);
}

ApiResponse Console::login_page(const ApiRequest& request, Context& context) {
  if (context.session) return redirect(context, "/console/requests");
  std::string message;
  if (request.param("expired")) {
    message = util::cat("<p class=\"msg\">", context.t("login.expired"), "</p>");
  }
  const std::string form_token = random_hex(16);
  context.headers.emplace_back(
      "Set-Cookie",
      util::cat(kLoginCookie, "=", form_token, cookie_attributes(limits_), "; Max-Age=3600"));
  return page(
      200, context, tr(context.lang, "login.title"), "/console/login",
      util::cat(message, "<form method=\"post\" action=\"/console/login\">",
                hidden_csrf(form_token), "<label>", context.t("login.name"),
                "<br><input type=\"text\" name=\"name\" autocomplete=\"username\" required "
                "maxlength=\"64\" autofocus></label><label>",
                context.t("login.password"),
                "<br><input type=\"password\" name=\"password\" autocomplete=\"current-password\" "
                "required></label><button type=\"submit\">",
                context.t("login.submit"), "</button></form>"));
}

ApiResponse Console::login(const ApiRequest& request, Context& context) {
  context.session.reset();  // a sign-in replaces whatever session the browser had
  const auto form = parse_form(request.body);
  const auto field = [&](std::string_view name) -> std::string {
    if (!form) return {};
    const auto it = form->find(name);
    return it == form->end() ? std::string() : it->second;
  };
  const auto form_cookie = cookie(request, kLoginCookie);
  if (!form || !form_cookie || !same_secret(field("csrf"), *form_cookie)) {
    return refusal(403, context, "forbidden.csrf");
  }
  const std::string name(util::trim_blanks(field("name")));
  const std::string password = field("password");
  auto again = [&](int status, std::string_view message_key) {
    auto response = login_page(request, context);
    const std::string marker = "<form method=\"post\"";
    response.status = status;
    const auto at = response.body.find(marker);
    if (at == std::string::npos) return response;
    response.body.insert(at, util::cat("<p class=\"err\">", context.t(message_key), "</p>"));
    return response;
  };
  // The audit names what was typed only when it could be an account name.
  const std::string typed = account_name_problem(name) ? std::string("?") : name;
  const auto now = std::chrono::steady_clock::now();
  if (login_per_address_.attempt(request.client_address, now) ||
      login_per_account_.attempt(util::ascii_lower(name.substr(0, 64)), now)) {
    accounts_->audit({.actor = typed,
                      .action = "login_refused",
                      .target = typed,
                      .client_address = request.client_address,
                      .after_json = json_object({{"reason", "rate_limited"}})});
    auto response = again(429, "login.limited");
    response.retry_after_s = static_cast<int>(limits_.login_window.count());
    return response;
  }
  const auto user = accounts_->verify_login(name, password);
  if (!user) {
    accounts_->audit({.actor = typed,
                      .action = "login_failed",
                      .target = typed,
                      .client_address = request.client_address});
    return again(200, "login.wrong");
  }
  const auto session = accounts_->create_session(user->name, now_ms());
  accounts_->audit({.actor = util::cat("console:", user->name),
                    .action = "login",
                    .target = user->name,
                    .client_address = request.client_address});
  context.headers.emplace_back(
      "Set-Cookie", util::cat(kSessionCookie, "=", session.token, cookie_attributes(limits_)));
  context.headers.emplace_back(
      "Set-Cookie", util::cat(kLoginCookie, "=", cookie_attributes(limits_), "; Max-Age=0"));
  return redirect(context, "/console/requests");
}

ApiResponse Console::logout(const ApiRequest& request, Context& context) {
  if (const auto token = cookie(request, kSessionCookie)) accounts_->end_session(*token);
  accounts_->audit({.actor = util::cat("console:", context.session->user.name),
                    .action = "logout",
                    .target = context.session->user.name,
                    .client_address = request.client_address});
  context.headers.emplace_back(
      "Set-Cookie", util::cat(kSessionCookie, "=", cookie_attributes(limits_), "; Max-Age=0"));
  context.session.reset();
  return redirect(context, "/console/login");
}

ApiResponse Console::requests_page(const ApiRequest& request, Context& context, int status,
                                   std::string_view error) {
  const ConsoleUser& user = context.session->user;
  const std::string office = user.role == ConsoleRole::admin ? std::string() : user.office;
  const auto requests = accounts_->list_requests(office);
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
    std::size_t page_index = 0;
    if (const auto asked = request.param("page")) {
      std::size_t parsed = 0;
      const auto [end, ec] = std::from_chars(asked->data(), asked->data() + asked->size(), parsed);
      if (ec == std::errc{} && end == asked->data() + asked->size()) page_index = parsed;
    }
    const std::size_t last_page = (requests.size() - 1) / kMaxRows;
    page_index = std::min(page_index, last_page);
    const std::size_t first = page_index * kMaxRows;
    const std::size_t end_row = std::min(requests.size(), first + kMaxRows);
    main += util::cat("<p>",
                      html_escape(util::format(tr(context.lang, "requests.range"), first + 1,
                                               end_row, requests.size())),
                      "</p>");
    if (page_index > 0 || page_index < last_page) {
      main += "<nav class=\"pages\">";
      if (page_index > 0) {
        main += util::cat("<a href=\"/console/requests?page=", page_index - 1, "\">",
                          context.t("page.newer"), "</a> ");
      }
      if (page_index < last_page) {
        main += util::cat("<a href=\"/console/requests?page=", page_index + 1, "\">",
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

ApiResponse Console::decide(const ApiRequest& request, Context& context) {
  const ConsoleUser& user = context.session->user;
  if (user.role == ConsoleRole::viewer) return refusal(403, context, "forbidden.role");
  const auto form = parse_form(request.body);  // already parsed once: it is well-formed
  const auto field = [&](std::string_view name) -> std::string {
    const auto it = form->find(name);
    return it == form->end() ? std::string() : it->second;
  };
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
  const auto existing = accounts_->find_request(field("id"));
  if (!existing || (user.role != ConsoleRole::admin && existing->office != user.office)) {
    // Another office's request is answered exactly like a missing one.
    return requests_page(request, context, 404, tr(context.lang, "action.not_found"));
  }
  const std::string reason = model::collapse_whitespace(field("reason"));
  if (status == model::RequestStatus::cancelled &&
      (reason.empty() || reason.size() > kMaxReasonLength ||
       model::has_control_characters(reason))) {
    return requests_page(request, context, 400, tr(context.lang, "action.reason_required"));
  }
  const std::string before(model::to_string(existing->request.status));
  auto updated =
      store_.set_request_status(existing->request.id, status, util::cat("console:", user.name));
  if (!updated) {
    if (updated.error().code == "invalid_transition") {
      return requests_page(
          request, context, 409,
          util::format(tr(context.lang, "action.invalid"),
                       tr(context.lang, util::cat("status.", before)),
                       tr(context.lang, util::cat("status.", model::to_string(status)))));
    }
    return requests_page(request, context, 404, tr(context.lang, "action.not_found"));
  }
  const std::string after(model::to_string(updated->status));
  accounts_->audit({.actor = util::cat("console:", user.name),
                    .action = "request_status",
                    .target = existing->request.id,
                    .client_address = request.client_address,
                    .before_json = json_object({{"status", before}}),
                    .after_json = status == model::RequestStatus::cancelled
                                      ? json_object({{"status", after}, {"reason", reason}})
                                      : json_object({{"status", after}})});
  return redirect(context, util::cat("/console/requests?done=", existing->request.id));
}

}  // namespace alliance::central
