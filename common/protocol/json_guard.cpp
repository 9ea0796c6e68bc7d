// Checks on untrusted JSON text: size, UTF-8, syntax, nesting depth,
// duplicate keys and NUL characters, alone or while a document is built.
//
// One pass of rapidjson's SAX reader in iterative mode (it never recurses, so
// deep nesting cannot exhaust the stack) sees every key and string before
// the document holds them. A document would silently keep both of two equal
// keys and a reader cut a string at an escaped NUL, so both are refused here,
// with the path of the value in the message.

// cereal's json.hpp must come before any rapidjson header: it redefines
// RAPIDJSON_ASSERT to throw instead of aborting.
#include <cereal/archives/json.hpp>

#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/text.hpp"
#include "common/protocol/json_guard.hpp"

namespace alliance::protocol {
namespace {

// Where a checked parse sends what it reads: nowhere (check_json_text), or
// into a document (parse_checked).
struct NoDocument {
  bool Null() { return true; }
  bool Bool(bool) { return true; }
  bool Int(int) { return true; }
  bool Uint(unsigned) { return true; }
  bool Int64(std::int64_t) { return true; }
  bool Uint64(std::uint64_t) { return true; }
  bool Double(double) { return true; }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return true; }
  bool String(const char*, rapidjson::SizeType, bool) { return true; }
  bool StartObject() { return true; }
  bool Key(const char*, rapidjson::SizeType, bool) { return true; }
  bool EndObject(rapidjson::SizeType) { return true; }
  bool StartArray() { return true; }
  bool EndArray(rapidjson::SizeType) { return true; }
};

// Follows the parser through objects and arrays; stops it (by returning
// false) at the first value that is too deep, a repeated key, or a NUL.
// Every event that passes goes on to `next`, so a document is built in the
// same pass that checks the text.
template <class Next>
class GuardHandler {
 public:
  GuardHandler(std::size_t max_depth, Next& next) : max_depth_(max_depth), next_(next) {}

  bool StartObject() { return enter(true) && next_.StartObject(); }
  bool StartArray() { return enter(false) && next_.StartArray(); }
  bool EndObject(rapidjson::SizeType members) { return leave() && next_.EndObject(members); }
  bool EndArray(rapidjson::SizeType elements) { return leave() && next_.EndArray(elements); }

  bool Key(const char* text, rapidjson::SizeType length, bool copy) {
    const std::string_view key(text, length);
    Frame& frame = frames_[depth_ - 1];
    if (has_nul(key)) {
      frame.key_count = 0;  // the path names the object, not the key
      return stop("nul_character", "a key in '" + path() + "' contains U+0000 (NUL)");
    }
    if (!frame.add_key(key)) {
      return stop("duplicate_key", "the key '" + path() + "' appears more than once in its object");
    }
    return next_.Key(text, length, copy);
  }

  bool String(const char* text, rapidjson::SizeType length, bool copy) {
    if (has_nul(std::string_view(text, length))) {
      return stop("nul_character", "the string at '" + path() + "' contains U+0000 (NUL)");
    }
    return scalar() && next_.String(text, length, copy);
  }

  bool Null() { return scalar() && next_.Null(); }
  bool Bool(bool b) { return scalar() && next_.Bool(b); }
  bool Int(int i) { return scalar() && next_.Int(i); }
  bool Uint(unsigned u) { return scalar() && next_.Uint(u); }
  bool Int64(std::int64_t i) { return scalar() && next_.Int64(i); }
  bool Uint64(std::uint64_t u) { return scalar() && next_.Uint64(u); }
  bool Double(double d) { return scalar() && next_.Double(d); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool copy) {
    return scalar() && next_.RawNumber(text, length, copy);
  }

  const std::optional<DecodeError>& error() const { return error_; }

 private:
  // One level of nesting. Frames are reused by later objects and arrays at
  // the same depth, so a body of many similar changes allocates for its
  // first change only.
  struct Frame {
    static constexpr std::size_t kKeptSlots = 64;  // a member's 30-odd keys fit

    bool object = false;
    std::size_t index = 0;          // in an array: values seen so far
    std::size_t key_count = 0;      // in an object: keys seen so far
    std::vector<std::string> keys;  // the first key_count are this object's
    // Open addressing over `keys`: slot value i + 1 names keys[i], 0 is free.
    // Kept at most half full, so each key costs O(1) however many there are.
    std::vector<std::uint32_t> slots;

    void reset(bool is_object) {
      object = is_object;
      index = 0;
      key_count = 0;
      // A table grown by one large object is not swept for every small one after it.
      if (slots.size() > kKeptSlots) {
        slots.assign(kKeptSlots, 0);
      } else {
        std::fill(slots.begin(), slots.end(), 0);
      }
    }

    std::string_view current_key() const {
      return key_count == 0 ? std::string_view() : std::string_view(keys[key_count - 1]);
    }

