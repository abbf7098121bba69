// The signal that interrupted a run, as a report records it
// ("interrupted_by": "SIGTERM"): by name, since signal numbers differ between
// systems, so that `bbcheck show` exits with 128 + the signal's number where
// it runs, as `bbcheck run` did (checker/cli/exit_codes.h).
#pragma once

#include <string>

namespace bbcheck {

// "SIGINT", "SIGTERM" or "SIGHUP" (the signals that stop a run); "" for any
// other number, 0 included.
std::string stopSignalName(int signal);

// The number of a name stopSignalName() gives; 0 for any other text.
int stopSignalNamed(const std::string& name);

}  // namespace bbcheck
