// bbcheck help [COMMAND]: the same text as --help, of bbcheck or of one of
// its commands.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "checker/cli/command_table.h"

namespace bbcheck {

// `command` is the help sub-command; its parent is bbcheck's own parser.
CommandRunner defineHelpCommand(CLI::App& command);

int helpCommand(CLI::App& app, const std::string& topic);

}  // namespace bbcheck
