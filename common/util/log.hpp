// Structured logging that keeps personal data out of logs by construction.
//
// A line is "<time> <LEVEL> <event> key=value ...". The event name and the
// keys must be string literals, and values are numbers, booleans, ids, codes
// or literal text; free-form runtime text (an error message from a library)
// must be wrapped in log::Text, which masks anything that looks like an
// e-mail address or a phone number before it is written. Names, phones and
// e-mails of members therefore have no way into a log line.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>

namespace alliance::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

// Masks e-mail addresses ("***@***") and runs of 6 or more digits, which
// could be phone numbers ("***"), leaving the rest of the text readable.
std::string scrub(std::string_view text);

// Runtime text that is not personal data (library error messages, paths,
// URLs); scrubbed of e-mail- and phone-like tokens all the same.
struct Text {
  explicit Text(std::string_view s) : value(s) {}
  std::string_view value;
};

// An id (UUID) of a record, device or change: safe to log, and the way to
// refer to a member in a log line. Anything that is not a UUID is masked.
struct Id {
  explicit Id(std::string_view s) : value(s) {}
  std::string_view value;
};

class Field {
 public:
  template <std::size_t N, class T>
  requires(std::integral<T> && !std::same_as<T, bool> && !std::same_as<T, char>)
      Field(const char (&key)[N], T v)
      : key_(key), value_(std::to_string(v)) {}
  // Only a real bool: a pointer must not quietly turn into "true".
  template <std::size_t N, class T>
  requires std::same_as<T, bool> Field(const char (&key)[N], T v)
      : key_(key), value_(v ? "true" : "false") {}
  template <std::size_t N>
  Field(const char (&key)[N], double v) : key_(key), value_(format_double(v)) {}
  template <std::size_t N, std::size_t M>
  Field(const char (&key)[N], const char (&literal)[M]) : key_(key), value_(quote(literal)) {}
  // A writable char array is runtime text, not a literal: wrap it in Text.
  template <std::size_t N, std::size_t M>
  Field(const char (&key)[N], char (&buffer)[M]) = delete;
  template <std::size_t N>
  Field(const char (&key)[N], Text text) : key_(key), value_(quote(scrub(text.value))) {}
  template <std::size_t N>
  Field(const char (&key)[N], Id id) : key_(key), value_(checked_id(id.value)) {}

  std::string_view key() const { return key_; }
  const std::string& value() const { return value_; }

 private:
  static std::string format_double(double v);
  static std::string quote(std::string_view s);
  static std::string checked_id(std::string_view s);
  std::string_view key_;
  std::string value_;
};

void set_level(Level level);
Level level();
// Where lines go; stderr by default. Tests capture lines here.
void set_sink(std::function<void(std::string_view line)> sink);
void reset_sink();

void write(Level level, std::string_view event, std::initializer_list<Field> fields);

template <std::size_t N>
void debug(const char (&event)[N], std::initializer_list<Field> fields = {}) {
  write(Level::debug, event, fields);
}
template <std::size_t N>
void debug(char (&event)[N], std::initializer_list<Field> fields = {}) = delete;
template <std::size_t N>
void info(const char (&event)[N], std::initializer_list<Field> fields = {}) {
  write(Level::info, event, fields);
}
template <std::size_t N>
void info(char (&event)[N], std::initializer_list<Field> fields = {}) = delete;
template <std::size_t N>
void warn(const char (&event)[N], std::initializer_list<Field> fields = {}) {
  write(Level::warn, event, fields);
}
template <std::size_t N>
void warn(char (&event)[N], std::initializer_list<Field> fields = {}) = delete;
template <std::size_t N>
void error(const char (&event)[N], std::initializer_list<Field> fields = {}) {
  write(Level::error, event, fields);
}
template <std::size_t N>
void error(char (&event)[N], std::initializer_list<Field> fields = {}) = delete;

}  // namespace alliance::log
