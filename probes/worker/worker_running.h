// The `worker-running` probe: the build area's twistd.pid names a live
// process that is a Buildbot worker (Linux: read from /proc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "probes/buildbot/worker_process.h"
#include "probes/probe.h"

namespace bbcheck {

// Probe kind "worker-running": a live buildbot worker runs the build area.
ProbeKind workerRunningProbe();

}  // namespace bbcheck
