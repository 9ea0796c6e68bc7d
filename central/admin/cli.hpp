// alliance-central's command line: serve and the admin commands, on one database.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace alliance::central {

// Runs one command line (args excludes the program name). Writes results to
// `out` and a one-line reason to `err`; returns the process exit code
// (0 success, 1 failure, 2 usage error). `serve` blocks until SIGTERM/SIGINT.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// The same, reading a password given with --password-stdin from `in`.
int run_cli(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
            std::ostream& err);

}  // namespace alliance::central
