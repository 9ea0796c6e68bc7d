// cpp-httplib glue: routes, bounded body reading, response headers, request log.
#include "central/http/server.hpp"

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <fstream>
#include <stdexcept>

#include "common/util/log.hpp"
#include "common/util/strings.hpp"

namespace alliance::central {
namespace {

using Clock = std::chrono::steady_clock;

// Per request, on the worker thread that serves it: for the log line.
thread_local Clock::time_point t_started{};
thread_local std::string t_device_id;

// A decompressed body may be at most max bytes; beyond that it is read and
// dropped (so the connection stays in step) up to this multiple, then cut off.
constexpr std::size_t kDrainFactor = 16;

void send(httplib::Response& res, const ApiResponse& api) {
  res.status = api.status;
  if (api.retry_after_s > 0) res.set_header("Retry-After", std::to_string(api.retry_after_s));
  if (api.ask_for_token) res.set_header("WWW-Authenticate", "Bearer realm=\"alliance\"");
  res.set_header("Cache-Control", "no-store");
  res.set_content(api.body, api.content_type);
  t_device_id = api.device_id;
}

struct Body {
  std::string text;
  bool ok = false;
  bool too_large = false;
};

Body read_body(const httplib::Response& res, const httplib::ContentReader& reader,
               std::size_t max_bytes) {
  Body body;
  std::size_t seen = 0;
  body.ok = reader([&](const char* data, std::size_t n) {
    seen += n;
    if (seen > max_bytes) {
      body.too_large = true;
      return seen <= max_bytes * kDrainFactor;
    }
    body.text.append(data, n);
    return true;
  });
  if (res.status == 413) body.too_large = true;
  return body;
}

std::optional<ApiResponse> body_problem(const Body& body) {
  if (body.too_large) {
    return error_response(413, "too_large", "the request body is too large");
  }
  if (!body.ok) {
    return error_response(400, "unreadable_body",
                          "the request body could not be read or decompressed");
  }
  return std::nullopt;
}

bool readable(const std::filesystem::path& path) {
  return std::ifstream(path).good();
}

}  // namespace

Server::Server(CentralStore& store, ServerOptions options)
    : options_(std::move(options)), api_(store, options_.limits) {
  const bool tls = !options_.tls_cert.empty() || !options_.tls_key.empty();
  if (tls) {
    if (options_.tls_cert.empty() || options_.tls_key.empty()) {
      throw std::runtime_error("TLS needs both --tls-cert and --tls-key");
    }
    if (!readable(options_.tls_cert) || !readable(options_.tls_key)) {
      throw std::runtime_error("cannot read the TLS certificate or key file");
    }
    auto ssl =
        std::make_unique<httplib::SSLServer>(options_.tls_cert.c_str(), options_.tls_key.c_str());
    if (!ssl->is_valid()) {
      throw std::runtime_error("the TLS certificate or key is not valid, or they do not match");
    }
    http_ = std::move(ssl);
  } else {
    http_ = std::make_unique<httplib::Server>();
  }
  install_routes();
}

Server::~Server() {
  stop();
}

void Server::install_routes() {
  auto& http = *http_;
  const std::size_t max_body = options_.limits.max_body_bytes;
  http.set_payload_max_length(max_body);
  http.set_read_timeout(options_.read_timeout_s, 0);
  http.set_keep_alive_timeout(10);

  http.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    t_started = Clock::now();
    t_device_id.clear();
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Every path goes through the Api's own routes; the library only parses.
  auto head_of = [](const httplib::Request& req) {
    ApiRequest head;
    head.method = req.method;
    head.path = req.path;
    for (const auto& [name, value] : req.params) head.query.emplace(name, value);
    for (const auto& [name, value] : req.headers)
      head.headers.emplace(util::ascii_lower(name), value);
    head.client_address = req.remote_addr;
    return head;
  };
  auto without_body = [this, head_of](const httplib::Request& req, httplib::Response& res) {
    const ApiRequest request = head_of(req);
    if (auto refused = api_.screen(request)) return send(res, *refused);
    send(res, api_.handle(request));
  };
  auto with_body = [this, head_of, max_body](const httplib::Request& req, httplib::Response& res,
                                             const httplib::ContentReader& reader) {
    ApiRequest request = head_of(req);
    if (auto refused = api_.screen(request)) return send(res, *refused);
    Body body = read_body(res, reader, max_body);
    if (auto problem = body_problem(body)) return send(res, *problem);
    request.body = std::move(body.text);
    send(res, api_.handle(request));
  };
  http.Get(".*", without_body);
  http.Delete(".*", without_body);
  http.Options(".*", without_body);
  http.Post(".*", with_body);
  http.Put(".*", with_body);
  http.Patch(".*", with_body);

  // Answers the library produces itself (unknown path, unreadable request)
  // get the same JSON error body as ours.
  http.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string code = "bad_request";
        std::string message = "the request could not be understood";
        if (res.status == 404) {
          code = "not_found";
          message = "there is no such endpoint";
        } else if (res.status == 413) {
          code = "too_large";
          message = "the request body is too large";
        } else if (res.status == 414) {
          code = "uri_too_long";
          message = "the request URI is too long";
        } else if (res.status >= 500) {
          code = "internal_error";
          message = "the server could not handle this request";
        }
        const auto api = error_response(res.status, code, message);
        res.set_content(api.body, "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));

  http.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                std::exception_ptr) {
    send(res, error_response(500, "internal_error", "the server could not handle this request"));
  });

  http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    const auto ms =
        t_started == Clock::time_point{}
            ? 0.0
            : std::chrono::duration<double, std::milli>(Clock::now() - t_started).count();
    if (t_device_id.empty()) {
      log::info("http_request", {{"method", log::Text(req.method)},
                                 {"path", log::Text(req.path)},
                                 {"status", res.status},
                                 {"ms", ms}});
    } else {
      log::info("http_request", {{"method", log::Text(req.method)},
                                 {"path", log::Text(req.path)},
                                 {"status", res.status},
                                 {"ms", ms},
                                 {"device", log::Id(t_device_id)}});
    }
    t_started = Clock::time_point{};
    t_device_id.clear();
  });
}

bool Server::bind(std::string& error) {
  if (!http_->bind_to_port(options_.host, options_.port)) {
    error = util::format("cannot listen on {}:{} (in use, or not an address of this machine)",
                         options_.host, options_.port);
    return false;
  }
  return true;
}

int Server::bind_to_any_port() {
  return http_->bind_to_any_port(options_.host);
}

bool Server::listen_after_bind() {
  return http_->listen_after_bind();
}

void Server::stop() {
  if (http_ && http_->is_running()) http_->stop();
}

bool Server::is_running() const {
  return http_->is_running();
}

}  // namespace alliance::central
