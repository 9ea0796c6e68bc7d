// USB bundles: one signed file that carries a device's unacknowledged changes
// to central (kind "changes"), or central's answer back (kind "answer"), where
// there is no network at all. docs/ARCHITECTURE.md, "USB bundles".
//
// Layout (text lines, then length-prefixed parts, then the signature):
//
//   ALLIANCE-BUNDLE 1
//   kind: changes | answer
//   device: <device id central gave the device>
//   central-key: <central's Ed25519 public key, base64>
//   sequence: <bundle number>
//   created: <ISO-8601 UTC>
//   cursor: <pull cursor>
//   pull-own: 0 | 1
//   new-code-prefix: 0 | 1
//   push-parts: <k>          (the first k parts are push requests / answers)
//   parts: <n>
//   <empty line>
//   part <bytes>\n<API v1 JSON>\n      (n times: push requests, or one push
//                                       answer per request then pull pages)
//   signature <base64 Ed25519 signature of every byte before this line>\n
//
// Reading is bounded (kMaxBundleBytes in all, kMaxPartBytes a part) and
// strict: anything cut short, altered, out of place or after the signature
// is refused with a message naming what is wrong, before anything is applied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace alliance::bundle {

inline constexpr int kFormatVersion = 1;
inline constexpr std::string_view kMagic = "ALLIANCE-BUNDLE";
inline constexpr std::size_t kMaxBundleBytes = std::size_t{256} * 1024 * 1024;
inline constexpr std::size_t kMaxPartBytes = std::size_t{16} * 1024 * 1024;
inline constexpr std::size_t kMaxParts = 4096;

enum class Kind { changes, answer };
std::string_view to_string(Kind kind);

struct Header {
  Kind kind = Kind::changes;
  // The id central gave the device (store::DeviceCredentials::device_id).
  std::string device_id;
  // Central's public signing key: the central a "changes" bundle is made
  // for, and the one that signed an "answer".
  std::string central_key;
  // A "changes" bundle's number: larger than every earlier bundle of the
  // device (Unix ms at export, at least one more than the last), so central
  // refuses an old one. An "answer" carries the number of the bundle it answers.
  std::int64_t sequence = 0;
  std::string created_at;
  // "changes": the device's pull cursor, so the answer brings what follows
  // it; "answer": the cursor its pull pages start from.
  std::int64_t cursor = 0;
  bool pull_own = false;         // the device asks for its own records too (restored)
  bool new_code_prefix = false;  // the device asks for a reference-code prefix
  // How many of the first parts are push requests ("changes": all of them)
  // or push answers, one per request ("answer"); the rest are pull pages.
  std::int64_t push_parts = 0;
};

struct Bundle {
  Header header;
  std::vector<std::string> parts;
};

// The file's bytes, signed with `secret_key` (signing.hpp). Throws
// std::invalid_argument for a malformed key, a part over kMaxPartBytes or
// more than kMaxParts parts.
std::string seal(const Bundle& bundle, std::string_view secret_key);

struct Problem {
  // "not_a_bundle", "newer_format", "too_large", "truncated", "damaged",
  // "bad_signature", "unreadable"
  std::string code;
  std::string message;  // for a person; never quotes the file's contents
};

// A bundle read but not yet verified: nothing in it may be trusted before
// signed_by() says so.
struct Opened {
  Bundle bundle;
  std::string signed_bytes;  // everything the signature covers
  std::string signature;     // 64 raw bytes
  // Whether `public_key` (base64) signed it.
  bool signed_by(std::string_view public_key) const;
};

std::expected<Opened, Problem> open(std::string_view bytes);

// Reads a bundle file, at most kMaxBundleBytes.
std::expected<std::string, Problem> read_file(const std::filesystem::path& path);

}  // namespace alliance::bundle
