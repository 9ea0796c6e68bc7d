// gzip compression of request bodies (libcurl never compresses uploads), with
// libdeflate: a push body is whole in memory, so no streaming is needed.
#include <libdeflate.h>

#include <memory>
#include <stdexcept>

#include "sync/transport/http_client.hpp"

namespace alliance::sync {

namespace {

// Level 7 of libdeflate: measured on bench_sync's 10,000 records, bodies are
// 4% smaller than zlib's best (76.1 against 79.1 bytes per record) for 30%
// less of the agent's CPU. Higher levels cost far more for about 1% less.
constexpr int kLevel = 7;

using Compressor = std::unique_ptr<libdeflate_compressor, decltype(&libdeflate_free_compressor)>;

}  // namespace

std::string gzip_compress(std::string_view data) {
  const Compressor compressor(libdeflate_alloc_compressor(kLevel), &libdeflate_free_compressor);
  if (!compressor) throw std::runtime_error("no memory to start compressing a request body");
  std::string out;
  out.resize(libdeflate_gzip_compress_bound(compressor.get(), data.size()));
  const std::size_t written =
      libdeflate_gzip_compress(compressor.get(), data.data(), data.size(), out.data(), out.size());
  // The bound is libdeflate's own worst case, so 0 (no room) cannot happen.
  if (written == 0) throw std::runtime_error("could not compress a request body");
  out.resize(written);
  return out;
}

}  // namespace alliance::sync
