// The office console: server-rendered HTML pages under /console/ on the API's
// listener, with sessions, CSRF tokens, roles and the audit log; the pages
// are in pages.hpp. No JavaScript and no external resources.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "central/console/accounts.hpp"
#include "central/console/page.hpp"
#include "central/http/api.hpp"

namespace alliance::central {

class Console {
 public:
  // Opens its own connection to the store's file. Throws store::StoreError.
  Console(CentralStore& store, const ConsoleLimits& limits);

  // Whether a path is the console's ("/console" and below).
  static bool owns(std::string_view path);

  // From the request line and headers alone: nullopt to read the body, or
  // the answer (wrong method, media type or size).
  std::optional<ApiResponse> screen(const ApiRequest& head) const;
  ApiResponse handle(const ApiRequest& request);

  AccountStore& accounts() { return *accounts_; }

 private:
  using Context = console::Context;
  RateLimiter::SharedCounter shared_login_counter(std::string scope, int max_attempts);
  ApiResponse route(const ApiRequest& request, Context& context);
  ApiResponse login_page(const ApiRequest& request, Context& context);
  ApiResponse login(const ApiRequest& request, Context& context);
  ApiResponse logout(const ApiRequest& request, Context& context);

  CentralStore& store_;
  ConsoleLimits limits_;
  std::unique_ptr<AccountStore> accounts_;
  RateLimiter login_per_address_;
  RateLimiter login_per_account_;
  // Last member: stopped and joined before the stores it uses go.
  std::mutex upkeep_mutex_;
  std::condition_variable_any upkeep_wake_;
  std::jthread keys_upkeep_;
};

}  // namespace alliance::central
