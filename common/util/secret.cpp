// Secret hashing with OpenSSL's PBKDF2, and enrolment code normalisation.
#include "common/util/secret.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <stdexcept>
#include <vector>

#include "common/util/strings.hpp"

namespace alliance::util {
namespace {

constexpr int kIterations = 60'000;  // ~30 ms on a cheap laptop: slow to guess, quick to type
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0x0f]);
  }
  return out;
}

std::vector<unsigned char> from_hex(std::string_view hex) {
  std::vector<unsigned char> out;
  if (hex.size() % 2 != 0) return {};
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
    if (ec != std::errc{} || end != hex.data() + i + 2) return {};
    out.push_back(static_cast<unsigned char>(value));
  }
  return out;
}

std::array<unsigned char, kHashBytes> derive(std::string_view secret, const unsigned char* salt,
                                             std::size_t salt_size, int iterations) {
  std::array<unsigned char, kHashBytes> out{};
  if (PKCS5_PBKDF2_HMAC(secret.data(), static_cast<int>(secret.size()), salt,
                        static_cast<int>(salt_size), iterations, EVP_sha256(),
                        static_cast<int>(out.size()), out.data()) != 1) {
    throw std::runtime_error("secret hashing failed (OpenSSL PBKDF2)");
  }
  return out;
}

}  // namespace

std::string hash_secret(std::string_view secret) {
  std::array<unsigned char, kSaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    throw std::runtime_error("no random numbers for a salt (OpenSSL RAND_bytes)");
  }
  const auto hash = derive(secret, salt.data(), salt.size(), kIterations);
  return util::cat("pbkdf2-sha256$", kIterations, "$", to_hex(salt.data(), salt.size()), "$",
                   to_hex(hash.data(), hash.size()));
}

bool verify_secret(std::string_view secret, std::string_view stored) {
  const auto parts = util::split(stored, '$');
  if (parts.size() != 4 || parts[0] != "pbkdf2-sha256") return false;
  int iterations = 0;
  const auto [end, ec] =
      std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), iterations);
  if (ec != std::errc{} || iterations < 1'000 || iterations > 10'000'000) return false;
  const auto salt = from_hex(parts[2]);
  const auto expected = from_hex(parts[3]);
  if (salt.empty() || expected.size() != kHashBytes) return false;
  const auto actual = derive(secret, salt.data(), salt.size(), iterations);
  return CRYPTO_memcmp(actual.data(), expected.data(), kHashBytes) == 0;
}

std::string normalize_enrolment_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ' || c == '-') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    out += c;
  }
  return out;
}

}  // namespace alliance::util
