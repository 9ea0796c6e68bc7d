// alliance-sync: the background agent between a kiosk's database and alliance-central.
#include <iostream>
#include <string>
#include <vector>

#include "sync/cli.hpp"

int main(int argc, char** argv) {
  const auto& stop = alliance::sync::install_stop_signals();
  std::vector<std::string> args(argv + 1, argv + argc);
  return alliance::sync::run_cli(args, std::cout, std::cerr, &stop);
}