    // Records the key; false when this object already has it.
    bool add_key(std::string_view key) {
      if (2 * (key_count + 1) > slots.size()) grow();
      const std::size_t mask = slots.size() - 1;
      std::size_t at = std::hash<std::string_view>{}(key)&mask;
      while (slots[at] != 0) {
        if (keys[slots[at] - 1] == key) {
          remember(key);  // the path in the message ends with it
          return false;
        }
        at = (at + 1) & mask;
      }
      remember(key);
      slots[at] = static_cast<std::uint32_t>(key_count);
      return true;
    }

    void remember(std::string_view key) {
      if (key_count < keys.size()) {
        keys[key_count].assign(key);
      } else {
        keys.emplace_back(key);
      }
      ++key_count;
    }

    void grow() {
      slots.assign(std::max<std::size_t>(kKeptSlots, slots.size() * 2), 0);
      const std::size_t mask = slots.size() - 1;
      for (std::size_t i = 0; i < key_count; ++i) {
        std::size_t at = std::hash<std::string_view>{}(keys[i]) & mask;
        while (slots[at] != 0) at = (at + 1) & mask;
        slots[at] = static_cast<std::uint32_t>(i + 1);
      }
    }
  };

  static bool has_nul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

  bool enter(bool object) {
    if (depth_ + 1 > max_depth_) {
      return stop("too_deep",
                  "JSON text is nested more than " + std::to_string(max_depth_) + " levels deep");
    }
    if (depth_ == frames_.size()) frames_.emplace_back();
    frames_[depth_++].reset(object);
    return true;
  }

  bool leave() {
    --depth_;
    return scalar();
  }

  // A value ended: the enclosing array moves on to its next index.
  bool scalar() {
    if (depth_ > 0 && !frames_[depth_ - 1].object) ++frames_[depth_ - 1].index;
    return true;
  }

  bool stop(std::string code, std::string message) {
    error_ = DecodeError{std::move(code), std::move(message)};
    return false;
  }

  // "changes[2].record.given_name": where the parser is now, cut short if a
  // hostile key makes it long (messages stay small and readable).
  std::string path() const {
    constexpr std::size_t kMaxPath = 200;
    std::string out = full_path();
    if (out.size() > kMaxPath) {
      std::size_t cut = kMaxPath;
      // Never split a UTF-8 sequence: back up over continuation bytes.
      while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
      out.resize(cut);
      out += "...";
    }
    return out;
  }

  std::string full_path() const {
    std::string out;
    for (std::size_t depth = 0; depth < depth_; ++depth) {
      const Frame& frame = frames_[depth];
      if (frame.object) {
        if (!out.empty()) out += '.';
        out += frame.current_key();
      } else {
        out += "[" + std::to_string(frame.index) + "]";
      }
    }
    return out.empty() ? std::string("(root)") : out;
  }

  std::size_t max_depth_;
  Next& next_;
  std::vector<Frame> frames_;  // the first depth_ are open; the rest wait for reuse
  std::size_t depth_ = 0;
  std::optional<DecodeError> error_;
};

// The checks made before parsing: size, UTF-8, and a NUL byte (which the
// parser would take for the end of the text).
std::optional<DecodeError> check_bytes(std::string_view text) {
  if (text.size() > kMaxJsonBytes) {
    return DecodeError{"too_large",
                       "JSON text is larger than " + std::to_string(kMaxJsonBytes) + " bytes"};
  }
  if (const auto bad = model::first_invalid_utf8(text)) {
    return DecodeError{"invalid_utf8",
                       "JSON text is not valid UTF-8 at byte " + std::to_string(*bad)};
  }
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    return DecodeError{"nul_character",
                       "JSON text contains a NUL byte at byte " + std::to_string(nul)};
  }
  return std::nullopt;
}

// One iterative SAX pass of `text` through the guard into `next`.
template <class Next>
std::optional<DecodeError> guarded_parse(std::string_view text, std::size_t max_depth, Next& next) {
  if (auto error = check_bytes(text)) return error;
  GuardHandler<Next> handler(max_depth, next);
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::Reader reader;
  try {
    if (!reader.Parse<rapidjson::kParseIterativeFlag>(stream, handler).IsError()) {
      return std::nullopt;
    }
  } catch (const std::exception&) {
    // cereal's RAPIDJSON_ASSERT throws; the text is then not JSON we accept.
  }
  if (handler.error()) return handler.error();
  return DecodeError{"malformed_json", "the body is not valid JSON"};
}

}  // namespace

std::optional<DecodeError> check_json_text(std::string_view text, std::size_t max_depth) {
  NoDocument nowhere;
  return guarded_parse(text, max_depth, nowhere);
}

std::optional<DecodeError> parse_checked(std::string_view text, rapidjson::Document& document,
                                         std::size_t max_depth) {
  std::optional<DecodeError> error;
  // Populate hands the document's own SAX handler to the generator and, when
  // it succeeds, makes the one value left on the document's stack the root.
  auto parse_into = [&](rapidjson::Document& into) {
    error = guarded_parse(text, max_depth, into);
    return !error.has_value();
  };
  document.Populate(parse_into);
  if (error) document.SetNull();
  return error;
}

}  // namespace alliance::protocol
