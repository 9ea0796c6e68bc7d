// Ed25519 signing keys and signatures (libsodium) for USB bundles, with keys
// kept and sent as base64 text.
#pragma once

#include <string>
#include <string_view>

namespace alliance::bundle {

// A public key is 32 bytes (44 base64 characters), a secret key 64 bytes (88
// characters; libsodium's form, which holds the public key in its second half),
// a signature 64 bytes.
inline constexpr std::size_t kPublicKeyChars = 44;
inline constexpr std::size_t kSecretKeyChars = 88;
inline constexpr std::size_t kSignatureBytes = 64;

struct SigningKeyPair {
  std::string public_key;  // base64
  std::string secret_key;  // base64; a secret: owner-only files and databases only
};

// A new key pair from the system's random generator (crypto_sign_keypair).
// Throws std::runtime_error if libsodium cannot start.
SigningKeyPair new_signing_key_pair();

// Whether `text` is a base64 Ed25519 public key / secret key as kept here.
bool is_public_key(std::string_view text);
bool is_secret_key(std::string_view text);

// The public half of a secret key; "" for a malformed one.
std::string public_key_of(std::string_view secret_key);

// The 64-byte detached signature of `message`. Throws std::invalid_argument
// for a malformed secret key.
std::string sign(std::string_view secret_key, std::string_view message);

// Whether `signature` (64 raw bytes) is `public_key`'s over `message`; false
// for a malformed key or signature.
bool verify(std::string_view public_key, std::string_view message, std::string_view signature);

// Standard base64 with padding, and its strict inverse (nothing on bad input).
std::string to_base64(std::string_view bytes);
bool from_base64(std::string_view text, std::string& bytes);

}  // namespace alliance::bundle
