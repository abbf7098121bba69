#include "checker/run/stage.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <map>
#include <string_view>
#include <unordered_map>

namespace bbcheck {

std::optional<StageScope> parseStageScope(const std::string& name) {
  if (name == "host") return StageScope::Host;
  if (name == "worker") return StageScope::Worker;
  if (name == "all") return StageScope::All;
  return std::nullopt;
}

const char* stageScopeName(StageScope scope) {
  switch (scope) {
    case StageScope::Host:
      return "host";
    case StageScope::Worker:
      return "worker";
    case StageScope::All:
      return "all";
  }
  return "all";
}

bool gatePathExists(const std::string& path) {
  if (path.empty()) return false;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return true;
  return errno != ENOENT && errno != ENOTDIR;
}

namespace {

// Why a worker-stage check waits, and what the volunteer does next.
std::string waitingReason(const StageGate& gate) {
  std::string reason = fmt::format("{} stage, {}", stageName(Stage::Worker), gate.missing);
  if (!gate.next_step.empty()) reason += ": " + gate.next_step;
  return reason;
}

// Worker-stage checks and every check they need, directly or not.
std::vector<bool> workerStageClosure(const Profile& profile) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < profile.checks.size(); ++i) index[profile.checks[i].id] = i;
  std::vector<bool> chosen(profile.checks.size(), false);
  std::function<void(size_t)> choose = [&](size_t i) {
    if (chosen[i]) return;
    chosen[i] = true;
    for (const auto& need : profile.checks[i].needs) choose(index.at(need));
  };
  for (size_t i = 0; i < profile.checks.size(); ++i)
    if (profile.checks[i].stage == Stage::Worker) choose(i);
  return chosen;
}

}  // namespace

StagePlan planStages(const Profile& profile, std::optional<StageScope> requested) {
  StagePlan plan;
  plan.skip_reasons.assign(profile.checks.size(), "");
  bool automatic = !requested.has_value();
  if (automatic) {
    const auto& gate = profile.worker_gate;
    plan.scope = !gate || gatePathExists(gate->path) ? StageScope::All : StageScope::Host;
  } else {
    plan.scope = *requested;
  }
  if (plan.scope == StageScope::All) return plan;
  std::vector<bool> workerSide = workerStageClosure(profile);
  for (size_t i = 0; i < profile.checks.size(); ++i) {
    const Check& c = profile.checks[i];
    if (plan.scope == StageScope::Host && c.stage == Stage::Worker)
      plan.skip_reasons[i] =
          automatic ? waitingReason(*profile.worker_gate) : "not selected: --stage host";
    else if (plan.scope == StageScope::Worker && !workerSide[i])
      plan.skip_reasons[i] = "not selected: --stage worker";
  }
  return plan;
}

void mergeSkipReasons(std::vector<std::string>& into, const std::vector<std::string>& more) {
  for (size_t i = 0; i < into.size() && i < more.size(); ++i)
    if (into[i].empty()) into[i] = more[i];
}

}  // namespace bbcheck
