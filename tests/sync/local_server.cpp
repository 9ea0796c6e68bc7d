// The local test server: accept, read one bounded request, let the handler
// answer, close. Also the byte builders hostile answers are made of.
#include "local_server.hpp"

#include "loopback.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <stdexcept>

namespace alliance::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxRequestHead = 64 * 1024;
constexpr std::size_t kMaxRequestBody = 32 * 1024 * 1024;
constexpr std::size_t kMaxInflated = 64 * 1024 * 1024;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<std::int64_t> whole_number(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Reads into buf until it holds `want` bytes, the peer closes, or the deadline.
bool read_until(int fd, std::string& buf, std::size_t want, Clock::time_point deadline,
                const std::atomic<bool>& stop) {
  char chunk[16384];
  while (buf.size() < want) {
    if (stop.load() || Clock::now() >= deadline) return false;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf.append(chunk, static_cast<std::size_t>(n));
  }
  return true;
}

std::optional<std::string> gunzip(std::string_view data) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return std::nullopt;
  std::string out;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  char buf[65536];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > kMaxInflated) rc = Z_MEM_ERROR;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

// Parses "GET /path?a=1 HTTP/1.1" and the header lines; false if malformed.
bool parse_head(std::string_view head, LocalRequest& r) {
  const auto line_end = head.find("\r\n");
  const std::string_view line = head.substr(0, line_end);
  const auto sp1 = line.find(' ');
  const auto sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 <= sp1) return false;
  r.method = std::string(line.substr(0, sp1));
  r.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  const auto q = r.target.find('?');
  r.path = r.target.substr(0, q);
  if (q != std::string::npos) {
    std::string_view rest = std::string_view(r.target).substr(q + 1);
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const std::string_view pair = rest.substr(0, amp);
      const auto eq = pair.find('=');
      r.query[std::string(pair.substr(0, eq))] =
          eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
      if (amp == std::string_view::npos) break;
      rest.remove_prefix(amp + 1);
    }
  }
  std::string_view rest = line_end == std::string_view::npos ? "" : head.substr(line_end + 2);
  while (!rest.empty()) {
    const auto end = rest.find("\r\n");
    const std::string_view h = rest.substr(0, end);
    const auto colon = h.find(':');
    if (colon != std::string_view::npos) {
      r.headers[lower(trimmed(h.substr(0, colon)))] = std::string(trimmed(h.substr(colon + 1)));
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 2);
  }
  return true;
}

}  // namespace

std::optional<std::string> LocalRequest::header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::int64_t> LocalRequest::query_int(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return whole_number(it->second);
}

