// The office console's accounts, sessions and audit log, on their own
// connection to the central database (schema 5 and later). Passwords are Argon2id
// (libsodium's crypto_pwhash_str); sessions are stored only as hashes.
//
// Thread safety: every method may be called from any thread (one connection
// behind a mutex). Database problems throw store::StoreError (sql::SqlError).
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "central/store/record_keys.hpp"
#include "central/store/sql_connection.hpp"
#include "common/model/resource.hpp"
#include "common/store/database.hpp"

namespace alliance::central {

enum class ConsoleRole { admin, manager, viewer };
std::string_view to_string(ConsoleRole role);
std::optional<ConsoleRole> console_role_from(std::string_view text);

// A password shorter than this is refused; longer than the maximum too (a
// bound on the hashing work a login may ask for).
inline constexpr std::size_t kMinPasswordLength = 10;
inline constexpr std::size_t kMaxPasswordLength = 1024;

// Why `name` cannot be an account name (1 to 64 of A-Z a-z 0-9 . _ @ -), or nullopt.
std::optional<std::string> account_name_problem(std::string_view name);
// Why `password` cannot be a password (length), or nullopt.
std::optional<std::string> password_problem(std::string_view password);

struct ConsoleUser {
  std::string name;
  std::string office;  // an admin's office is informative: admins see every office
  ConsoleRole role = ConsoleRole::viewer;
  std::string created_at;
  std::string updated_at;
};

// A live session, as the pages see it.
struct ConsoleSession {
  ConsoleUser user;
  std::string csrf_token;  // the value every form of this session must post back
};

struct NewSession {
  std::string token;  // the cookie's value; only its hash is stored
  std::string csrf_token;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::string at;  // ISO-8601 UTC
  std::string actor;
  std::string action;  // "login", "login_failed", "logout", "request_status", "user_add", ...
  std::string target;
  std::string client_address;
  std::string before_json = "{}";
  std::string after_json = "{}";
};

// A resource request with the office whose devices wrote it.
struct OfficeRequest {
  std::string office;
  model::ResourceRequest request;
};

struct SessionTimeouts {
  std::int64_t idle_ms = 30 * 60 * 1000;
  std::int64_t absolute_ms = 12 * 60 * 60 * 1000;
};

class AccountStore {
 public:
  // Opens the central database at `path` (migrating it if needed). Throws
  // store::StoreError, or std::runtime_error if libsodium cannot start.
  static std::unique_ptr<AccountStore> open(const std::string& db_spec,
                                            int busy_timeout_ms = 10'000);

  // Errors are messages a person can act on.
  std::expected<void, std::string> add_user(const std::string& name, const std::string& office,
                                            ConsoleRole role, const std::string& password);
  // Also ends every session of the account.
  std::expected<void, std::string> set_password(const std::string& name,
                                                const std::string& password);
  // Removes the account and its sessions; false if there is none.
  bool remove_user(const std::string& name);
  std::optional<ConsoleUser> find_user(const std::string& name);
  std::vector<ConsoleUser> list_users();

  // The account if `password` is its password. An unknown name costs the
  // same hashing work, so timing does not tell which names exist.
  std::optional<ConsoleUser> verify_login(const std::string& name, const std::string& password);

  NewSession create_session(const std::string& user_name, std::int64_t now_ms);
  // The session of a cookie value if it has not expired (then its idle clock
  // restarts); an expired one is deleted.
  std::optional<ConsoleSession> find_session(std::string_view token, std::int64_t now_ms,
                                             const SessionTimeouts& timeouts);
  void end_session(std::string_view token);

  // Counts a sign-in attempt in the window every central process on this
  // database shares (count_shared_attempt): nullopt, or seconds to wait.
  std::optional<int> count_attempt(std::string_view scope, std::string_view key, int max_attempts,
                                   std::chrono::seconds window);

  // Appends to the audit log (entry.id and an empty entry.at are filled in).
  void audit(AuditEntry entry);
  std::vector<AuditEntry> list_audit();
  // At most `limit` entries, newest first, after skipping the `offset` newest.
  std::vector<AuditEntry> list_audit_newest(std::size_t offset, std::size_t limit);
  std::int64_t count_audit();

  // Requests of `office` (every office when empty), newest first.
  std::vector<OfficeRequest> list_requests(const std::string& office);
  std::optional<OfficeRequest> find_request(const std::string& id);

  // Runs `body(connection)` under this store's lock: the pages' own bounded
  // read queries (dashboard, members) on the shared connection, on the
  // console's keys caught up with every record saved so far.
  template <class Body>
  auto read(Body&& body) {
    std::lock_guard lock(mutex_);
    catch_up_record_keys(db_);
    return body(db_);
  }

  // Writes the console's keys of the records saved since the last catch-up
  // (catch_up_record_keys); returns how many. The console's background upkeep.
  std::int64_t catch_up_keys();

 private:
  explicit AccountStore(sql::Connection db) : db_(std::move(db)) {}

  std::mutex mutex_;
  sql::Connection db_;
};

// The audit log as CSV (header row, formula-safe) and as a JSON array.
std::string audit_csv(const std::vector<AuditEntry>& entries);
std::string audit_json(const std::vector<AuditEntry>& entries);
std::string users_csv(const std::vector<ConsoleUser>& users);
std::string users_json(const std::vector<ConsoleUser>& users);

}  // namespace alliance::central
