// Short human reference codes for members and requests, e.g. "K7Q4X-RM9PZ".
//
// Symbols come from a 31-symbol alphabet without look-alikes (no 0/O, 1/I/L).
// The last symbol is a check: it makes the weighted sum of all symbol values,
// with weights 1..n, divisible by 31; because 31 is prime and the weights are
// distinct and non-zero below 31, every single-character error and every
// transposition of two adjacent characters changes the sum mod 31, so each is
// caught.
//
// Two lengths are valid:
// - 10 symbols "PPPRR-RRRRC" (current): a three-symbol device prefix that
//   central hands out once per enrolment and never again, six random symbols
//   from the operating system, one check. Codes of different devices differ
//   in the prefix; a device checks its own store for the rest, so codes never
//   collide without asking central at registration time. Allocated prefixes
//   never begin with kUnallocatedPrefixSymbol: a device that has no prefix yet
//   mints that symbol plus eight random ones.
// - 8 symbols "XXXX-XXXX" (legacy): seven random symbols and a check, as
//   minted before device prefixes. They stay valid and never equal a new code.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace alliance::util {

inline constexpr std::string_view kReferenceAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
inline constexpr std::size_t kReferencePrefixLength = 3;
inline constexpr std::size_t kReferenceLength = 10;       // symbols, check included
inline constexpr std::size_t kLegacyReferenceLength = 8;  // symbols, check included
inline constexpr char kUnallocatedPrefixSymbol = '2';

// A uniformly random symbol index below `bound` (<= 256) from getrandom(2).
// Throws std::system_error when the kernel's generator fails.
std::size_t random_below(std::size_t bound);

// Whether `prefix` is a prefix central may hand out: three alphabet symbols,
// upper case, not beginning with kUnallocatedPrefixSymbol.
bool is_allocatable_reference_prefix(std::string_view prefix);

// A random prefix for central to offer a device (allocatable, not yet checked
// against the ones already handed out).
std::string random_reference_prefix();

// A new random code of this device, formatted "XXXXX-XXXXX". An empty prefix
// (a device central has not given one yet) mints kUnallocatedPrefixSymbol and
// eight random symbols; otherwise `prefix` must be allocatable.
std::string new_reference_code(std::string_view device_prefix);

// The check character for the payload symbols of either length (upper case,
// from the alphabet): 9 symbols for a current code, 7 for a legacy one.
std::optional<char> reference_check_character(std::string_view payload);

// Accepts what a person types ("k7q4x rm9pz", "K7Q4XRM9PZ", "K7QM-4XR9") and
// returns the canonical form ("K7Q4X-RM9PZ" or "K7QM-4XR9"), or nullopt if a
// symbol is not in the alphabet, the length is neither, or the check
// character does not match.
std::optional<std::string> normalize_reference_code(std::string_view input);

}  // namespace alliance::util
