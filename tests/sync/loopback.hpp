// A listening TCP socket on 127.0.0.1 with a port the kernel picks: what the
// test servers (fault proxy, local server) listen on.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace alliance::test {

struct Listener {
  int fd = -1;
  int port = 0;
};

// Throws, naming `who`, when no socket can listen.
inline Listener listen_on_loopback(int backlog, const std::string& who) {
  Listener l;
  l.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (l.fd < 0) throw std::runtime_error(who + ": no socket");
  const int one = 1;
  setsockopt(l.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(l.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(l.fd, backlog) != 0) {
    close(l.fd);
    throw std::runtime_error(who + ": cannot listen on 127.0.0.1");
  }
  socklen_t len = sizeof addr;
  getsockname(l.fd, reinterpret_cast<sockaddr*>(&addr), &len);
  l.port = ntohs(addr.sin_port);
  return l;
}

}  // namespace alliance::test
