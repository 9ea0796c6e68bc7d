// UTF-8 checks, whitespace clean-up and search folding, without any locale.
//
// Everything here works on bytes and code points directly: the kiosk runs
// with whatever locale the machine has, and search must fold the same way on
// every device so a name typed in Maputo is found in Nairobi.
#include "common/model/text.hpp"

#include <array>
#include <cstdint>

namespace alliance::model {
namespace {

struct Decoded {
  char32_t code_point = 0;
  std::size_t length = 1;
  bool valid = false;
};

std::uint8_t byte_at(std::string_view s, std::size_t i) {
  return static_cast<std::uint8_t>(s[i]);
}

bool in_range(std::uint8_t b, std::uint8_t lo, std::uint8_t hi) {
  return b >= lo && b <= hi;
}

// Decodes one code point at s[i] under the strict rules of RFC 3629 (table 3-7
// of the Unicode standard): the allowed range of the second byte rules out
// overlong forms, surrogates and anything above U+10FFFF in one place.
// An invalid sequence reports length 1 so callers can step over the bad byte.
Decoded decode(std::string_view s, std::size_t i) {
  const std::uint8_t b0 = byte_at(s, i);
  if (b0 < 0x80) return {b0, 1, true};

  std::size_t length = 0;
  std::uint8_t lo = 0x80;
  std::uint8_t hi = 0xBF;
  char32_t cp = 0;
  if (in_range(b0, 0xC2, 0xDF)) {
    length = 2;
    cp = b0 & 0x1Fu;
  } else if (in_range(b0, 0xE0, 0xEF)) {
    length = 3;
    cp = b0 & 0x0Fu;
    if (b0 == 0xE0) lo = 0xA0;  // below is overlong
    if (b0 == 0xED) hi = 0x9F;  // above is a surrogate
  } else if (in_range(b0, 0xF0, 0xF4)) {
    length = 4;
    cp = b0 & 0x07u;
    if (b0 == 0xF0) lo = 0x90;  // below is overlong
    if (b0 == 0xF4) hi = 0x8F;  // above is past U+10FFFF
  } else {
    return {};  // a stray continuation byte, C0/C1 (always overlong) or F5..FF
  }

  if (i + length > s.size()) return {};
  for (std::size_t k = 1; k < length; ++k) {
    const std::uint8_t b = byte_at(s, i + k);
    const bool ok = k == 1 ? in_range(b, lo, hi) : in_range(b, 0x80, 0xBF);
    if (!ok) return {};
    cp = (cp << 6) | (b & 0x3Fu);
  }
  return {cp, length, true};
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool is_control(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x200E ||
         cp == 0x200F ||                    // left-to-right and right-to-left marks
         (cp >= 0x202A && cp <= 0x202E) ||  // embeddings and overrides
         (cp >= 0x2066 && cp <= 0x2069);    // isolates
}

// The Unicode White_Space property.
bool is_space(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

struct Fold {
  char32_t first;
  char32_t last;
  std::string_view base;
};

// Latin-1 Supplement and Latin Extended-A letters to the ASCII letters a
// person would type on a keyboard without them. × and ÷ are not letters and
// stay as they are.
constexpr std::array kLatinFolds = std::to_array<Fold>({
    {0x00C0, 0x00C5, "a"},   // À..Å
    {0x00C6, 0x00C6, "ae"},  // Æ
    {0x00C7, 0x00C7, "c"},   // Ç
    {0x00C8, 0x00CB, "e"},   // È..Ë
    {0x00CC, 0x00CF, "i"},   // Ì..Ï
    {0x00D0, 0x00D0, "d"},   // Ð
    {0x00D1, 0x00D1, "n"},   // Ñ
    {0x00D2, 0x00D6, "o"},   // Ò..Ö
    {0x00D8, 0x00D8, "o"},   // Ø
    {0x00D9, 0x00DC, "u"},   // Ù..Ü
    {0x00DD, 0x00DD, "y"},   // Ý
    {0x00DE, 0x00DE, "th"},  // Þ
    {0x00DF, 0x00DF, "ss"},  // ß
    {0x00E0, 0x00E5, "a"},   // à..å
    {0x00E6, 0x00E6, "ae"},  // æ
    {0x00E7, 0x00E7, "c"},   // ç
    {0x00E8, 0x00EB, "e"},   // è..ë
    {0x00EC, 0x00EF, "i"},   // ì..ï
    {0x00F0, 0x00F0, "d"},   // ð
    {0x00F1, 0x00F1, "n"},   // ñ
    {0x00F2, 0x00F6, "o"},   // ò..ö
    {0x00F8, 0x00F8, "o"},   // ø
    {0x00F9, 0x00FC, "u"},   // ù..ü
    {0x00FD, 0x00FD, "y"},   // ý
    {0x00FE, 0x00FE, "th"},  // þ
    {0x00FF, 0x00FF, "y"},   // ÿ
    {0x0100, 0x0105, "a"},   // Ā..ą
    {0x0106, 0x010D, "c"},   // Ć..č
    {0x010E, 0x0111, "d"},   // Ď..đ
    {0x0112, 0x011B, "e"},   // Ē..ě
    {0x011C, 0x0123, "g"},   // Ĝ..ģ
    {0x0124, 0x0127, "h"},   // Ĥ..ħ
    {0x0128, 0x0131, "i"},   // Ĩ..ı
    {0x0132, 0x0133, "ij"},  // Ĳ..ĳ
    {0x0134, 0x0135, "j"},   // Ĵ..ĵ
    {0x0136, 0x0138, "k"},   // Ķ..ĸ
    {0x0139, 0x0142, "l"},   // Ĺ..ł
    {0x0143, 0x014B, "n"},   // Ń..ŋ
    {0x014C, 0x0151, "o"},   // Ō..ő
    {0x0152, 0x0153, "oe"},  // Œ..œ
    {0x0154, 0x0159, "r"},   // Ŕ..ř
    {0x015A, 0x0161, "s"},   // Ś..š
    {0x0162, 0x0167, "t"},   // Ţ..ŧ
    {0x0168, 0x0173, "u"},   // Ũ..ų
    {0x0174, 0x0175, "w"},   // Ŵ..ŵ
    {0x0176, 0x0178, "y"},   // Ŷ..Ÿ
    {0x0179, 0x017E, "z"},   // Ź..ž
    {0x017F, 0x017F, "s"},   // ſ
});

std::string_view latin_base(char32_t cp) {
  if (cp < kLatinFolds.front().first || cp > kLatinFolds.back().last) return {};
  for (const Fold& fold : kLatinFolds) {
    if (cp >= fold.first && cp <= fold.last) return fold.base;
  }
  return {};
}

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode(s, i);
    if (!d.valid) return i;
    i += d.length;
  }
  return std::nullopt;
}

bool is_valid_utf8(std::string_view s) {
  return !first_invalid_utf8(s).has_value();
}

std::size_t utf8_length(std::string_view s) {
  std::size_t count = 0;
  for (const char c : s) {
    if ((static_cast<std::uint8_t>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

bool has_control_characters(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode(s, i);
    if (d.valid && is_control(d.code_point)) return true;
    i += d.length;
  }
  return false;
}

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode(s, i);
    if (d.valid && is_space(d.code_point)) {
      pending_space = !out.empty();  // leading spaces are dropped, not deferred
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(s.substr(i, d.length));
    }
    i += d.length;
  }
  return out;
}

std::string fold_for_search(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode(s, i);
    const char32_t cp = d.code_point;
    if (!d.valid) {
      out.append(s.substr(i, d.length));
    } else if (cp >= 'A' && cp <= 'Z') {
      out.push_back(static_cast<char>(cp - 'A' + 'a'));
    } else if (const std::string_view base = latin_base(cp); !base.empty()) {
      out.append(base);
    } else if (cp >= 0x0410 && cp <= 0x042F) {  // А..Я
      append_utf8(out, cp + 0x20);
    } else if (cp >= 0x0400 && cp <= 0x040F) {  // Ѐ..Џ
      append_utf8(out, cp + 0x50);
    } else {
      out.append(s.substr(i, d.length));
    }
    i += d.length;
  }
  return out;
}

std::string escape_for_terminal(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const Decoded d = decode(s, i);
    const char32_t cp = d.code_point;
    const bool layout = cp == '\t' || cp == '\n' || (cp == '\r' && s.substr(i + 1, 1) == "\n");
    if (!d.valid) {
      const std::uint8_t byte = byte_at(s, i);
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    } else if (is_control(cp) && !layout) {
      out += "\\u";
      for (const int shift : {12, 8, 4, 0}) out += kHex[(cp >> shift) & 0x0F];
    } else {
      out.append(s.substr(i, d.length));
    }
    i += d.length;
  }
  return out;
}

}  // namespace alliance::model
