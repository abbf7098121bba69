// The profile a run judges, with its workers: bbcheck looks for the workers
// on the host (probes/buildbot/worker_discovery.h) and the run layer decides
// which are checked and how (checker/run/worker_instances.h).
#pragma once

#include <string>
#include <vector>

#include "checker/profile/profile.h"
#include "checker/run/worker_instances.h"

namespace bbcheck {

struct WorkerChoice {
  Profile profile;                      // loaded for the checked workers
  std::vector<WorkerInstance> workers;  // found or named, checked or not
  // --set values for a child run in a worker's service environment (the
  // first checked worker's build area set, so the child looks for none).
  std::vector<std::string> rerun_sets;
};

// Loads `profiles` with `sets`; unless `look` is false (a host-stage-only
// run) or the profile names no worker var, looks for the workers on this
// host and loads the profile for the ones it checks.
WorkerChoice chooseWorkers(const std::vector<std::string>& profiles,
                           const std::vector<std::string>& sets, bool look);

}  // namespace bbcheck
