// The commands that describe profiles and probes without running a check:
// list, validate, probes and help.
#include <fmt/format.h>

#include <iostream>

#include "checker/cli/commands.h"
#include "checker/profile/profile_error.h"
#include "checker/profile/profile_reader.h"
#include "checker/report/safe_text.h"
#include "checker/run/service_rerun.h"
#include "probes/builtin/builtin_probes.h"

namespace bbcheck {
namespace {

// The vars a profile takes, with their values: what --set can change.
std::string varsText(const Profile& profile) {
  std::string text = fmt::format("vars of {} (--set NAME=VALUE):\n", profile.name);
  for (const auto& [name, value] : profile.vars)
    text += fmt::format("  {} = {}\n", name, value.empty() ? "\"\"" : safeLine(value));
  return text;
}

}  // namespace

// --help of run and list ends with the default profile's vars.
std::string varsFooter() {
  try {
    return "\n" + varsText(loadProfiles({}, {}));
  } catch (const std::exception&) {
    return "";
  }
}

int helpCommand(CLI::App& app, const std::string& topic) {
  if (topic.empty()) {
    std::cout << app.help();
    return 0;
  }
  for (CLI::App* command : app.get_subcommands({})) {
    if (command->get_name() == topic) {
      std::cout << command->help();
      return 0;
    }
  }
  std::cerr << fmt::format("bbcheck: help: no command '{}'. Try 'bbcheck --help'.\n",
                           safeLine(topic));
  return 2;
}

int listCommand(const std::vector<std::string>& profiles, const std::vector<std::string>& sets,
                const LoadOptions& options, bool verbose) {
  Profile profile = loadProfiles(profiles, options);
  addServiceReruns(profile, {profiles, sets, "", 1});
  size_t idWidth = 2, probeWidth = 5;
  for (const auto& c : profile.checks) {
    idWidth = std::max(idWidth, c.id.size());
    probeWidth = std::max(probeWidth, c.probe.size());
  }
  std::cout << fmt::format("profile {} ({} checks): {}\n\n", profile.name, profile.checks.size(),
                           safeLine(profile.description));
  if (verbose) std::cout << varsText(profile) << "\n";
  std::cout << fmt::format("{:<{}}  {:<11}  {:<{}}  {}\n", "ID", idWidth, "SEVERITY", "PROBE",
                           probeWidth, "TITLE [TAGS]");
  for (const auto& c : profile.checks) {
    std::string tags;
    for (const auto& t : c.tags) tags += (tags.empty() ? "" : ",") + t;
    std::cout << fmt::format("{:<{}}  {:<11}  {:<{}}  {}{}\n", c.id, idWidth,
                             severityName(c.severity), c.probe, probeWidth, safeLine(c.title),
                             tags.empty() ? "" : " [" + tags + "]");
    if (verbose) {
      if (!c.why.empty()) std::cout << fmt::format("    why: {}\n", safeLine(c.why));
      if (!c.fix.empty()) std::cout << fmt::format("    fix: {}\n", safeLine(c.fix));
      if (!c.needs.empty()) {
        std::string needs;
        for (const auto& n : c.needs) needs += (needs.empty() ? "" : ", ") + n;
        std::cout << fmt::format("    needs: {}\n", needs);
      }
    }
  }
  return 0;
}

int validateCommand(const std::vector<std::string>& files, const LoadOptions& base) {
  int code = 0;
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
      code = 2;
    }
  }
  return code;
}

namespace {

const char* typeName(ParamType type) {
  switch (type) {
    case ParamType::String:
      return "string";
    case ParamType::Path:
      return "path";
    case ParamType::Regex:
      return "regex";
    case ParamType::Int:
      return "integer";
    case ParamType::Bool:
      return "bool";
    case ParamType::Size:
      return "size";
    case ParamType::Duration:
      return "duration";
    case ParamType::StringList:
      return "list of strings";
    case ParamType::IntList:
      return "list of integers";
  }
  return "string";
}

}  // namespace

int probesCommand() {
  for (const ProbeKind& kind : builtinRegistry().all()) {
    std::cout << fmt::format("{}\n    {}\n", kind.name, kind.summary);
    for (const auto& p : kind.params) {
      std::string note = p.required                ? "required"
                         : p.default_value.empty() ? "optional"
                                                   : "default " + p.default_value;
      std::string choices;
      for (const auto& c : p.choices) choices += (choices.empty() ? " (" : "|") + c;
      if (!choices.empty()) choices += ")";
      std::cout << fmt::format("    {:<16} {}{}, {}: {}\n", p.name, typeName(p.type), choices, note,
                               p.help);
    }
    std::cout << fmt::format("    {:<16} duration, default from the profile: the check's timeout\n",
                             "timeout");
  }
  return 0;
}

}  // namespace bbcheck
