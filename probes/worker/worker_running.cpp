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

#include "probes/registry.h"
#include "probes/worker/buildbot_tac.h"
#include "probes/worker/whole_file.h"

namespace bbcheck {
namespace {

using worker_running_detail::readWhole;

Object obj(std::map<std::string, Value> fields) {
  return Object(fields);
}

std::string baseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string joinArgs(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out.size() > 200 ? out.substr(0, 197) + "..." : out;
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

// readProcessInfo() reads /proc: worker_running_linux.cpp.

std::string buildbotRole(const std::vector<std::string>& argv) {
  bool twistd = false, master = false;
  for (const std::string& arg : argv) {
    std::string base = baseName(arg);
    if (base == "buildbot-worker" || base == "buildslave") return "worker";
    if (arg.find("buildbot_worker") != std::string::npos) return "worker";
    // `buildbot start` daemonizes as `python3 -c "from twisted.scripts
    // import twistd; twistd.run()" --python=buildbot.tac`.
    if (base == "twistd" || base == "twistd3" || arg.find("twisted.scripts") != std::string::npos) {
      twistd = true;
    }
    if (base == "buildbot" || arg.find("buildbot.scripts") != std::string::npos) master = true;
  }
  if (master) return "master";
  return twistd ? "twistd" : "";
}

namespace {

Outcome runWorkerRunning(const Params& params, const ProbeContext&) {
  const std::string& area = params.text("path");
  std::string pidFile = area + "/twistd.pid";
  struct stat st;
  if (::stat(area.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Outcome::fail(fmt::format("build area {} does not exist", area),
                         obj({{"path", area}, {"exists", false}}));
  }
  std::string text;
  if (!readWhole(pidFile, &text)) {
    if (errno != ENOENT) {
      return Outcome::error(fmt::format("cannot read {}: {}", pidFile, std::strerror(errno)));
    }
    return Outcome::fail(
        fmt::format("worker not running (no twistd.pid in {}): start it with `buildbot-worker "
                    "start {}`",
                    area, area),
        obj({{"pid_file", pidFile}, {"exists", false}}));
  }
  char* end = nullptr;
  long pid = std::strtol(text.c_str(), &end, 10);
  std::string rest = end ? end : "";
  if (pid <= 0 || pid > INT_MAX || rest.find_first_not_of(" \t\r\n") != std::string::npos) {
    std::string shown = text.substr(0, text.find_first_of("\r\n"));
    if (shown.size() > 20) shown = shown.substr(0, 20) + "...";
    return Outcome::fail(
        fmt::format("{} holds \"{}\", not a process id: remove it and run `buildbot-worker "
                    "restart {}`",
                    pidFile, shown, area),
        obj({{"pid_file", pidFile}}));
  }
  Object observed = obj({{"pid_file", pidFile}, {"pid", static_cast<int64_t>(pid)}});
  std::optional<ProcessInfo> info = readProcessInfo(static_cast<int>(pid));
  if (!info && ::access("/proc/self/stat", R_OK) != 0) {
    // No procfs (a BSD, macOS): liveness only, the process cannot be named.
    bool alive = ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
    observed["running"] = alive;
    if (alive) {
      return Outcome::pass(
          fmt::format("process {} from {} is alive (without /proc bbcheck cannot confirm it is "
                      "a buildbot worker)",
                      pid, pidFile),
          observed);
    }
  }
  if (!info || info->zombie) {
    observed["running"] = false;
    return Outcome::fail(
        fmt::format("stale twistd.pid: process {} is not running — remove {} or use "
                    "`buildbot-worker restart {}`",
                    pid, pidFile, area),
        observed);
  }
  observed["running"] = true;
  observed["process"] = info->comm;
  if (!info->cwd.empty()) observed["cwd"] = info->cwd;
  std::string role = buildbotRole(info->argv);
  if (role == "twistd") role = twistdRole(info->cwd.empty() ? area : info->cwd);
  observed["role"] = role;
  if (role != "worker") {
    // Only the process name: an unrelated command line may hold secrets.
    std::string what = role == "master" ? "a buildbot master" : info->comm;
    return Outcome::fail(
        fmt::format("twistd.pid in {} names process {} ({}), which is not a buildbot worker: "
                    "the worker is not running; remove {} and run `buildbot-worker restart {}`",
                    area, pid, what, pidFile, area),
        observed);
  }
  observed["cmdline"] = joinArgs(info->argv);
  if (!info->cwd.empty() && !sameDirectory(info->cwd, area)) {
    return Outcome::fail(fmt::format("process {} from {} is a buildbot worker for {}, not for {}",
                                     pid, pidFile, info->cwd, area),
                         observed);
  }
  return Outcome::pass(fmt::format("worker running as process {} ({})", pid, joinArgs(info->argv)),
                       observed);
}

const bool registered =
    registerProbe({"worker-running",
                   "the build area's twistd.pid names a live buildbot worker process",
                   {{"path", ParamType::Path, true, "", {}, "the build area"}},
                   runWorkerRunning});

}  // namespace
}  // namespace bbcheck
