// Pre-parse checks on untrusted JSON text: size, UTF-8 and nesting depth.
//
// The JSON parser underneath recurses once per nesting level, so depth is
// measured here with a linear scan first; nothing in this file recurses.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/model/text.hpp"
#include "common/protocol/codec.hpp"

namespace alliance::protocol {
namespace {

// Deepest nesting of objects and arrays outside strings, stopping early once
// `limit` is exceeded. Unbalanced brackets are left for the parser to report.
std::size_t max_nesting(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        ++depth;
        if (depth > deepest) {
          deepest = depth;
          if (deepest > limit) return deepest;
        }
        break;
      case '}':
      case ']':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}

}  // namespace

std::optional<DecodeError> check_json_text(std::string_view text, std::size_t max_depth) {
  if (text.size() > kMaxJsonBytes) {
    return DecodeError{"too_large",
                       "JSON text is larger than " + std::to_string(kMaxJsonBytes) + " bytes"};
  }
  if (const auto bad = model::first_invalid_utf8(text)) {
    return DecodeError{"invalid_utf8",
                       "JSON text is not valid UTF-8 at byte " + std::to_string(*bad)};
  }
  if (max_nesting(text, max_depth) > max_depth) {
    return DecodeError{
        "too_deep", "JSON text is nested more than " + std::to_string(max_depth) + " levels deep"};
  }
  return std::nullopt;
}

}  // namespace alliance::protocol
