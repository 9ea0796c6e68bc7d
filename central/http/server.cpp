// Boost.Beast glue: accepting under connection limits, one coroutine per
// connection with absolute deadlines, headers screened by the Api before any
// body byte is read, bounded body decoding, a worker pool for the Api's
// blocking calls, compressed answers and one log line per request.
#include "central/http/server.hpp"

#include <sys/resource.h>

// Before Asio: Boost 1.74's asio/awaitable.hpp uses std::exchange unincluded.
#include <utility>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/version.hpp>
#include <fstream>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "central/http/client_address.hpp"
#include "central/http/coding.hpp"
#include "central/http/form.hpp"
#include "common/util/log.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

// Completion tokens for co_await that put the error in `ec` instead of
// throwing (Boost 1.74 has no as_tuple).
auto into(beast::error_code& ec) {
  return asio::redirect_error(asio::use_awaitable, ec);
}

// Body bytes are read in pieces of this size (one buffer per body being read).
constexpr std::size_t kBodyPiece = 16 * 1024;
// After a refusal the rest of the request is read and dropped for this long
// (so the client sees the answer, not a reset), up to 2 x max_body_bytes.
constexpr Millis kLingerTimeout{3000};
// A TLS close_notify exchange gets this long; HTTP framing does not need it.
constexpr Millis kTlsShutdownTimeout{500};
// stop() lets the requests being served finish for at most this long.
constexpr Millis kStopGrace{10'000};
// A refused connection or failed accept is logged at most this often.
constexpr Millis kRefusalLogInterval{10'000};
constexpr std::size_t kLoggedPathMax = 128;

// Connections counted in total and per client address.
class ConnectionTable {
 public:
  class Slot {
   public:
    Slot(ConnectionTable& table, std::string client) : table_(&table), client_(std::move(client)) {}
    Slot(Slot&& other) noexcept
        : table_(std::exchange(other.table_, nullptr)), client_(std::move(other.client_)) {}
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (table_ != nullptr) table_->release(client_);
    }

   private:
    ConnectionTable* table_;
    std::string client_;  // "" when not counted per client
  };

  ConnectionTable(std::size_t max_total, std::size_t max_per_client)
      : max_total_(max_total), max_per_client_(max_per_client) {}

  // A slot, or nullopt when the total or this client's count is at its limit.
  std::optional<Slot> admit(const std::string& client, bool per_client_exempt) {
    std::lock_guard lock(mutex_);
    if (total_ >= max_total_) return std::nullopt;
    if (!per_client_exempt) {
      auto& count = per_client_[client];
      if (count >= max_per_client_) return std::nullopt;
      ++count;
    }
    ++total_;
    return Slot(*this, per_client_exempt ? std::string() : client);
  }

 private:
  void release(const std::string& client) {
    std::lock_guard lock(mutex_);
    --total_;
    if (client.empty()) return;
    const auto it = per_client_.find(client);
    if (it != per_client_.end() && --it->second == 0) per_client_.erase(it);
  }

  std::size_t max_total_;
  std::size_t max_per_client_;
  std::mutex mutex_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, std::size_t> per_client_;
};

// Bytes of request bodies held by all connections together.
class MemoryBudget {
 public:
  explicit MemoryBudget(std::size_t limit) : limit_(limit) {}
  bool take(std::size_t bytes) {
    std::size_t used = used_.load();
    do {
      if (bytes > limit_ || used > limit_ - bytes) return false;
    } while (!used_.compare_exchange_weak(used, used + bytes));
    return true;
  }
  void give(std::size_t bytes) { used_.fetch_sub(bytes); }

 private:
  std::size_t limit_;
  std::atomic<std::size_t> used_{0};
};

// One body's share of the budget, given back when the request is answered.
class BudgetLease {
 public:
  explicit BudgetLease(MemoryBudget& budget) : budget_(budget) {}
  ~BudgetLease() { budget_.give(held_); }
  BudgetLease(const BudgetLease&) = delete;
  BudgetLease& operator=(const BudgetLease&) = delete;
  bool grow_to(std::size_t total) {
    if (total <= held_) return true;
    if (!budget_.take(total - held_)) return false;
    held_ = total;
    return true;
  }

 private:
  MemoryBudget& budget_;
  std::size_t held_ = 0;
};

// Logs a burst of refusals as one line now and then, so a flood cannot
// flood the log too.
class RefusalLog {
 public:
  void note(const char* what) {
    refused_.fetch_add(1);
    const auto now = Clock::now().time_since_epoch().count();
    auto last = last_logged_.load();
    const auto interval = std::chrono::duration_cast<Clock::duration>(kRefusalLogInterval).count();
    if (now - last < interval || !last_logged_.compare_exchange_strong(last, now)) return;
    log::warn("connections_refused", {{"count", static_cast<std::int64_t>(refused_.exchange(0))},
                                      {"reason", log::Text(what)}});
  }

 private:
  std::atomic<std::int64_t> refused_{0};
  std::atomic<Clock::rep> last_logged_{0};
};

// What the log line names: never a body, a token or a query string.
struct RequestLine {
  std::string method;
  std::string path;
};

void log_request(const RequestLine& line, int status, Clock::time_point started,
                 const std::string& device_id) {
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  const std::string_view path = std::string_view(line.path).substr(0, kLoggedPathMax);
  if (device_id.empty()) {
    log::info("http_request", {{"method", log::Text(line.method)},
                               {"path", log::Text(path)},
                               {"status", status},
                               {"ms", ms}});
  } else {
    log::info("http_request", {{"method", log::Text(line.method)},
                               {"path", log::Text(path)},
                               {"status", status},
                               {"ms", ms},
                               {"device", log::Id(device_id)}});
  }
}

ApiResponse bad_request(std::string code, std::string message) {
  return error_response(400, std::move(code), std::move(message));
}

ApiResponse headers_too_large(std::string message) {
  return error_response(431, "headers_too_large", std::move(message));
}

ApiResponse body_too_large() {
  return error_response(413, "too_large", "the request body is too large");
}

ApiResponse busy(const ServerOptions& options, std::string message) {
  auto response = error_response(503, "unavailable", std::move(message));
  response.retry_after_s = options.limits.busy_retry_after_s;
  return response;
}

// Errors of the HTTP parser that mean "this is not acceptable HTTP" (and get
// an answer), as opposed to the client going away or running out of time.
bool is_parse_error(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message &&
         ec != http::error::need_buffer;
}

// Beast 1.74 reports a repeated Content-Length as bad_content_length; later
// versions have an error of its own for it.
bool repeated_content_length([[maybe_unused]] const beast::error_code& ec) {
#if BOOST_VERSION >= 108000
  return ec == http::error::multiple_content_length;
#else
  return false;
#endif
}

ApiResponse parse_failure(const beast::error_code& ec, const ServerOptions& options) {
  if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
    return headers_too_large(util::format("the request line and headers must fit in {} bytes",
                                          options.max_header_bytes));
  }
  if (ec == http::error::bad_content_length || repeated_content_length(ec)) {
    return bad_request("bad_framing",
                       "Content-Length must be one decimal number, sent once, without "
                       "Transfer-Encoding");
  }
  if (ec == http::error::bad_transfer_encoding) {
    return bad_request("bad_framing",
                       "Transfer-Encoding must be chunked, sent once, without Content-Length");
  }
  if (ec == http::error::bad_chunk || ec == http::error::bad_chunk_extension) {
    return bad_request("bad_framing", "the chunked body is malformed");
  }
  return bad_request("bad_request", "the request is not well-formed HTTP/1.1");
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Refuses the shapes that let two HTTP parsers disagree on where a request
// ends (request smuggling), and what the parser accepted but we do not.
std::optional<ApiResponse> framing_problem(const http::request<http::empty_body>& request,
                                           const ServerOptions& options) {
  const auto fields = static_cast<std::size_t>(std::distance(request.begin(), request.end()));
  if (fields > options.max_header_count) {
    return headers_too_large(
        util::format("a request may have at most {} header lines", options.max_header_count));
  }
  if (request.version() != 10 && request.version() != 11) {
    return bad_request("bad_request", "only HTTP/1.1 and HTTP/1.0 are served");
  }
  const auto lengths = request.count(http::field::content_length);
  const auto encodings = request.count(http::field::transfer_encoding);
  if (lengths > 1 ||
      (lengths == 1 && !all_digits(util::trim_blanks(request[http::field::content_length])))) {
    return bad_request("bad_framing", "Content-Length must be one decimal number, sent once");
  }
  if (encodings > 0) {
    if (lengths > 0) {
      return bad_request("bad_framing", "send Content-Length or Transfer-Encoding, not both");
    }
    if (encodings > 1 || request.version() == 10 ||
        util::ascii_lower(util::trim_blanks(request[http::field::transfer_encoding])) !=
            "chunked") {
      return bad_request("bad_framing",
                         "the only Transfer-Encoding accepted is chunked, once, over HTTP/1.1");
    }
  }
  if (!request.target().starts_with("/")) {
    return bad_request("bad_request", "the request target must be a path such as /v1/health");
  }
  return std::nullopt;
}

// The request line and headers as the Api sees them; nullopt if the query
// string cannot be decoded.
std::optional<ApiRequest> head_of(const http::request<http::empty_body>& request,
                                  const TrustedProxies& proxies, std::string_view peer) {
  ApiRequest head;
  head.method = std::string(request.method_string());
  const std::string_view target = request.target();
  const auto question = target.find('?');
  head.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    auto query = parse_form(target.substr(question + 1));
    if (!query) return std::nullopt;
    head.query = std::move(*query);
  }
  std::string forwarded_for;
  for (const auto& field : request) {
    std::string name = util::ascii_lower(field.name_string());
    if (name == "x-forwarded-for") {
      if (!forwarded_for.empty()) forwarded_for += ',';
      forwarded_for += field.value();
    }
    // A repeated field reads as one list, its values comma-separated in
    // order (RFC 9110, 5.3), never as just one of them: a header that must be
    // a single value (a token, a number) is then refused or ignored.
    const auto [at, added] = head.headers.emplace(std::move(name), std::string(field.value()));
    if (!added) (at->second += ", ") += field.value();
  }
  head.client_address = proxies.client_address(peer, forwarded_for);
  return head;
}

