// Content codings of the HTTP server: request bodies inflated piece by piece
// within their bound, and the coding chosen for answers.
#include <brotli/decode.h>
#include <doctest/doctest.h>
#include <zlib.h>

#include <random>

#include "central/http/coding.hpp"

using namespace alliance;
using central::BodyCoding;
using central::BodyDecoder;
using central::ResponseCoding;
using Status = BodyDecoder::Status;

namespace {

std::string gzip(std::string_view data) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string unbrotli(std::string_view data, std::size_t size) {
  std::string out(size, '\0');
  std::size_t decoded = size;
  const auto rc =
      BrotliDecoderDecompress(data.size(), reinterpret_cast<const std::uint8_t*>(data.data()),
                              &decoded, reinterpret_cast<std::uint8_t*>(out.data()));
  REQUIRE(rc == BROTLI_DECODER_RESULT_SUCCESS);
  out.resize(decoded);
  return out;
}

std::string gunzip(std::string_view data) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  CHECK(inflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

auto unlimited() {
  return [](std::size_t) { return true; };
}

}  // namespace

TEST_CASE("a gzip body fed byte by byte decodes to the original") {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "{\"n\":" + std::to_string(i) + "},";
  const auto packed = gzip(text);
  BodyDecoder decoder(BodyCoding::gzip, 1 << 20, unlimited());
  for (char c : packed) REQUIRE(decoder.feed(std::string_view(&c, 1)) == Status::ok);
  CHECK(decoder.finish() == Status::ok);
  CHECK(decoder.take() == text);
}

TEST_CASE("decoded bodies stop at their bound, whatever the compressed size") {
  const std::string exact(1000, 'x');
  BodyDecoder fits(BodyCoding::identity, 1000, unlimited());
  CHECK(fits.feed(exact) == Status::ok);
  CHECK(fits.finish() == Status::ok);
  BodyDecoder over(BodyCoding::identity, 1000, unlimited());
  CHECK(over.feed(exact + "y") == Status::too_large);

  // 64 MiB of zeros in about 64 KiB: never more than the bound is asked for.
  const auto bomb = gzip(std::string(64u * 1024 * 1024, '\0'));
  CHECK(bomb.size() < 128 * 1024);
  std::size_t most = 0;
  BodyDecoder decoder(BodyCoding::gzip, 1 << 20, [&](std::size_t total) {
    most = std::max(most, total);
    return true;
  });
  CHECK(decoder.feed(bomb) == Status::too_large);
  CHECK(most <= std::size_t{1} << 20);
}

TEST_CASE("broken, truncated or trailing gzip data is corrupt, and the budget can say no") {
  const auto packed = gzip("{\"schema\":1}");
  BodyDecoder garbage(BodyCoding::gzip, 1 << 20, unlimited());
  CHECK(garbage.feed("this is not gzip") == Status::corrupt);

  BodyDecoder truncated(BodyCoding::gzip, 1 << 20, unlimited());
  CHECK(truncated.feed(std::string_view(packed).substr(0, packed.size() - 4)) == Status::ok);
  CHECK(truncated.finish() == Status::corrupt);

  BodyDecoder trailing(BodyCoding::gzip, 1 << 20, unlimited());
  CHECK(trailing.feed(packed + "GET / HTTP/1.1") == Status::corrupt);

  BodyDecoder refused(BodyCoding::identity, 1 << 20, [](std::size_t total) { return total < 10; });
  CHECK(refused.feed("12345") == Status::ok);
  CHECK(refused.feed("67890") == Status::no_memory);
}

TEST_CASE("Content-Encoding values and the coding of answers") {
  CHECK(central::body_coding("") == BodyCoding::identity);
  CHECK(central::body_coding(" Identity ") == BodyCoding::identity);
  CHECK(central::body_coding("gzip") == BodyCoding::gzip);
  CHECK(central::body_coding("x-gzip") == BodyCoding::gzip);
  CHECK_FALSE(central::body_coding("br").has_value());
  CHECK_FALSE(central::body_coding("gzip, gzip").has_value());
  CHECK_FALSE(central::body_coding("deflate").has_value());

  const std::size_t big = 4096;
  CHECK(central::choose_response_coding("gzip", big) == ResponseCoding::gzip);
  CHECK(central::choose_response_coding("deflate, gzip, br, zstd", big) == ResponseCoding::br);
  CHECK(central::choose_response_coding("br;q=0, gzip;q=0.5", big) == ResponseCoding::gzip);
  CHECK(central::choose_response_coding("gzip;q=0", big) == ResponseCoding::identity);
  CHECK(central::choose_response_coding("identity", big) == ResponseCoding::identity);
  CHECK(central::choose_response_coding("", big) == ResponseCoding::identity);
  CHECK(central::choose_response_coding("gzip", 100) == ResponseCoding::identity);

  std::string text;
  for (int i = 0; i < 500; ++i) text += "{\"member\":" + std::to_string(i) + "}";
  const auto packed = central::encode_response(ResponseCoding::gzip, text);
  CHECK(packed.size() < text.size() / 4);
  CHECK(gunzip(packed) == text);
  CHECK(central::encode_response(ResponseCoding::br, text).size() < text.size() / 4);
}

TEST_CASE("brotli works hard on records and quickly on a push's answer, and both decode") {
  // A pull page's records repeat their field names: the thorough quality
  // finds more of that than the quick one.
  std::string records;
  std::mt19937 random(15);
  const char* names[] = {"Amina", "Wanjiru", "Otieno", "Kamau", "Njeri", "Mwangi", "Achieng"};
  for (int i = 0; i < 300; ++i) {
    records += "{\"id\":\"01a22d85-" + std::to_string(random()) + "\",\"given_name\":\"" +
               names[random() % 7] + "\",\"family_name\":\"" + names[random() % 7] +
               "\",\"birth_year\":" + std::to_string(1960 + random() % 40) +
               ",\"region\":\"Nairobi\",\"organisation\":\"Ministry of Health\",\"role\":"
               "\"social_worker\",\"phone\":\"+2547" +
               std::to_string(random() % 100000000) + "\",\"consent\":{\"given\":true}},";
  }
  const auto thorough = central::encode_response(ResponseCoding::br, records);
  const auto quick =
      central::encode_response(ResponseCoding::br, records, central::Compression::quick);
  CHECK(thorough.size() < quick.size());
  CHECK(quick.size() < records.size() / 4);
  CHECK(unbrotli(thorough, records.size()) == records);
  CHECK(unbrotli(quick, records.size()) == records);
  // gzip has one effort.
  CHECK(gunzip(central::encode_response(ResponseCoding::gzip, records,
                                        central::Compression::quick)) == records);
}
