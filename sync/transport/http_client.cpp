// libcurl behind one RAII holder: one easy handle reused for every request.
#include "sync/transport/http_client.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <stdexcept>

#include "common/util/strings.hpp"

namespace alliance::sync {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Owns a header list; curl_slist_append copies each line.
class HeaderList {
 public:
  HeaderList() = default;
  ~HeaderList() { curl_slist_free_all(list_); }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  void add(const std::string& line) {
    if (auto* next = curl_slist_append(list_, line.c_str())) list_ = next;
  }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

TransportError classify(CURLcode rc, const char* detail) {
  std::string message = detail[0] != '\0' ? detail : curl_easy_strerror(rc);
  std::string code;
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      code = "timeout";
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      code = "dns";
      break;
    case CURLE_COULDNT_CONNECT:
      code = "connect";
      break;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
      code = "reset";
      break;
    case CURLE_PARTIAL_FILE:
    case CURLE_BAD_CONTENT_ENCODING:
      code = "partial";
      break;
    case CURLE_ABORTED_BY_CALLBACK:
      code = "aborted";
      message = "stopped";
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      code = "tls";
      break;
    default:
      code = "other";
  }
  return {std::move(code), std::move(message)};
}

// Owns a parsed URL (libcurl's URL API).
class ParsedUrl {
 public:
  ParsedUrl() : handle_(curl_url()) {}
  ~ParsedUrl() { curl_url_cleanup(handle_); }
  ParsedUrl(const ParsedUrl&) = delete;
  ParsedUrl& operator=(const ParsedUrl&) = delete;

  CURLUcode parse(const std::string& url) {
    return handle_ == nullptr ? CURLUE_OUT_OF_MEMORY
                              : curl_url_set(handle_, CURLUPART_URL, url.c_str(), 0);
  }
  // The part as libcurl holds it, or nothing when the URL has none.
  std::optional<std::string> part(CURLUPart which) const {
    char* value = nullptr;
    if (curl_url_get(handle_, which, &value, 0) != CURLUE_OK || value == nullptr) {
      return std::nullopt;
    }
    std::string out(value);
    curl_free(value);
    return out;
  }

 private:
  CURLU* handle_;
};

// A host that names this computer: nothing sent to it crosses a network.
bool is_loopback_host(const std::string& host) {
  if (util::ascii_lower(host) == "localhost" || host == "[::1]") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) != 1) return false;
  return (ntohl(v4.s_addr) >> 24) == 127;
}

constexpr std::string_view kLoopbackOnly = "127.0.0.1, ::1 and localhost";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// The TCP payload a socket has sent (retransmissions included) and
// received since it opened, as the kernel counts it; nothing when it cannot.
struct SocketBytes {
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
};

std::optional<SocketBytes> socket_bytes(curl_socket_t fd) {
  tcp_info info{};
  socklen_t size = sizeof info;
  if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) return std::nullopt;
  // An older kernel fills a shorter structure: without these fields, nothing.
  if (size < offsetof(tcp_info, tcpi_bytes_sent) + sizeof info.tcpi_bytes_sent) {
    return std::nullopt;
  }
  return SocketBytes{.sent = info.tcpi_bytes_sent, .received = info.tcpi_bytes_received};
}

}  // namespace

ResponseLimits tighter(const ResponseLimits& a, const ResponseLimits& b) {
  auto least = [](std::uint64_t x, std::uint64_t y) {
    if (x == 0) return y;
    if (y == 0) return x;
    return std::min(x, y);
  };
  return {.wire_bytes = least(a.wire_bytes, b.wire_bytes),
          .body_bytes = least(a.body_bytes, b.body_bytes),
          .header_bytes = least(a.header_bytes, b.header_bytes)};
}

std::string describe_bytes(std::uint64_t bytes) {
  constexpr std::uint64_t kib = 1024;
  constexpr std::uint64_t mib = kib * 1024;
  if (bytes >= mib && bytes % mib == 0) return util::cat(bytes / mib, " MiB");
  if (bytes >= kib && bytes % kib == 0) return util::cat(bytes / kib, " KiB");
  return util::cat(bytes, " bytes");
}

