// Phone numbers to E.164 (+ country code, national significant number).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace alliance::model {

// Accepts "+254 712 345 678", "00254712345678", "0712 345678" (national, with
// a trunk 0, using default_country), with spaces, dots, dashes and brackets.
// Returns the E.164 form, or nullopt if it cannot be a valid number.
std::optional<std::string> normalize_phone(std::string_view input,
                                           std::string_view default_country);

}  // namespace alliance::model
