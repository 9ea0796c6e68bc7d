// A client for the office console that keeps its cookies, like a browser
// without JavaScript, and small helpers for console tests.
#pragma once

#include <httplib.h>

#include <cctype>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "central/console/accounts.hpp"
#include "server_fixture.hpp"

namespace alliance::test {

inline constexpr const char* kConsolePassword = "correct horse battery";

inline std::string form_encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

class ConsoleClient {
 public:
  explicit ConsoleClient(const TestServer& server) : client_(server.client()) {}

  httplib::Result get(const std::string& path, httplib::Headers headers = {}) {
    add_cookies(headers);
    auto res = client_->Get(path, headers);
    keep_cookies(res);
    return res;
  }

  httplib::Result post(const std::string& path,
                       const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
      if (!body.empty()) body += '&';
      body += form_encoded(name) + "=" + form_encoded(value);
    }
    httplib::Headers headers;
    add_cookies(headers);
    auto res = client_->Post(path, headers, body, "application/x-www-form-urlencoded");
    keep_cookies(res);
    return res;
  }

  // Opens the sign-in page and posts the form with its token.
  httplib::Result login(const std::string& name, const std::string& password = kConsolePassword) {
    const auto page = get("/console/login");
    if (!page || page->status != 200) throw std::runtime_error("no sign-in page");
    return post("/console/login",
                {{"csrf", cookie("console_login")}, {"name", name}, {"password", password}});
  }

  std::string cookie(const std::string& name) const {
    const auto it = cookies_.find(name);
    return it == cookies_.end() ? std::string() : it->second;
  }
  void set_cookie(const std::string& name, const std::string& value) { cookies_[name] = value; }

 private:
  void add_cookies(httplib::Headers& headers) const {
    std::string line;
    for (const auto& [name, value] : cookies_) {
      if (!line.empty()) line += "; ";
      line += name + "=" + value;
    }
    if (!line.empty()) headers.emplace("Cookie", line);
  }
  void keep_cookies(const httplib::Result& res) {
    if (!res) return;
    const auto range = res->headers.equal_range("Set-Cookie");
    for (auto it = range.first; it != range.second; ++it) {
      const std::string& value = it->second;
      const auto equals = value.find('=');
      const auto end = value.find(';');
      const std::string name = value.substr(0, equals);
      if (value.find("Max-Age=0") != std::string::npos) {
        cookies_.erase(name);
      } else {
        cookies_[name] = value.substr(equals + 1, end - equals - 1);
      }
    }
  }

  std::unique_ptr<httplib::Client> client_;
  std::map<std::string, std::string> cookies_;
};

inline void add_console_account(TestServer& server, const std::string& name,
                                const std::string& office, central::ConsoleRole role) {
  auto accounts = central::AccountStore::open(server.store().db_spec());
  auto added = accounts->add_user(name, office, role, kConsolePassword);
  if (!added) throw std::runtime_error("a console account could not be added: " + added.error());
}

}  // namespace alliance::test
