// Elsewhere than Linux processes are not read yet (/proc is Linux's): none
// is found, and the probes that look for Buildbot's processes
// (worker-running, duplicate-worker) say they are not supported here
// (probes/builtin/).
#include "probes/buildbot/worker_process.h"

namespace bbcheck {

std::optional<ProcessInfo> readProcessInfo(int) {
  return std::nullopt;
}

}  // namespace bbcheck
