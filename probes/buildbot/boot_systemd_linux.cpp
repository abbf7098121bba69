// systemd units that run buildbot-worker at boot, read from disk with their
// templates, drop-ins and %-specifiers (as `systemctl cat` would show them).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "probes/buildbot/boot_helpers.h"
#include "probes/buildbot/boot_systemd.h"
#include "probes/process.h"

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

std::string boot_detail::unitSpecifiers(const std::string& s, const std::string& unit,
                                        const std::string& user, const std::string& home) {
  size_t at = unit.find('@');
  std::string instance =
      at == std::string::npos ? "" : unit.substr(at + 1, unit.rfind('.') - at - 1);
  std::string unescaped = unescapeUnitInstance(instance);
  const std::map<char, std::string> values = {{'i', instance}, {'I', unescaped}, {'u', user},
                                              {'h', home},     {'n', unit},      {'%', "%"}};
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    auto v = i + 1 < s.size() && s[i] == '%' ? values.find(s[i + 1]) : values.end();
    if (v == values.end()) {
      out += s[i];
    } else {
      out += v->second;
      ++i;
    }
  }
  return out;
}

namespace {

void readServiceSection(const std::string& path, std::vector<boot_detail::UnitSetting>& settings) {
  std::istringstream lines(readText(path));
  std::string line, section;
  while (std::getline(lines, line)) {
    line = trimmed(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      section = line;
      continue;
    }
    size_t eq = line.find('=');
    if (section == "[Service]" && eq != std::string::npos)
      settings.emplace_back(trimmed(line.substr(0, eq)), trimmed(line.substr(eq + 1)));
  }
}

}  // namespace

bool boot_detail::readServiceSettings(const std::string& root, const std::string& unit,
                                      std::vector<UnitSetting>& settings) {
  std::vector<std::string> names{unit};
  size_t at = unit.find('@');
  if (at != std::string::npos) names.push_back(unit.substr(0, at + 1) + ".service");
  bool found = false;
  for (const std::string& n : names) {
    for (const char* dir : kUnitDirs) {
      std::string path = root + dir + "/" + n;
      if (!found && fs::is_regular_file(path)) {
        readServiceSection(path, settings);
        found = true;
      }
    }
  }
  // Drop-ins apply sorted by file name; the same name in a directory of
  // higher precedence replaces a lower one.
  std::map<std::string, std::string> dropIns;
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    for (auto d = std::rbegin(kUnitDirs); d != std::rend(kUnitDirs); ++d) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(root + *d + "/" + *it + ".d", ec))
        if (e.path().extension() == ".conf") dropIns[e.path().filename()] = e.path();
    }
  }
  for (const auto& [file, path] : dropIns) readServiceSection(path, settings);
  return found;
}

namespace {

// What the boot probe needs of a unit: how it starts, where, as whom.
UnitSettings loadUnit(const std::string& root, const std::string& name) {
  UnitSettings u;
  std::vector<boot_detail::UnitSetting> settings;
  u.found = boot_detail::readServiceSettings(root, name, settings);
  for (const auto& [key, value] : settings) {
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
  return u;
}

std::vector<BootEntry> unitEntries(const std::string& root, const std::string& unit,
                                   const BootUser& user, const std::string& source) {
  std::vector<BootEntry> entries;
  UnitSettings u = loadUnit(root, unit);
  if (!u.found) return entries;
  BootUser runAs = user;
  if (!u.user.empty()) runAs = {u.user, homeOf(u.user)};
  auto expand = [&](const std::string& v) {
    return boot_detail::unitSpecifiers(v, unit, runAs.name, runAs.home);
  };
  std::string cwd = u.working_directory.empty() ? "/" : expand(u.working_directory);
  if (!cwd.empty() && cwd[0] == '-') cwd.erase(0, 1);  // "-": ignore when missing
  if (cwd == "~") cwd = runAs.home;
  for (const std::string& exec : u.exec_start) {
    std::string command = expand(exec);
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
