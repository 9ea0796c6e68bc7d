// libcurl behind one RAII holder: one easy handle reused for every request.
#include "sync/transport/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
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

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

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

  explicit Impl(HttpOptions o) : options(std::move(o)) {
    global_init();
    curl = curl_easy_init();
    if (curl == nullptr) throw std::runtime_error("libcurl could not create a handle");
  }
  ~Impl() { curl_easy_cleanup(curl); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  static size_t on_body(char* data, size_t size, size_t count, void* self) {
    auto* impl = static_cast<Impl*>(self);
    impl->current->body.append(data, size * count);
    return size * count;
  }

  static size_t on_header(char* data, size_t size, size_t count, void* self) {
    auto* impl = static_cast<Impl*>(self);
    const std::string_view line(data, size * count);
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

  static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* impl = static_cast<Impl*>(self);
    const bool stop = impl->options.stop != nullptr && impl->options.stop->load();
    return stop ? 1 : 0;
  }

  // Options that hold for every request; curl_easy_reset is never called so
  // the connection cache and TLS session survive between requests.
  void configure_common(const std::string& url, const HeaderList& headers) {
    error_buffer[0] = '\0';
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, options.low_speed_limit);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, options.low_speed_time_s);
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
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
    const CURLcode rc = curl_easy_perform(curl);
    current = nullptr;
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
    if (rc != CURLE_OK) {
      response.error = classify(rc, error_buffer);
      response.status = 0;
      response.body.clear();
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
  HeaderList list;
  for (const auto& h : headers) list.add(h);
  impl_->configure_common(url, list);
  curl_easy_setopt(impl_->curl, CURLOPT_HTTPGET, 1L);
  auto response = impl_->perform();
  curl_easy_setopt(impl_->curl, CURLOPT_HTTPHEADER, nullptr);
  return response;
}

HttpResponse HttpClient::post(const std::string& url, const std::vector<std::string>& headers,
                              std::string_view body) {
  HeaderList list;
  for (const auto& h : headers) list.add(h);
  // No "Expect: 100-continue" round trip before large bodies: on a 300 ms link
  // it costs more than it saves.
  list.add("Expect:");
  impl_->configure_common(url, list);
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