// Replaces the body with its coding for this client; returns the coding.
ResponseCoding encode_for(ApiResponse& response, std::string_view accept_encoding) {
  const auto coding = choose_response_coding(accept_encoding, response.body.size());
  if (coding != ResponseCoding::identity) {
    response.body = encode_response(coding, response.body, response.compression);
  }
  return coding;
}

std::string peer_address_of(const tcp::socket& socket) {
  beast::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return {};
  const auto parsed = IpAddress::parse(endpoint.address().to_string());
  return parsed ? parsed->to_string() : endpoint.address().to_string();
}

// Pulls held until a change lands (API v1 wait=S). Each waits on its own
// timer, which a change (or stop) cancels from any thread; none holds a
// thread. The version moves on every wake, so a pull that read the database
// before a change and registered after it does not sleep through it.
class HeldPulls {
 public:
  using Timer = asio::steady_timer;
  explicit HeldPulls(std::size_t limit) : limit_(limit) {}

  // False when `limit` pulls are already held: that one is answered at once.
  bool hold(const std::shared_ptr<Timer>& timer) {
    std::lock_guard lock(mutex_);
    if (timers_.size() >= limit_) return false;
    timers_.insert(timer);
    return true;
  }
  void release(const std::shared_ptr<Timer>& timer) {
    std::lock_guard lock(mutex_);
    timers_.erase(timer);
  }
  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return timers_.size();
  }
  // Every held pull looks again (each on its own strand).
  void wake_all() {
    std::lock_guard lock(mutex_);
    version_.fetch_add(1);
    for (const auto& timer : timers_) {
      asio::post(timer->get_executor(), [timer] { timer->cancel(); });
    }
  }
  std::uint64_t version() const { return version_.load(); }

 private:
  std::size_t limit_;
  mutable std::mutex mutex_;
  std::set<std::shared_ptr<Timer>> timers_;
  std::atomic<std::uint64_t> version_{0};
};

