// bbcheck list (see command_list.h), and the vars footer of run's and list's
// --help.
#include "checker/cli/command_list.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "checker/cli/exit_codes.h"
#include "checker/cli/shared_options.h"
#include "checker/report/safe_text.h"
#include "checker/run/service_rerun.h"

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

CommandRunner defineListCommand(CLI::App& command) {
  struct ListArgs {
    std::vector<std::string> profiles;
    std::vector<std::string> sets;
    bool verbose = false;
  };
  auto args = std::make_shared<ListArgs>();
  addProfileOptions(command, args->profiles, args->sets);
  command.add_flag("-v,--verbose", args->verbose, "also print why, fix and needs");
  command.footer(varsFooter);
  return [args] {
    return listCommand(args->profiles, args->sets, loadOptions(args->sets), args->verbose);
  };
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
  return kExitReady;
}

}  // namespace bbcheck
