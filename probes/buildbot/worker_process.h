// What a process is, for the probes that look for Buildbot's processes
// (worker-running, duplicate-worker): name, state, command line, working
// directory and owner (Linux: read from /proc, worker_process_linux.cpp),
// and the Buildbot role its command line names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
