// `bbcheck fleet --master URL`: every worker's readiness as its master
// recorded it (the bbcheck builders of contrib/buildbot/), read through the
// master's REST API. Exit 0 when every connected worker is ready, 1 when one
// is not (or was never checked), 2 when the master cannot be read.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "checker/cli/command_table.h"
#include "checker/farm/fleet_status.h"

namespace bbcheck {

struct FleetArgs {
  std::string master;
  std::string format = "text";
  std::string user;
  std::string password_file;
  std::string builder_prefix = "bbcheck-";
  std::string timeout = "10s";
  std::string max_age = kDefaultMaxAge;
  std::string deadline = "2m";  // for the whole command, as run's --deadline
};

// fleet's own formats: a fleet is not a run, so not the report formats.
inline const std::vector<std::string> kFleetFormats = {"text", "json"};

CommandRunner defineFleetCommand(CLI::App& command);

// Throws std::runtime_error (FleetError) for what ends in exit 2.
int fleetCommand(const FleetArgs& args);

// The renderings, apart for tests.
std::string renderFleetText(const std::vector<WorkerStatus>& workers, const std::string& master,
                            const FleetClock& clock);
std::string renderFleetJson(const std::vector<WorkerStatus>& workers, const std::string& master,
                            const FleetClock& clock);

}  // namespace bbcheck
