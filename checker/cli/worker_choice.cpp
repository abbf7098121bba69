#include "checker/cli/worker_choice.h"

#include <fmt/format.h>

#include "checker/cli/shared_options.h"
#include "checker/profile/profile_loader.h"
#include "probes/buildbot/buildbot_tac.h"
#include "probes/buildbot/worker_discovery.h"

namespace bbcheck {
namespace {

// Reading crontabs, units and /proc takes milliseconds; `crontab -l` (not
// root) is one process.
constexpr Milliseconds kSearchTime{3000};

std::vector<std::string> withVar(std::vector<std::string> sets, const std::string& var,
                                 const std::string& value) {
  sets.push_back(fmt::format("{}={}", var, value));
  return sets;
}

}  // namespace

WorkerChoice chooseWorkers(const std::vector<std::string>& profiles,
                           const std::vector<std::string>& sets, bool look) {
  WorkerChoice choice;
  choice.profile = loadProfiles(profiles, loadOptions(sets));
  choice.rerun_sets = sets;
  const Profile& asked = choice.profile;
  if (!look || !asked.worker_gate || asked.worker_gate->worker_var.empty()) return choice;
  const std::string var = asked.worker_gate->worker_var;
  std::vector<WorkerSighting> sightings;
  WorkerSearch search = findWorkers(Clock::now() + kSearchTime);
  for (const FoundWorker& w : search.workers) sightings.push_back({w.path, w.found_by});
  choice.workers = planWorkers(asked, sets, sightings);
  // The name the master knows it by (Prometheus labels its metrics with
  // it); a tac that cannot be read here leaves it unknown.
  for (WorkerInstance& w : choice.workers) {
    std::string error;
    std::optional<BuildbotTac> tac = readBuildbotTac(w.path + "/buildbot.tac", &error);
    if (tac && tac->is_worker && !isComputed(*tac, "workername")) w.name = tac->workername;
  }
  if (workerVarSet(asked, sets)) return choice;  // the user's worker, as loaded
  nameWorkerInstances(choice.workers);
  std::vector<const WorkerInstance*> checked = checkedWorkers(choice.workers);
  if (checked.empty()) return choice;
  choice.rerun_sets = withVar(sets, var, checked.front()->path);
  if (checked.size() == 1) {
    choice.profile = loadProfiles(profiles, loadOptions(choice.rerun_sets));
    return choice;
  }
  std::vector<Profile> perWorker;
  for (const WorkerInstance* w : checked)
    perWorker.push_back(loadProfiles(profiles, loadOptions(withVar(sets, var, w->path))));
  choice.profile = instantiateWorkers(perWorker, checked);
  return choice;
}

}  // namespace bbcheck
