// The `service-env` probe: reads how the build area's worker starts (cron or
// systemd) and describes the environment its process gets; fails when that
// environment lacks what every worker needs (a HOME that exists).
#include "probes/environment/service_env.h"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "probes/buildbot/boot_entries.h"
#include "probes/environment/service_env_cron.h"
#include "probes/environment/service_env_session.h"
#include "probes/environment/service_env_systemd.h"
#include "probes/param_binding.h"
#include "probes/proxy.h"
#include "probes/text.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace service_env_detail {

int resourceNamed(const std::string& name) {
  static const std::map<std::string, int> kResources = {
      {"NOFILE", RLIMIT_NOFILE},     {"NPROC", RLIMIT_NPROC},   {"CORE", RLIMIT_CORE},
      {"STACK", RLIMIT_STACK},       {"AS", RLIMIT_AS},         {"MEMLOCK", RLIMIT_MEMLOCK},
      {"FSIZE", RLIMIT_FSIZE},       {"DATA", RLIMIT_DATA},     {"CPU", RLIMIT_CPU},
      {"RSS", RLIMIT_RSS},           {"NICE", RLIMIT_NICE},     {"SIGPENDING", RLIMIT_SIGPENDING},
      {"MSGQUEUE", RLIMIT_MSGQUEUE}, {"RTPRIO", RLIMIT_RTPRIO}, {"LOCKS", RLIMIT_LOCKS}};
  auto it = kResources.find(name);
  return it == kResources.end() ? -1 : it->second;
}

}  // namespace service_env_detail

std::string ServiceEnvironment::origin() const {
  return manager == "systemd" ? fmt::format("systemd: unit {}", unit)
                              : fmt::format("cron: {}", source);
}

std::string ServiceEnvironment::howToSet(const std::string& name, const std::string& value) const {
  if (manager == "systemd")
    return fmt::format(
        "add `Environment={}={}` to the [Service] section of {} (`systemctl edit "
        "{}`), then `systemctl restart {}`",
        name, value, unit, unit, unit);
  passwd* pw = ::getpwnam(user.c_str());
  std::string shell = pw && pw->pw_shell ? fs::path(pw->pw_shell).filename().string() : "";
  bool noLogin = shell == "false" || shell == "nologin";
  if (source.rfind("crontab of ", 0) == 0 && noLogin)
    return fmt::format(
        "add the line `{}={}` above the @reboot line of {}'s crontab (`crontab -u {} -e` run as "
        "root: {} has no login shell)",
        name, value, user, user, user);
  if (source.rfind("crontab of ", 0) == 0)
    return fmt::format(
        "add the line `{}={}` above the @reboot line of {}'s crontab (`crontab -e "
        "-u {}`, as root, or `crontab -e` as {})",
        name, value, user, user, user, user);
  return fmt::format("add the line `{}={}` above the @reboot line in {}", name, value,
                     source.substr(0, source.rfind(':')));
}

std::string ServiceEnvironment::howToLimit(const std::string& name) const {
  if (manager == "systemd")
    return fmt::format("set `Limit{}=` in the [Service] section of {} (`systemctl edit {}`)", name,
                       unit, unit);
  std::string item = name;
  for (char& c : item) c = static_cast<char>(::tolower(static_cast<unsigned char>(c)));
  return fmt::format(
      "add the line `{} - {} VALUE` to a file in /etc/security/limits.d/ "
      "(cron's PAM session applies it; then `systemctl restart cron`)",
      user, item);
}

namespace {

bool shownInFull(const std::string& name) {
  static const char* const kSafe[] = {"PATH", "HOME",     "SHELL", "LOGNAME", "USER",
                                      "LANG", "LANGUAGE", "TZ",    "TMPDIR",  "PWD"};
  for (const char* s : kSafe)
    if (name == s) return true;
  return name.rfind("LC_", 0) == 0;
}

bool isProxyVariable(std::string name) {
  for (char& c : name) c = static_cast<char>(::tolower(static_cast<unsigned char>(c)));
  return name.size() > 6 && name.compare(name.size() - 6, 6, "_proxy") == 0;
}

}  // namespace

Value describeServiceEnvironment(const ServiceEnvironment& env) {
  Object variables;
  for (const auto& [name, value] : env.env) {
    if (shownInFull(name))
      variables[name] = value;
    else if (isProxyVariable(name))
      variables[name] = redactUrl(value);
    else
      variables[name] = "(set; value not shown)";
  }
  Object limits;
  for (const ServiceLimit& l : env.limits) {
    Object one;
    one["soft"] = rlimitText(l.soft);
    one["hard"] = rlimitText(l.hard);
    one["from"] = l.origin;
    limits[l.name] = one;
  }
  Object o;
  o["manager"] = env.manager;
  o["source"] = env.source;
  o["user"] = env.user;
  o["uid"] = static_cast<int64_t>(env.uid);
  o["gid"] = static_cast<int64_t>(env.gid);
  o["environment"] = variables;
  o["limits"] = limits;
  o["umask"] = fmt::format("{:04o}", env.umask);
  o["working_directory"] = env.working_directory;
  if (!env.pam_service.empty()) o["pam_service"] = env.pam_service;
  if (!env.refusal.empty()) o["pam_refusal"] = env.refusal;
  if (!env.notes.empty()) o["notes"] = Array(env.notes.begin(), env.notes.end());
  return o;
}

