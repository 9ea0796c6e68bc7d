// Salted slow hashes of short secrets (the kiosk's staff PIN, the device's
// enrolment code), so a copy of the database does not reveal them.
#pragma once

#include <string>
#include <string_view>

namespace alliance::util {

// PBKDF2-HMAC-SHA256 with a random 16-byte salt, stored as
// "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>". Throws
// std::runtime_error if OpenSSL has no random numbers.
std::string hash_secret(std::string_view secret);
// Constant-time comparison; false for a malformed stored value.
bool verify_secret(std::string_view secret, std::string_view stored);

// Enrolment codes as typed: upper case, without spaces and dashes, so
// "k7qm 2xpd-9hrt" and "K7QM-2XPD-9HRT" are the same code.
std::string normalize_enrolment_code(std::string_view code);

}  // namespace alliance::util