// An answer and the coding its body is already in.
struct Answer {
  ApiResponse response;
  ResponseCoding coding = ResponseCoding::identity;
};

// How a response ends the exchange.
enum class After { keep_alive_if_asked, close, drain_and_close };

struct BodyRead {
  enum class Result { ok, refused, gone } result = Result::ok;
  std::string body;
  ApiResponse refusal;
};

}  // namespace

std::size_t raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return static_cast<std::size_t>(limit.rlim_cur);
}

struct Server::Impl {
  Impl(const ServerOptions& options_in, Api& api_in);
  ~Impl();

  bool open(const std::string& host, int port);
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> wind_down();
  // While pulls are held: reads the change sequence every
  // change_check_interval and wakes them when it moved.
  asio::awaitable<void> watch_changes();
  void refuse(tcp::socket& socket, const char* why);
  asio::awaitable<void> run_plain(tcp::socket socket, ConnectionTable::Slot slot, std::string peer);
  asio::awaitable<void> run_tls(tcp::socket socket, ConnectionTable::Slot slot, std::string peer);

  template <class Stream>
  asio::awaitable<void> serve_requests(Stream& stream, const std::string& peer);
  template <class Stream>
  asio::awaitable<bool> serve_one(Stream& stream, beast::flat_buffer& buffer,
                                  http::request_parser<http::empty_body>& parser,
                                  const std::string& peer, Clock::time_point started);
  template <class Stream>
  asio::awaitable<BodyRead> read_body(Stream& stream, beast::flat_buffer& buffer,
                                      http::request_parser<http::empty_body>& head_parser,
                                      BodyCoding coding, BudgetLease& lease);
  template <class Stream>
  asio::awaitable<bool> answer(Stream& stream, beast::flat_buffer& buffer, unsigned version,
                               bool client_keeps_alive, ApiResponse response, ResponseCoding coding,
                               After after, RequestLine line, Clock::time_point started);
  template <class Stream>
  asio::awaitable<void> drain(Stream& stream, beast::flat_buffer& buffer);
  // Holds a pull whose page was empty (reply.response.hold_for > 0) until a
  // change it may see lands, its wait ends or the server stops; then `reply`
  // is the page asked for again. `seen`: held.version() before the first ask.
  template <class Stream>
  asio::awaitable<void> hold_pull(Stream& stream, ApiRequest& head, Answer& reply,
                                  std::uint64_t seen, Clock::time_point started,
                                  const std::string& accept_encoding);

