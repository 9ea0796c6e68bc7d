// Console accounts (Argon2id through libsodium), hashed session tokens and the audit log.
#include "central/console/accounts.hpp"

#include <sodium.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "central/crypto.hpp"
#include "central/store/central_store.hpp"
#include "central/store/rate_limits.hpp"
#include "common/protocol/codec.hpp"
#include "common/util/csv.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::central {
namespace {

std::string now_iso() {
  return util::iso8601_utc(std::chrono::system_clock::now());
}

std::string hash_password(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("not enough memory to hash the password");
  }
  return std::string(out);
}

bool password_matches(const std::string& stored, const std::string& password) {
  if (stored.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

// Verified against when the name is unknown, so it costs the same work.
const std::string& decoy_hash() {
  static const std::string hash = hash_password(random_hex(16));
  return hash;
}

ConsoleUser user_from(sql::Query& q) {
  return ConsoleUser{.name = q.text(0),
                     .office = q.text(1),
                     .role = console_role_from(q.text(2)).value_or(ConsoleRole::viewer),
                     .created_at = q.text(3),
                     .updated_at = q.text(4)};
}

constexpr std::string_view kUserColumns = "name, office, role, created_at, updated_at";

}  // namespace

std::string_view to_string(ConsoleRole role) {
  switch (role) {
    case ConsoleRole::admin:
      return "admin";
    case ConsoleRole::manager:
      return "manager";
    case ConsoleRole::viewer:
      return "viewer";
  }
  return "viewer";
}

std::optional<ConsoleRole> console_role_from(std::string_view text) {
  if (text == "admin") return ConsoleRole::admin;
  if (text == "manager") return ConsoleRole::manager;
  if (text == "viewer") return ConsoleRole::viewer;
  return std::nullopt;
}

std::optional<std::string> account_name_problem(std::string_view name) {
  const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '@' || c == '-';
  });
  if (name.empty() || name.size() > 64 || !plain) {
    return "an account name must be 1 to 64 letters, digits, '.', '_', '@' or '-'";
  }
  return std::nullopt;
}

std::optional<std::string> password_problem(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return util::format("the password is too short: use at least {} characters",
                        kMinPasswordLength);
  }
  if (password.size() > kMaxPasswordLength) {
    return util::format("the password is too long: use at most {} bytes", kMaxPasswordLength);
  }
  return std::nullopt;
}

std::unique_ptr<AccountStore> AccountStore::open(const std::string& db_spec, int busy_timeout_ms) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
  auto db = sql::Connection::open(db_spec, sql::ConnectOptions{.busy_timeout_ms = busy_timeout_ms});
  migrate_central(db);
  return std::unique_ptr<AccountStore>(new AccountStore(std::move(db)));
}

std::int64_t AccountStore::catch_up_keys() {
  std::lock_guard lock(mutex_);
  return catch_up_record_keys(db_);
}

std::expected<void, std::string> AccountStore::add_user(const std::string& name,
                                                        const std::string& office, ConsoleRole role,
                                                        const std::string& password) {
  if (auto problem = account_name_problem(name)) return std::unexpected(*problem);
  if (auto problem = office_name_problem(office)) return std::unexpected(*problem);
  if (auto problem = password_problem(password)) return std::unexpected(*problem);
  const std::string hash = hash_password(password);
  std::lock_guard lock(mutex_);
  sql::Transaction tx(db_);
  auto exists = db_.query("SELECT 1 FROM console_users WHERE name = ?1");
  exists.bind(1, name);
  if (exists.step()) return std::unexpected(util::cat("there is already an account named ", name));
  const std::string now = now_iso();
  db_.query(
         "INSERT INTO console_users (name, office, role, password_hash, created_at, updated_at) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?5)")
      .bind_all(name, office, to_string(role), hash, now)
      .run();
  tx.commit();
  return {};
}

std::expected<void, std::string> AccountStore::set_password(const std::string& name,
                                                            const std::string& password) {
  if (auto problem = password_problem(password)) return std::unexpected(*problem);
  const std::string hash = hash_password(password);
  std::lock_guard lock(mutex_);
  sql::Transaction tx(db_);
  db_.query("UPDATE console_users SET password_hash = ?2, updated_at = ?3 WHERE name = ?1")
      .bind_all(name, hash, now_iso())
      .run();
  if (db_.changes() == 0) return std::unexpected(util::cat("there is no account named ", name));
  db_.query("DELETE FROM console_sessions WHERE user_name = ?1").bind_all(name).run();
  tx.commit();
  return {};
}

bool AccountStore::remove_user(const std::string& name) {
  std::lock_guard lock(mutex_);
  sql::Transaction tx(db_);
  db_.query("DELETE FROM console_sessions WHERE user_name = ?1").bind_all(name).run();
  db_.query("DELETE FROM console_users WHERE name = ?1").bind_all(name).run();
  const bool removed = db_.changes() > 0;
  tx.commit();
  return removed;
}

