// alliance-central: the reference API v1 server and its admin commands.
#include <iostream>
#include <string>
#include <vector>

#include "central/admin/cli.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return alliance::central::run_cli(args, std::cout, std::cerr);
}