std::optional<std::string> server_url_problem(const std::string& url) {
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return std::string("the server URL must not contain spaces or control characters");
    }
  }
  ParsedUrl parsed;
  if (const CURLUcode rc = parsed.parse(url); rc != CURLUE_OK) {
    return util::cat("the server URL is not a valid URL (", curl_url_strerror(rc),
                     "); give it as https://host[:port][/path]");
  }
  const std::string scheme = util::ascii_lower(parsed.part(CURLUPART_SCHEME).value_or(""));
  if (scheme != "https" && scheme != "http") {
    return util::cat("the server URL must start with https:// (not ", scheme,
                     "://); plain http:// is accepted only for ", kLoopbackOnly);
  }
  if (parsed.part(CURLUPART_USER) || parsed.part(CURLUPART_PASSWORD) ||
      parsed.part(CURLUPART_OPTIONS)) {
    return std::string(
        "the server URL must not contain a user name or password (user:password@): the "
        "device token is the only credential the agent sends");
  }
  if (parsed.part(CURLUPART_QUERY) || parsed.part(CURLUPART_FRAGMENT)) {
    return std::string("the server URL must not have a query (?...) or a fragment (#...)");
  }
  const std::string host = parsed.part(CURLUPART_HOST).value_or("");
  if (host.empty()) return std::string("the server URL names no host");
  if (scheme == "http" && !is_loopback_host(host)) {
    return util::cat(
        "plain http:// would send the device token and members' personal data unencrypted; "
        "use https:// (http:// is accepted only for ",
        kLoopbackOnly, ")");
  }
  return std::nullopt;
}