std::optional<ConsoleUser> AccountStore::find_user(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto q = db_.query(util::cat("SELECT ", kUserColumns, " FROM console_users WHERE name = ?1"));
  q.bind(1, name);
  if (!q.step()) return std::nullopt;
  return user_from(q);
}

std::vector<ConsoleUser> AccountStore::list_users() {
  std::lock_guard lock(mutex_);
  std::vector<ConsoleUser> out;
  auto q = db_.query(util::cat("SELECT ", kUserColumns, " FROM console_users ORDER BY name"));
  while (q.step()) out.push_back(user_from(q));
  return out;
}

std::optional<ConsoleUser> AccountStore::verify_login(const std::string& name,
                                                      const std::string& password) {
  if (password.size() > kMaxPasswordLength) return std::nullopt;
  std::optional<ConsoleUser> user;
  std::string stored;
  {
    std::lock_guard lock(mutex_);
    auto q = db_.query(
        util::cat("SELECT ", kUserColumns, ", password_hash FROM console_users WHERE name = ?1"));
    q.bind(1, name);
    if (q.step()) {
      user = user_from(q);
      stored = q.text(5);
    }
  }
  // Hashing runs outside the lock: it takes a while and much memory.
  if (!user) {
    (void)password_matches(decoy_hash(), password);
    return std::nullopt;
  }
  if (!password_matches(stored, password)) return std::nullopt;
  return user;
}

NewSession AccountStore::create_session(const std::string& user_name, std::int64_t now_ms) {
  NewSession session{.token = random_hex(32), .csrf_token = random_hex(32)};
  std::lock_guard lock(mutex_);
  sql::Transaction tx(db_);
  // Sessions idle past any sane timeout are swept here, so the table stays small.
  db_.query("DELETE FROM console_sessions WHERE last_seen_ms < ?1 OR created_ms < ?2")
      .bind_all(now_ms - SessionTimeouts{}.idle_ms, now_ms - SessionTimeouts{}.absolute_ms)
      .run();
  db_.query(
         "INSERT INTO console_sessions (token_hash, user_name, csrf_token, created_ms, "
         "last_seen_ms) VALUES (?1, ?2, ?3, ?4, ?4)")
      .bind_all(sha256_hex(session.token), user_name, session.csrf_token, now_ms)
      .run();
  tx.commit();
  return session;
}

std::optional<ConsoleSession> AccountStore::find_session(std::string_view token,
                                                         std::int64_t now_ms,
                                                         const SessionTimeouts& timeouts) {
  if (token.empty() || token.size() > 128) return std::nullopt;
  const std::string hash = sha256_hex(token);
  std::lock_guard lock(mutex_);
  std::optional<ConsoleSession> session;
  std::int64_t created = 0;
  std::int64_t last_seen = 0;
  {
    auto q = db_.query(
        "SELECT u.name, u.office, u.role, u.created_at, u.updated_at, s.csrf_token, "
        "s.created_ms, s.last_seen_ms FROM console_sessions s JOIN console_users u "
        "ON u.name = s.user_name WHERE s.token_hash = ?1");
    q.bind(1, hash);
    if (!q.step()) return std::nullopt;
    session = ConsoleSession{.user = user_from(q), .csrf_token = q.text(5)};
    created = q.int64(6);
    last_seen = q.int64(7);
  }
  if (now_ms - last_seen > timeouts.idle_ms || now_ms - created > timeouts.absolute_ms) {
    db_.query("DELETE FROM console_sessions WHERE token_hash = ?1").bind_all(hash).run();
    return std::nullopt;
  }
  db_.query("UPDATE console_sessions SET last_seen_ms = ?2 WHERE token_hash = ?1")
      .bind_all(hash, now_ms)
      .run();
  return session;
}

void AccountStore::end_session(std::string_view token) {
  std::lock_guard lock(mutex_);
  db_.query("DELETE FROM console_sessions WHERE token_hash = ?1").bind_all(sha256_hex(token)).run();
}

