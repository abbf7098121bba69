// The one table of commands (see command_table.h).
#include "checker/cli/command_table.h"

#include "checker/cli/command_diff.h"
#include "checker/cli/command_fleet.h"
#include "checker/cli/command_help.h"
#include "checker/cli/command_list.h"
#include "checker/cli/command_probes.h"
#include "checker/cli/command_request.h"
#include "checker/cli/command_run.h"
#include "checker/cli/command_show.h"
#include "checker/cli/command_validate.h"

namespace bbcheck {

const std::vector<Command>& commandTable() {
  static const std::vector<Command> commands = {
      {"run", "run a profile's checks and report (the default command)", defineRunCommand},
      {"request", "run the host stage, then print the farm's new-worker request, prefilled",
       defineRequestCommand},
      {"show", "re-render and re-judge a received JSON report; exit as run would",
       defineShowCommand},
      {"diff", "what changed between two JSON reports of a worker; exit 1 when a check regressed",
       defineDiffCommand},
      {"list", "list a profile's checks: id, severity, probe, tags", defineListCommand},
      {"validate", "check profile files; exit 0 when all are valid, else 2", defineValidateCommand},
      {"probes", "list probe kinds and their parameters", defineProbesCommand},
      {"fleet", "readiness of every worker, from the master's REST API", defineFleetCommand},
      {"help", "help on bbcheck or one of its commands", defineHelpCommand},
  };
  return commands;
}

bool isCommandName(std::string_view word) {
  for (const Command& command : commandTable())
    if (command.name == word) return true;
  return false;
}

}  // namespace bbcheck