  // Runs fn() on a worker into `result`; false (and fn not run) if too many
  // requests already wait. (Arguments by reference: GCC 12 mishandles
  // temporaries passed by value to coroutines.)
  template <class F, class R>
  asio::awaitable<bool> on_worker(F& fn, R& result);

  Millis transfer_timeout(std::uint64_t bytes) const;
  ApiResponse busy_now() const { return busy(options, "the server is busy; retry later"); }
  void join_workers();

  const ServerOptions& options;
  Api& api;
  TrustedProxies proxies;
  std::optional<asio::ssl::context> tls;
  ConnectionTable connections;
  MemoryBudget body_memory;
  RefusalLog refusal_log;
  std::string over_limit_answer;  // a whole HTTP 503, for plain connections over a limit
  HeldPulls held;
  std::atomic<std::size_t> queued{0};
  std::atomic<int> in_progress{0};  // requests between their headers and their answer
  std::atomic<bool> running{false};
  std::atomic<bool> stopped{false};
  std::once_flag workers_joined;
  asio::thread_pool workers;
  // Last, so it is destroyed first: the coroutines it still holds release
  // their slots into the tables above.
  asio::io_context io;
  // Its own strand: the accept loop and wind_down() both touch it.
  tcp::acceptor acceptor{asio::make_strand(io)};
};

namespace {

bool readable(const std::filesystem::path& path) {
  return std::ifstream(path).good();
}

template <class Stream>
auto& lowest_layer(Stream& stream) {
  return beast::get_lowest_layer(stream);
}

}  // namespace

Server::Impl::Impl(const ServerOptions& options_in, Api& api_in)
    : options(options_in),
      api(api_in),
      connections(options_in.max_connections, options_in.max_connections_per_client),
      body_memory(options_in.max_body_memory_bytes),
      held(options_in.max_held_pulls),
      workers(static_cast<std::size_t>(std::max(1, options_in.worker_threads))),
      io(std::max(1, options_in.io_threads)) {
  auto trusted = TrustedProxies::parse(options.trusted_proxies);
  if (!trusted) throw std::runtime_error("--trusted-proxy " + trusted.error());
  proxies = std::move(*trusted);

  const bool use_tls = !options.tls_cert.empty() || !options.tls_key.empty();
  if (use_tls) {
    if (options.tls_cert.empty() || options.tls_key.empty()) {
      throw std::runtime_error("TLS needs both --tls-cert and --tls-key");
    }
    if (!readable(options.tls_cert) || !readable(options.tls_key)) {
      throw std::runtime_error("cannot read the TLS certificate or key file");
    }
    tls.emplace(asio::ssl::context::tls_server);
    tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    beast::error_code ec;
    tls->use_certificate_chain_file(options.tls_cert.string(), ec);
    if (!ec) tls->use_private_key_file(options.tls_key.string(), asio::ssl::context::pem, ec);
    if (ec || SSL_CTX_check_private_key(tls->native_handle()) != 1) {
      throw std::runtime_error("the TLS certificate or key is not valid, or they do not match");
    }
  }

  const auto refusal = busy(options, "the server has too many connections; retry later");
  over_limit_answer = util::cat(
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
      "Cache-Control: no-store\r\nRetry-After: ",
      refusal.retry_after_s, "\r\nConnection: close\r\nContent-Length: ", refusal.body.size(),
      "\r\n\r\n", refusal.body);
}

Server::Impl::~Impl() {
  io.stop();
  join_workers();
}

void Server::Impl::join_workers() {
  // Waits for the calls already running; their answers go to a stopped
  // io_context and are dropped with it.
  std::call_once(workers_joined, [this] { workers.join(); });
}