std::optional<std::string> HttpResponse::header(std::string_view lower_case_name) const {
  auto it = headers.find(std::string(lower_case_name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

struct HttpClient::Impl {
  HttpOptions options;
  CURL* curl = nullptr;
  HttpResponse* current = nullptr;  // the response being filled by the callbacks
  char error_buffer[CURL_ERROR_SIZE] = {};
  // The caps of the request in flight, what its headers took, and which cap
  // (if any) ended it: the callbacks set it, perform() reports it.
  ResponseLimits limits;
  std::uint64_t header_bytes = 0;
  std::optional<TransportError> cap_passed;
  // Bytes on the sockets this handle opened: counted up to the last look at
  // each open socket, and in all (closed sockets included). A socket the
  // kernel cannot count makes the request it served fall back to HTTP bytes.
  std::map<curl_socket_t, SocketBytes> open_sockets;
  SocketBytes socket_total;
  bool uncounted_socket = false;

  explicit Impl(HttpOptions o) : options(std::move(o)) {
    global_init();
    curl = curl_easy_init();
    if (curl == nullptr) throw std::runtime_error("libcurl could not create a handle");
  }
  ~Impl() { curl_easy_cleanup(curl); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // what: which bytes the cap counts, e.g. "decoded body bytes".
  void pass_cap(std::string_view what, std::uint64_t cap) {
    cap_passed =
        TransportError{"too_large", util::cat("the server's answer passed the agent's limit of ",
                                              describe_bytes(cap), " ", what,
                                              "; the agent stopped reading it there")};
  }

  // Sees the body after gzip/deflate is undone; refusing a chunk (returning
  // less than given) makes libcurl abandon the transfer.
  static size_t on_body(char* data, size_t size, size_t count, void* self) {
    auto* impl = static_cast<Impl*>(self);
    const size_t n = size * count;
    std::string& body = impl->current->body;
    const std::uint64_t cap = impl->limits.body_bytes;
    if (cap != 0 && body.size() + n > cap) {
      impl->pass_cap("of decoded body bytes", cap);
      return 0;
    }
    // Grow as append would, but never past the cap: the buffer's capacity,
    // not just its size, stays within it.
    if (body.capacity() < body.size() + n) {
      std::uint64_t want = std::max<std::uint64_t>(body.size() + n, 2 * body.capacity());
      if (cap != 0) want = std::min(want, cap);
      body.reserve(static_cast<std::size_t>(want));
    }
    body.append(data, n);
    return n;
  }

  static size_t on_header(char* data, size_t size, size_t count, void* self) {
    auto* impl = static_cast<Impl*>(self);
    const std::string_view line(data, size * count);
    impl->header_bytes += line.size();
    if (impl->limits.header_bytes != 0 && impl->header_bytes > impl->limits.header_bytes) {
      impl->pass_cap("of header bytes", impl->limits.header_bytes);
      return 0;
    }
    // A new status line (after 100 Continue or a proxy's answer) starts a new set.
    if (line.starts_with("HTTP/")) {
      impl->current->headers.clear();
      return size * count;
    }
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
      impl->current->headers[util::ascii_lower(trim(line.substr(0, colon)))] =
          std::string(trim(line.substr(colon + 1)));
    }
    return size * count;
  }

  // libcurl calls this after every read as well as once a second: dlnow is
  // the body as it came off the wire, before decoding, so a stream that
  // decodes to little or nothing is still capped.
  static int on_progress(void* self, curl_off_t, curl_off_t dlnow, curl_off_t, curl_off_t) {
    auto* impl = static_cast<Impl*>(self);
    const std::uint64_t cap = impl->limits.wire_bytes;
    if (cap != 0 && dlnow > 0 && static_cast<std::uint64_t>(dlnow) > cap) {
      impl->pass_cap("of body bytes on the wire (before decoding)", cap);
      return 1;
    }
    const bool stop = impl->options.stop != nullptr && impl->options.stop->load();
    return stop ? 1 : 0;
  }

  // Adds what `fd` carried since the last look.
  void look_at_socket(curl_socket_t fd) {
    const auto it = open_sockets.find(fd);
    if (it == open_sockets.end()) return;
    const auto now = socket_bytes(fd);
    if (!now) {
      uncounted_socket = true;
      return;
    }
    socket_total.sent += now->sent - std::min(now->sent, it->second.sent);
    socket_total.received += now->received - std::min(now->received, it->second.received);
    it->second = *now;
  }

  static int on_new_socket(void* self, curl_socket_t fd, curlsocktype) {
    static_cast<Impl*>(self)->open_sockets[fd] = SocketBytes{};
    return CURL_SOCKOPT_OK;
  }

  // libcurl closes a connection (one it will not reuse, or at cleanup):
  // count its last bytes (a TLS close, a late answer) first.
  static int on_close_socket(void* self, curl_socket_t fd) {
    auto* impl = static_cast<Impl*>(self);
    impl->look_at_socket(fd);
    impl->open_sockets.erase(fd);
    return close(fd);
  }

  // Options that hold for every request; curl_easy_reset is never called so
  // the connection cache and TLS session survive between requests.
  void configure_common(const std::string& url, const HeaderList& headers,
                        const ResponseLimits& caps,
                        std::chrono::milliseconds held = std::chrono::milliseconds(0)) {
    error_buffer[0] = '\0';
    limits = caps;
    // A body announced (Content-Length) beyond the wire cap is refused unread.
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(caps.wire_bytes));
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    // A held request goes once per wait all day long: it sends only what
    // the server reads, and central reads no User-Agent.
    curl_easy_setopt(curl, CURLOPT_USERAGENT,
                     held.count() > 0 ? nullptr : options.user_agent.c_str());
    // The two codings central answers in; libcurl's full list costs 14 bytes
    // more on every request.
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "br, gzip");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
    if (held.count() > 0) {
      curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 0L);
      curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 0L);
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                       static_cast<long>((held + kHeldAnswerMargin).count()));
      curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 0L);
    } else {
      curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, options.low_speed_limit);
      curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, options.low_speed_time_s);
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 0L);
      curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    }
    curl_easy_setopt(curl, CURLOPT_SOCKOPTFUNCTION, &Impl::on_new_socket);
    curl_easy_setopt(curl, CURLOPT_SOCKOPTDATA, this);
    curl_easy_setopt(curl, CURLOPT_CLOSESOCKETFUNCTION, &Impl::on_close_socket);
    curl_easy_setopt(curl, CURLOPT_CLOSESOCKETDATA, this);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options.ca_file.empty()) {
      curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_file.c_str());
    }
    if (options.max_rate > 0) {
      const auto rate = static_cast<curl_off_t>(options.max_rate);
      curl_easy_setopt(curl, CURLOPT_MAX_SEND_SPEED_LARGE, rate);
      curl_easy_setopt(curl, CURLOPT_MAX_RECV_SPEED_LARGE, rate);
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Impl::on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Impl::on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &Impl::on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  }

  HttpResponse perform() {
    HttpResponse response;
    current = &response;
    header_bytes = 0;
    cap_passed.reset();
    uncounted_socket = false;
    const SocketBytes before = socket_total;
    const CURLcode rc = curl_easy_perform(curl);
    current = nullptr;
    curl_socket_t active = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(curl, CURLINFO_ACTIVESOCKET, &active) == CURLE_OK &&
        active != CURL_SOCKET_BAD) {
      look_at_socket(active);
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    long request_size = 0;
    long header_size = 0;
    curl_off_t uploaded = 0;
    curl_off_t downloaded = 0;
    curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_size);
    curl_easy_getinfo(curl, CURLINFO_HEADER_SIZE, &header_size);
    curl_easy_getinfo(curl, CURLINFO_SIZE_UPLOAD_T, &uploaded);
    curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &downloaded);
    // REQUEST_SIZE already holds a body sent from POSTFIELDS along with the
    // headers; count the upload separately only when it does not.
    const auto request_bytes = static_cast<std::uint64_t>(request_size);
    const auto upload_bytes = static_cast<std::uint64_t>(uploaded);
    response.bytes_sent =
        request_bytes >= upload_bytes ? request_bytes : request_bytes + upload_bytes;
    response.bytes_received =
        static_cast<std::uint64_t>(header_size) + static_cast<std::uint64_t>(downloaded);
    const SocketBytes on_sockets{.sent = socket_total.sent - before.sent,
                                 .received = socket_total.received - before.received};
    if (!uncounted_socket && (on_sockets.sent > 0 || on_sockets.received > 0)) {
      response.bytes_sent = on_sockets.sent;
      response.bytes_received = on_sockets.received;
    }
    if (rc == CURLE_FILESIZE_EXCEEDED && !cap_passed) {
      pass_cap("of body bytes (by its Content-Length)", limits.wire_bytes);
    }
    if (rc != CURLE_OK) {
      response.error = cap_passed ? *cap_passed : classify(rc, error_buffer);
      response.status = 0;
      response.body.clear();
      response.body.shrink_to_fit();
    } else {
      response.status = status;
    }
    return response;
  }
};

