// Ed25519 through libsodium: key pairs, detached signatures, base64 keys.
#include "common/bundle/signing.hpp"

#include <sodium.h>

#include <stdexcept>

namespace alliance::bundle {
namespace {

void start_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
}

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

bool decoded_size(std::string_view text, std::size_t size, std::string& bytes) {
  return from_base64(text, bytes) && bytes.size() == size;
}

}  // namespace

std::string to_base64(std::string_view bytes) {
  start_sodium();
  constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes_of(bytes), bytes.size(), kVariant);
  out.resize(out.size() - 1);  // the encoder's terminating NUL
  return out;
}

bool from_base64(std::string_view text, std::string& bytes) {
  start_sodium();
  bytes.assign(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  const int rc =
      sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                        text.size(), nullptr, &length, &end, sodium_base64_VARIANT_ORIGINAL);
  if (rc != 0 || end != text.data() + text.size()) {
    bytes.clear();
    return false;
  }
  bytes.resize(length);
  return true;
}

SigningKeyPair new_signing_key_pair() {
  start_sodium();
  std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
  std::string secret_key(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                      reinterpret_cast<unsigned char*>(secret_key.data()));
  SigningKeyPair pair{.public_key = to_base64(public_key), .secret_key = to_base64(secret_key)};
  sodium_memzero(secret_key.data(), secret_key.size());
  return pair;
}

bool is_public_key(std::string_view text) {
  std::string bytes;
  return text.size() == kPublicKeyChars && decoded_size(text, crypto_sign_PUBLICKEYBYTES, bytes);
}

bool is_secret_key(std::string_view text) {
  std::string bytes;
  const bool ok =
      text.size() == kSecretKeyChars && decoded_size(text, crypto_sign_SECRETKEYBYTES, bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return ok;
}

std::string public_key_of(std::string_view secret_key) {
  std::string secret;
  if (!decoded_size(secret_key, crypto_sign_SECRETKEYBYTES, secret)) return {};
  std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
  crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char*>(public_key.data()),
                               bytes_of(secret));
  sodium_memzero(secret.data(), secret.size());
  return to_base64(public_key);
}

std::string sign(std::string_view secret_key, std::string_view message) {
  std::string secret;
  if (!decoded_size(secret_key, crypto_sign_SECRETKEYBYTES, secret)) {
    throw std::invalid_argument("the signing key is malformed");
  }
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       bytes_of(message), message.size(), bytes_of(secret));
  sodium_memzero(secret.data(), secret.size());
  return signature;
}

bool verify(std::string_view public_key, std::string_view message, std::string_view signature) {
  std::string key;
  if (signature.size() != crypto_sign_BYTES ||
      !decoded_size(public_key, crypto_sign_PUBLICKEYBYTES, key)) {
    return false;
  }
  return crypto_sign_verify_detached(bytes_of(signature), bytes_of(message), message.size(),
                                     bytes_of(key)) == 0;
}

}  // namespace alliance::bundle
