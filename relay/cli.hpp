// `alliance-central relay`: the command line of a venue hub's relay.
#pragma once

#include <atomic>
#include <ostream>
#include <string>
#include <vector>

namespace alliance::relay {

// args[0] is "relay". Returns the exit code: 0 done (or stopped by `stop`),
// 1 a failure (message on err), 2 a usage error.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const std::atomic<bool>* stop);

}  // namespace alliance::relay
