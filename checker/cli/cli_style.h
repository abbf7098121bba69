// Command-line conventions every bbcheck command shares: one value per
// option, colour decided from --color and the environment, the terminal's
// width, parse errors that name bbcheck and point at --help.
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

// The columns the text report wraps to: the terminal's when standard output
// is one, else $COLUMNS when it is a number, else 0 (a pipe or a file: no
// wrapping, one line per line for grep).
size_t terminalWidth();

// Prints a parse error as "bbcheck: ..." (then `suggestion`, " Did you
// mean ...?" or "") with a pointer to --help, or the help or version text
// CLI11 was asked for. Returns the exit code (0 or 2).
int reportParseError(CLI::App& app, const CLI::ParseError& error,
                     const std::string& suggestion = "");

// Prints "bbcheck: MESSAGE" and the pointer to --help; returns 2.
int reportUsageError(const std::string& message);

}  // namespace bbcheck
