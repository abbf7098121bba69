#include "probes/worker/worker_running.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <map>

#include "probes/buildbot/buildbot_tac.h"
#include "probes/buildbot/whole_file.h"
#include "probes/param_binding.h"
#include "probes/text.h"
#include "probes/utf8_text.h"
#include "probes/worker/worker_user.h"

namespace bbcheck {
namespace {

using worker_running_detail::readWhole;

std::string joinArgs(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out.size() > 200 ? out.substr(0, 197) + "..." : out;
}

// `command` as the worker's user: wrapped in runuser when root runs bbcheck
// for another user's build area, so that no fix runs the worker as root.
std::string asUser(const std::string& command, const Account& who) {
  if (::geteuid() == 0 && who.uid != 0)
    return fmt::format("runuser -u {} -- {}", who.name, command);
  return command;
}

bool sameDirectory(const std::string& a, const std::string& b) {
  std::error_code ec;
  bool same = std::filesystem::equivalent(a, b, ec);
  return !ec && same;
}

// A bare twistd runs the buildbot.tac of its directory.
std::string twistdRole(const std::string& dir) {
  std::string error;
  std::optional<BuildbotTac> tac = readBuildbotTac(dir + "/buildbot.tac", &error);
  if (tac && tac->is_worker) return "worker";
  if (tac && tac->is_master) return "master";
  return "twistd";
}

}  // namespace

namespace {

// What twistd.pid says, before any judgement.
enum class PidState { NoArea, NoFile, Unreadable, Garbage, Stale, Alive };

struct WorkerState {
  PidState state = PidState::NoFile;
  std::string pid_file;
  long pid = 0;
  std::string problem;  // Unreadable: why; Garbage: what it holds (escaped)
  std::optional<ProcessInfo> info;
  bool unnamed = false;  // alive but no /proc to name it
  Object observed;
};

WorkerState readState(const std::string& area) {
  WorkerState w;
  w.pid_file = area + "/twistd.pid";
  w.observed = objectOf({{"pid_file", w.pid_file}});
  struct stat st;
  if (::stat(area.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    w.state = PidState::NoArea;
    return w;
  }
  std::string text;
  if (!readWhole(w.pid_file, &text)) {
    int error = errno;
    if (error == ENOENT) {
      w.state = PidState::NoFile;
      w.observed["exists"] = false;
      return w;
    }
    w.state = PidState::Unreadable;
    // Say whose it is: a root-owned twistd.pid means the worker ran as root.
    if (::stat(w.pid_file.c_str(), &st) == 0) {
      w.problem = fmt::format("{} (owner {}, mode {:04o})", std::strerror(error),
                              userNameOf(st.st_uid), st.st_mode & 07777);
      w.observed["owner"] = userNameOf(st.st_uid);
    } else {
      w.problem = std::strerror(error);
    }
    return w;
  }
  char* end = nullptr;
  w.pid = std::strtol(text.c_str(), &end, 10);
  std::string rest = end ? end : "";
  if (w.pid <= 0 || w.pid > INT_MAX || rest.find_first_not_of(" \t\r\n") != std::string::npos) {
    std::string shown = text.substr(0, text.find_first_of("\r\n"));
    if (shown.size() > 20) shown = shown.substr(0, 20) + "...";
    w.state = PidState::Garbage;
    w.problem = escapedText(shown);
    return w;
  }
  w.observed["pid"] = static_cast<int64_t>(w.pid);
  w.info = readProcessInfo(static_cast<int>(w.pid));
  if (!w.info && ::access("/proc/self/stat", R_OK) != 0) {
    // No procfs (a BSD, macOS): liveness only, the process cannot be named.
    bool alive = ::kill(static_cast<pid_t>(w.pid), 0) == 0 || errno == EPERM;
    w.observed["running"] = alive;
    w.state = alive ? PidState::Alive : PidState::Stale;
    w.unnamed = alive;
    return w;
  }
  if (!w.info || w.info->zombie) {
    w.observed["running"] = false;
    w.state = PidState::Stale;
    return w;
  }
  w.state = PidState::Alive;
  w.observed["running"] = true;
  w.observed["process"] = escapedText(w.info->comm);
  if (w.info->uid >= 0) {
    w.observed["process_uid"] = w.info->uid;
    w.observed["process_user"] = userNameOf(static_cast<uid_t>(w.info->uid));
  }
  if (!w.info->cwd.empty()) w.observed["cwd"] = escapedText(w.info->cwd);
  return w;
}

// "worker", "master", "twistd" or "" (buildbotRole, with a bare twistd's
// buildbot.tac read).
std::string roleOf(const WorkerState& w, const std::string& area) {
  std::string role = buildbotRole(w.info->argv);
  if (role == "twistd") role = twistdRole(w.info->cwd.empty() ? area : w.info->cwd);
  return role;
}

Outcome judgeRunning(const std::string& area, const Account& who, WorkerState& w) {
  std::string start = asUser("buildbot-worker start " + area, who);
  std::string restart = asUser("buildbot-worker restart " + area, who);
  Object& observed = w.observed;
  switch (w.state) {
    case PidState::NoArea:
      return Outcome::fail(fmt::format("build area {} does not exist", area),
                           objectOf({{"path", area}, {"exists", false}}));
    case PidState::NoFile:
      return Outcome::fail(
          fmt::format("worker not running (no twistd.pid in {}): start it with `{}`", area, start),
          observed);
    case PidState::Unreadable:
      return Outcome::error(fmt::format("cannot read {}: {}", w.pid_file, w.problem), observed);
    case PidState::Garbage:
      return Outcome::fail(
          fmt::format("{} holds \"{}\", not a process id: remove it (`{}`) and "
                      "run `{}`",
                      w.pid_file, w.problem, asUser("rm " + w.pid_file, who), start),
          observed);
    case PidState::Stale:
      return Outcome::fail(
          fmt::format("stale twistd.pid: process {} is not running — remove {} or use `{}`", w.pid,
                      w.pid_file, restart),
          observed);
    case PidState::Alive:
      break;
  }
  if (w.unnamed) {
    return Outcome::pass(
        fmt::format("process {} from {} is alive (without /proc bbcheck cannot confirm it is "
                    "a buildbot worker)",
                    w.pid, w.pid_file),
        observed);
  }
  std::string role = roleOf(w, area);
  observed["role"] = role;
  // `restart` would send SIGTERM to whatever the pid names: never advise it
  // here. Removing the file is safe; `start` then runs.
  std::string removeThenStart = fmt::format(
      "remove the stale file (`{}`) and run `{}` — not `restart`, which would kill "
      "process {}",
      asUser("rm " + w.pid_file, who), start, w.pid);
  if (role != "worker") {
    // Only the process name: an unrelated command line may hold secrets.
    std::string what = role == "master" ? "a buildbot master" : escapedText(w.info->comm);
    return Outcome::fail(
        fmt::format("twistd.pid in {} names process {} ({}), which is not a buildbot worker: "
                    "the worker is not running, and `start` refuses while that process lives; {}",
                    area, w.pid, what, removeThenStart),
        observed);
  }
  observed["cmdline"] = escapedText(joinArgs(w.info->argv));
  if (!w.info->cwd.empty() && !sameDirectory(w.info->cwd, area)) {
    return Outcome::fail(
        fmt::format("process {} from {} is a buildbot worker for {}, not for {}; {}", w.pid,
                    w.pid_file, escapedText(w.info->cwd), area, removeThenStart),
        observed);
  }
  std::string user = w.info->uid >= 0 ? " as " + userNameOf(static_cast<uid_t>(w.info->uid)) : "";
  return Outcome::pass(fmt::format("worker running as process {}{} ({})", w.pid, user,
                                   escapedText(joinArgs(w.info->argv))),
                       observed);
}

// The `user` aspect: the live worker runs as the build area's user, never
// as root for an unprivileged user's area (its files become root's, and
// build code runs as root).
Outcome judgeUser(const std::string& area, const Account& who, WorkerState& w) {
  Object& observed = w.observed;
  observed["worker_user"] = who.name;
  Object expected = objectOf({{"process_user", who.name}});
  if (w.state == PidState::Unreadable) {
    return Outcome::fail(fmt::format("cannot read {} as {}: {} — a worker started as another "
                                     "user (root?) left it",
                                     w.pid_file, userNameOf(::geteuid()), w.problem),
                         observed, expected);
  }
  if (w.state != PidState::Alive || w.unnamed || roleOf(w, area) != "worker" ||
      (!w.info->cwd.empty() && !sameDirectory(w.info->cwd, area))) {
    return Outcome::skip(fmt::format("no worker is running from {}: nothing to judge", area));
  }
  if (w.info->uid < 0) {
    return Outcome::error(fmt::format("cannot tell which user process {} runs as", w.pid),
                          observed);
  }
  uid_t runs = static_cast<uid_t>(w.info->uid);
  if (runs == who.uid) {
    return Outcome::pass(
        fmt::format("the worker (process {}) runs as {}, the build area's user", w.pid, who.name),
        observed, expected);
  }
  std::string fix = fmt::format(
      "stop it (as root: `buildbot-worker stop {}`), give the files back (`chown -R {} {}`) and "
      "start it as {}: `runuser -u {} -- buildbot-worker start {}`",
      area, who.name, area, who.name, who.name, area);
  if (runs == 0) {
    return Outcome::fail(
        fmt::format("the worker (process {}) runs as root in {}'s build area {}: build code runs "
                    "as root and leaves root-owned files; {}",
                    w.pid, who.name, area, fix),
        observed, expected);
  }
  return Outcome::fail(fmt::format("the worker (process {}) runs as {}, not as the build area's "
                                   "user {}; {}",
                                   w.pid, userNameOf(runs), who.name, fix),
                       observed, expected);
}

struct WorkerRunningParams {
  std::string path;
  std::string aspect = "running";
  std::string user;  // "": who runs bbcheck, or for root the build area's owner
};

Outcome runWorkerRunning(const WorkerRunningParams& params, const ProbeContext&) {
  const std::string& area = params.path;
  if (area.empty()) return Outcome::error("the build area path is empty");
  std::optional<Account> who = workerAccount(area, params.user);
  if (!who) return Outcome::error(fmt::format("no such user: {}", params.user));
  WorkerState w = readState(area);
  if (params.aspect == "user") return judgeUser(area, *who, w);
  return judgeRunning(area, *who, w);
}

}  // namespace

ProbeKind workerRunningProbe() {
  return probeKind(
      "worker-running",
      "the build area's twistd.pid names a live buildbot worker process (aspect user: running "
      "as the build area's user)",
      {pathParam("path", &WorkerRunningParams::path, "the build area").required(),
       stringParam("aspect", &WorkerRunningParams::aspect,
                   "running: the worker runs; user: it runs as the build area's user, not root")
           .oneOf({"running", "user"}),
       stringParam(
           "user", &WorkerRunningParams::user,
           "the worker's user (default: who runs bbcheck, or for root the build area's owner)")},
      runWorkerRunning);
}

}  // namespace bbcheck
