// Test certificates made with the openssl tool: a private CA and a server
// certificate it signed for IP 127.0.0.1, for HTTPS tests and benchmarks.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace alliance::test {

inline bool shell_ok(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

inline std::string quoted(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

// In `dir`: a private CA (ca.pem), a server certificate it signed for IP
// 127.0.0.1 (server.pem, server.key), and an unrelated CA (other-ca.pem).
// P-256 keys. False when openssl failed (or is missing).
inline bool make_certificates(const std::filesystem::path& dir) {
  const std::string ec_key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
  auto make_ca = [&](const std::string& name, const std::string& cn) {
    return shell_ok("openssl req -x509 " + ec_key + "-days 1 -subj '/CN=" + cn + "' -keyout " +
                    quoted(dir / (name + ".key")) + " -out " + quoted(dir / (name + ".pem")));
  };
  {
    std::ofstream ext(dir / "server.ext");
    ext << "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n";
  }
  return make_ca("ca", "Alliance Test CA") && make_ca("other-ca", "Another CA") &&
         shell_ok("openssl req -new " + ec_key + "-subj /CN=127.0.0.1 -keyout " +
                  quoted(dir / "server.key") + " -out " + quoted(dir / "server.csr")) &&
         shell_ok("openssl x509 -req -days 1 -set_serial 2 -in " + quoted(dir / "server.csr") +
                  " -CA " + quoted(dir / "ca.pem") + " -CAkey " + quoted(dir / "ca.key") +
                  " -extfile " + quoted(dir / "server.ext") + " -out " +
                  quoted(dir / "server.pem"));
}

}  // namespace alliance::test
