// The command line: parses arguments, runs a sub-command, returns the exit
// code (0 ready, 1 not ready, 2 usage or profile error, 130 interrupted).
#pragma once

namespace bbcheck {

int runCli(int argc, char** argv);

}  // namespace bbcheck
