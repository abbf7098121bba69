// The `worker-running` probe: the build area's twistd.pid names a live
// process that is a Buildbot worker (Linux: read from /proc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "probes/probe.h"

namespace bbcheck {

struct ProcessInfo {
  int pid = 0;
  bool zombie = false;            // exited, not yet reaped: not running
  std::string comm;               // kernel's short name ("sleep", "python3")
  std::vector<std::string> argv;  // empty for kernel threads and zombies
  std::string cwd;                // "" when not readable (another user's process)
  int64_t uid = -1;               // effective uid; -1 when unknown
};

// nullopt when no such process exists.
std::optional<ProcessInfo> readProcessInfo(int pid);

// What a process is, from its command line: "worker" (buildbot-worker,
// buildslave, python -m buildbot_worker), "twistd" (a bare twistd, which
// runs whatever buildbot.tac is in its directory), "master" (buildbot), or
// "" for anything else.
std::string buildbotRole(const std::vector<std::string>& argv);

}  // namespace bbcheck
