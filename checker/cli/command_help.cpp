// bbcheck help (see command_help.h).
#include "checker/cli/command_help.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "checker/cli/exit_codes.h"
#include "checker/report/safe_text.h"

namespace bbcheck {

CommandRunner defineHelpCommand(CLI::App& command) {
  auto topic = std::make_shared<std::string>();
  command.add_option("command", *topic, "a command: run, list, validate, ...");
  CLI::App* app = command.get_parent();
  return [app, topic] { return helpCommand(*app, *topic); };
}

int helpCommand(CLI::App& app, const std::string& topic) {
  if (topic.empty()) {
    std::cout << app.help();
    return kExitReady;
  }
  for (CLI::App* command : app.get_subcommands({})) {
    if (command->get_name() == topic) {
      std::cout << command->help();
      return kExitReady;
    }
  }
  std::cerr << fmt::format("bbcheck: help: no command '{}'. Try 'bbcheck --help'.\n",
                           safeLine(topic));
  return kExitUsage;
}

}  // namespace bbcheck
