// bbcheck run (the default command), and the run that bbcheck request makes:
// every value checked before any probe runs, the checks run on the pool
// under the deadline, the reports rendered on stdout and into each
// --report target, and the exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "checker/cli/command_table.h"

namespace bbcheck {

struct RunArgs {
  std::vector<std::string> profiles;
  std::vector<std::string> sets;
  std::vector<std::string> only;
  std::vector<std::string> skip;
  std::string format = "text";
  std::vector<std::string> reports;
  int jobs = 64;
  std::string timeout;
  std::string deadline = "2m";
  std::string fail_on = "required";
  bool no_color = false;
  std::string color = "auto";
  bool quiet = false;
  bool verbose = false;
  std::string stage;                      // "": automatic (see planStages)
  std::vector<std::string> waiver_files;  // --waivers FILE
  std::vector<std::string> waive;         // --waive ID[:DATE]
  std::string retry_for;                  // "": no retries
  bool request = false;                   // bbcheck request: the host stage, then the farm's form
};

// The options of run, and (without --format and --stage) of request.
void addRunOptions(CLI::App& command, RunArgs& args);

int runCommand(const RunArgs& args);

CommandRunner defineRunCommand(CLI::App& command);

}  // namespace bbcheck
