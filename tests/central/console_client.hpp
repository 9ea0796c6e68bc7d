// A console client for the tests, like a browser without JavaScript (keeps
// the console's cookies), and fixtures: accounts, requests pushed by a
// device, and what the store holds.
#pragma once

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "central/console/accounts.hpp"
#include "central/http/form.hpp"
#include "common/util/strings.hpp"
#include "server_fixture.hpp"

namespace alliance::console_test {

inline constexpr const char* kPassword = "correct horse battery";

using central::form_encoded;  // the console's own encoder (central/http/form.hpp)

// A client that keeps the console's cookies, like a browser without JavaScript.
class Browser {
 public:
  explicit Browser(const test::TestServer& server) : client_(server.client()) {}

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
  httplib::Result login(const std::string& name, const std::string& password = kPassword) {
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

// The CSRF token the page's forms carry.
inline std::string csrf_of(const std::string& html) {
  const std::string marker = "name=\"csrf\" value=\"";
  const auto at = html.find(marker);
  if (at == std::string::npos) return {};
  return html.substr(at + marker.size(), 64);
}

inline void add_account(test::TestServer& server, const std::string& name,
                        const std::string& office, central::ConsoleRole role) {
  auto accounts = central::AccountStore::open(server.store().db_spec());
  REQUIRE(accounts->add_user(name, office, role, kPassword).has_value());
}

// The clock node the fixtures' pushes use for `device`.
inline std::string node_of(const protocol::EnrollResponse& device) {
  return "n" + device.device_id.substr(device.device_id.size() - 8);
}

// Pushes one change as `device`; throws unless it is applied, naming `what`
// and the server's error code and first field.
inline void push_applied(test::TestServer& server, const protocol::EnrollResponse& device,
                         protocol::Change change, std::string_view what) {
  auto client = server.client();
  const auto pushed = test::push(*client, device.token, {std::move(change)});
  if (pushed.results.empty() || pushed.results[0].outcome != protocol::Outcome::applied) {
    throw std::runtime_error(util::cat(
        "the fixture's ", what, " was not applied: ",
        pushed.results.empty()
            ? std::string("no result")
            : util::cat(pushed.results[0].code, " ",
                        pushed.results[0].errors.empty() ? std::string()
                                                         : pushed.results[0].errors[0].field)));
  }
}

// A request pushed by a device of `office`; returns its id.
inline std::string push_request(
    test::TestServer& server, const protocol::EnrollResponse& device, const std::string& office,
    const std::string& contact = "Amina Njoroge", std::int64_t clock = 1000,
    std::vector<model::RequestLine> lines = {{.pack_id = "CP-TOOLKIT-01", .quantity = 2}}) {
  model::ResourceRequest request;
  request.id = util::new_uuid_v7();
  request.reference_code = "REQ-" + request.id.substr(24);
  request.member_id = util::new_uuid_v7();
  request.contact_name = contact;
  request.lines = std::move(lines);
  request.office = office;
  request.created_at = "2026-11-28T10:00:00.000Z";
  request.transitions = {{.status = model::RequestStatus::requested,
                          .actor = "desk",
                          .at = "2026-11-28T10:00:00.000Z"}};
  push_applied(server, device, test::change_of(request, test::hlc_at(clock, node_of(device))),
               "request");
  return request.id;
}

// The request as the store holds it.
inline model::ResourceRequest stored_request(test::TestServer& server, const std::string& id) {
  for (auto& record : server.store().list(protocol::Entity::request)) {
    auto& request = std::get<model::ResourceRequest>(record);
    if (request.id == id) return std::move(request);
  }
  throw std::runtime_error("no such request in the store");
}

inline model::RequestStatus status_of(test::TestServer& server, const std::string& id) {
  return stored_request(server, id).status;
}

// The audit log's entries of `action`, oldest first.
inline std::vector<central::AuditEntry> audit_of(test::TestServer& server,
                                                 std::string_view action) {
  auto accounts = central::AccountStore::open(server.store().db_spec());
  std::vector<central::AuditEntry> out;
  for (auto& e : accounts->list_audit()) {
    if (e.action == action) out.push_back(std::move(e));
  }
  return out;
}

inline std::string header_of(const httplib::Result& res, const std::string& name) {
  return res ? res->get_header_value(name) : std::string();
}

inline bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace alliance::console_test
