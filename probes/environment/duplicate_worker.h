// The `duplicate-worker` probe: no other worker on this host uses this
// build area's worker name (for the same master), and no second worker
// process runs this build area. The master accepts one connection per
// worker name: a duplicate is refused or knocks the other one off, and two
// processes in one build area corrupt each other's builds.
#pragma once

#include <string>
#include <vector>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "duplicate-worker": no other build area or process is this worker.
ProbeKind duplicateWorkerProbe();

// Build areas (directories holding buildbot.tac) on this host, besides
// `area`: /var/lib/buildbot/workers/*, users' home directories two levels
// deep, and the areas that crontabs and enabled systemd units start. Bounded
// by `deadline` and a cap on directories read; `notes` says what was left.
std::vector<std::string> otherBuildAreas(const std::string& area, Clock::time_point deadline,
                                         std::vector<std::string>& notes);

// Worker processes (buildbot-worker, twistd of a worker's buildbot.tac)
// whose working directory or command line names `area`, other than `pid`
// (the one in twistd.pid, 0 when none) and its descendants.
struct WorkerProcess {
  int pid = 0;
  std::string how;  // "working directory" or "command line"
};
std::vector<WorkerProcess> otherWorkerProcesses(const std::string& area, int pid);

}  // namespace bbcheck
