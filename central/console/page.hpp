// What every console page shares: the request's context (language, session,
// answer headers), HTML escaping, the page frame with its navigation, and the
// answers (redirect, refusal) pages give. Pages are free functions with the
// PageHandler signature, listed in console.cpp's route table.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "central/console/accounts.hpp"
#include "central/console/text.hpp"
#include "central/http/api.hpp"
#include "common/model/resource.hpp"

namespace alliance::central {

class CentralStore;

// Text made safe for HTML element content and quoted attribute values.
std::string html_escape(std::string_view text);

namespace console {

// What one request carries through the pages: its language, the signed-in
// session if any, and the headers to add to the answer.
struct Context {
  Lang lang = Lang::en;
  std::optional<ConsoleSession> session;
  std::vector<std::pair<std::string, std::string>> headers;

  std::string t(std::string_view key) const { return html_escape(tr(lang, key)); }
  // The signed-in account (pages behind the session check only).
  const ConsoleUser& user() const { return session->user; }
  // The office whose data the account may see: "" (every office) for admins.
  std::string visible_office() const;
  // Whether the account may see data of `office`.
  bool may_see(std::string_view office) const;
  // The actor written in records and the audit log: "console:NAME".
  std::string actor() const;
};

// What pages work with: the store, the accounts (and their connection), limits.
struct Env {
  CentralStore& store;
  AccountStore& accounts;
  const ConsoleLimits& limits;
};

using PageHandler = ApiResponse (*)(Env&, const ApiRequest&, Context&);

// A decoded form body or query: the first value of a name, or every value
// (for check-box lists in bulk actions).
class Form {
 public:
  // nullopt for a broken escape.
  static std::optional<Form> parse(std::string_view text);
  std::string get(std::string_view name) const;
  std::vector<std::string> all(std::string_view name) const;
  bool has(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

// The hidden CSRF field every form of a session carries.
std::string hidden_csrf(std::string_view token);
// A whole page: the header (title, navigation, account, sign-out, languages)
// and `main` (already HTML). `self_path` is where the language links point.
ApiResponse page(int status, const Context& context, std::string_view title,
                 std::string_view self_path, std::string_view main);
ApiResponse redirect(const Context& context, std::string location);
// A short page with one error message (a text key) and a link back.
ApiResponse refusal(int status, const Context& context, std::string_view message_key);
// A file download (CSV exports): owner's headers plus Content-Disposition.
ApiResponse download(const Context& context, std::string content_type, std::string filename,
                     std::string body);
std::string status_text(const Context& context, model::RequestStatus status);
// {"a":"1",...} with every value a JSON string (for the audit log).
std::string json_object(std::initializer_list<std::pair<std::string_view, std::string_view>> items);
// "?page=N" as a page index (0 when absent or malformed).
std::size_t page_index(const ApiRequest& request);
// The cookie `name` of a request, if it has one.
std::optional<std::string> cookie(const ApiRequest& request, std::string_view name);
bool same_secret(std::string_view a, std::string_view b);
std::int64_t now_ms();

}  // namespace console
}  // namespace alliance::central
