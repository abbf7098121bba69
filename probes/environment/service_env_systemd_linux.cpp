// systemd's side of the service environment: the enabled unit that runs
// buildbot-worker for the build area (found by the boot probe's reader) and
// the [Service] settings that shape its process — User=, Group=,
// SupplementaryGroups=, Environment=, EnvironmentFile=, WorkingDirectory=,
// Limit*=, UMask=, PAMName= (whose session is then opened for real) — from
// the unit file, its template and drop-ins, as systemd applies them.
#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "probes/buildbot/boot_entries.h"
#include "probes/buildbot/boot_helpers.h"
#include "probes/buildbot/boot_systemd.h"
#include "probes/environment/service_env.h"
#include "probes/environment/service_env_systemd.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace {

using boot_detail::readText;

// What systemd 252 (Debian 12) gives a system service before its settings.
constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

using boot_detail::readServiceSettings;
using boot_detail::UnitSetting;
using boot_detail::unitSpecifiers;

// Environment="A=1 2" B=3: whitespace-separated, each optionally quoted.
std::vector<std::string> assignments(const std::string& value) {
  std::vector<std::string> words;
  std::string word;
  char quote = 0;
  bool inWord = false;
  for (char c : value) {
    if (quote) {
      if (c == quote)
        quote = 0;
      else
        word += c;
    } else if (c == '"' || c == '\'') {
      quote = c;
      inWord = true;
    } else if (c == ' ' || c == '\t') {
      if (inWord) words.push_back(word);
      word.clear();
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push_back(word);
  return words;
}

// "1024", "1024:524288", "infinity".
bool parseLimit(const std::string& value, uint64_t& soft, uint64_t& hard) {
  auto one = [](const std::string& t, uint64_t& out) {
    if (t == "infinity") {
      out = RLIM_INFINITY;
      return true;
    }
    try {
      size_t used = 0;
      out = std::stoull(t, &used);
      return used == t.size();
    } catch (const std::exception&) {
      return false;
    }
  };
  size_t colon = value.find(':');
  if (colon == std::string::npos) return one(value, soft) && one(value, hard);
  return one(value.substr(0, colon), soft) && one(value.substr(colon + 1), hard);
}

void setLimit(ServiceEnvironment& env, const std::string& name, const std::string& value,
              const std::string& origin) {
  uint64_t soft = 0, hard = 0;
  int resource = service_env_detail::resourceNamed(name);
  if (resource < 0 || !parseLimit(value, soft, hard)) {
    env.notes.push_back(fmt::format("{}: Limit{}={} not understood; ignored", origin, name, value));
    return;
  }
  env.limits.erase(std::remove_if(env.limits.begin(), env.limits.end(),
                                  [&](const ServiceLimit& l) { return l.name == name; }),
                   env.limits.end());
  env.limits.push_back({resource, name, soft, hard, origin});
}

// systemd's manager-wide defaults: DefaultLimit*= in system.conf, and its
// built-in NOFILE 1024:524288 (since v240).
void managerDefaults(const std::string& root, ServiceEnvironment& env) {
  setLimit(env, "NOFILE", "1024:524288", "systemd's default");
  std::istringstream lines(readText(root + "/etc/systemd/system.conf"));
  std::string line;
  while (std::getline(lines, line)) {
    line = trimmed(line);
    if (line.rfind("DefaultLimit", 0) != 0 || line.find('=') == std::string::npos) continue;
    size_t eq = line.find('=');
    setLimit(env, line.substr(12, eq - 12), trimmed(line.substr(eq + 1)),
             "DefaultLimit" + line.substr(12, eq - 12) + "= in /etc/systemd/system.conf");
  }
}

void applyUser(const std::string& name, ServiceEnvironment& env) {
  passwd* pw = ::getpwnam(name.c_str());
  if (!pw) {
    env.notes.push_back(fmt::format("User={}: no such user (the unit would fail to start)", name));
    return;
  }
  env.user = pw->pw_name;
  env.uid = pw->pw_uid;
  env.gid = pw->pw_gid;
  env.env["HOME"] = pw->pw_dir ? pw->pw_dir : "/";
  env.env["USER"] = env.env["LOGNAME"] = pw->pw_name;
  env.env["SHELL"] = pw->pw_shell && *pw->pw_shell ? pw->pw_shell : "/bin/sh";
}

}  // namespace

namespace service_env_detail {

bool systemdEnvironmentFor(const std::string& root, const std::string& unit,
                           ServiceEnvironment& env) {
  std::vector<UnitSetting> settings;
  if (!readServiceSettings(root, unit, settings)) return false;
  env.known = true;
  env.manager = "systemd";
  env.unit = unit;
  env.source = "systemd unit " + unit;
  env.user = "root";
  env.uid = 0;
  env.gid = 0;
  env.env = {{"PATH", kDefaultPath}};
  // Debian's systemd takes the system locale from /etc/default/locale.
  for (const auto& [k, v] : readEnvironmentFile(root + "/etc/default/locale")) env.env[k] = v;
  env.working_directory = "/";
  managerDefaults(root, env);
  for (const auto& [key, value] : settings)
    if (key == "User") applyUser(unitSpecifiers(value, unit, "", ""), env);
  std::string home = env.env.count("HOME") ? env.env["HOME"] : "/root";
  auto expand = [&](const std::string& v) { return unitSpecifiers(v, unit, env.user, home); };
  std::vector<std::string> envFiles;
  for (const auto& [key, value] : settings) {
    std::string origin = fmt::format("{}= in {}", key, unit);
    if (key == "Group") {
      if (group* gr = ::getgrnam(expand(value).c_str())) env.gid = gr->gr_gid;
    } else if (key == "Environment") {
      if (value.empty()) continue;
      for (const std::string& a : assignments(expand(value))) {
        size_t eq = a.find('=');
        if (eq != std::string::npos && eq > 0) env.env[a.substr(0, eq)] = a.substr(eq + 1);
      }
    } else if (key == "EnvironmentFile") {
      if (value.empty())
        envFiles.clear();
      else
        envFiles.push_back(expand(value));
    } else if (key == "WorkingDirectory") {
      std::string dir = expand(value);
      if (!dir.empty() && dir[0] == '-') dir.erase(0, 1);
      env.working_directory = dir == "~" ? home : dir;
    } else if (key == "SupplementaryGroups") {
      if (value.empty()) env.groups.clear();
      for (const std::string& name : assignments(expand(value))) {
        if (group* gr = ::getgrnam(name.c_str()))
          env.groups.push_back(gr->gr_gid);
        else
          env.notes.push_back(
              fmt::format("{}: no such group {} (the unit would fail)", origin, name));
      }
    } else if (key == "PAMName") {
      env.pam_service = expand(value);  // its session is opened as systemd opens it
    } else if (key == "UMask") {
      env.umask = static_cast<mode_t>(std::stoi(value, nullptr, 8));
    } else if (key.rfind("Limit", 0) == 0) {
      setLimit(env, key.substr(5), value, origin);
    }
  }
  // Files are read when the service starts, after Environment=, and win.
  for (std::string file : envFiles) {
    bool optional = !file.empty() && file[0] == '-';
    if (optional) file.erase(0, 1);
    if (!fs::is_regular_file(root + file)) {
      if (!optional)
        env.notes.push_back(
            fmt::format("EnvironmentFile={} is missing: the unit would fail", file));
      continue;
    }
    for (const auto& [k, v] : readEnvironmentFile(root + file)) env.env[k] = v;
  }
  return true;
}

}  // namespace service_env_detail

namespace service_env_systemd {

bool findUnit(const std::string& area, const std::string& user, const std::string& home,
              Clock::time_point deadline, ServiceEnvironment& env) {
  boot_detail::Sources sources;
  boot_detail::readSystemd(area, BootUser{user, home}, deadline, sources);
  std::string target = normalisePath(area);
  for (const BootEntry& e : sources.entries) {
    const std::string prefix = "systemd unit ";
    if (e.source.rfind(prefix, 0) != 0 || normalisePath(e.path) != target) continue;
    std::string unit = e.source.substr(prefix.size());
    unit = unit.substr(0, unit.find(' '));
    if (service_env_detail::systemdEnvironmentFor("", unit, env)) return true;
  }
  return false;
}

}  // namespace service_env_systemd
}  // namespace bbcheck
