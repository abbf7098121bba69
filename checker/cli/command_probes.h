// bbcheck probes: every probe kind with its parameters, from the probe
// registry (the one place the command line reads it).
#pragma once

#include <CLI/CLI.hpp>

#include "checker/cli/command_table.h"

namespace bbcheck {

CommandRunner defineProbesCommand(CLI::App& command);

int probesCommand();

}  // namespace bbcheck