HttpClient::HttpClient(HttpOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

const HttpOptions& HttpClient::options() const {
  return impl_->options;
}

HttpResponse HttpClient::get(const std::string& url, const std::vector<std::string>& headers) {
  return get(url, headers, impl_->options.limits);
}

HttpResponse HttpClient::get(const std::string& url, const std::vector<std::string>& headers,
                             const ResponseLimits& limits) {
  HeaderList list;
  for (const auto& h : headers) list.add(h);
  impl_->configure_common(url, list, limits);
  curl_easy_setopt(impl_->curl, CURLOPT_HTTPGET, 1L);
  auto response = impl_->perform();
  curl_easy_setopt(impl_->curl, CURLOPT_HTTPHEADER, nullptr);
  return response;
}

HttpResponse HttpClient::get_held(const std::string& url, const std::vector<std::string>& headers,
                                  std::chrono::milliseconds held) {
  HeaderList list;
  for (const auto& h : headers) list.add(h);
  impl_->configure_common(url, list, impl_->options.limits,
                          std::max(held, std::chrono::milliseconds(1)));
  curl_easy_setopt(impl_->curl, CURLOPT_HTTPGET, 1L);
  auto response = impl_->perform();
  curl_easy_setopt(impl_->curl, CURLOPT_HTTPHEADER, nullptr);
  return response;
}

HttpResponse HttpClient::post(const std::string& url, const std::vector<std::string>& headers,
                              std::string_view body) {
  return post(url, headers, body, impl_->options.limits);
}

HttpResponse HttpClient::post(const std::string& url, const std::vector<std::string>& headers,
                              std::string_view body, const ResponseLimits& limits) {
  HeaderList list;
  for (const auto& h : headers) list.add(h);
  // No "Expect: 100-continue" round trip before large bodies: on a 300 ms link
  // it costs more than it saves.
  list.add("Expect:");
  impl_->configure_common(url, list, limits);
  curl_easy_setopt(impl_->curl, CURLOPT_POST, 1L);
  curl_easy_setopt(impl_->curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(impl_->curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  auto response = impl_->perform();
  // The handle must not keep a pointer to a body that is about to go away.
  curl_easy_setopt(impl_->curl, CURLOPT_POSTFIELDS, nullptr);
  curl_easy_setopt(impl_->curl, CURLOPT_HTTPHEADER, nullptr);
  return response;
}

}  // namespace alliance::sync
