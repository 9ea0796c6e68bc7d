// Short human reference codes for members and requests, e.g. "K7QM-4XR9".
//
// Seven random characters and one check character from a 31-symbol alphabet
// without look-alikes (no 0/O, 1/I/L). The check makes the weighted sum of all
// eight symbol values, with weights 1..8, divisible by 31; because 31 is prime
// and the weights are distinct, every single-character error and every
// transposition of two adjacent characters changes the sum mod 31, so each is
// caught.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace alliance::util {

inline constexpr std::string_view kReferenceAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
inline constexpr std::size_t kReferencePayloadLength = 7;

// A new random code, formatted "XXXX-XXXX".
std::string new_reference_code();
std::string new_reference_code(std::mt19937_64& rng);

// The check character for seven payload symbols (upper case, from the alphabet).
std::optional<char> reference_check_character(std::string_view payload);

// Accepts what a person types ("k7qm 4xr9", "K7QM4XR9") and returns the
// canonical "XXXX-XXXX", or nullopt if a symbol is not in the alphabet or the
// check character does not match.
std::optional<std::string> normalize_reference_code(std::string_view input);

}  // namespace alliance::util
