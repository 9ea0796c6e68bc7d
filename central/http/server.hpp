// The HTTP(S) server: binds the API v1 handlers to cpp-httplib routes, reads
// bodies with a size bound (after gzip decompression), logs one line per request.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "central/http/api.hpp"

namespace httplib {
class Server;
}

namespace alliance::central {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::filesystem::path tls_cert;  // both set: HTTPS; both empty: HTTP
  std::filesystem::path tls_key;
  ApiLimits limits;
  int read_timeout_s = 30;
};

// Not copyable. stop() may be called from any thread (e.g. a signal waiter).
class Server {
 public:
  // Throws std::runtime_error if the TLS certificate or key cannot be loaded.
  Server(CentralStore& store, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds options.host:options.port; false (with the reason in `error`) if it cannot.
  bool bind(std::string& error);
  // Binds options.host on a free port chosen by the system; returns it, or -1.
  int bind_to_any_port();
  // Serves until stop(); returns false if the server failed.
  bool listen_after_bind();
  void stop();
  bool is_running() const;

 private:
  void install_routes();

  ServerOptions options_;
  Api api_;
  std::unique_ptr<httplib::Server> http_;
};

}  // namespace alliance::central
