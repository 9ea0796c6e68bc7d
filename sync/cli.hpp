// alliance-sync's command line: enroll, once, run and status on one database.
#pragma once

#include <atomic>
#include <ostream>
#include <string>
#include <vector>

namespace alliance::sync {

// Runs one command line (args excludes the program name). Results go to
// `out`, a one-line reason to `err`; returns the exit code (0 success,
// 1 failure, 2 usage). `stop` (may be null) ends `run` and abandons `once`.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const std::atomic<bool>* stop);

// Installs SIGTERM/SIGINT handlers that raise the returned flag (and ignores
// SIGPIPE). Call once, from main.
const std::atomic<bool>& install_stop_signals();

}  // namespace alliance::sync
