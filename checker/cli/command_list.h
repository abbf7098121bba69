// bbcheck list: a profile's checks with id, severity, probe, title and tags
// (with -v its vars, and each check's why, fix and needs).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "checker/cli/command_table.h"
#include "checker/profile/profile_loader.h"

namespace bbcheck {

CommandRunner defineListCommand(CLI::App& command);

int listCommand(const std::vector<std::string>& profiles, const std::vector<std::string>& sets,
                const LoadOptions& options, bool verbose);

// The default profile's vars, for the end of run's and list's --help.
std::string varsFooter();

}  // namespace bbcheck
