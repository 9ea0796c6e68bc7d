// Header floods against the real alliance-central: requests with ~60 MB of
// header lines (alone and several at once), one oversized header, too many
// header lines. Each gets 431 and the server's peak memory (VmHWM of the
// process) stays under 100 MB.
#include <doctest/doctest.h>

#include "hostile_client.hpp"

namespace alliance::test {
namespace {

constexpr long kPeakLimitKb = 100 * 1024;

struct Flood {
  std::size_t sent = 0;  // header bytes the server took before it hung up
  int status = 0;        // its answer, if one was read
};

// Sends a request line and then header lines until `total` bytes are sent or
// the server closes; then reads the answer.
Flood flood_headers(int port, std::size_t total) {
  auto s = connect_from("127.0.0.1", port);
  REQUIRE(s.open());
  Flood flood;
  const std::string start = "GET /v1/health HTTP/1.1\r\nHost: central\r\n";
  if (!send_all(s, start)) return flood;
  flood.sent = start.size();
  std::string lines;
  for (int i = 0; lines.size() < 1024 * 1024; ++i) {
    lines += "X-Flood-" + std::to_string(i) + ": " + std::string(100, 'f') + "\r\n";
  }
  while (flood.sent < total && send_all(s, lines, std::chrono::seconds(5))) {
    flood.sent += lines.size();
  }
  flood.status = status_of(read_answer(s, std::chrono::seconds(5)));
  return flood;
}

}  // namespace

TEST_CASE("60 MB of header lines get 431 and the server stays under 100 MB") {
  TempDir dir;
  RealCentral central(dir.path());
  const long before_kb = central.peak_rss_kb();
  REQUIRE(before_kb > 0);

  const auto one = flood_headers(central.port(), 60u * 1024 * 1024);
  MESSAGE("one 60 MB header flood: the server took " << one.sent / 1024 << " KiB, answered "
                                                     << one.status);
  CHECK(one.status == 431);
  CHECK(one.sent < 60u * 1024 * 1024);

  // Eight at once.
  std::vector<std::thread> floods;
  std::vector<Flood> results(8);
  for (std::size_t i = 0; i < results.size(); ++i) {
    floods.emplace_back([&, i] { results[i] = flood_headers(central.port(), 60u * 1024 * 1024); });
  }
  for (auto& t : floods) t.join();
  for (const auto& r : results) CHECK(r.status == 431);

  const long peak_kb = central.peak_rss_kb();
  MESSAGE("alliance-central peak RSS (VmHWM): " << before_kb << " kB at start, " << peak_kb
                                                << " kB after 9 header floods of 60 MB");
  CHECK(peak_kb < kPeakLimitKb);
  CHECK(health_ms(central.port(), std::chrono::seconds(2)).has_value());
}

TEST_CASE("one oversized header and too many header lines get 431") {
  TempDir dir;
  RealCentral central(dir.path());
  auto ask = [&](const std::string& headers) {
    auto s = connect_from("127.0.0.1", central.port());
    REQUIRE(s.open());
    send_all(s, "GET /v1/health HTTP/1.1\r\nHost: central\r\n" + headers + "\r\n");
    const auto answer = read_answer(s, std::chrono::seconds(5));
    return std::pair{status_of(answer), answer};
  };
  const auto big = ask("X-Big: " + std::string(64 * 1024, 'b') + "\r\n");
  CHECK(big.first == 431);
  CHECK(big.second.find("\"headers_too_large\"") != std::string::npos);

  std::string many;
  for (int i = 0; i < 100; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
  const auto too_many = ask(many);
  CHECK(too_many.first == 431);
  CHECK(too_many.second.find("header lines") != std::string::npos);

  std::string tiny_lines;
  for (int i = 0; i < 5000; ++i) tiny_lines += "A: b\r\n";
  CHECK(ask(tiny_lines).first == 431);

  std::string some;
  for (int i = 0; i < 20; ++i) some += "X-" + std::to_string(i) + ": 1\r\n";
  CHECK(ask(some + "Connection: close\r\n").first == 200);
  CHECK(central.peak_rss_kb() < kPeakLimitKb);
}

}  // namespace alliance::test
