// Small string building helpers (g++ 12 has no std::format).
#pragma once

#include <concepts>
#include <string>
#include <string_view>

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

}  // namespace alliance::util
