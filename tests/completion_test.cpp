// Help, the man page and the completion scripts (contrib/) list exactly what
// bbcheck accepts: the commands of checker/cli/command_table.cpp, each
// command's options as its command_<name>.cpp declares them, and the report
// formats of checker/report/report_formats.cpp. The completion scripts are
// written by hand for each shell (what completes after which option is shell
// code, and generating them by running the built binary would not work in a
// cross build); this test holds their lists equal to the tables. What
// depends on the profile (check ids, vars) the scripts ask of bbcheck itself
// when completing. tests/e2e/completion_tmux.sh types TAB in real shells.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "checker/cli/cli.h"
#include "checker/cli/command_fleet.h"
#include "checker/cli/command_table.h"
#include "checker/cli/exit_codes.h"
#include "checker/cli/shared_options.h"
#include "checker/profile/profile_loader.h"
#include "checker/report/report_formats.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::CommandResult;
using testing::sourceDir;
using Words = std::set<std::string>;

Words words(const std::vector<std::string>& list) {
  return Words(list.begin(), list.end());
}

Words commandNames() {
  Words names;
  for (const Command& command : commandTable()) names.emplace(command.name);
  return names;
}

// The option names a parser accepts, short and long ("-p", "--profile").
Words optionNames(const CLI::App& command) {
  Words names;
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& name : option->get_snames()) names.insert("-" + name);
    for (const std::string& name : option->get_lnames()) names.insert("--" + name);
  }
  return names;
}