ServiceEnvironment readServiceEnvironment(const std::string& area, const std::string& user,
                                          Clock::time_point deadline) {
  ServiceEnvironment env;
  passwd* me = ::getpwuid(::geteuid());
  std::string myName = me ? me->pw_name : std::to_string(::geteuid());
  std::string name = user.empty() ? myName : user;
  passwd* pw = ::getpwnam(name.c_str());
  if (!pw) {
    env.why_unknown = "no such user: " + name;
    return env;
  }
  std::string home = pw->pw_dir ? pw->pw_dir : "/";
  env.user = name;
  env.uid = pw->pw_uid;
  env.gid = pw->pw_gid;
  if (service_env_cron::findEntry(area, name, home, name == myName, deadline, env)) {
    service_env_cron::addSessionSettings(env);
  } else if (!service_env_systemd::findUnit(area, name, home, deadline, env)) {
    env.why_unknown = fmt::format(
        "nothing starts {} on boot (read: crontab of {}, /etc/crontab, /etc/cron.d, "
        "enabled systemd units)",
        area, name);
    return env;
  }
  // The supplementary groups cron (initgroups) and systemd (User=) give,
  // with a unit's SupplementaryGroups= (already in env.groups).
  if (passwd* runAs = ::getpwnam(env.user.c_str())) {
    int n = 64;
    std::vector<gid_t> groups(n);
    if (::getgrouplist(runAs->pw_name, env.gid, groups.data(), &n) < 0) {
      groups.resize(n);
      ::getgrouplist(runAs->pw_name, env.gid, groups.data(), &n);
    }
    groups.resize(n);
    for (gid_t g : env.groups)
      if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
    env.groups = groups;
  }
  if (::geteuid() != 0) {
    for (ServiceLimit& l : env.limits) {
      rlimit now{};
      ::getrlimit(l.resource, &now);
      if (l.hard <= now.rlim_max) continue;
      env.notes.push_back(
          fmt::format("the worker's hard limit {} ({}) is above bbcheck's ({}), "
                      "which only root may raise: re-run with bbcheck's",
                      l.name, rlimitText(l.hard), rlimitText(now.rlim_max)));
      l.hard = now.rlim_max;
      l.soft = std::min(l.soft, l.hard);
    }
  }
  service_env_session::rehearse(env, deadline);
  return env;
}

std::string whyNotAsServiceUser(const ServiceEnvironment& env) {
  if (::geteuid() == 0 || ::geteuid() == env.uid) return "";
  passwd* me = ::getpwuid(::geteuid());
  return fmt::format("bbcheck runs as {}, not as root: it cannot start a process as {}",
                     me ? me->pw_name : std::to_string(::geteuid()), env.user);
}

namespace {

Outcome runServiceEnv(const BootSourceParams& params, const ProbeContext& ctx) {
  const std::string& area = params.path;
  ServiceEnvironment env = readServiceEnvironment(area, params.user, ctx.deadline);
  if (!env.known)
    return Outcome::skip(fmt::format(
        "the worker's service environment is unknown: {}; checks are re-run in it once a "
        "crontab line or systemd unit starts the worker",
        env.why_unknown));
  Value observed = describeServiceEnvironment(env);
  if (!env.refusal.empty())
    return Outcome::fail(
        fmt::format("the worker never starts from {} as {}: {}; see the account's state "
                    "(`chage -l {}`, `passwd -S {}`) and the PAM service's rules in /etc/pam.d/{}",
                    env.origin(), env.user, env.refusal, env.user, env.user, env.pam_service),
        observed);
  auto home = env.env.find("HOME");
  std::string userHome;
  if (passwd* pw = ::getpwnam(env.user.c_str())) userHome = pw->pw_dir ? pw->pw_dir : "";
  if (home == env.env.end() || home->second.empty())
    return Outcome::fail(fmt::format("HOME is not set in the worker's environment ({}, as {}): "
                                     "Python's tests and tools that use ~ fail; {}",
                                     env.origin(), env.user, env.howToSet("HOME", userHome)),
                         observed);
  std::error_code ec;
  if (!fs::is_directory(home->second, ec))
    return Outcome::fail(fmt::format("HOME={} in the worker's environment ({}) is not a "
                                     "directory; {}",
                                     home->second, env.origin(), env.howToSet("HOME", userHome)),
                         observed);
  auto path = env.env.find("PATH");
  std::string lang = env.env.count("LC_ALL") ? "LC_ALL=" + env.env["LC_ALL"]
                     : env.env.count("LANG") ? "LANG=" + env.env["LANG"]
                                             : "no LANG";
  std::string nofile;
  for (const ServiceLimit& l : env.limits)
    if (l.name == "NOFILE")
      nofile = fmt::format(", NOFILE {}:{}", rlimitText(l.soft), rlimitText(l.hard));
  return Outcome::pass(
      fmt::format("the worker starts from {} as {}: PATH={}, {}{}, umask {:04o}, in {}",
                  env.origin(), env.user, path == env.env.end() ? "(unset)" : path->second, lang,
                  nofile, env.umask, env.working_directory),
      observed);
}

std::shared_ptr<const ServiceEnvironment> environmentFor(const BootSourceParams& params,
                                                         Clock::time_point deadline) {
  return std::make_shared<const ServiceEnvironment>(
      readServiceEnvironment(params.path, params.user, deadline));
}

}  // namespace

ProbeKind serviceEnvProbe() {
  return probeKind("service-env",
                   "the environment the worker starts in (its crontab line or systemd unit): user, "
                   "variables, limits; checks tagged service-env are re-run in it",
                   bootSourceParams(), runServiceEnv, environmentFor);
}

}  // namespace bbcheck
