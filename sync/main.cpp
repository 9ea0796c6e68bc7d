// alliance-sync: the background agent between a kiosk's database and alliance-central.
#include <malloc.h>

#include <iostream>
#include <string>
#include <vector>

#include "sync/cli.hpp"

int main(int argc, char** argv) {
  // Answer buffers (up to the 16 MiB cap) always get their own mapping and go
  // back to the system when dropped. Left to itself glibc raises this
  // threshold after the first large free, and later oversized answers pile
  // up in the heap: the peak grew by one cap per hostile answer.
  mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
  const auto& stop = alliance::sync::install_stop_signals();
  std::vector<std::string> args(argv + 1, argv + argc);
  return alliance::sync::run_cli(args, std::cout, std::cerr, &stop);
}
