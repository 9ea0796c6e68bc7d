// Store: the agent's device credentials (server URL, device id, bearer token,
// bundle signing keys) and the hash of the enrolment code, the kiosk's proof
// for its first staff PIN.
#include <filesystem>
#include <system_error>

#include "common/store/store.hpp"
#include "common/util/secret.hpp"

namespace alliance::store {
namespace {

constexpr std::string_view kServerUrl = "sync.server_url";
constexpr std::string_view kDeviceId = "sync.device_id";
constexpr std::string_view kToken = "sync.token";
constexpr std::string_view kOffice = "sync.office";
constexpr std::string_view kEnrolmentCodeHash = "sync.enrolment_code_hash";
constexpr std::string_view kSigningKey = "sync.signing_key";
constexpr std::string_view kCentralKey = "sync.central_key";

// The token makes the file a secret: owner read/write only, and the same for
// SQLite's side files, whatever mode an older copy of the file had. In a
// shared (setgid) folder the group keeps read/write, because the kiosk's
// desktop user and the agent share the file through it (database_file_mode);
// nobody else gets anything either way.
void restrict_to_owner(const std::filesystem::path& db_path) {
  const auto mode = database_file_mode(db_path);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::path p = db_path;
    p += suffix;
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) continue;
    std::filesystem::permissions(p, mode, std::filesystem::perm_options::replace, ec);
    if (ec && *suffix == '\0') {
      throw StoreError(0, "cannot set the permissions of " + p.string() + ": " + ec.message());
    }
  }
}

}  // namespace

void save_credentials(Store& store, const DeviceCredentials& credentials,
                      std::string_view enrolment_code) {
  restrict_to_owner(store.db().path());
  // Hashed before the transaction: PBKDF2 takes a few tens of milliseconds.
  const std::string code_hash =
      enrolment_code.empty() ? std::string()
                             : util::hash_secret(util::normalize_enrolment_code(enrolment_code));
  Transaction tx(store.db());
  store.set_meta(kServerUrl, credentials.server_url);
  store.set_meta(kDeviceId, credentials.device_id);
  store.set_meta(kToken, credentials.token);
  store.set_meta(kOffice, credentials.office);
  store.set_reference_code_prefix(credentials.code_prefix);
  store.set_meta(kSigningKey, credentials.signing_key);
  store.set_meta(kCentralKey, credentials.central_key);
  if (!code_hash.empty()) store.set_meta(kEnrolmentCodeHash, code_hash);
  tx.commit();
  restrict_to_owner(store.db().path());
}

std::optional<DeviceCredentials> load_credentials(Store& store) {
  auto token = store.meta(kToken);
  if (!token || token->empty()) return std::nullopt;
  return DeviceCredentials{.server_url = store.meta(kServerUrl).value_or(""),
                           .device_id = store.meta(kDeviceId).value_or(""),
                           .token = std::move(*token),
                           .office = store.meta(kOffice).value_or(""),
                           .code_prefix = store.reference_code_prefix(),
                           .signing_key = store.meta(kSigningKey).value_or(""),
                           .central_key = store.meta(kCentralKey).value_or("")};
}

void save_central_key(Store& store, std::string_view central_key) {
  store.set_meta(kCentralKey, central_key);
}

bool has_enrolment_code(Store& store) {
  return !store.meta(kEnrolmentCodeHash).value_or("").empty();
}

bool verify_enrolment_code(Store& store, std::string_view code) {
  const auto stored = store.meta(kEnrolmentCodeHash);
  return stored && util::verify_secret(util::normalize_enrolment_code(code), *stored);
}

}  // namespace alliance::store
