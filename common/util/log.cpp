// Structured logging with a scrubber for runtime text.
#include "common/util/log.hpp"
#include "common/util/strings.hpp"

#include <chrono>
#include <cstdio>
#include <mutex>

#include "common/util/time.hpp"
#include "common/util/uuid.hpp"

namespace alliance::log {
namespace {

struct LoggerState {
  std::mutex mutex;
  Level level = Level::info;
  std::function<void(std::string_view)> sink;
};

LoggerState& state() {
  static LoggerState s;
  return s;
}

std::string_view level_name(Level level) {
  switch (level) {
    case Level::debug:
      return "DEBUG";
    case Level::info:
      return "INFO";
    case Level::warn:
      return "WARN";
    case Level::error:
      return "ERROR";
  }
  return "INFO";
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_email_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' || c == '_' ||
         c == '-' || c == '+' || c == '%' || static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::string Field::format_double(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

std::string Field::checked_id(std::string_view s) {
  return util::is_uuid(s) ? std::string(s) : std::string("<not-an-id>");
}

std::string Field::quote(std::string_view s) {
  bool needs_quotes = s.empty();
  for (char c : s) {
    if (c == ' ' || c == '"' || c == '=' || c == '\\') needs_quotes = true;
  }
  if (!needs_quotes) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string scrub(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '@') {
      // Drop the local part already copied, and the domain that follows.
      // '*' too: digits of the local part may already have been masked.
      while (!out.empty() && (is_email_char(out.back()) || out.back() == '*')) out.pop_back();
      std::size_t j = i + 1;
      while (j < text.size() && is_email_char(text[j])) ++j;
      out += "***@***";
      i = j;
      continue;
    }
    if (is_digit(c) || c == '+') {
      // Count digits in a run that may contain phone punctuation.
      std::size_t j = i;
      std::size_t digits = 0;
      // People write phone numbers with spaces, dashes, dots, slashes and brackets.
      while (j < text.size() &&
             (is_digit(text[j]) || text[j] == ' ' || text[j] == '-' || text[j] == '.' ||
              text[j] == '/' || text[j] == '+' || text[j] == '(' || text[j] == ')')) {
        if (is_digit(text[j])) ++digits;
        ++j;
      }
      if (digits >= 6) {
        // The number ends at its last digit: punctuation and spaces after it
        // belong to the sentence and are copied as usual.
        while (j > i && !is_digit(text[j - 1])) --j;
        out += "***";
        i = j;
        continue;
      }
      // Copy the digits of a short run (counts, codes) as they are.
      out.push_back(c);
      ++i;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  // Control characters would let a message forge extra log lines.
  for (char& ch : out) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = ' ';
  }
  return out;
}

void set_level(Level level) {
  std::lock_guard lock(state().mutex);
  state().level = level;
}

Level level() {
  std::lock_guard lock(state().mutex);
  return state().level;
}

void set_sink(std::function<void(std::string_view)> sink) {
  std::lock_guard lock(state().mutex);
  state().sink = std::move(sink);
}

void reset_sink() {
  set_sink({});
}

void write(Level lvl, std::string_view event, std::initializer_list<Field> fields) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  if (lvl < s.level) return;
  std::string line = util::iso8601_utc(std::chrono::system_clock::now());
  line += ' ';
  line += level_name(lvl);
  line += ' ';
  line += event;
  for (const auto& f : fields) {
    line += ' ';
    line += f.key();
    line += '=';
    line += f.value();
  }
  if (s.sink) {
    s.sink(line);
  } else {
    line += '\n';
    std::fputs(line.c_str(), stderr);
  }
}

}  // namespace alliance::log
