// The worker's session, rehearsed rather than read: bbcheck-session opens
// the PAM session cron (or the unit's PAMName=) opens, and describes the
// process it starts in it. What pam_env and pam_limits give the worker is
// what that process has, not what bbcheck makes of their files.
#include "probes/environment/service_env_session.h"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>

#include "probes/session_request.h"
#include "probes/text.h"

namespace bbcheck::service_env_session {
namespace {

const char* const kLimitNames[] = {"NOFILE",  "NPROC",  "CORE",  "STACK",      "AS",
                                   "MEMLOCK", "FSIZE",  "DATA",  "CPU",        "RSS",
                                   "NICE",    "RTPRIO", "LOCKS", "SIGPENDING", "MSGQUEUE"};

std::string sessionName(const ServiceEnvironment& env) {
  if (env.pam_service == "cron") return fmt::format("cron's PAM session for {}", env.user);
  return fmt::format("the PAM session {} (PAMName= in {}) for {}", env.pam_service, env.unit,
                     env.user);
}

// A limit as the session left it: the manager's when unchanged, else the
// session's (pam_limits).
void recordLimit(ServiceEnvironment& env, const std::string& name, uint64_t soft, uint64_t hard) {
  int resource = service_env_detail::resourceNamed(name);
  ServiceLimit* before = nullptr;
  for (ServiceLimit& l : env.limits)
    if (l.name == name) before = &l;
  if (before == nullptr) {
    rlimit own{};
    ::getrlimit(resource, &own);
    if (own.rlim_cur == soft && own.rlim_max == hard) return;  // bbcheck's own: no difference
    env.limits.push_back({resource, name, soft, hard, ""});
    before = &env.limits.back();
  } else if (before->soft == soft && before->hard == hard) {
    return;
  }
  before->soft = soft;
  before->hard = hard;
  before->origin = sessionName(env) + " (pam_limits)";
}

}  // namespace

void rehearse(ServiceEnvironment& env, Clock::time_point deadline) {
  if (env.pam_service.empty()) return;
  std::string helper = sessionHelperPath();
  if (helper.empty()) {
    env.notes.push_back(fmt::format("{} was not rehearsed: bbcheck's helper {} is not installed",
                                    sessionName(env), session::kHelperName));
    return;
  }
  // Started in /: the working directory is not the session's to decide,
  // and the probe judges a missing HOME itself.
  ServiceEnvironment inRoot = env;
  inRoot.working_directory = "/";
  SessionRun run = runInServiceSession(inRoot, helper, {session::kDescribeFlag}, deadline);
  env.notes.insert(env.notes.end(), run.notes.begin(), run.notes.end());
  if (!run.refusal.empty()) {
    env.refusal = run.refusal;
    return;
  }
  const ProcessResult& r = run.result;
  if (!r.started || r.exit_code != 0) {
    env.notes.push_back(fmt::format("{} could not be rehearsed: {}", sessionName(env),
                                    r.started ? trimmed(r.err) : r.start_error));
    return;
  }
  std::map<std::string, std::string> variables;
  for (const auto& [key, value] : session::decodeFields(r.out)) {
    if (key == "env") {
      size_t eq = value.find('=');
      if (eq != std::string::npos && eq > 0) variables[value.substr(0, eq)] = value.substr(eq + 1);
    } else if (key == "umask") {
      env.umask = static_cast<mode_t>(std::strtoul(value.c_str(), nullptr, 10));
    } else if (key == "limit") {
      unsigned long long resource = 0, soft = 0, hard = 0;
      if (std::sscanf(value.c_str(), "%llu:%llu:%llu", &resource, &soft, &hard) != 3) continue;
      for (const char* name : kLimitNames)
        if (service_env_detail::resourceNamed(name) == static_cast<int>(resource))
          recordLimit(env, name, soft, hard);
    }
  }
  env.env = variables;
}

}  // namespace bbcheck::service_env_session

namespace bbcheck {

std::string cronSessionRefusal(const std::string& user, Clock::time_point deadline,
                               std::vector<std::string>& notes) {
  passwd* pw = ::getpwnam(user.c_str());
  if (pw == nullptr) return "";
  ServiceEnvironment env;
  env.known = true;
  env.manager = "cron";
  env.pam_service = "cron";
  env.user = pw->pw_name;
  env.uid = pw->pw_uid;
  env.gid = pw->pw_gid;
  int n = 64;
  env.groups.resize(n);
  if (::getgrouplist(pw->pw_name, env.gid, env.groups.data(), &n) < 0) {
    env.groups.resize(n);
    ::getgrouplist(pw->pw_name, env.gid, env.groups.data(), &n);
  }
  env.groups.resize(n);
  // Debian's cron: these whatever the crontab says; the directory does not
  // matter to PAM.
  env.env = {{"SHELL", "/bin/sh"},
             {"HOME", pw->pw_dir ? pw->pw_dir : "/"},
             {"PATH", "/usr/bin:/bin"},
             {"LOGNAME", env.user},
             {"USER", env.user}};
  env.working_directory = "/";
  SessionRun run = runInServiceSession(env, "/bin/true", {}, deadline);
  notes.insert(notes.end(), run.notes.begin(), run.notes.end());
  if (run.refusal.empty() && !run.result.started)
    notes.push_back(fmt::format("cron's PAM session for {} could not be rehearsed: {}", user,
                                run.result.start_error));
  return run.refusal;
}

}  // namespace bbcheck