bool LocalAnswer::send(std::string_view bytes) {
  while (!bytes.empty()) {
    if (stop_.load() || sent_ >= budget_ || Clock::now() >= deadline_) return false;
    pollfd p{fd_, POLLOUT, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const std::size_t room = static_cast<std::size_t>(budget_ - sent_);
    const ssize_t n = ::send(fd_, bytes.data(), std::min(bytes.size(), room), MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent_ += static_cast<std::uint64_t>(n);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void LocalAnswer::send_endless(std::string_view head, std::string_view repeated) {
  if (!send(head)) return;
  while (send(repeated)) {
  }
}

LocalServer::LocalServer(LocalHandler handler, std::uint64_t answer_budget,
                         std::chrono::milliseconds time_per_connection)
    : handler_(std::move(handler)),
      answer_budget_(answer_budget),
      time_per_connection_(time_per_connection) {
  const Listener listener = listen_on_loopback(16, "local server");
  listen_fd_ = listener.fd;
  port_ = listener.port;
  thread_ = std::thread([this] { serve(); });
}

LocalServer::~LocalServer() {
  stop_ = true;
  thread_.join();
  close(listen_fd_);
}

std::vector<LocalRequest> LocalServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

int LocalServer::request_count() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(requests_.size());
}

void LocalServer::serve() {
  while (!stop_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    serve_one(fd);
    close(fd);
  }
}

void LocalServer::serve_one(int fd) {
  const auto deadline = Clock::now() + time_per_connection_;
  std::string buf;
  std::size_t head_end = std::string::npos;
  while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
    if (buf.size() > kMaxRequestHead) return;
    if (!read_until(fd, buf, buf.size() + 1, deadline, stop_)) return;
  }
  LocalRequest request;
  if (!parse_head(std::string_view(buf).substr(0, head_end), request)) return;
  std::size_t length = 0;
  if (auto cl = request.header("content-length")) {
    auto n = whole_number(*cl);
    if (!n || *n < 0 || static_cast<std::size_t>(*n) > kMaxRequestBody) return;
    length = static_cast<std::size_t>(*n);
  }
  if (!read_until(fd, buf, head_end + 4 + length, deadline, stop_)) return;
  request.body = buf.substr(head_end + 4, length);
  if (request.header("content-encoding") == "gzip") {
    auto inflated = gunzip(request.body);
    if (!inflated) return;
    request.body = std::move(*inflated);
  }
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
  }
  LocalAnswer answer(fd, answer_budget_, stop_, deadline);
  handler_(request, answer);
  std::uint64_t largest = largest_answer_.load();
  while (answer.sent() > largest &&
         !largest_answer_.compare_exchange_weak(largest, answer.sent())) {
  }
}

std::string http_answer(int status, std::string_view body,
                        const std::vector<std::string>& headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n";
  for (const auto& h : headers) out += h + "\r\n";
  out += "\r\n";
  out += body;
  return out;
}

std::string json_answer(int status, std::string_view json) {
  return http_answer(status, json, {"Content-Type: application/json"});
}

std::string gzip_of_zeros(std::uint64_t size) {
  // Compress one MiB of zeros once, ending in a full flush: the result is
  // byte-aligned deflate blocks that refer to nothing before them, so copies
  // of it in a row are a valid stream of that many MiB. Then the rest of the
  // size in a final block, and the gzip trailer (CRC-32 and size).
  constexpr std::size_t kSegment = 1 << 20;
  const std::string zeros(kSegment, '\0');
  auto raw_deflate = [&](std::size_t n, int flush) {
    z_stream zs{};
    if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("zlib could not start");
    }
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    zs.avail_in = static_cast<uInt>(n);
    std::string out;
    char buf[65536];
    do {
      zs.next_out = reinterpret_cast<Bytef*>(buf);
      zs.avail_out = sizeof buf;
      deflate(&zs, flush);
      out.append(buf, sizeof buf - zs.avail_out);
    } while (zs.avail_out == 0);
    deflateEnd(&zs);
    return out;
  };
  const std::string segment = raw_deflate(kSegment, Z_FULL_FLUSH);
  const std::uint64_t segments = size / kSegment;
  const auto rest = static_cast<std::size_t>(size % kSegment);
  std::string out = gzip_header();
  out.reserve(out.size() + segment.size() * segments + 64);
  for (std::uint64_t i = 0; i < segments; ++i) out += segment;
  out += raw_deflate(rest, Z_FINISH);
  const auto segment_crc = crc32(0, reinterpret_cast<const Bytef*>(zeros.data()), kSegment);
  uLong crc = crc32(0, nullptr, 0);
  for (std::uint64_t i = 0; i < segments; ++i) crc = crc32_combine(crc, segment_crc, kSegment);
  crc = crc32_combine(
      crc, crc32(0, reinterpret_cast<const Bytef*>(zeros.data()), static_cast<uInt>(rest)),
      static_cast<z_off_t>(rest));
  for (const std::uint64_t v : {static_cast<std::uint64_t>(crc), size}) {
    for (int byte = 0; byte < 4; ++byte) out += static_cast<char>((v >> (8 * byte)) & 0xff);
  }
  return out;
}

std::string gzip_header() {
  // Magic, deflate, no flags, no time, no extra flags, OS "unix".
  return std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
}

std::string empty_deflate_blocks(std::size_t blocks) {
  // A stored block, not final: header bits 000 padded to a byte, LEN 0, NLEN ~0.
  const std::string block("\x00\x00\x00\xff\xff", 5);
  std::string out;
  out.reserve(block.size() * blocks);
  for (std::size_t i = 0; i < blocks; ++i) out += block;
  return out;
}

std::string http_chunk(std::string_view data) {
  char size[32];
  const auto [end, ec] = std::to_chars(size, size + sizeof size, data.size(), 16);
  std::string out(size, end);
  out += "\r\n";
  out += data;
  out += "\r\n";
  return out;
}

long peak_rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmHWM:")) {
      auto digits = trimmed(std::string_view(line).substr(6));
      const auto space = digits.find(' ');
      if (auto v = whole_number(digits.substr(0, space))) return static_cast<long>(*v);
    }
  }
  return -1;
}

}  // namespace alliance::test
