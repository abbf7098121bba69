// The command line (see cli.h): one CLI11 sub-command per row of the command
// table, and the conventions every command shares (cli_style.h).
#include "checker/cli/cli.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <string>

#include "checker/cli/cli_style.h"
#include "checker/cli/exit_codes.h"
#include "checker/cli/suggestions.h"
#include "checker/report/safe_text.h"

namespace bbcheck {
namespace {

// `bbcheck [run options]` means `bbcheck run [run options]`.
std::vector<std::string> withDefaultCommand(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  bool hasCommand = !args.empty() && isCommandName(args[0]);
  bool topLevelFlag = !args.empty() && (args[0] == "--help" || args[0] == "-h" ||
                                        args[0] == "--version" || args[0] == "-V");
  if (!hasCommand && !topLevelFlag) args.insert(args.begin(), std::string(kDefaultCommand));
  std::reverse(args.begin(), args.end());  // CLI11 takes them reversed
  return args;
}

// `bbcheck rnu`: a word where a command or an option of run belongs (run
// takes no operands). Returns the message, or "" when the word is no mistake.
std::string mistypedCommand(int argc, char** argv) {
  if (argc < 2) return "";
  std::string word = argv[1];
  if (word.empty() || word[0] == '-' || isCommandName(word)) return "";
  std::string near = nearestWord(word, commandNames());
  return fmt::format("'{}' is not a bbcheck command.{}", safeLine(word),
                     near.empty() ? "" : " Did you mean " + near + "?");
}

}  // namespace

CommandLine::CommandLine()
    : app_(
          "bbcheck: is this machine ready to be a Buildbot worker? (default profile: "
          "python-buildbot)",
          "bbcheck") {
  app_.set_version_flag("-V,--version", std::string("bbcheck ") + BBCHECK_VERSION);
  app_.require_subcommand(1);
  for (const Command& command : commandTable()) {
    CLI::App* sub = app_.add_subcommand(std::string(command.name), std::string(command.summary));
    commands_.emplace_back(sub, command.define(*sub));
  }
  oneValuePerOption(app_);
  // Bare `bbcheck` runs `run`: its --help shows what `run` takes too.
  CLI::App* run = app_.get_subcommand(std::string(kDefaultCommand));
  app_.footer([run]() -> std::string {
    return std::string(kRunOptionsHeading) + "\n" +
           CLI::Formatter().make_groups(run, CLI::AppFormatMode::Normal);
  });
}

int CommandLine::run(int argc, char** argv) {
  std::string mistake = mistypedCommand(argc, argv);
  if (!mistake.empty()) return reportUsageError(mistake);
  std::vector<std::string> args = withDefaultCommand(argc, argv);
  // The arguments in order, the command's name first (parse consumes `args`).
  const std::vector<std::string> given(args.rbegin(), args.rend());
  try {
    app_.parse(args);
  } catch (const CLI::ParseError& e) {
    std::string suggestion;
    for (auto& [sub, runner] : commands_)
      if (!given.empty() && sub->get_name() == given[0]) suggestion = optionSuggestion(*sub, given);
    return reportParseError(app_, e, suggestion);
  }
  try {
    for (auto& [sub, runner] : commands_)
      if (sub->parsed()) return runner();
  } catch (const std::exception& e) {
    // Profile and usage errors, and a report that could not be written.
    std::cerr << "bbcheck: " << safeText(e.what()) << "\n";
    return kExitUsage;
  }
  return kExitUsage;
}

int runCli(int argc, char** argv) {
  CommandLine commandLine;
  return commandLine.run(argc, argv);
}

}  // namespace bbcheck
