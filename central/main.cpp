// alliance-central: the reference API v1 server, its admin commands, and a
// venue hub's relay (relay/).
#include <iostream>
#include <string>
#include <vector>

#include "central/admin/cli.hpp"
#include "relay/cli.hpp"
#include "sync/cli.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "relay") {
    const auto& stop = alliance::sync::install_stop_signals();
    return alliance::relay::run_cli(args, std::cout, std::cerr, &stop);
  }
  return alliance::central::run_cli(args, std::cout, std::cerr);
}
