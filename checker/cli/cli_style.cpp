// Command-line conventions every bbcheck command shares (see cli_style.h).
#include "checker/cli/cli_style.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "checker/cli/exit_codes.h"

namespace bbcheck {
namespace {

bool isSetAndNotZero(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' && std::string(value) != "0";
}

void oneValueEach(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (!option->nonpositional()) continue;  // operands: `validate A B` takes both
    if (option->get_expected_max() > 1 || option->get_expected_max() < 0) {
      option->expected(1);
      option->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    }
    option->allow_extra_args(false);
  }
  for (CLI::App* sub : app.get_subcommands({})) oneValueEach(*sub);
}

}  // namespace

void oneValuePerOption(CLI::App& app) {
  oneValueEach(app);
}

bool colorWanted(const std::string& mode, bool noColorFlag) {
  if (noColorFlag || mode == "never") return false;
  if (mode == "always") return true;
  if (isSetAndNotZero("NO_COLOR")) return false;
  if (isSetAndNotZero("FORCE_COLOR") || isSetAndNotZero("CLICOLOR_FORCE")) return true;
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) && !(term && std::string(term) == "dumb");
}

size_t terminalWidth() {
  winsize size{};
  if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  const char* columns = std::getenv("COLUMNS");
  if (columns == nullptr) return 0;
  char* end = nullptr;
  long value = std::strtol(columns, &end, 10);
  return end != columns && *end == '\0' && value > 0 && value < 100000 ? value : 0;
}

int reportParseError(CLI::App& app, const CLI::ParseError& error, const std::string& suggestion) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    return app.exit(error) == 0 ? kExitReady : kExitUsage;  // --help, --version
  }
  return reportUsageError(error.what() + suggestion);
}

int reportUsageError(const std::string& message) {
  std::cerr << "bbcheck: " << message << "\n"
            << "Try 'bbcheck --help' or 'bbcheck help COMMAND'.\n";
  return kExitUsage;
}

}  // namespace bbcheck
