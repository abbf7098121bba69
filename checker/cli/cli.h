// The command line: the commands of command_table.h as CLI11 sub-commands.
// Parses the arguments, runs the command, returns its exit code
// (exit_codes.h: 0 ready, 1 not ready, 2 usage or profile error, 128+N
// interrupted by signal N).
#pragma once

#include <CLI/CLI.hpp>
#include <utility>
#include <vector>

#include "checker/cli/command_table.h"

namespace bbcheck {

// The heading under which `bbcheck --help` lists run's options (the man
// page's script cuts the top-level help there: run's own section has them).
constexpr const char* kRunOptionsHeading = "Options of run (bbcheck with no command runs it):";

class CommandLine {
 public:
  // Every command of the table, with its options declared.
  CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  // Parses argv (with no command, `run` is meant) and runs the command.
  int run(int argc, char** argv);

  // The parser, for the tests that compare help, completion and the man
  // page with what bbcheck accepts.
  CLI::App& app() { return app_; }

 private:
  CLI::App app_;
  std::vector<std::pair<CLI::App*, CommandRunner>> commands_;
};

int runCli(int argc, char** argv);

}  // namespace bbcheck
