#include "probes/worker/boot_runnable.h"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "probes/process.h"
#include "probes/worker/worker_user.h"

namespace bbcheck {
namespace {

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> dirs;
  std::stringstream in(path);
  std::string dir;
  while (std::getline(in, dir, ':')) dirs.push_back(dir.empty() ? "." : dir);
  return dirs;
}

// The interpreter a #! line names (the first word), "" when there is none.
std::string interpreterOf(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::string first;
  if (!in || !std::getline(in, first) || first.rfind("#!", 0) != 0) return "";
  std::istringstream words(first.substr(2));
  std::string interpreter;
  words >> interpreter;
  return interpreter;
}

bool isSystemdEntry(const BootEntry& e) {
  return e.source.rfind("systemd", 0) == 0;
}

}  // namespace

std::string resolveBootProgram(const std::string& program, const std::string& searchPath,
                               const std::string& user, const std::string& cwd, std::string* why) {
  std::optional<Account> who = accountByName(user);
  if (!who) {
    *why = fmt::format("its user {} does not exist", user);
    return "";
  }
  if (program.find('/') != std::string::npos) {
    std::string full = program[0] == '/' ? program : cwd + "/" + program;
    std::string problem = accessProblem(full, *who, X_OK);
    if (!problem.empty()) {
      *why = fmt::format("{} cannot run {}: {}", user, program, problem);
      return "";
    }
    return full;
  }
  for (const std::string& dir : splitPath(searchPath)) {
    std::string candidate = dir + "/" + program;
    if (::access(candidate.c_str(), F_OK) != 0) continue;
    if (accessProblem(candidate, *who, X_OK).empty()) return candidate;
  }
  std::string elsewhere = findOnPath(program);
  *why = fmt::format(
      "`{}` is not on the PATH it gets at boot ({}){}", program, searchPath,
      elsewhere.empty() ? "" : fmt::format(": write the full path {} in the line", elsewhere));
  return "";
}

std::vector<std::string> bootEntryProblems(const BootEntry& e, const std::string& area,
                                           const CronAtBoot& cron) {
  std::vector<std::string> problems;
  if (!e.program.empty()) {
    std::string why;
    std::string full = resolveBootProgram(e.program, e.search_path, e.user, e.cwd, &why);
    if (full.empty()) {
      problems.push_back(why);
    } else if (std::string interp = interpreterOf(full); !interp.empty()) {
      std::optional<Account> who = accountByName(e.user);
      std::string problem = who ? accessProblem(interp, *who, X_OK) : "";
      if (!problem.empty()) {
        problems.push_back(fmt::format("{} starts with #!{}, which {} cannot run: {}", full, interp,
                                       e.user, problem));
      }
    }
  }
  if (isSystemdEntry(e)) {
    std::optional<Account> who = accountByName(e.user);
    std::string problem =
        who ? accessProblem(area, *who, R_OK | W_OK | X_OK) : "user " + e.user + " does not exist";
    if (!problem.empty()) {
      problems.push_back(
          fmt::format("its User= {} cannot read and write the build area: {}", e.user, problem));
    }
  } else if (!cron.will_run) {
    problems.push_back(cron.how);
  }
  return problems;
}

}  // namespace bbcheck
