// CentralStore::retrying, shared by the store's source files: a transaction
// run again when concurrent transactions of several central processes
// collided (sql::SqlError::retryable).
#pragma once

#include <chrono>
#include <cstdlib>
#include <string_view>
#include <thread>

#include "central/store/central_store.hpp"
#include "common/util/log.hpp"

namespace alliance::central {

template <class Body>
auto CentralStore::retrying(std::string_view what, Body&& body) -> decltype(body()) {
  for (int attempt = 1;; ++attempt) {
    try {
      return body();
    } catch (const sql::SqlError& e) {
      if (!e.retryable() || attempt >= kMaxTransactionAttempts) throw;
      log::info(
          "central.transaction_retried",
          {{"what", log::Text(what)}, {"sqlstate", log::Text(e.sqlstate())}, {"attempt", attempt}});
      // Concurrent transactions collided: back off a little, differently each time.
      std::this_thread::sleep_for(std::chrono::milliseconds(attempt * 5 + std::rand() % 10));
    }
  }
}

}  // namespace alliance::central
