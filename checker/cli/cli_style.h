// Command-line conventions every bbcheck command shares: one value per
// option, colour decided from --color and the environment, parse errors that
// name bbcheck and point at --help.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace bbcheck {

// Every option of `app` and its commands takes exactly one value per use
// (`--set a=b list` is an option and an operand, not two values); repeatable
// options collect one value per use.
void oneValuePerOption(CLI::App& app);

// --color=auto|always|never (--no-color = never). auto: colour when stdout is
// a terminal, unless NO_COLOR is set or TERM=dumb; FORCE_COLOR or
// CLICOLOR_FORCE (non-empty, not "0") force it on, NO_COLOR wins over them.
bool colorWanted(const std::string& mode, bool noColorFlag);

// Prints a parse error as "bbcheck: ..." with a pointer to --help, or the
// help or version text CLI11 was asked for. Returns the exit code (0 or 2).
int reportParseError(CLI::App& app, const CLI::ParseError& error);

}  // namespace bbcheck
