// The command line behaves as git and kubectl do: a mistyped command or
// option gets a suggestion, --help of bare `bbcheck` shows what run takes,
// --only and --skip take comma lists, `help run` and `run --help` agree,
// and -q with -v is a mistake, said as one.
#include <gtest/gtest.h>

#include "checker/cli/cli.h"
#include "tests/test_support.h"

namespace bbcheck::testing {
namespace {

std::string usageLine(const std::string& help) {
  size_t at = help.find("Usage:");
  return at == std::string::npos ? "" : help.substr(at, help.find('\n', at) - at);
}

TEST(CliConventions, AMistypedCommandOrOptionGetsASuggestion) {
  CommandResult command = runBbcheck({"rnu"});
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_NE(command.err.find("bbcheck: 'rnu' is not a bbcheck command. Did you mean run?"),
            std::string::npos)
      << command.err;
  EXPECT_EQ(command.out, "");
  CommandResult option = runBbcheck({"-p", cpuProfile(), "--formt", "json"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_NE(option.err.find("Did you mean --format?"), std::string::npos) << option.err;
  CommandResult showOption = runBbcheck({"show", "r.json", "--fail-onn", "info"});
  EXPECT_NE(showOption.err.find("Did you mean --fail-on?"), std::string::npos) << showOption.err;
  CommandResult help = runBbcheck({"help", "lsit"});
  EXPECT_EQ(help.exit_code, 2);
  EXPECT_NE(help.err.find("Did you mean list?"), std::string::npos) << help.err;
  // Nothing near: no guess.
  CommandResult far = runBbcheck({"frobnicate"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_NE(far.err.find("'frobnicate' is not a bbcheck command."), std::string::npos) << far.err;
  EXPECT_EQ(far.err.find("Did you mean"), std::string::npos) << far.err;
}

TEST(CliConventions, TopLevelHelpShowsRunsOptions) {
  CommandResult help = runBbcheck({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  size_t heading = help.out.find(kRunOptionsHeading);
  ASSERT_NE(heading, std::string::npos) << help.out;
  for (const char* option : {"--only", "--skip", "--format", "--stage", "--set", "--fail-on"})
    EXPECT_NE(help.out.find(option, heading), std::string::npos) << option << "\n" << help.out;
  EXPECT_NE(help.out.find("validate"), std::string::npos) << help.out;
}

TEST(CliConventions, HelpRunAndRunHelpPrintTheSameUsageLine) {
  for (const char* command : {"run", "show", "list", "request"}) {
    CommandResult viaHelp = runBbcheck({"help", command});
    CommandResult viaFlag = runBbcheck({command, "--help"});
    EXPECT_EQ(viaHelp.exit_code, 0) << command;
    EXPECT_EQ(usageLine(viaHelp.out), usageLine(viaFlag.out)) << command;
    EXPECT_EQ(usageLine(viaFlag.out).rfind(std::string("Usage: bbcheck ") + command, 0), 0u)
        << viaFlag.out;
  }
  CommandResult bare = runBbcheck({"help"});
  EXPECT_EQ(bare.exit_code, 0);
  EXPECT_EQ(usageLine(bare.out), usageLine(runBbcheck({"--help"}).out)) << bare.out;
}

TEST(CliConventions, QuietWithVerboseIsAMistake) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{"run"}, {"show", "r.json"}, {"request"}}) {
    std::string command = args[0];
    args.insert(args.end(), {"-q", "-v"});
    CommandResult r = runBbcheck(args);
    EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find("excludes"), std::string::npos) << command << "\n" << r.err;
    EXPECT_EQ(r.out, "");
  }
}

TEST(CliConventions, OnlyAndSkipTakeCommaListsAsWellAsRepeatedFlags) {
  CommandResult commas =
      runBbcheck({"-p", cpuProfile(), "--only", "resources.cpus,other.cpus", "--format", "tap"});
  CommandResult repeated = runBbcheck(
      {"-p", cpuProfile(), "--only", "resources.cpus", "--only", "other.cpus", "--format", "tap"});
  EXPECT_EQ(commas.exit_code, 0) << commas.err;
  EXPECT_EQ(commas.out.rfind("TAP version 13\n1..2\n", 0), 0u) << commas.out;
  EXPECT_EQ(repeated.out.rfind("TAP version 13\n1..2\n", 0), 0u) << repeated.out;
  CommandResult skip = runBbcheck(
      {"-p", cpuProfile(), "--skip", "resources.cpus-recommended,other.cpus", "--format", "tap"});
  EXPECT_EQ(skip.out.rfind("TAP version 13\n1..1\nok 1 - resources.cpus", 0), 0u) << skip.out;
  // Each item is a selector of its own: one that matches nothing is named.
  CommandResult bad = runBbcheck({"-p", cpuProfile(), "--only", "resources.cpus,nosuch"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--only nosuch: matches no check"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace bbcheck::testing
