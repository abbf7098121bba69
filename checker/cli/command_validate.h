// bbcheck validate FILE...: lints profiles, naming file:line:column for
// every mistake.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "checker/cli/command_table.h"
#include "checker/profile/profile_loader.h"

namespace bbcheck {

CommandRunner defineValidateCommand(CLI::App& command);

// 0 when every file is a valid profile, else 2. An unset ${env:X} is a
// warning here, not an error.
int validateCommand(const std::vector<std::string>& files, const LoadOptions& base);

}  // namespace bbcheck
