// Hashes and random secrets (OpenSSL libcrypto underneath).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/util/secret.hpp"

namespace alliance::central {

// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

// n bytes from the OpenSSL CSPRNG as lower-case hex (2n characters).
// Throws std::runtime_error if the generator fails.
std::string random_hex(std::size_t n);

// A one-time enrolment code such as "K7QM-2XPD-9HRT": 12 characters from an
// alphabet without 0/O and 1/I/L, so it can be read aloud and typed.
std::string random_enrolment_code();

// Upper-cases and strips spaces and dashes, so "k7qm 2xpd-9hrt" matches; shared
// with the device, which keeps a hash of the code it enrolled with.
using util::normalize_enrolment_code;

}  // namespace alliance::central
