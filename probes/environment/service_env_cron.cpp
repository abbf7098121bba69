// Cron's side of the service environment: the @reboot line that starts the
// build area, the variables cron gives it (Debian's cron: its defaults and
// the crontab's NAME=value lines above the line), and what the job inherits
// from the cron daemon (its limits and umask). What cron's PAM session adds
// (pam_env's variables, pam_limits' limits, a refusal) is not read here: the
// session is opened for real (service_env_session.h).
#include "probes/environment/service_env_cron.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "probes/buildbot/boot_entries.h"
#include "probes/buildbot/boot_helpers.h"
#include "probes/environment/service_env.h"
#include "probes/process.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace {

using boot_detail::readText;

std::string unquote(std::string value) {
  if (value.size() >= 2 && (value[0] == '"' || value[0] == '\'') && value.back() == value[0])
    return value.substr(1, value.size() - 2);
  return value;
}

bool sameArea(const std::string& a, const std::string& b) {
  if (normalisePath(a) == normalisePath(b)) return true;
  std::error_code ec;
  return fs::equivalent(a, b, ec) && !ec;
}

// A crontab line that sets a variable: NAME = VALUE (cron's env_set rule:
// anything that is not a job line and has a '=').
bool variableLine(const std::string& line, std::string& name, std::string& value) {
  char first = line[0];
  if (first == '@' || first == '*' || (first >= '0' && first <= '9')) return false;
  size_t eq = line.find('=');
  if (eq == std::string::npos) return false;
  name = trimmed(line.substr(0, eq));
  if (name.empty() || name.find_first_of(" \t") != std::string::npos) return false;
  value = unquote(trimmed(line.substr(eq + 1)));
  return true;
}

// The cron daemon's pid (Debian's /run/crond.pid), or 0.
pid_t cronDaemon() {
  std::ifstream in("/run/crond.pid");
  long pid = 0;
  if (!(in >> pid) || pid <= 0 || !fs::exists(fmt::format("/proc/{}", pid))) return 0;
  return static_cast<pid_t>(pid);
}

uint64_t limitValue(const std::string& text) {
  if (text == "unlimited" || text == "infinity" || text == "-1") return RLIM_INFINITY;
  try {
    return std::stoull(text);
  } catch (const std::exception&) {
    return RLIM_INFINITY;
  }
}

// /proc/PID/limits: "Max open files            1024      524288    files".
void daemonLimits(pid_t pid, std::vector<ServiceLimit>& limits) {
  static const std::map<std::string, std::string> kNames = {
      {"Max open files", "NOFILE"}, {"Max processes", "NPROC"},  {"Max core file size", "CORE"},
      {"Max stack size", "STACK"},  {"Max address space", "AS"}, {"Max locked memory", "MEMLOCK"},
      {"Max file size", "FSIZE"},   {"Max data size", "DATA"}};
  std::ifstream in(fmt::format("/proc/{}/limits", pid));
  std::string line;
  while (std::getline(in, line)) {
    for (const auto& [label, name] : kNames) {
      if (line.rfind(label + " ", 0) != 0) continue;
      std::istringstream words(line.substr(label.size()));
      std::string soft, hard;
      words >> soft >> hard;
      limits.push_back({service_env_detail::resourceNamed(name), name, limitValue(soft),
                        limitValue(hard), fmt::format("the cron daemon's (pid {})", pid)});
    }
  }
}

}  // namespace

namespace service_env_detail {

std::map<std::string, std::string> readEnvironmentFile(const std::string& path) {
  std::map<std::string, std::string> env;
  std::istringstream lines(readText(path));
  std::string line;
  while (std::getline(lines, line)) {
    line = trimmed(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.rfind("export ", 0) == 0) line = trimmed(line.substr(7));
    size_t eq = line.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    env[trimmed(line.substr(0, eq))] = unquote(trimmed(line.substr(eq + 1)));
  }
  return env;
}

bool cronEnvironmentFor(const std::string& text, bool systemFormat, const std::string& area,
                        const std::string& user, const std::string& home, const std::string& source,
                        ServiceEnvironment& env) {
  std::map<std::string, std::string> vars;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    line = trimmed(line);
    if (line.empty() || line[0] == '#') continue;
    std::string name, value;
    if (variableLine(line, name, value)) {
      vars[name] = value;
      continue;
    }
    if (line.rfind("@reboot", 0) != 0) continue;
    BootUser as{user, vars.count("HOME") ? vars["HOME"] : home};
    for (const BootEntry& e : cronBootEntries(line, systemFormat, as, source)) {
      if ((e.action != "restart" && e.action != "start") || !sameArea(e.path, area)) continue;
      // Debian's cron: SHELL, HOME and PATH unless the crontab set them;
      // LOGNAME and USER always the crontab's user.
      vars.emplace("SHELL", "/bin/sh");
      vars.emplace("HOME", home);
      vars.emplace("PATH", "/usr/bin:/bin");
      vars["LOGNAME"] = user;
      vars["USER"] = user;
      env.known = true;
      env.manager = "cron";
      env.source = systemFormat ? fmt::format("{}:{}", source, number) : source;
      env.env = vars;
      return true;
    }
  }
  return false;
}

}  // namespace service_env_detail

namespace service_env_cron {

bool findEntry(const std::string& area, const std::string& user, const std::string& home, bool self,
               Clock::time_point deadline, ServiceEnvironment& env) {
  std::vector<std::string> args{"-l"};
  if (!self) args = {"-l", "-u", user};
  ProcessResult r = runProcess("crontab", args, deadline);
  if (r.started && r.exit_code == 0 &&
      service_env_detail::cronEnvironmentFor(r.out, false, area, user, home, "crontab of " + user,
                                             env))
    return true;
  if (r.started && r.exit_code != 0 && r.err.find("no crontab for") == std::string::npos)
    env.notes.push_back(
        fmt::format("`crontab {}` failed: {}", fmt::join(args, " "), trimmed(r.err)));
  std::vector<std::string> files{"/etc/crontab"};
  std::error_code ec;
  std::vector<std::string> dropIns;
  for (const auto& e : fs::directory_iterator("/etc/cron.d", ec)) {
    // cron reads only names of letters, digits, '_' and '-' (run-parts' rule).
    std::string name = e.path().filename();
    if (std::all_of(name.begin(), name.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
        }))
      dropIns.push_back(e.path());
  }
  std::sort(dropIns.begin(), dropIns.end());
  files.insert(files.end(), dropIns.begin(), dropIns.end());
  for (const std::string& file : files) {
    if (service_env_detail::cronEnvironmentFor(readText(file), true, area, user, home, file, env))
      return true;
  }
  return false;
}

void addSessionSettings(ServiceEnvironment& env) {
  env.pam_service = "cron";
  env.working_directory = env.env["HOME"];
  if (pid_t pid = cronDaemon()) {
    daemonLimits(pid, env.limits);
    std::ifstream status(fmt::format("/proc/{}/status", pid));
    std::string line;
    while (std::getline(status, line))
      if (line.rfind("Umask:", 0) == 0) env.umask = std::stoi(trimmed(line.substr(6)), nullptr, 8);
  } else {
    env.notes.push_back(
        "the cron daemon is not running (no /run/crond.pid): its limits and umask are assumed "
        "to be bbcheck's own");
  }
}

}  // namespace service_env_cron
}  // namespace bbcheck
