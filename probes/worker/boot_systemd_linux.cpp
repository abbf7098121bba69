// systemd units that run buildbot-worker at boot, read from disk with their
// templates, drop-ins and %-specifiers (as `systemctl cat` would show them).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "probes/process.h"
#include "probes/worker/boot_helpers.h"
#include "probes/worker/boot_systemd.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace {

using boot_detail::homeOf;
using boot_detail::readText;

const char* const kUnitDirs[] = {"/etc/systemd/system", "/run/systemd/system",
                                 "/lib/systemd/system", "/usr/lib/systemd/system"};

struct UnitSettings {
  bool found = false;
  std::vector<std::string> exec_start;
  std::string working_directory;
  std::string user;
};

}  // namespace

std::string boot_detail::unescapeUnitInstance(const std::string& instance) {
  std::string out;
  for (size_t i = 0; i < instance.size(); ++i) {
    bool hex = instance.compare(i, 2, "\\x") == 0 && i + 3 < instance.size() &&
               std::isxdigit(static_cast<unsigned char>(instance[i + 2])) &&
               std::isxdigit(static_cast<unsigned char>(instance[i + 3]));
    if (instance[i] == '-') {
      out += '/';
    } else if (hex) {
      out += static_cast<char>(std::stoi(instance.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else {
      out += instance[i];
    }
  }
  return out;
}

namespace {

// %i: the instance; %I: unescaped ('-' is '/', \xNN a byte); %h: the home.
std::string specifiers(const std::string& s, const std::string& instance, const std::string& home) {
  std::string unescaped = boot_detail::unescapeUnitInstance(instance);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char spec = s[++i];
    if (spec == 'i')
      out += instance;
    else if (spec == 'I')
      out += unescaped;
    else if (spec == 'h')
      out += home;
    else if (spec == '%')
      out += '%';
    else
      out += std::string("%") + spec;
  }
  return out;
}

void readUnitFile(const std::string& path, UnitSettings& u) {
  std::istringstream lines(readText(path));
  std::string line, section;
  while (std::getline(lines, line)) {
    line = trimmed(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      section = line;
      continue;
    }
    if (section != "[Service]") continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = trimmed(line.substr(0, eq)), value = trimmed(line.substr(eq + 1));
    if (key == "ExecStart") {
      if (value.empty())
        u.exec_start.clear();  // a drop-in resets the list
      else
        u.exec_start.push_back(value);
    } else if (key == "WorkingDirectory") {
      u.working_directory = value;
    } else if (key == "User") {
      u.user = value;
    }
  }
}

// The unit file (or its template's) and drop-ins, in systemd's precedence.
UnitSettings loadUnit(const std::string& root, const std::string& name) {
  UnitSettings u;
  std::vector<std::string> names{name};
  size_t at = name.find('@');
  if (at != std::string::npos) names.push_back(name.substr(0, at + 1) + ".service");
  for (const std::string& n : names) {
    for (const char* dir : kUnitDirs) {
      std::string path = root + dir + "/" + n;
      if (!u.found && fs::is_regular_file(path)) {
        readUnitFile(path, u);
        u.found = true;
      }
    }
  }
  // Drop-ins apply sorted by file name; the same name in a directory of
  // higher precedence replaces a lower one.
  std::map<std::string, std::string> byName;
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    for (auto d = std::rbegin(kUnitDirs); d != std::rend(kUnitDirs); ++d) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(root + *d + "/" + *it + ".d", ec)) {
        if (e.path().extension() == ".conf") byName[e.path().filename()] = e.path();
      }
    }
  }
  for (const auto& [file, path] : byName) readUnitFile(path, u);
  return u;
}

std::vector<BootEntry> unitEntries(const std::string& root, const std::string& unit,
                                   const BootUser& user, const std::string& source) {
  std::vector<BootEntry> entries;
  UnitSettings u = loadUnit(root, unit);
  if (!u.found) return entries;
  size_t at = unit.find('@');
  std::string instance =
      at == std::string::npos ? "" : unit.substr(at + 1, unit.rfind(".service") - at - 1);
  BootUser runAs = user;
  if (!u.user.empty()) runAs = {u.user, homeOf(u.user)};
  std::string cwd =
      u.working_directory.empty() ? "/" : specifiers(u.working_directory, instance, runAs.home);
  if (!cwd.empty() && cwd[0] == '-') cwd.erase(0, 1);  // "-": ignore when missing
  if (cwd == "~") cwd = runAs.home;
  for (const std::string& exec : u.exec_start) {
    std::string command = specifiers(exec, instance, runAs.home);
    command.erase(0, command.find_first_not_of("-@:+!"));
    std::string dir = cwd;
    for (const WorkerInvocation& inv : workerInvocations(command, runAs, dir)) {
      std::string runUser = u.user.empty() ? "root" : u.user;
      entries.push_back(
          {source, inv.action, inv.path, inv.program, kSystemdExecPath, runUser, cwd});
    }
  }
  return entries;
}

}  // namespace

std::vector<BootEntry> systemdBootEntries(const std::string& root, const BootUser& user) {
  std::vector<BootEntry> entries;
  std::set<std::string> seen;
  std::error_code ec;
  std::vector<fs::path> wants;
  for (const auto& e : fs::directory_iterator(root + "/etc/systemd/system", ec)) {
    std::string ext = e.path().extension();
    if ((ext == ".wants" || ext == ".requires") && e.is_directory()) wants.push_back(e.path());
  }
  std::sort(wants.begin(), wants.end());
  for (const fs::path& dir : wants) {
    std::vector<std::string> units;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      std::string name = e.path().filename();
      if (e.path().extension() == ".service" && seen.insert(name).second) units.push_back(name);
    }
    std::sort(units.begin(), units.end());
    for (const std::string& unit : units) {
      std::string source =
          fmt::format("systemd unit {} (enabled in {})", unit, dir.filename().string());
      auto found = unitEntries(root, unit, user, source);
      entries.insert(entries.end(), found.begin(), found.end());
    }
  }
  return entries;
}

namespace boot_detail {

void readSystemd(const std::string& area, const BootUser& user, Clock::time_point deadline,
                 Sources& s) {
  auto found = systemdBootEntries("", user);
  s.entries.insert(s.entries.end(), found.begin(), found.end());
  s.read.push_back("/etc/systemd/system/*.wants");
  // Only a running systemd answers for units enabled elsewhere (presets,
  // runtime); Debian's template serves /var/lib/buildbot/workers/NAME.
  if (!fs::is_directory("/run/systemd/system") || findOnPath("systemctl").empty()) return;
  std::string unit = "buildbot-worker@" + baseName(area) + ".service";
  ProcessResult r = runProcess("systemctl", {"is-enabled", unit}, deadline);
  std::string state = trimmed(r.out);
  s.read.push_back("systemctl is-enabled " + unit + ": " + (state.empty() ? "?" : state));
  if (r.exit_code != 0 || state.rfind("enabled", 0) != 0) return;
  auto more = unitEntries("", unit, user, "systemd unit " + unit + " (systemctl: " + state + ")");
  s.entries.insert(s.entries.end(), more.begin(), more.end());
}

}  // namespace boot_detail
}  // namespace bbcheck
