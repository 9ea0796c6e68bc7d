// Small string building helpers (g++ 12 has no std::format).
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace alliance::util {

namespace detail {
inline void append(std::string& out, std::string_view s) {
  out += s;
}
inline void append(std::string& out, const std::string& s) {
  out += s;
}
inline void append(std::string& out, const char* s) {
  out += s;
}
inline void append(std::string& out, char c) {
  out += c;
}
template <std::integral T>
requires(!std::same_as<T, char> && !std::same_as<T, bool>) void append(std::string& out, T v) {
  out += std::to_string(v);
}
}  // namespace detail

// cat("a", 1, std::string("b")) == "a1b"
template <class... Args>
std::string cat(const Args&... args) {
  std::string out;
  (detail::append(out, args), ...);
  return out;
}

// Replaces each "{}" in pattern with the next argument, in order; nothing
// else is interpreted. format("{} of {}", 3, "five") == "3 of five".
template <class... Args>
std::string format(std::string_view pattern, const Args&... args) {
  std::string out;
  std::size_t pos = 0;
  auto next = [&](const auto& arg) {
    const auto mark = pattern.find("{}", pos);
    if (mark == std::string_view::npos) return;
    out += pattern.substr(pos, mark - pos);
    detail::append(out, arg);
    pos = mark + 2;
  };
  (next(args), ...);
  out += pattern.substr(pos);
  return out;
}

// join({"a", "b"}, ',') == "a,b"
inline std::string join(const std::vector<std::string>& items, char separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// split("a,,b", ',') == {"a", "b"}: empty pieces are dropped.
inline std::vector<std::string> split(std::string_view joined, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < joined.size()) {
    auto end = joined.find(separator, start);
    if (end == std::string_view::npos) end = joined.size();
    if (end > start) out.emplace_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// ascii_lower("Content-Type") == "content-type": A-Z only, other bytes
// (UTF-8 included) untouched. For protocol tokens and header names, not text.
inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// trim_blanks(" a\t") == "a": spaces and tabs at both ends.
inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An amount of data as a person reads a mobile bundle: "850 bytes",
// "12.3 KB", "4.0 MB", "1.2 GB" (1 KB = 1000 bytes), one decimal.
inline std::string data_amount(std::uint64_t bytes) {
  if (bytes < 1000) return cat(bytes, " bytes");
  const char* units[] = {"KB", "MB", "GB", "TB"};
  std::uint64_t unit = 1000;
  int i = 0;
  while (i < 3 && bytes >= unit * 1000) {
    unit *= 1000;
    ++i;
  }
  const std::uint64_t tenths = (bytes * 10 + unit / 2) / unit;
  return cat(tenths / 10, ".", tenths % 10, " ", units[i]);
}

}  // namespace alliance::util
