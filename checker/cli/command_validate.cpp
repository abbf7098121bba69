// bbcheck validate (see command_validate.h).
#include "checker/cli/command_validate.h"

#include <fmt/format.h>

#include <iostream>

#include "checker/cli/exit_codes.h"
#include "checker/cli/shared_options.h"
#include "checker/profile/profile_error.h"
#include "checker/profile/profile_reader.h"
#include "checker/report/safe_text.h"

namespace bbcheck {

CommandRunner defineValidateCommand(CLI::App& command) {
  struct ValidateArgs {
    std::vector<std::string> files;
    std::vector<std::string> sets;
  };
  auto args = std::make_shared<ValidateArgs>();
  command.add_option("files", args->files, "profile files (- reads standard input)")->required();
  command.add_option("--set", args->sets, "give a value to a var the profile requires: NAME=VALUE");
  return [args] { return validateCommand(args->files, loadOptions(args->sets)); };
}

int validateCommand(const std::vector<std::string>& files, const LoadOptions& base) {
  int code = kExitReady;
  for (const auto& file : files) {
    try {
      LoadOptions options = base;
      options.on_unset_env = [](const SourcePos& pos, const std::string& name) {
        std::cerr << safeText(
            fmt::format("bbcheck: {}:{}:{}: warning: environment variable {} is not set here "
                        "(an error if it is unset when the profile runs)\n",
                        pos.file, pos.line, pos.column, name));
      };
      Profile profile = loadProfiles({file}, options);
      std::cout << fmt::format("{}: ok, profile {} with {} checks\n",
                               file == "-" ? kStdinProfile : file, profile.name,
                               profile.checks.size());
    } catch (const ProfileError& e) {
      std::cerr << "bbcheck: " << safeText(e.what()) << "\n";
      code = kExitUsage;
    }
  }
  return code;
}

}  // namespace bbcheck
