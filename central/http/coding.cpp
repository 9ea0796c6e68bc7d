// Bounded streaming gzip inflation of request bodies; gzip and brotli responses.
#include "central/http/coding.hpp"

#include <brotli/encode.h>
#include <zlib.h>

#include <charconv>
#include <stdexcept>
#include <vector>

#include "common/util/strings.hpp"

namespace alliance::central {
namespace {

// Below this, compression saves less than the header it costs.
constexpr std::size_t kMinCompressibleBytes = 256;
// Decoded output is produced in steps of this size, each asked of the budget.
constexpr std::size_t kInflateStep = 64 * 1024;
// Brotli's quality 11 costs seconds on a full pull page; 9 keeps most of the
// gain. 4 is the quick one (Compression::quick).
constexpr int kBrotliThoroughQuality = 9;
constexpr int kBrotliQuickQuality = 4;

struct AcceptedCodings {
  bool gzip = false;
  bool br = false;
};

// Reads "gzip, br;q=0.5, *;q=0": a coding counts when its q is above zero.
AcceptedCodings parse_accept_encoding(std::string_view header) {
  AcceptedCodings accepted;
  for (const auto& item : util::split(header, ',')) {
    const auto parts = util::split(item, ';');
    if (parts.empty()) continue;
    const std::string name = util::ascii_lower(util::trim_blanks(parts[0]));
    bool wanted = true;
    for (std::size_t i = 1; i < parts.size(); ++i) {
      const auto param = util::trim_blanks(parts[i]);
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        double q = 0;
        const auto digits = param.substr(2);
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), q);
        wanted = ec == std::errc{} && q > 0;
      }
    }
    if (name == "gzip" || name == "x-gzip") accepted.gzip = wanted;
    if (name == "br") accepted.br = wanted;
  }
  return accepted;
}

}  // namespace

std::optional<BodyCoding> body_coding(std::string_view content_encoding) {
  const std::string coding = util::ascii_lower(util::trim_blanks(content_encoding));
  if (coding.empty() || coding == "identity") return BodyCoding::identity;
  if (coding == "gzip" || coding == "x-gzip") return BodyCoding::gzip;
  return std::nullopt;
}

struct BodyDecoder::Inflater {
  z_stream stream{};
  bool ready = false;
  ~Inflater() {
    if (ready) inflateEnd(&stream);
  }
};

BodyDecoder::BodyDecoder(BodyCoding coding, std::size_t max_bytes,
                         std::function<bool(std::size_t)> may_grow)
    : coding_(coding), max_bytes_(max_bytes), may_grow_(std::move(may_grow)) {
  if (coding_ == BodyCoding::gzip) {
    inflater_ = std::make_unique<Inflater>();
    // windowBits 15 + 16: a gzip wrapper only.
    if (inflateInit2(&inflater_->stream, 15 + 16) != Z_OK) {
      throw std::runtime_error("zlib could not start decompressing");
    }
    inflater_->ready = true;
  }
}

BodyDecoder::~BodyDecoder() = default;

BodyDecoder::Status BodyDecoder::append(std::string_view bytes) {
  if (decoded_.size() + bytes.size() > max_bytes_) return Status::too_large;
  if (!may_grow_(decoded_.size() + bytes.size())) return Status::no_memory;
  decoded_.append(bytes);
  return Status::ok;
}

BodyDecoder::Status BodyDecoder::feed(std::string_view piece) {
  if (coding_ == BodyCoding::identity) return append(piece);
  if (piece.empty()) return Status::ok;
  // Bytes after the end of the gzip stream are not part of any body we accept.
  if (stream_ended_) return Status::corrupt;
  auto& z = inflater_->stream;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
  z.avail_in = static_cast<uInt>(piece.size());
  std::vector<char> out(kInflateStep);
  while (z.avail_in > 0) {
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) return Status::corrupt;
    const std::size_t produced = out.size() - z.avail_out;
    if (const auto status = append(std::string_view(out.data(), produced)); status != Status::ok) {
      return status;
    }
    if (rc == Z_STREAM_END) {
      stream_ended_ = true;
      return z.avail_in == 0 ? Status::ok : Status::corrupt;
    }
    if (rc == Z_BUF_ERROR && produced == 0) return Status::corrupt;
  }
  return Status::ok;
}

BodyDecoder::Status BodyDecoder::finish() {
  if (coding_ == BodyCoding::gzip && !stream_ended_) return Status::corrupt;
  return Status::ok;
}

ResponseCoding choose_response_coding(std::string_view accept_encoding, std::size_t size) {
  if (size < kMinCompressibleBytes || accept_encoding.empty()) return ResponseCoding::identity;
  const auto accepted = parse_accept_encoding(accept_encoding);
  if (accepted.br) return ResponseCoding::br;
  if (accepted.gzip) return ResponseCoding::gzip;
  return ResponseCoding::identity;
}

std::string_view coding_name(ResponseCoding coding) {
  switch (coding) {
    case ResponseCoding::gzip:
      return "gzip";
    case ResponseCoding::br:
      return "br";
    case ResponseCoding::identity:
      break;
  }
  return "";
}

std::string encode_response(ResponseCoding coding, std::string_view body, Compression effort) {
  if (coding == ResponseCoding::identity) return std::string(body);
  std::string out;
  if (coding == ResponseCoding::br) {
    std::size_t size = BrotliEncoderMaxCompressedSize(body.size());
    if (size == 0) size = body.size() + 1024;
    out.resize(size);
    const int quality = effort == Compression::quick ? kBrotliQuickQuality : kBrotliThoroughQuality;
    if (BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, body.size(),
                              reinterpret_cast<const std::uint8_t*>(body.data()), &size,
                              reinterpret_cast<std::uint8_t*>(out.data())) != BROTLI_TRUE) {
      throw std::runtime_error("brotli could not compress a response");
    }
    out.resize(size);
    return out;
  }
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib could not start compressing");
  }
  out.resize(deflateBound(&z, static_cast<uLong>(body.size())) + 32);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const auto written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib could not compress a response");
  out.resize(written);
  return out;
}

}  // namespace alliance::central
