// Pre-parse checks on untrusted JSON text: size, UTF-8 and nesting depth.
//
// The JSON parser underneath recurses once per nesting level, so depth is
// measured here with a linear scan first; nothing in this file recurses.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/protocol/codec.hpp"

namespace alliance::protocol {
namespace {

// Returns the offset of the first byte that does not start a well-formed UTF-8
// sequence, or nullopt if the whole text is valid. Rejects overlong forms,
// surrogates, code points above U+10FFFF and sequences cut short by the end.
std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    std::uint32_t smallest = 0;
    if ((lead & 0xE0u) == 0xC0u) {
      length = 2;
      code_point = lead & 0x1Fu;
      smallest = 0x80;
    } else if ((lead & 0xF0u) == 0xE0u) {
      length = 3;
      code_point = lead & 0x0Fu;
      smallest = 0x800;
    } else if ((lead & 0xF8u) == 0xF0u) {
      length = 4;
      code_point = lead & 0x07u;
      smallest = 0x10000;
    } else {
      return i;  // a continuation byte without a lead, or 0xF8..0xFF
    }
    if (n - i < length) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0u) != 0x80u) return i;
      code_point = (code_point << 6) | (next & 0x3Fu);
    }
    if (code_point < smallest || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return i;
    }
    i += length;
  }
  return std::nullopt;
}

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
  if (const auto bad = first_invalid_utf8(text)) {
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
