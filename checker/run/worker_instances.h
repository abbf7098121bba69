// Which workers a run checks (issue 21, "Find the workers"): the one
// `--set buildarea=DIR` names, else every worker found on the host, else
// the profile's default build area. With one worker the profile is loaded
// with its var set to that worker's build area, and every id stays as the
// profile wrote it; with several, each check that depends on the worker is
// instantiated once per worker (see instantiateWorkers).
#pragma once

#include <string>
#include <vector>

#include "checker/profile/profile.h"

namespace bbcheck {

// A worker the run knows of, and whether (and as what) it is checked.
struct WorkerInstance {
  std::string path;                   // the build area
  std::vector<std::string> found_by;  // where it was found; "--set buildarea" when named
  bool checked = false;
  std::string suffix;  // "" with one worker; else the ids' ".NAME" (without the dot)
  std::string name;    // the worker's name in its buildbot.tac; "" when unknown
};

// A found worker as the probes layer reports it (FoundWorker), kept to the
// two fields the plan needs so this header stays free of probes/buildbot.
struct WorkerSighting {
  std::string path;
  std::vector<std::string> found_by;
};

// Decides which workers are checked. `profile` is the profile loaded as
// the user asked; `sets` the --set NAME=VALUE values. When the var is set,
// only that worker is checked (the others found are listed, unchecked).
// Else every sighting is checked, plus the var's default build area when
// its gate path exists and it was not found otherwise. No gate var: none.
std::vector<WorkerInstance> planWorkers(const Profile& profile,
                                        const std::vector<std::string>& sets,
                                        const std::vector<WorkerSighting>& found);

// Whether the user set the gate's worker var with --set.
bool workerVarSet(const Profile& profile, const std::vector<std::string>& sets);

// The checked workers, in order.
std::vector<const WorkerInstance*> checkedWorkers(const std::vector<WorkerInstance>& workers);

// Gives each checked worker its id suffix: the build area's base name in
// the characters an id allows, made unique with -2, -3 ... Only when more
// than one worker is checked.
void nameWorkerInstances(std::vector<WorkerInstance>& workers);

// One profile from `perWorker` (the same profile loaded once per checked
// worker, in the order of `workers`' checked entries): a check that is the
// same in every load (host-level) is kept once; one that differs (its
// params, title or texts use the worker's var), is a worker-stage check, or
// needs such a check, appears once per worker, its id ID.SUFFIX, its title
// naming the build area, and its needs on per-worker checks following it.
Profile instantiateWorkers(const std::vector<Profile>& perWorker,
                           const std::vector<const WorkerInstance*>& workers);

}  // namespace bbcheck
