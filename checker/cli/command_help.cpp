// bbcheck help (see command_help.h).
#include "checker/cli/command_help.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "checker/cli/exit_codes.h"
#include "checker/cli/suggestions.h"
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
    // Not app.help(): that would describe the selected command, `help`.
    std::cout << app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal);
    return kExitReady;
  }
  for (CLI::App* command : app.get_subcommands({})) {
    if (command->get_name() == topic) {
      // The usage line `bbcheck COMMAND --help` prints: "bbcheck COMMAND ...".
      std::cout << command->help(app.get_name());
      return kExitReady;
    }
  }
  std::string near = nearestWord(topic, commandNames());
  std::cerr << fmt::format("bbcheck: help: no command '{}'.{} Try 'bbcheck --help'.\n",
                           safeLine(topic), near.empty() ? "" : " Did you mean " + near + "?");
  return kExitUsage;
}

}  // namespace bbcheck
