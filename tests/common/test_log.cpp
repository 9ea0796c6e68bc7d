// Structured logging: line layout, level filtering and keeping personal data out.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <regex>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/util/log.hpp"
#include "common/util/time.hpp"
#include "common/util/uuid.hpp"

using namespace alliance;

namespace {

// Captures every line written while it lives; restores the sink and the level.
class Capture {
 public:
  explicit Capture(log::Level lvl = log::Level::debug) : saved_level_(log::level()) {
    log::set_level(lvl);
    log::set_sink([this](std::string_view line) { lines.emplace_back(line); });
  }
  ~Capture() {
    log::reset_sink();
    log::set_level(saved_level_);
  }
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

  std::vector<std::string> lines;

 private:
  log::Level saved_level_;
};

// The line without its leading timestamp ("<time> ").
std::string after_time(const std::string& line) {
  const auto space = line.find(' ');
  return space == std::string::npos ? std::string() : line.substr(space + 1);
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

bool has_digit(std::string_view s) {
  for (const char c : s) {
    if (c >= '0' && c <= '9') return true;
  }
  return false;
}

}  // namespace

// Only literals, numbers, booleans, Text and Id can be values: a runtime
// std::string (a member's name, say) does not compile.
static_assert(!std::is_constructible_v<log::Field, const char (&)[5], std::string>);
static_assert(!std::is_constructible_v<log::Field, const char (&)[5], std::string_view>);
static_assert(!std::is_constructible_v<log::Field, const char (&)[5], const std::string&>);
static_assert(std::is_constructible_v<log::Field, const char (&)[5], log::Text>);
static_assert(std::is_constructible_v<log::Field, const char (&)[5], log::Id>);
// A writable buffer is runtime text, and a pointer must not become a bool.
static_assert(!std::is_constructible_v<log::Field, const char (&)[5], char (&)[32]>);
static_assert(!std::is_constructible_v<log::Field, const char (&)[5], const char*>);
static_assert(std::is_constructible_v<log::Field, const char (&)[5], const char (&)[6]>);
static_assert(std::is_constructible_v<log::Field, const char (&)[5], bool>);
static_assert(std::is_constructible_v<log::Field, const char (&)[5], int>);

TEST_CASE("a line holds the time, the level, the event and key=value fields") {
  Capture cap(log::Level::info);
  const std::string id = util::new_uuid_v7();
  const std::string before = util::iso8601_utc(std::chrono::system_clock::now());
  log::info("sync_done", {{"count", 3},
                          {"skipped", -2},
                          {"bytes", std::int64_t{5'000'000'000}},
                          {"ok", true},
                          {"retry", false},
                          {"ratio", 0.5},
                          {"mode", "full"},
                          {"note", "two words"},
                          {"device", log::Id(id)}});
  const std::string after = util::iso8601_utc(std::chrono::system_clock::now());
  REQUIRE(cap.lines.size() == 1);
  const std::string& line = cap.lines[0];
  CAPTURE(line);

  const std::string time = line.substr(0, line.find(' '));
  CHECK(std::regex_match(time, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")));
  // Fixed-width ISO-8601 sorts like time.
  CHECK(before <= time);
  CHECK(time <= after);

  CHECK(after_time(line) ==
        "INFO sync_done count=3 skipped=-2 bytes=5000000000 ok=true retry=false ratio=0.500 "
        "mode=full note=\"two words\" device=" +
            id);
  CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("an event without fields and the level names") {
  Capture cap(log::Level::debug);
  log::debug("d_event");
  log::info("i_event");
  log::warn("w_event");
  log::error("e_event");
  REQUIRE(cap.lines.size() == 4);
  CHECK(after_time(cap.lines[0]) == "DEBUG d_event");
  CHECK(after_time(cap.lines[1]) == "INFO i_event");
  CHECK(after_time(cap.lines[2]) == "WARN w_event");
  CHECK(after_time(cap.lines[3]) == "ERROR e_event");
}

TEST_CASE("lines below the level are dropped") {
  Capture cap(log::Level::warn);
  CHECK(log::level() == log::Level::warn);
  log::debug("dropped_debug");
  log::info("dropped_info", {{"n", 1}});
  log::warn("kept_warn");
  log::error("kept_error");
  REQUIRE(cap.lines.size() == 2);
  CHECK(contains(cap.lines[0], " WARN kept_warn"));
  CHECK(contains(cap.lines[1], " ERROR kept_error"));

  log::set_level(log::Level::error);
  CHECK(log::level() == log::Level::error);
  log::warn("dropped_warn");
  log::error("kept_error_2");
  REQUIRE(cap.lines.size() == 3);
  CHECK(contains(cap.lines[2], " ERROR kept_error_2"));

  log::set_level(log::Level::debug);
  log::debug("kept_debug");
  REQUIRE(cap.lines.size() == 4);
  CHECK(contains(cap.lines[3], " DEBUG kept_debug"));
  for (const std::string& line : cap.lines) {
    CAPTURE(line);
    CHECK_FALSE(contains(line, "dropped"));
  }
}

TEST_CASE("the sink and the level are restored after capturing") {
  const log::Level outer = log::level();
  std::vector<std::string> seen;
  {
    Capture cap(log::Level::error);
    log::error("inside");
    CHECK(cap.lines.size() == 1);
  }
  CHECK(log::level() == outer);
  // A new sink sees only what is written after it is installed.
  log::set_sink([&seen](std::string_view line) { seen.emplace_back(line); });
  log::error("after");
  log::reset_sink();
  REQUIRE(seen.size() == 1);
  CHECK(contains(seen[0], "ERROR after"));
}

TEST_CASE("Text hides e-mail addresses and phone numbers but keeps the words around them") {
  Capture cap(log::Level::info);
  log::warn("send_failed",
            {{"error", log::Text("could not reach amina.wanjiru@example.org or +254 712 345 678 "
                                 "or 0712345678 today")}});
  REQUIRE(cap.lines.size() == 1);
  const std::string& line = cap.lines[0];
  const std::string rest = after_time(line);
  CAPTURE(line);

  // None of the personal data, in whole or in part.
  for (const std::string_view secret :
       {"amina.wanjiru@example.org", "amina", "wanjiru", "example.org", "example", "+254",
        "712 345 678", "254712345678", "0712345678", "712345678", "254", "712", "345", "678"}) {
    CAPTURE(secret);
    CHECK_FALSE(contains(rest, secret));
  }
  // The message had no other digits, so none may be left after the time.
  CHECK_FALSE(has_digit(rest));

  // The surrounding words stay readable.
  for (const std::string_view word : {"could", "not", "reach", "or", "today"}) {
    CAPTURE(word);
    CHECK(contains(rest, word));
  }
  CHECK(rest == "WARN send_failed error=\"could not reach ***@*** or *** or *** today\"");
}

TEST_CASE("log::scrub masks e-mails and phone-like runs") {
  CHECK(log::scrub("mail amina.wanjiru@example.org now") == "mail ***@*** now");
  CHECK(log::scrub("call +254 712 345 678 now") == "call *** now");
  CHECK(log::scrub("call 0712345678") == "call ***");
  CHECK(log::scrub("call (0712) 345-678.") == "call (***.");
  CHECK(log::scrub("nothing personal") == "nothing personal");
  CHECK(log::scrub("") == "");
}

TEST_CASE("short numbers are kept") {
  Capture cap(log::Level::info);
  log::error("job_failed", {{"detail", log::Text("batch 42 failed")},
                            {"more", log::Text("retry 3 of 5 in 12345 ms")},
                            {"plain", log::Text("disk-full")}});
  REQUIRE(cap.lines.size() == 1);
  CHECK(after_time(cap.lines[0]) ==
        "ERROR job_failed detail=\"batch 42 failed\" more=\"retry 3 of 5 in 12345 ms\" "
        "plain=disk-full");
  CHECK(log::scrub("batch 42 failed") == "batch 42 failed");
  CHECK(log::scrub("12345") == "12345");
  CHECK(log::scrub("123456") == "***");
}

TEST_CASE("log::Id prints a UUID and masks anything else") {
  Capture cap(log::Level::info);
  const std::string v7 = util::new_uuid_v7();
  const std::string v4 = "f47ac10b-58cc-4372-a567-0e02b2c3d479";
  log::info("member_seen", {{"member", log::Id(v7)},
                            {"other", log::Id(v4)},
                            {"name", log::Id("Amina Wanjiru")},
                            {"mail", log::Id("amina.wanjiru@example.org")},
                            {"upper", log::Id("F47AC10B-58CC-4372-A567-0E02B2C3D479")},
                            {"empty", log::Id("")}});
  REQUIRE(cap.lines.size() == 1);
  const std::string& line = cap.lines[0];
  CAPTURE(line);
  CHECK(after_time(line) == "INFO member_seen member=" + v7 + " other=" + v4 +
                                " name=<not-an-id> mail=<not-an-id> upper=<not-an-id>"
                                " empty=<not-an-id>");
  CHECK_FALSE(contains(line, "Amina"));
  CHECK_FALSE(contains(line, "Wanjiru"));
  CHECK_FALSE(contains(line, "example"));
}

TEST_CASE("control characters in Text cannot forge a second line") {
  Capture cap(log::Level::info);
  log::error("upload_failed",
             {{"error", log::Text("disk full\n2026-01-01T00:00:00.000Z ERROR forged_event "
                                  "user=admin\r\x1b[2Kcleared\ttab\x7f")}});
  REQUIRE(cap.lines.size() == 1);
  const std::string& line = cap.lines[0];
  CAPTURE(line);
  for (const char c : line) {
    const auto u = static_cast<unsigned char>(c);
    CHECK_FALSE((u < 0x20 || u == 0x7f));
  }
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find('\r') == std::string::npos);
  // The text stays in the one quoted value.
  CHECK(contains(line, "error=\"disk full "));
  CHECK(contains(line, "forged_event user=admin"));
  CHECK(line.back() == '"');
}

TEST_CASE("quotes and backslashes in Text stay inside the value") {
  Capture cap(log::Level::info);
  log::info("parse_failed", {{"error", log::Text(R"(bad "x" at C:\tmp)")}});
  REQUIRE(cap.lines.size() == 1);
  CHECK(after_time(cap.lines[0]) == R"(INFO parse_failed error="bad \"x\" at C:\\tmp")");
}

TEST_CASE("phone numbers written with dots or slashes and e-mails with digits are masked") {
  for (const char* text :
       {"call 0712.345.678 today", "call +254.712.345.678 today", "call 0712/345/678 today"}) {
    CAPTURE(text);
    const std::string out = log::scrub(text);
    CHECK(out.find("345") == std::string::npos);
    CHECK(out.find("call") != std::string::npos);
    CHECK(out.find("today") != std::string::npos);
  }
  const std::string mail = log::scrub("mail amina254712@example.org now");
  CHECK(mail.find("amina") == std::string::npos);
  CHECK(mail.find("example") == std::string::npos);
  CHECK(mail.find("now") != std::string::npos);
}