void AccountStore::audit(AuditEntry entry) {
  if (entry.at.empty()) entry.at = now_iso();
  std::lock_guard lock(mutex_);
  db_.query(
         "INSERT INTO console_audit (at, actor, action, target, client_address, before_json, "
         "after_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
      .bind_all(entry.at, entry.actor, entry.action, entry.target, entry.client_address,
                entry.before_json, entry.after_json)
      .run();
}

namespace {

AuditEntry audit_entry_from(sql::Query& q) {
  return AuditEntry{.id = q.int64(0),
                    .at = q.text(1),
                    .actor = q.text(2),
                    .action = q.text(3),
                    .target = q.text(4),
                    .client_address = q.text(5),
                    .before_json = q.text(6),
                    .after_json = q.text(7)};
}

constexpr std::string_view kAuditColumns =
    "id, at, actor, action, target, client_address, before_json, after_json";

}  // namespace

std::vector<AuditEntry> AccountStore::list_audit() {
  std::lock_guard lock(mutex_);
  std::vector<AuditEntry> out;
  auto q = db_.query(util::cat("SELECT ", kAuditColumns, " FROM console_audit ORDER BY id"));
  while (q.step()) out.push_back(audit_entry_from(q));
  return out;
}

std::optional<int> AccountStore::count_attempt(std::string_view scope, std::string_view key,
                                               int max_attempts, std::chrono::seconds window) {
  const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  std::lock_guard lock(mutex_);
  return count_shared_attempt(db_, scope, key, max_attempts, window, now_ms);
}

std::vector<AuditEntry> AccountStore::list_audit_newest(std::size_t offset, std::size_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<AuditEntry> out;
  auto q = db_.query(util::cat("SELECT ", kAuditColumns,
                               " FROM console_audit ORDER BY id DESC LIMIT ?1 OFFSET ?2"));
  q.bind_all(static_cast<std::int64_t>(limit), static_cast<std::int64_t>(offset));
  while (q.step()) out.push_back(audit_entry_from(q));
  return out;
}

std::int64_t AccountStore::count_audit() {
  std::lock_guard lock(mutex_);
  auto q = db_.query("SELECT COUNT(*) FROM console_audit");
  q.step();
  return q.int64(0);
}

std::vector<OfficeRequest> AccountStore::list_requests(const std::string& office) {
  std::lock_guard lock(mutex_);
  std::vector<OfficeRequest> out;
  auto q = db_.query(
      "SELECT office, json FROM records WHERE entity = 'request' AND (?1 = '' OR office = ?1) "
      "ORDER BY seq DESC");
  q.bind(1, office);
  while (q.step()) {
    auto record = protocol::decode_record(protocol::Entity::request, q.text(1));
    if (record) {
      out.push_back({q.text(0), std::get<model::ResourceRequest>(std::move(*record))});
    }
  }
  return out;
}

std::optional<OfficeRequest> AccountStore::find_request(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto q = db_.query("SELECT office, json FROM records WHERE entity = 'request' AND id = ?1");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  auto record = protocol::decode_record(protocol::Entity::request, q.text(1));
  if (!record) return std::nullopt;
  return OfficeRequest{q.text(0), std::get<model::ResourceRequest>(std::move(*record))};
}

std::string audit_csv(const std::vector<AuditEntry>& entries) {
  std::ostringstream out;
  util::CsvWriter writer(out);
  writer.row({"id", "at", "actor", "action", "target", "client_address", "before", "after"});
  for (const auto& e : entries) {
    writer.row({std::to_string(e.id), e.at, e.actor, e.action, e.target, e.client_address,
                e.before_json, e.after_json});
  }
  return std::move(out).str();
}

std::string audit_json(const std::vector<AuditEntry>& entries) {
  std::string out = "[";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const AuditEntry& e = entries[i];
    out += i == 0 ? "\n  " : ",\n  ";
    // before/after are JSON the server wrote; they are embedded as strings
    // so a reader never has to trust their shape.
    out += util::cat("{\"id\":", e.id, ",\"at\":", protocol::json_string(e.at),
                     ",\"actor\":", protocol::json_string(e.actor),
                     ",\"action\":", protocol::json_string(e.action),
                     ",\"target\":", protocol::json_string(e.target),
                     ",\"client_address\":", protocol::json_string(e.client_address),
                     ",\"before\":", protocol::json_string(e.before_json),
                     ",\"after\":", protocol::json_string(e.after_json), "}");
  }
  out += entries.empty() ? "]\n" : "\n]\n";
  return out;
}

std::string users_csv(const std::vector<ConsoleUser>& users) {
  std::ostringstream out;
  util::CsvWriter writer(out);
  writer.row({"name", "office", "role", "created_at", "updated_at"});
  for (const auto& u : users) {
    writer.row({u.name, u.office, std::string(to_string(u.role)), u.created_at, u.updated_at});
  }
  return std::move(out).str();
}

std::string users_json(const std::vector<ConsoleUser>& users) {
  std::string out = "[";
  for (std::size_t i = 0; i < users.size(); ++i) {
    const ConsoleUser& u = users[i];
    out += i == 0 ? "\n  " : ",\n  ";
    out += util::cat("{\"name\":", protocol::json_string(u.name),
                     ",\"office\":", protocol::json_string(u.office),
                     ",\"role\":", protocol::json_string(to_string(u.role)),
                     ",\"created_at\":", protocol::json_string(u.created_at),
                     ",\"updated_at\":", protocol::json_string(u.updated_at), "}");
  }
  out += users.empty() ? "]\n" : "\n]\n";
  return out;
}

}  // namespace alliance::central
