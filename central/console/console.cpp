// The office console's entry: language choice, sign-in and sign-out, the
// session and CSRF checks, and the route table that hands a request to its
// page (pages.hpp). Pages and their HTML live in their own files.
#include "central/console/console.hpp"

#include <charconv>

#include "central/console/pages.hpp"
#include "central/crypto.hpp"
#include "central/store/central_store.hpp"
#include "common/util/log.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {

using console::Context;
using console::Env;
using console::Form;
using console::Lang;
using console::tr;
using namespace console;  // the shared page helpers (page.hpp)

namespace {

constexpr std::string_view kSessionCookie = "console_session";
constexpr std::string_view kLoginCookie = "console_login";  // the sign-in form's CSRF token
constexpr std::string_view kLangCookie = "console_lang";
constexpr std::string_view kHome = "/console/dashboard";  // where a signed-in account lands

// Every page behind the session: GET shows it, POST (CSRF-checked) acts.
struct Route {
  std::string_view path;
  PageHandler get;
  PageHandler post;  // nullptr: the page takes no form
};
constexpr Route kRoutes[] = {
    {"/console/requests", &requests_get, &requests_post},
    {"/console/devices", &devices_get, &devices_post},
    {"/console/events", &events_get, &events_post},
    {"/console/catalogue", &catalogue_get, &catalogue_post},
    {"/console/exports", &exports_get, &exports_post},
    {"/console/audit", &audit_get, &audit_post},
    {"/console/duplicates", &duplicates_get, &duplicates_post},
    {"/console/stock", &stock_get, &stock_post},
    {"/console/dashboard", &dashboard_get, nullptr},
    {"/console/members", &members_get, nullptr},
    {"/console/member", &member_get, nullptr},
};

std::string cookie_attributes(const ConsoleLimits& limits) {
  return limits.secure_cookies ? "; Path=/console/; HttpOnly; SameSite=Strict; Secure"
                               : "; Path=/console/; HttpOnly; SameSite=Strict";
}

}  // namespace

Console::Console(CentralStore& store, const ConsoleLimits& limits)
    : store_(store),
      limits_(limits),
      accounts_(AccountStore::open(store.db_spec())),
      login_per_address_(limits.login_attempts_per_address, limits.login_window, 20'000,
                         shared_login_counter("login.address", limits.login_attempts_per_address)),
      login_per_account_(limits.login_attempts_per_account, limits.login_window, 20'000,
                         shared_login_counter("login.account", limits.login_attempts_per_account)),
      keys_upkeep_([this](std::stop_token stop) {
        std::unique_lock lock(upkeep_mutex_);
        for (;;) {
          upkeep_wake_.wait_for(lock, stop, limits_.keys_upkeep_every, [] { return false; });
          if (stop.stop_requested()) return;
          try {
            accounts_->catch_up_keys();
          } catch (const std::exception& e) {
            // The next page read catches up itself, or shows the error.
            log::warn("console.keys_upkeep_failed", {{"reason", log::Text(e.what())}});
          }
        }
      }) {}

RateLimiter::SharedCounter Console::shared_login_counter(std::string scope, int max_attempts) {
  // accounts_ is constructed before the limiters (member order).
  return [this, scope = std::move(scope), max_attempts](const std::string& key) {
    return accounts_->count_attempt(scope, key, max_attempts, limits_.login_window);
  };
}

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
    return redirect(context, std::string(context.session ? kHome : "/console/login"));
  }
  const Route* route = nullptr;
  for (const auto& candidate : kRoutes) {
    if (candidate.path == path) route = &candidate;
  }
  if (path != "/console/logout" && route == nullptr) {
    return page(404, context, tr(context.lang, "forbidden.title"), kHome,
                util::cat("<p class=\"err\">", context.t("not_found"), "</p>"));
  }
  if (!context.session) {
    // A POST without a live session cannot carry a valid CSRF token.
    if (post) return refusal(403, context, "forbidden.csrf");
    return redirect(context, token ? "/console/login?expired=1" : "/console/login");
  }
  Env env{store_, *accounts_, limits_};
  if (post) {
    const auto form = Form::parse(request.body);
    if (!form || !same_secret(form->get("csrf"), context.session->csrf_token)) {
      return refusal(403, context, "forbidden.csrf");
    }
    if (path == "/console/logout") return logout(request, context);
    if (route->post == nullptr) return refusal(405, context, "bad_form");
    return route->post(env, request, context);
  }
  if (path == "/console/logout") return redirect(context, std::string(kHome));
  return route->get(env, request, context);
}

ApiResponse Console::login_page(const ApiRequest& request, Context& context) {
  if (context.session) return redirect(context, std::string(kHome));
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
  const auto form = Form::parse(request.body);
  const auto field = [&](std::string_view name) { return form ? form->get(name) : std::string(); };
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
  return redirect(context, std::string(kHome));
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

}  // namespace alliance::central
