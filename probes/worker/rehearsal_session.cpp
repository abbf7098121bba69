#include "probes/worker/rehearsal_session.h"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "probes/text.h"

namespace bbcheck {
namespace {

constexpr const char* kNoBootEntry = "no boot entry yet";

}  // namespace

ServiceEnvironment plainSession(const Account& who) {
  ServiceEnvironment env;
  env.known = true;
  env.manager = "cron";
  env.source = kNoBootEntry;
  env.user = who.name;
  env.uid = who.uid;
  env.gid = who.gid;
  env.groups = who.groups;
  std::string home = who.home.empty() ? "/" : who.home;
  env.env = {{"HOME", home},
             {"LOGNAME", who.name},
             {"USER", who.name},
             {"SHELL", "/bin/sh"},
             {"PATH", "/usr/bin:/bin"}};
  struct stat st;
  env.working_directory = ::stat(home.c_str(), &st) == 0 ? home : "/";
  return env;
}

RehearsalSession rehearsalSession(const std::string& area, const Account& who,
                                  const ServiceEnvironmentLookup& lookup,
                                  Clock::time_point deadline) {
  RehearsalSession session;
  if (lookup) session.env = lookup(area, who.name, deadline);
  if (!session.env.known) session.env = plainSession(who);
  session.described =
      session.env.source == kNoBootEntry
          ? fmt::format(
                "as {}, in a session as cron opens it (nothing starts the worker on boot yet)",
                session.env.user)
          : fmt::format("as {}, in its session ({})", session.env.user, session.env.origin());
  session.not_as_user = whyNotAsServiceUser(session.env);
  return session;
}

ProgramRunner runnerIn(const ServiceEnvironment& env) {
  return [env](const std::string& program, const std::vector<std::string>& args,
               Clock::time_point deadline) {
    return runInServiceEnvironment(env, program, args, deadline);
  };
}

namespace {

// "/", "/a", "/a/b" for "/a/b".
std::vector<std::string> prefixes(const std::string& path) {
  std::vector<std::string> out{"/"};
  size_t at = 1;
  while (at < path.size()) {
    size_t slash = path.find('/', at);
    if (slash == std::string::npos) slash = path.size();
    if (slash > at) out.push_back(path.substr(0, slash));
    at = slash + 1;
  }
  return out;
}

// Why the user cannot pass `dir`, as root sees it (the hint that names the
// cause once the user's own process has failed).
std::string whyStopped(const std::string& dir, const std::string& user, const std::string& err) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0)
    return fmt::format("{} cannot be reached: {}", dir, std::strerror(errno));
  if (!S_ISDIR(st.st_mode)) return fmt::format("{} is not a directory", dir);
  passwd* pw = ::getpwuid(st.st_uid);
  std::string owner = pw ? pw->pw_name : std::to_string(st.st_uid);
  group* gr = ::getgrgid(st.st_gid);
  std::string grp = gr ? gr->gr_name : std::to_string(st.st_gid);
  return fmt::format("{} (mode {:04o}, owner {}, group {}) does not let {} through{}", dir,
                     st.st_mode & 07777, owner, grp, user,
                     err.empty() ? "" : fmt::format(" ({})", err));
}

}  // namespace

std::string whereWalkStops(const ServiceEnvironment& env, const std::string& path,
                           const std::string& file, Clock::time_point deadline,
                           std::string* undecided) {
  // cd checks search permission on every directory, as the kernel does
  // for the worker; the first one refused is the one that stops it.
  static const char* const kWalk =
      "f=$1; shift\n"
      "for d do cd -- \"$d\" 2>/dev/null || { printf '%s\\n' \"$d\"; exit 3; }; done\n"
      "[ -z \"$f\" ] || { : < \"$f\"; } || exit 4\n";
  std::vector<std::string> args = {"-c", kWalk, "sh", file};
  for (const std::string& p : prefixes(path)) args.push_back(p);
  ProcessResult r = runInServiceEnvironment(env, "/bin/sh", args, deadline);
  if (!r.started) {
    *undecided = fmt::format("cannot start a process as {}: {}", env.user, r.start_error);
    return "";
  }
  if (r.timed_out) {
    *undecided = fmt::format("walking to {} as {} did not finish in time", path, env.user);
    return "";
  }
  if (r.exit_code == 0) return "";
  if (r.exit_code == 3) return whyStopped(trimmed(r.out), env.user, "");
  if (r.exit_code == 4)
    return fmt::format("{} cannot read {}/{}: {}", env.user, path, file, firstLine(r.err));
  *undecided = fmt::format("walking to {} as {} failed (exit {}): {}", path, env.user, r.exit_code,
                           firstLine(r.err));
  return "";
}

std::string workerCannotReach(const Account& who, const std::string& path, const std::string& file,
                              Clock::time_point deadline) {
  ServiceEnvironment env = plainSession(who);
  env.working_directory = "/";  // the walk starts at /, whatever the home
  if (!whyNotAsServiceUser(env).empty()) return "";
  std::string undecided;
  return whereWalkStops(env, path, file, deadline, &undecided);
}

}  // namespace bbcheck