// The formats each command's --format takes.
std::map<std::string, Words> formatsOfCommands() {
  return {{"run", words(reportFormatNames(ReportUse::Stdout))},
          {"show", words(reportFormatNames(ReportUse::Show))},
          {"fleet", words(kFleetFormats)}};
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trimmed(const std::string& text) {
  size_t start = text.find_first_not_of(" \t");
  if (start == std::string::npos) return "";
  return text.substr(start, text.find_last_not_of(" \t") - start + 1);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(CommandTable, NamesAreUniqueAndTheDefaultIsOne) {
  EXPECT_EQ(commandNames().size(), commandTable().size());
  EXPECT_TRUE(isCommandName(kDefaultCommand));
  EXPECT_FALSE(isCommandName("--help"));
}

TEST(CommandTable, HelpListsEveryCommandWithItsSummary) {
  CommandLine cli;
  std::string help = cli.app().help();
  for (const Command& command : commandTable()) {
    CLI::App* sub = cli.app().get_subcommand(std::string(command.name));
    EXPECT_EQ(sub->get_description(), command.summary);
    EXPECT_NE(help.find(std::string(command.summary)), std::string::npos) << command.name;
  }
}

// What bash's _bbcheck offers when the last of `typed` is being completed,
// with the built bbcheck first on PATH (the script asks it for check ids
// and vars).
Words bashOffers(const std::vector<std::string>& typed) {
  std::string wordsArray;
  for (const std::string& word : typed) wordsArray += " '" + word + "'";
  std::string binary = testing::bbcheckBinary();
  std::string script = "PATH='" + binary.substr(0, binary.rfind('/')) +
                       "':$PATH\n"
                       "source '" +
                       sourceDir() +
                       "/contrib/completion/bbcheck.bash.in'\n"
                       "COMP_WORDS=(" +
                       wordsArray + ")\nCOMP_CWORD=" + std::to_string(typed.size() - 1) +
                       "\n_bbcheck\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
  CommandResult r = testing::runCommand("bash", {"-c", script});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Words offered;
  for (const std::string& line : lines(r.out))
    if (!line.empty()) offered.insert(line);
  return offered;
}

Words unionOf(Words a, const Words& b) {
  a.insert(b.begin(), b.end());
  return a;
}

TEST(CommandTable, BashCompletesEveryCommandAndItsOptions) {
  CommandLine cli;
  EXPECT_EQ(bashOffers({"bbcheck", ""}), commandNames());
  // Bare `bbcheck` runs `run`: run's options complete there too.
  const CLI::App* run = cli.app().get_subcommand(std::string(kDefaultCommand));
  EXPECT_EQ(bashOffers({"bbcheck", "-"}), unionOf(optionNames(cli.app()), optionNames(*run)));
  EXPECT_EQ(bashOffers({"bbcheck", "--format", "json", "-"}), optionNames(*run));
  EXPECT_EQ(bashOffers({"bbcheck", "help", ""}), commandNames());
  for (const Command& command : commandTable()) {
    const CLI::App* sub = cli.app().get_subcommand(std::string(command.name));
    EXPECT_EQ(bashOffers({"bbcheck", std::string(command.name), "-"}), optionNames(*sub))
        << "bash completion of bbcheck " << command.name << " -";
  }
}

TEST(CommandTable, BashCompletesTheFormats) {
  CommandLine cli;
  for (const Command& command : commandTable()) {
    std::string name(command.name);
    const CLI::App* sub = cli.app().get_subcommand(name);
    if (!optionNames(*sub).count("--format")) continue;
    auto formats = formatsOfCommands();
    ASSERT_TRUE(formats.count(name)) << name << " takes --format: name its formats above";
    EXPECT_EQ(bashOffers({"bbcheck", name, "--format", ""}), formats[name]) << name;
  }
  Words reportSpecs;
  for (const std::string& name : reportFormatNames(ReportUse::File)) reportSpecs.insert(name + ":");
  EXPECT_EQ(bashOffers({"bbcheck", "run", "--report", ""}), reportSpecs);
  EXPECT_EQ(bashOffers({"bbcheck", "request", "--report", ""}), reportSpecs);
}

// NAME= for each var of the profile `refs` load, as --set takes it.
Words varsOf(const std::vector<std::string>& refs) {
  Words out;
  for (const auto& [name, value] : loadProfiles(refs).vars) out.insert(name + "=");
  return out;
}

TEST(CommandTable, BashCompletesTheProfilesVarsAfterSet) {
  Words vars = varsOf({});
  ASSERT_TRUE(vars.count("allow_root=")) << "the default profile's vars";
  EXPECT_EQ(bashOffers({"bbcheck", "--set", ""}), vars);
  EXPECT_EQ(bashOffers({"bbcheck", "run", "--set", ""}), vars);
  EXPECT_EQ(bashOffers({"bbcheck", "list", "--set", "allow_"}), Words{"allow_root="});
  // The vars of the profile given with -p, not the default's.
  Words workerVars = varsOf({"buildbot-worker"});
  EXPECT_EQ(bashOffers({"bbcheck", "-p", "buildbot-worker", "--set", ""}), workerVars);
}

// contrib/completion/_bbcheck.in, read as its header comment describes: the
// commands array and each NAME_options array (one spec a line, or $ARRAYs).
class ZshScript {
 public:
  explicit ZshScript(const std::string& text) : text_(text) {
    std::string array;
    for (const std::string& raw : lines(text)) {
      std::string line = trimmed(raw);
      if (array.empty()) {
        if (line.size() > 2 && line.compare(line.size() - 2, 2, "=(") == 0) {
          array = line.substr(0, line.size() - 2);
          arrays_[array];
        }
      } else if (line == ")") {
        array.clear();
      } else {
        arrays_[array].push_back(line);
      }
    }
  }

  // "name:summary" for each command, in order.
  std::vector<std::string> commands() const {
    std::vector<std::string> out;
    for (const std::string& item : items("commands")) {
      bool quoted = item.size() >= 2 && item.front() == '"' && item.back() == '"';
      out.push_back(quoted ? item.substr(1, item.size() - 2) : item);
    }
    return out;
  }

  bool has(const std::string& array) const { return arrays_.count(array) > 0; }
  const std::string& text() const { return text_; }

  // The option names of an array's specs, its included arrays' too.
  Words optionNames(const std::string& array) const {
    Words names;
    for (const std::string& spec : specs(array))
      for (const std::string& name : namesOf(spec)) names.insert(name);
    return names;
  }

  // The values a spec of `option` in `array` completes: "(a b c)".
  Words choicesOf(const std::string& array, const std::string& option) const {
    for (const std::string& spec : specs(array)) {
      Words names = namesOf(spec);
      if (!names.count(option)) continue;
      std::string text = unquoted(spec);
      size_t open = text.rfind('('), close = text.rfind(')');
      if (open == std::string::npos || close < open || open < text.find(']')) return {};
      std::istringstream values(text.substr(open + 1, close - open - 1));
      Words choices;
      for (std::string v; values >> v;) choices.insert(v);
      return choices;
    }
    return {};
  }

  // Whether the case branch of `command` hands its words to `array`.
  bool branchUses(const std::string& command, const std::string& array) const {
    for (const std::string& raw : lines(text_)) {
      std::string line = trimmed(raw);
      if (line.rfind(command + ")", 0) == 0)
        return line.find("$" + array + " ") != std::string::npos;
    }
    return false;
  }

 private:
  std::vector<std::string> items(const std::string& array) const {
    auto found = arrays_.find(array);
    return found == arrays_.end() ? std::vector<std::string>{} : found->second;
  }

  // Every spec of `array`, with included arrays expanded.
  std::vector<std::string> specs(const std::string& array) const {
    std::vector<std::string> out;
    for (const std::string& item : items(array)) {
      if (item[0] != '$') {
        out.push_back(item);
        continue;
      }
      std::istringstream refs(item);
      for (std::string ref; refs >> ref;) {
        EXPECT_TRUE(has(ref.substr(1))) << array << " includes " << ref << ", not defined";
        for (const std::string& spec : specs(ref.substr(1))) out.push_back(spec);
      }
    }
    return out;
  }

  static std::string unquoted(const std::string& item) {
    std::string out;
    for (char c : item)
      if (c != '\'' && c != '"') out += c;
    return out;
  }

  // '(-q --quiet)'{-q,--quiet}'[...]' -> -q --quiet; '*--set[...]:...' -> --set.
  static Words namesOf(const std::string& spec) {
    std::string text = unquoted(spec);
    if (!text.empty() && text[0] == '(') text = text.substr(text.find(')') + 1);
    if (!text.empty() && text[0] == '*') text = text.substr(1);
    Words names;
    if (!text.empty() && text[0] == '{') {
      std::istringstream list(text.substr(1, text.find('}') - 1));
      for (std::string name; std::getline(list, name, ',');) names.insert(name);
    } else if (!text.empty() && text[0] == '-') {
      names.insert(text.substr(0, text.find_first_of("[:=+")));
    }
    return names;
  }

  std::string text_;
  std::map<std::string, std::vector<std::string>> arrays_;
};

std::string arrayOf(const std::string& command) {
  std::string name = command;
  for (char& c : name)
    if (c == '-') c = '_';
  return name + "_options";
}

TEST(CommandTable, ZshCompletesEveryCommandItsOptionsAndFormats) {
  ZshScript zsh(slurp(sourceDir() + "/contrib/completion/_bbcheck.in"));
  std::vector<std::string> expected;
  for (const Command& command : commandTable())
    expected.push_back(std::string(command.name) + ":" + std::string(command.summary));
  EXPECT_EQ(zsh.commands(), expected);

  CommandLine cli;
  EXPECT_EQ(zsh.optionNames("top_options"), optionNames(cli.app()));
  // Bare `bbcheck -...` completes run's options and the version flag.
  EXPECT_NE(zsh.text().find("_arguments -s $version_flag $run_options"), std::string::npos);
  EXPECT_EQ(zsh.optionNames("version_flag"), (Words{"-V", "--version"}));
  auto formats = formatsOfCommands();
  for (const Command& command : commandTable()) {
    std::string name(command.name), array = arrayOf(name);
    const CLI::App* sub = cli.app().get_subcommand(name);
    ASSERT_TRUE(zsh.has(array)) << "_bbcheck.in has no " << array;
    EXPECT_EQ(zsh.optionNames(array), optionNames(*sub)) << array;
    EXPECT_TRUE(zsh.branchUses(name, array))
        << "the case branch " << name << ") uses no $" << array;
    if (optionNames(*sub).count("--format")) {
      EXPECT_EQ(zsh.choicesOf(array, "--format"), formats[name]) << name << " --format";
    }
  }
}

TEST(CommandTable, ManPageListsEveryCommandOptionAndFormat) {
  // What help2man reads to write the man page (cmake/install.cmake).
  CommandResult man = testing::runCommand(
      "sh", {sourceDir() + "/contrib/man/help-for-man.sh", testing::bbcheckBinary(), "--help"});
  ASSERT_EQ(man.exit_code, 0) << man.err;
  CommandLine cli;
  for (const Command& command : commandTable()) {
    std::string name(command.name);
    EXPECT_NE(man.out.find("  " + name + " "), std::string::npos) << name;
    EXPECT_NE(man.out.find(std::string(command.summary)), std::string::npos) << name;
    Words options = optionNames(*cli.app().get_subcommand(name));
    options.erase("-h");
    options.erase("--help");
    if (options.empty()) continue;
    size_t section = man.out.find("Options of bbcheck " + name + ":");
    ASSERT_NE(section, std::string::npos) << name;
    size_t end = man.out.find("Options of bbcheck ", section + 1);
    std::string text = man.out.substr(section, end == std::string::npos ? end : end - section);
    for (const std::string& option : options)
      EXPECT_NE(text.find(option), std::string::npos) << name << " " << option;
  }
  // The formats, as run's and show's --format list them.
  EXPECT_NE(man.out.find("report on stdout: " + formatChoices(ReportUse::Stdout)),
            std::string::npos);
  EXPECT_NE(man.out.find(formatChoices(ReportUse::Show) + " (default text)"), std::string::npos);
}

TEST(CommandTable, ManPageExitStatusIsTheExitCodes) {
  std::string h2m = slurp(sourceDir() + "/contrib/man/bbcheck.h2m");
  size_t section = h2m.find("[EXIT STATUS]");
  ASSERT_NE(section, std::string::npos);
  std::string text = h2m.substr(section, h2m.find("\n[", section + 1) - section);
  for (int code : {kExitReady, kExitNotReady, kExitUsage, interruptedExitCode(SIGINT)})
    EXPECT_NE(text.find("\n.B " + std::to_string(code) + "\n"), std::string::npos) << code;
}

}  // namespace
}  // namespace bbcheck
