// The USB bundle file: sealing (header, parts, Ed25519 signature) and strict,
// bounded opening.
#include "common/bundle/bundle.hpp"

#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "common/bundle/signing.hpp"
#include "common/util/strings.hpp"

namespace alliance::bundle {
namespace {

constexpr std::size_t kMaxHeaderLines = 32;
constexpr std::size_t kMaxHeaderLine = 256;
constexpr std::string_view kPartTag = "part ";
constexpr std::string_view kSignatureTag = "signature ";

std::unexpected<Problem> problem(std::string code, std::string message) {
  return std::unexpected(Problem{.code = std::move(code), .message = std::move(message)});
}

std::unexpected<Problem> truncated(std::string_view where) {
  return problem("truncated", util::cat("the bundle is cut short (", where,
                                        "): it was not copied completely. Copy it again from "
                                        "where it was made, or make a new one"));
}

std::unexpected<Problem> damaged(std::string_view what) {
  return problem("damaged", util::cat("the bundle is damaged or was altered (", what,
                                      "); nothing was applied. Make a new bundle"));
}

std::optional<std::int64_t> to_number(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty() || s.size() > 19 || s.front() == '-' || s.front() == '+') return std::nullopt;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

bool is_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool is_timestamp(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  for (const char c : s) {
    const bool ok = (c >= '0' && c <= '9') || c == '-' || c == ':' || c == '.' || c == 'T' ||
                    c == 'Z' || c == '+';
    if (!ok) return false;
  }
  return true;
}

// Reads one "\n"-ended line from `rest`, at most `max` bytes; nullopt when
// no newline comes within them.
std::optional<std::string_view> take_line(std::string_view& rest, std::size_t max) {
  const auto end = rest.substr(0, max + 1).find('\n');
  if (end == std::string_view::npos) return std::nullopt;
  const auto line = rest.substr(0, end);
  rest.remove_prefix(end + 1);
  return line;
}

std::expected<Header, Problem> parse_header(const std::map<std::string, std::string>& fields) {
  static const std::vector<std::string_view> required = {
      "kind",   "device",   "central-key",     "sequence",   "created",
      "cursor", "pull-own", "new-code-prefix", "push-parts", "parts"};
  for (const auto name : required) {
    if (!fields.contains(std::string(name))) {
      return damaged(util::cat("its header has no ", name));
    }
  }
  Header h;
  const auto& kind = fields.at("kind");
  if (kind == "changes") {
    h.kind = Kind::changes;
  } else if (kind == "answer") {
    h.kind = Kind::answer;
  } else {
    return damaged("its kind is neither changes nor answer");
  }
  h.device_id = fields.at("device");
  if (!is_id(h.device_id)) return damaged("its device id is malformed");
  h.central_key = fields.at("central-key");
  if (!is_public_key(h.central_key)) return damaged("its central key is malformed");
  const auto sequence = to_number(fields.at("sequence"));
  if (!sequence || *sequence < 1) return damaged("its sequence number is malformed");
  h.sequence = *sequence;
  h.created_at = fields.at("created");
  if (!is_timestamp(h.created_at)) return damaged("its creation time is malformed");
  const auto cursor = to_number(fields.at("cursor"));
  if (!cursor) return damaged("its cursor is malformed");
  h.cursor = *cursor;
  const auto flag = [&](const char* name, bool& out) {
    const auto& v = fields.at(name);
    if (v != "0" && v != "1") return false;
    out = v == "1";
    return true;
  };
  if (!flag("pull-own", h.pull_own) || !flag("new-code-prefix", h.new_code_prefix)) {
    return damaged("a yes/no field of its header is neither 0 nor 1");
  }
  return h;
}

}  // namespace

std::string_view to_string(Kind kind) {
  return kind == Kind::changes ? "changes" : "answer";
}

std::string seal(const Bundle& bundle, std::string_view secret_key) {
  if (bundle.parts.size() > kMaxParts) {
    throw std::invalid_argument(util::cat("a bundle holds at most ", kMaxParts, " parts"));
  }
  const Header& h = bundle.header;
  std::string out = util::cat(kMagic, " ", kFormatVersion, "\n");
  out += util::cat("kind: ", to_string(h.kind), "\n");
  out += util::cat("device: ", h.device_id, "\n");
  out += util::cat("central-key: ", h.central_key, "\n");
  out += util::cat("sequence: ", h.sequence, "\n");
  out += util::cat("created: ", h.created_at, "\n");
  out += util::cat("cursor: ", h.cursor, "\n");
  out += util::cat("pull-own: ", h.pull_own ? "1" : "0", "\n");
  out += util::cat("new-code-prefix: ", h.new_code_prefix ? "1" : "0", "\n");
  out += util::cat("push-parts: ", h.push_parts, "\n");
  out += util::cat("parts: ", bundle.parts.size(), "\n\n");
  for (const auto& part : bundle.parts) {
    if (part.size() > kMaxPartBytes) {
      throw std::invalid_argument(
          util::cat("a bundle part holds at most ", kMaxPartBytes, " bytes"));
    }
    out += util::cat(kPartTag, part.size(), "\n");
    out += part;
    out += '\n';
  }
  const std::string signature = sign(secret_key, out);
  out += util::cat(kSignatureTag, to_base64(signature), "\n");
  return out;
}

bool Opened::signed_by(std::string_view public_key) const {
  return verify(public_key, signed_bytes, signature);
}

std::expected<Opened, Problem> open(std::string_view bytes) {
  if (bytes.size() > kMaxBundleBytes) {
    return problem("too_large", util::cat("the file is larger than a bundle may be (",
                                          kMaxBundleBytes / (1024 * 1024), " MiB)"));
  }
  std::string_view rest = bytes;
  const auto first = take_line(rest, kMaxHeaderLine);
  if (!first || !first->starts_with(kMagic) || first->size() <= kMagic.size() ||
      (*first)[kMagic.size()] != ' ') {
    if (bytes.size() < kMagic.size() && kMagic.starts_with(bytes))
      return truncated("its first line");
    if (!first && bytes.starts_with(kMagic)) return truncated("its first line");
    return problem("not_a_bundle",
                   "this file is not an Alliance bundle (it does not begin "
                   "with ALLIANCE-BUNDLE); check the file name");
  }
  const auto version = to_number(first->substr(kMagic.size() + 1));
  if (!version) return damaged("its format line is malformed");
  if (*version != kFormatVersion) {
    return problem("newer_format", util::cat("this bundle has format ", *version,
                                             "; this program reads format ", kFormatVersion,
                                             ". Update this program, or make the bundle with "
                                             "the same version"));
  }
  std::map<std::string, std::string> fields;
  for (std::size_t i = 0;; ++i) {
    if (i > kMaxHeaderLines) return damaged("its header is too long");
    const auto line = take_line(rest, kMaxHeaderLine);
    if (!line) {
      return rest.size() <= kMaxHeaderLine ? truncated("in its header")
                                           : damaged("a header line is too long");
    }
    if (line->empty()) break;
    const auto colon = line->find(": ");
    if (colon == std::string_view::npos) return damaged("a header line has no ': '");
    auto [it, added] =
        fields.emplace(std::string(line->substr(0, colon)), std::string(line->substr(colon + 2)));
    if (!added) return damaged(util::cat("its header names ", it->first, " twice"));
  }
  auto header = parse_header(fields);
  if (!header) return std::unexpected(header.error());
  const auto count = to_number(fields.at("parts"));
  if (!count || static_cast<std::size_t>(*count) > kMaxParts) {
    return damaged("its part count is malformed");
  }
  const auto push_parts = to_number(fields.at("push-parts"));
  if (!push_parts || *push_parts > *count) return damaged("its push part count is malformed");
  header->push_parts = *push_parts;
  Opened opened;
  opened.bundle.header = std::move(*header);
  for (std::int64_t i = 0; i < *count; ++i) {
    if (rest.empty()) return truncated(util::cat("after part ", i, " of ", *count));
    const auto tag = take_line(rest, kPartTag.size() + 20);
    if (!tag)
      return rest.size() < kPartTag.size() + 20 ? truncated("in a part's length")
                                                : damaged("a part's length line");
    if (!tag->starts_with(kPartTag))
      return damaged(util::cat("part ", i + 1, " is not where it should be"));
    const auto size = to_number(tag->substr(kPartTag.size()));
    if (!size || static_cast<std::size_t>(*size) > kMaxPartBytes) {
      return damaged(util::cat("part ", i + 1, "'s length is malformed or too large"));
    }
    const auto n = static_cast<std::size_t>(*size);
    if (rest.size() < n + 1) return truncated(util::cat("in part ", i + 1, " of ", *count));
    if (rest[n] != '\n')
      return damaged(util::cat("part ", i + 1, " does not end where its length says"));
    opened.bundle.parts.emplace_back(rest.substr(0, n));
    rest.remove_prefix(n + 1);
  }
  opened.signed_bytes = std::string(bytes.substr(0, bytes.size() - rest.size()));
  if (rest.empty()) return truncated("before its signature");
  constexpr std::size_t kSignatureChars = (kSignatureBytes + 2) / 3 * 4;
  constexpr std::size_t kSignatureLine = kSignatureTag.size() + kSignatureChars;
  const auto line = take_line(rest, kSignatureLine);
  if (!line) {
    return rest.size() <= kSignatureLine ? truncated("in its signature")
                                         : damaged("its signature line");
  }
  if (!line->starts_with(kSignatureTag) ||
      !from_base64(line->substr(kSignatureTag.size()), opened.signature) ||
      opened.signature.size() != kSignatureBytes) {
    return damaged("its signature is malformed");
  }
  if (!rest.empty()) return damaged("there are bytes after its signature");
  return opened;
}

std::expected<std::string, Problem> read_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::is_regular_file(status)) {
    return problem("unreadable", util::cat("there is no bundle file at ", path.string()));
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec)
    return problem("unreadable", util::cat("cannot read ", path.string(), ": ", ec.message()));
  if (size > kMaxBundleBytes) {
    return problem("too_large", util::cat(path.string(), " is larger than a bundle may be (",
                                          kMaxBundleBytes / (1024 * 1024), " MiB)"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return problem("unreadable", util::cat("cannot open ", path.string()));
  // Never more than the bound, even if the file grows while it is read.
  std::string bytes(static_cast<std::size_t>(size) + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) return problem("unreadable", util::cat("reading ", path.string(), " failed"));
  return bytes;
}

}  // namespace alliance::bundle
