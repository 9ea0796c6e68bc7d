// SHA-256 and CSPRNG secrets for tokens and enrolment codes.
#include "central/crypto.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace alliance::central {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr std::string_view kCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

std::vector<unsigned char> random_bytes(std::size_t n) {
  std::vector<unsigned char> bytes(n);
  if (RAND_bytes(bytes.data(), static_cast<int>(n)) != 1) {
    throw std::runtime_error("the system random generator failed");
  }
  return bytes;
}

std::string to_hex(const unsigned char* data, std::size_t n) {
  std::string out(n * 2, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0x0f];
  }
  return out;
}

// OpenSSL 3 looks EVP_sha256() up in its provider table, under a lock, on
// every digest; fetched once, the algorithm is shared by every thread (a
// third of each push change's hashing went to that lookup). Never freed: it
// lives as long as the process.
const EVP_MD* sha256_algorithm() {
  static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (algorithm == nullptr) throw std::runtime_error("OpenSSL offers no SHA-256");
  return algorithm;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, sha256_algorithm(), nullptr) !=
      1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return to_hex(digest.data(), length);
}

std::string random_hex(std::size_t n) {
  const auto bytes = random_bytes(n);
  return to_hex(bytes.data(), bytes.size());
}

std::string random_enrolment_code() {
  const auto bytes = random_bytes(12);
  std::string code;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0 && i % 4 == 0) code += '-';
    // 256 is not a multiple of the alphabet size; the slight bias is harmless
    // for a short-lived single-use code.
    code += kCodeAlphabet[bytes[i] % kCodeAlphabet.size()];
  }
  return code;
}

}  // namespace alliance::central
