// application/x-www-form-urlencoded decoding, for query strings and the
// console's form bodies.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace alliance::central {

// One decoded component ('+' is a space, %XX a byte); nullopt for a broken escape.
std::optional<std::string> form_decoded(std::string_view text);
// The reverse, for links: every byte but A-Z a-z 0-9 - _ . ~ as %XX.
std::string form_encoded(std::string_view text);

// "a=1&b=2" as name -> value (the first of repeated names wins); nullopt for
// a broken escape. Empty pairs are skipped.
std::optional<std::map<std::string, std::string, std::less<>>> parse_form(std::string_view text);

}  // namespace alliance::central
