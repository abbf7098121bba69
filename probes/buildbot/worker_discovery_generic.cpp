// Elsewhere than Linux processes are not read yet (/proc is Linux's): no
// running worker is found; the other places (crontabs, build areas) still are.
#include "probes/buildbot/worker_discovery.h"

namespace bbcheck {

std::vector<RunningWorker> runningWorkers() {
  return {};
}

}  // namespace bbcheck
