// Staff PIN hashing: PBKDF2-HMAC-SHA256 with a random salt, so the stored
// value does not reveal the PIN even to someone who copies the database.
#pragma once

#include <string>
#include <string_view>

namespace alliance::kiosk {

inline constexpr std::size_t kMinPinLength = 4;
inline constexpr std::size_t kMaxPinLength = 12;

// "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>"
std::string hash_pin(std::string_view pin);
// Constant-time comparison; false for a malformed stored value.
bool verify_pin(std::string_view pin, std::string_view stored);

}  // namespace alliance::kiosk
