#include "checker/run/stage.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <map>
#include <string_view>
#include <unordered_map>

#include "checker/profile/vars.h"

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

bool buildAreaExists(const std::string& path) {
  if (path.empty()) return false;
  struct stat st {};
  if (::stat((path + "/buildbot.tac").c_str(), &st) == 0) return true;
  return errno != ENOENT && errno != ENOTDIR;
}

namespace {

std::string varOr(const Profile& profile, const std::string& name, const std::string& fallback) {
  auto it = profile.vars.find(name);
  return it == profile.vars.end() || it->second.empty() ? fallback : it->second;
}

// What the volunteer does once the farm has sent a worker name and password.
std::string nextStep(const Profile& profile) {
  std::string area = varOr(profile, "buildarea", "BUILDAREA");
  return fmt::format(
      "worker stage, no build area at {} yet: after your request is accepted: "
      "buildbot-worker create-worker {} {} {} PASSWORD",
      area, area, varOr(profile, "master", "MASTERHOST:PORT"),
      varOr(profile, "worker_name", "WORKERNAME"));
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
    auto area = profile.vars.find("buildarea");
    bool exists = area == profile.vars.end() || buildAreaExists(expandHome(area->second));
    plan.scope = exists ? StageScope::All : StageScope::Host;
  } else {
    plan.scope = *requested;
  }
  if (plan.scope == StageScope::All) return plan;
  std::vector<bool> workerSide = workerStageClosure(profile);
  for (size_t i = 0; i < profile.checks.size(); ++i) {
    const Check& c = profile.checks[i];
    if (plan.scope == StageScope::Host && c.stage == Stage::Worker)
      plan.skip_reasons[i] = automatic ? nextStep(profile) : "not selected: --stage host";
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
