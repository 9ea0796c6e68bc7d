// Content codings: request bodies decoded as they arrive within a size bound
// (a gzip bomb stops at the bound, not at the end of memory), and response
// bodies compressed for clients that accept gzip or brotli.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace alliance::central {

enum class BodyCoding { identity, gzip };

// From a Content-Encoding value: absent or "identity" is identity, "gzip" (or
// "x-gzip") is gzip; anything else, or a list of codings, is nullopt.
std::optional<BodyCoding> body_coding(std::string_view content_encoding);

// Decodes one request body piece by piece. Not thread-safe; one per body.
class BodyDecoder {
 public:
  enum class Status { ok, too_large, corrupt, no_memory };

  // `may_grow(total)` is asked before the decoded body grows to `total`
  // bytes (a global memory budget); false stops decoding with no_memory.
  BodyDecoder(BodyCoding coding, std::size_t max_bytes,
              std::function<bool(std::size_t total)> may_grow);
  ~BodyDecoder();
  BodyDecoder(const BodyDecoder&) = delete;
  BodyDecoder& operator=(const BodyDecoder&) = delete;

  // The next piece of the body as sent. After a status other than ok, the
  // decoder is spent.
  Status feed(std::string_view piece);
  // The body ended: a gzip stream must be complete.
  Status finish();
  // The decoded body so far.
  std::string take() { return std::move(decoded_); }

 private:
  Status append(std::string_view bytes);

  BodyCoding coding_;
  std::size_t max_bytes_;
  std::function<bool(std::size_t)> may_grow_;
  std::string decoded_;
  struct Inflater;
  std::unique_ptr<Inflater> inflater_;
  bool stream_ended_ = false;
};

enum class ResponseCoding { identity, gzip, br };

// The coding for a response body of `size` bytes given the request's
// Accept-Encoding: brotli or gzip when accepted (q > 0) and the body is large
// enough to gain from it, else identity.
ResponseCoding choose_response_coding(std::string_view accept_encoding, std::size_t size);
// "gzip", "br", or "" for identity.
std::string_view coding_name(ResponseCoding coding);
// How hard brotli works on an answer. Records (pull pages) repay it: quality 9
// is about 15% smaller than 4. A push's answer is change ids and outcomes,
// which no quality shrinks further, and quality 9 took about 9 ms for 500 of
// them against 0.25 ms at 4 (issue 15).
enum class Compression { thorough, quick };
// The body in that coding; throws std::runtime_error if the library fails.
std::string encode_response(ResponseCoding coding, std::string_view body,
                            Compression effort = Compression::thorough);

}  // namespace alliance::central