Millis Server::Impl::transfer_timeout(std::uint64_t bytes) const {
  const std::uint64_t rate = std::max<std::uint64_t>(1, options.min_transfer_rate);
  const std::uint64_t ms = std::min<std::uint64_t>(bytes, std::uint64_t{1} << 40) * 1000 / rate;
  return std::clamp(Millis(static_cast<Millis::rep>(ms)), options.transfer_timeout_min,
                    options.transfer_timeout_max);
}

bool Server::Impl::open(const std::string& host, int port) {
  beast::error_code ec;
  tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(
      host, std::to_string(port), tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) return false;
  const tcp::endpoint endpoint = *endpoints.begin();
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor.close(ignored);
    return false;
  }
  return true;
}

void Server::Impl::refuse(tcp::socket& socket, const char* why) {
  refusal_log.note(why);
  beast::error_code ec;
  if (!tls) {
    // One try, never waiting: a client that does not read it loses nothing.
    socket.non_blocking(true, ec);
    socket.send(asio::buffer(over_limit_answer), 0, ec);
  }
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

asio::awaitable<void> Server::Impl::accept_loop() {
  while (!stopped.load()) {
    beast::error_code ec;
    auto accepted = co_await acceptor.async_accept(asio::make_strand(io), into(ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      // Out of file descriptors (or similar): pause instead of spinning.
      refusal_log.note("accept_failed");
      asio::steady_timer pause(acceptor.get_executor(), Millis(50));
      beast::error_code ignored;
      co_await pause.async_wait(into(ignored));
      continue;
    }
    tcp::socket socket(std::move(accepted));
    const std::string peer = peer_address_of(socket);
    if (peer.empty()) continue;  // already gone
    auto slot = connections.admit(peer, proxies.trusts(peer));
    if (!slot) {
      refuse(socket, "connection_limit");
      continue;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto executor = socket.get_executor();
    if (tls) {
      asio::co_spawn(executor, run_tls(std::move(socket), std::move(*slot), peer), asio::detached);
    } else {
      asio::co_spawn(executor, run_plain(std::move(socket), std::move(*slot), peer),
                     asio::detached);
    }
  }
}

asio::awaitable<void> Server::Impl::wind_down() {
  beast::error_code ignored;
  acceptor.close(ignored);
  const auto give_up = Clock::now() + kStopGrace;
  asio::steady_timer tick(acceptor.get_executor());
  while (in_progress.load() > 0 && Clock::now() < give_up) {
    tick.expires_after(Millis(20));
    co_await tick.async_wait(into(ignored));
  }
  io.stop();
}

asio::awaitable<void> Server::Impl::watch_changes() {
  asio::steady_timer tick(co_await asio::this_coro::executor);
  std::optional<std::int64_t> seen;
  while (!stopped.load()) {
    tick.expires_after(std::max(Millis(10), options.change_check_interval));
    beast::error_code ignored;
    co_await tick.async_wait(into(ignored));
    if (stopped.load() || held.count() == 0) continue;
    auto read = [this]() -> std::optional<std::int64_t> {
      try {
        return api.change_seq();
      } catch (const std::exception&) {
        return std::nullopt;  // busy or unreachable: look again at the next tick
      }
    };
    std::optional<std::int64_t> now;
    if (!co_await on_worker(read, now) || !now) continue;
    // Also on the first reading: a pull held before it may have missed a
    // change, and asking again costs one query.
    if (now != seen) {
      seen = now;
      held.wake_all();
    }
  }
}

// `slot` counts the connection for as long as this coroutine lives.
asio::awaitable<void> Server::Impl::run_plain(tcp::socket socket,
                                              [[maybe_unused]] ConnectionTable::Slot slot,
                                              std::string peer) {
  beast::tcp_stream stream(std::move(socket));
  try {
    co_await serve_requests(stream, peer);
  } catch (const std::exception& e) {
    log::error("http_connection_failed", {{"reason", log::Text(e.what())}});
  }
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> Server::Impl::run_tls(tcp::socket socket,
                                            [[maybe_unused]] ConnectionTable::Slot slot,
                                            std::string peer) {
  beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls);
  lowest_layer(stream).expires_after(options.tls_handshake_timeout);
  beast::error_code handshake_error;
  co_await stream.async_handshake(asio::ssl::stream_base::server, into(handshake_error));
  if (handshake_error) co_return;
  try {
    co_await serve_requests(stream, peer);
  } catch (const std::exception& e) {
    log::error("http_connection_failed", {{"reason", log::Text(e.what())}});
  }
  if (lowest_layer(stream).socket().is_open()) {
    lowest_layer(stream).expires_after(kTlsShutdownTimeout);
    beast::error_code ignored;
    co_await stream.async_shutdown(into(ignored));
  }
}

template <class Stream>
asio::awaitable<void> Server::Impl::serve_requests(Stream& stream, const std::string& peer) {
  // Holds at most the headers plus what arrived with them.
  beast::flat_buffer buffer(options.max_header_bytes + kBodyPiece);
  bool first = true;
  while (!stopped.load()) {
    if (!first && buffer.size() == 0) {
      // Between requests: idle until the next one starts, then its header deadline.
      lowest_layer(stream).expires_after(options.keep_alive_timeout);
      beast::error_code ec;
      const auto n = co_await stream.async_read_some(buffer.prepare(1024), into(ec));
      if (ec) co_return;
      buffer.commit(n);
    }
    first = false;
    const auto started = Clock::now();
    lowest_layer(stream).expires_after(options.header_timeout);
    http::request_parser<http::empty_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    // The declared size is judged after the Api's screen (401 before 413).
    // (No limit: Boost 1.74 takes boost::none as a limit of 0.)
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    beast::error_code ec;
    co_await http::async_read_header(stream, buffer, parser, into(ec));
    if (ec) {
      // Timeouts, resets and a client that went away get no answer.
      if (!is_parse_error(ec)) co_return;
      auto refusal = parse_failure(ec, options);
      RequestLine unknown{"-", "-"};
      co_await answer(stream, buffer, 11, false, std::move(refusal), ResponseCoding::identity,
                      After::drain_and_close, std::move(unknown), started);
      co_return;
    }
    in_progress.fetch_add(1);
    struct Done {
      std::atomic<int>& count;
      ~Done() { count.fetch_sub(1); }
    } done{in_progress};
    if (!co_await serve_one(stream, buffer, parser, peer, started)) co_return;
  }
}

template <class Stream>
asio::awaitable<bool> Server::Impl::serve_one(Stream& stream, beast::flat_buffer& buffer,
                                              http::request_parser<http::empty_body>& parser,
                                              const std::string& peer, Clock::time_point started) {
  const auto& request = parser.get();
  const unsigned version = request.version();
  const bool keep_alive = request.keep_alive();
  const std::string accept_encoding(request[http::field::accept_encoding]);
  const std::string content_encoding(request[http::field::content_encoding]);
  const bool expects_continue = beast::iequals(request[http::field::expect], "100-continue");
  RequestLine line{std::string(request.method_string()),
                   std::string(request.target().substr(0, request.target().find('?')))};
  auto refuse_with = [&](ApiResponse response) {
    return answer(stream, buffer, version, false, std::move(response), ResponseCoding::identity,
                  After::drain_and_close, line, started);
  };

  if (auto problem = framing_problem(request, options)) co_return co_await refuse_with(*problem);
  auto head = head_of(request, proxies, peer);
  if (!head) {
    co_return co_await refuse_with(
        bad_request("bad_request", "the query string has a broken %-escape"));
  }
  const auto declared = parser.content_length();
  const bool has_body = parser.chunked() || declared.value_or(0) > 0;

  if (!has_body) {
    auto screen_and_handle = [&] {
      auto reply = api.screen(*head);
      if (!reply) reply = api.handle(*head);
      const auto coding = encode_for(*reply, accept_encoding);
      return Answer{std::move(*reply), coding};
    };
    const std::uint64_t seen = held.version();
    Answer reply;
    if (!co_await on_worker(screen_and_handle, reply)) reply = Answer{busy_now()};
    if (reply.response.hold_for > Millis(0) && !stopped.load()) {
      co_await hold_pull(stream, *head, reply, seen, started, accept_encoding);
    }
    co_return co_await answer(stream, buffer, version, keep_alive, std::move(reply.response),
                              reply.coding, After::keep_alive_if_asked, line, started);
  }

  // A body is announced: the token, route and media type are checked from
  // the headers alone, before any byte of it is read or inflated.
  auto screen = [&] { return api.screen(*head); };
  std::optional<ApiResponse> refused;
  if (!co_await on_worker(screen, refused)) refused = busy_now();
  if (refused) co_return co_await refuse_with(std::move(*refused));
  const auto coding = body_coding(content_encoding);
  if (!coding) {
    co_return co_await refuse_with(error_response(
        415, "unsupported_media_type", "the body's Content-Encoding must be gzip or identity"));
  }
  if (declared && *declared > options.limits.max_body_bytes) {
    co_return co_await refuse_with(body_too_large());
  }
  if (expects_continue && version == 11) {
    http::response<http::empty_body> go_on{http::status::continue_, version};
    lowest_layer(stream).expires_after(options.transfer_timeout_min);
    beast::error_code ec;
    co_await http::async_write(stream, go_on, into(ec));
    if (ec) co_return false;
  }

  BudgetLease lease(body_memory);
  auto body = co_await read_body(stream, buffer, parser, *coding, lease);
  if (body.result == BodyRead::Result::gone) co_return false;
  if (body.result == BodyRead::Result::refused) {
    co_return co_await refuse_with(std::move(body.refusal));
  }
  head->body = std::move(body.body);
  auto handle = [&] {
    auto response = api.handle(*head);
    const auto response_coding = encode_for(response, accept_encoding);
    return Answer{std::move(response), response_coding};
  };
  Answer reply;
  if (!co_await on_worker(handle, reply)) reply = Answer{busy_now()};
  head->body.clear();
  head->body.shrink_to_fit();
  co_return co_await answer(stream, buffer, version, keep_alive, std::move(reply.response),
                            reply.coding, After::keep_alive_if_asked, line, started);
}

template <class Stream>
asio::awaitable<BodyRead> Server::Impl::read_body(
    Stream& stream, beast::flat_buffer& buffer, http::request_parser<http::empty_body>& head_parser,
    BodyCoding coding, BudgetLease& lease) {
  const std::size_t max_bytes = options.limits.max_body_bytes;
  const auto declared = head_parser.content_length();
  http::request_parser<http::buffer_body> parser(std::move(head_parser));
  parser.body_limit(max_bytes);
  // One deadline for the whole body, from its declared size.
  lowest_layer(stream).expires_after(transfer_timeout(declared.value_or(max_bytes)));
  BodyDecoder decoder(coding, max_bytes, [&](std::size_t total) { return lease.grow_to(total); });
  std::vector<char> piece(kBodyPiece);
  auto refused = [](ApiResponse response) {
    return BodyRead{.result = BodyRead::Result::refused, .refusal = std::move(response)};
  };
  while (!parser.is_done()) {
    parser.get().body().data = piece.data();
    parser.get().body().size = piece.size();
    beast::error_code ec;
    co_await http::async_read(stream, buffer, parser, into(ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec == http::error::body_limit) co_return refused(body_too_large());
    if (ec && is_parse_error(ec)) co_return refused(parse_failure(ec, options));
    if (ec) co_return BodyRead{.result = BodyRead::Result::gone};
    const std::size_t got = piece.size() - parser.get().body().size;
    switch (decoder.feed(std::string_view(piece.data(), got))) {
      case BodyDecoder::Status::ok:
        break;
      case BodyDecoder::Status::too_large:
        co_return refused(body_too_large());
      case BodyDecoder::Status::corrupt:
        co_return refused(
            bad_request("unreadable_body", "the request body could not be read or decompressed"));
      case BodyDecoder::Status::no_memory:
        co_return refused(busy(options, "the server is receiving too much at once; retry later"));
    }
  }
  if (decoder.finish() != BodyDecoder::Status::ok) {
    co_return refused(
        bad_request("unreadable_body", "the request body could not be read or decompressed"));
  }
  co_return BodyRead{.body = decoder.take()};
}

template <class Stream>
asio::awaitable<bool> Server::Impl::answer(Stream& stream, beast::flat_buffer& buffer,
                                           unsigned version, bool client_keeps_alive,
                                           ApiResponse response, ResponseCoding coding, After after,
                                           RequestLine line, Clock::time_point started) {
  const bool keep = after == After::keep_alive_if_asked && client_keeps_alive && !stopped.load();
  http::response<http::string_body> message{static_cast<http::status>(response.status), version};
  if (!response.content_type.empty()) message.set(http::field::content_type, response.content_type);
  message.set(http::field::cache_control, "no-store");
  if (response.retry_after_s > 0) {
    message.set(http::field::retry_after, std::to_string(response.retry_after_s));
  }
  for (const auto& [name, value] : response.headers) message.insert(name, value);
  if (response.ask_for_token) {
    message.set(http::field::www_authenticate, "Bearer realm=\"alliance\"");
  }
  if (coding != ResponseCoding::identity) {
    message.set(http::field::content_encoding, coding_name(coding));
    message.set(http::field::vary, "Accept-Encoding");
  }
  message.keep_alive(keep);
  message.body() = std::move(response.body);
  message.prepare_payload();
  lowest_layer(stream).expires_after(transfer_timeout(message.body().size()));
  beast::error_code ec;
  co_await http::async_write(stream, message, into(ec));
  log_request(line, response.status, started, response.device_id);
  if (ec) co_return false;
  if (after == After::drain_and_close) co_await drain(stream, buffer);
  co_return keep;
}

template <class Stream>
asio::awaitable<void> Server::Impl::drain(Stream& stream, beast::flat_buffer& buffer) {
  if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
    // The answer is complete: say so, then read what the client still sends.
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }
  lowest_layer(stream).expires_after(kLingerTimeout);
  const std::size_t limit = 2 * options.limits.max_body_bytes;
  std::size_t seen = buffer.size();
  buffer.consume(buffer.size());
  std::vector<char> sink(kBodyPiece);
  while (seen < limit) {
    beast::error_code ec;
    const auto n = co_await stream.async_read_some(asio::buffer(sink), into(ec));
    if (ec) break;
    seen += n;
  }
}

template <class Stream>
asio::awaitable<void> Server::Impl::hold_pull(Stream& stream, ApiRequest& head, Answer& reply,
                                              std::uint64_t seen, Clock::time_point started,
                                              const std::string& accept_encoding) {
  const auto deadline = started + reply.response.hold_for;
  auto timer = std::make_shared<asio::steady_timer>(lowest_layer(stream).get_executor());
  if (!held.hold(timer)) co_return;  // as many as allowed wait already: answered at once
  struct Release {
    HeldPulls& pulls;
    std::shared_ptr<asio::steady_timer> timer;
    ~Release() { pulls.release(timer); }
  } release{held, timer};
  auto ask_again = [&] {
    auto response = api.handle(head);
    const auto coding = encode_for(response, accept_encoding);
    return Answer{std::move(response), coding};
  };
  while (true) {
    if (held.version() == seen && !stopped.load() && Clock::now() < deadline) {
      timer->expires_at(deadline);
      beast::error_code ignored;
      co_await timer->async_wait(into(ignored));
    }
    const bool last = stopped.load() || Clock::now() >= deadline;
    if (!last && held.version() == seen) continue;  // a stale cancel: nothing new
    seen = held.version();
    head.held = std::chrono::duration_cast<Millis>(Clock::now() - started);
    head.may_hold = !last;
    if (!co_await on_worker(ask_again, reply)) {
      reply = Answer{busy_now()};
      co_return;
    }
    // A change it may see, or its wait is over; else the change was not for it.
    if (last || reply.response.hold_for <= Millis(0)) co_return;
  }
}

template <class F, class R>
asio::awaitable<bool> Server::Impl::on_worker(F& fn, R& result) {
  if (queued.fetch_add(1) >= options.max_queued_requests) {
    queued.fetch_sub(1);
    co_return false;
  }
  struct Release {
    std::atomic<std::size_t>& count;
    ~Release() { count.fetch_sub(1); }
  } release{queued};
  result = co_await asio::co_spawn(
      workers, [&fn]() -> asio::awaitable<R> { co_return fn(); }, asio::use_awaitable);
  co_return true;
}

namespace {

// Console cookies are Secure whenever the server speaks TLS.
ApiLimits api_limits_of(const ServerOptions& options) {
  ApiLimits limits = options.limits;
  limits.console.secure_cookies = !options.tls_cert.empty();
  return limits;
}

}  // namespace

Server::Server(CentralStore& store, ServerOptions options)
    : options_(std::move(options)),
      api_(store, api_limits_of(options_)),
      impl_(std::make_unique<Impl>(options_, api_)) {}

Server::~Server() {
  stop();
}

bool Server::bind(std::string& error) {
  if (!impl_->open(options_.host, options_.port)) {
    error = util::format("cannot listen on {}:{} (in use, or not an address of this machine)",
                         options_.host, options_.port);
    return false;
  }
  return true;
}

int Server::bind_to_any_port() {
  if (!impl_->open(options_.host, 0)) return -1;
  beast::error_code ec;
  const auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? -1 : endpoint.port();
}

bool Server::listen_after_bind() {
  auto& impl = *impl_;
  if (!impl.acceptor.is_open() || impl.stopped.load()) return false;
  asio::co_spawn(impl.acceptor.get_executor(), impl.accept_loop(), asio::detached);
  asio::co_spawn(asio::make_strand(impl.io), impl.watch_changes(), asio::detached);
  impl.running = true;
  std::vector<std::thread> threads;
  for (int i = 1; i < std::max(1, options_.io_threads); ++i) {
    threads.emplace_back([&impl] { impl.io.run(); });
  }
  impl.io.run();
  for (auto& thread : threads) thread.join();
  impl.running = false;
  impl.join_workers();
  return true;
}

void Server::stop() {
  if (!impl_ || impl_->stopped.exchange(true)) return;
  // No new connections; the requests being served finish (within kStopGrace),
  // held pulls at once, with what there is.
  impl_->held.wake_all();
  asio::co_spawn(impl_->acceptor.get_executor(), impl_->wind_down(), asio::detached);
}

bool Server::is_running() const {
  return impl_->running.load();
}

}  // namespace alliance::central
