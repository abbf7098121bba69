// Linux's view of a process for the probes that look for Buildbot's: name, state,
// command line and working directory, read from /proc/<pid>.
#include <unistd.h>

#include <climits>
#include <cstdio>

#include "probes/buildbot/whole_file.h"
#include "probes/buildbot/worker_process.h"

namespace bbcheck {

using worker_running_detail::readWhole;

std::optional<ProcessInfo> readProcessInfo(int pid) {
  std::string dir = "/proc/" + std::to_string(pid);
  std::string stat;
  if (pid <= 0 || !readWhole(dir + "/stat", &stat) || stat.empty()) return std::nullopt;
  ProcessInfo info;
  info.pid = pid;
  // "PID (comm) S ...": comm may hold spaces and parentheses, so take the
  // last ')'.
  size_t open = stat.find('(');
  size_t close = stat.rfind(')');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    info.comm = stat.substr(open + 1, close - open - 1);
    info.zombie = close + 2 < stat.size() && (stat[close + 2] == 'Z' || stat[close + 2] == 'X');
  }
  std::string cmdline;
  if (readWhole(dir + "/cmdline", &cmdline)) {
    std::string arg;
    for (char c : cmdline) {
      if (c == '\0') {
        info.argv.push_back(arg);
        arg.clear();
      } else {
        arg += c;
      }
    }
    if (!arg.empty()) info.argv.push_back(arg);
  }
  std::string status;
  if (readWhole(dir + "/status", &status)) {
    // "Uid:\treal\teffective\tsaved\tfs"
    size_t at = status.find("\nUid:");
    if (at != std::string::npos) {
      long real = -1, effective = -1;
      if (std::sscanf(status.c_str() + at + 5, "%ld %ld", &real, &effective) == 2) {
        info.uid = effective;
      }
    }
  }
  char cwd[PATH_MAX];
  ssize_t n = ::readlink((dir + "/cwd").c_str(), cwd, sizeof cwd - 1);
  if (n > 0) info.cwd.assign(cwd, static_cast<size_t>(n));
  return info;
}

}  // namespace bbcheck
