#include "checker/profile/stage_needs.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "checker/profile/profile_error.h"

namespace bbcheck {

const char* stageName(Stage stage) {
  return stage == Stage::Worker ? "worker" : "host";
}

void checkStageNeeds(const Profile& profile) {
  auto isWorker = [](const Check& c) { return c.stage == Stage::Worker; };
  if (std::none_of(profile.checks.begin(), profile.checks.end(), isWorker)) return;
  std::unordered_map<std::string_view, const Check*> byId;
  byId.reserve(profile.checks.size());
  for (const auto& c : profile.checks) byId.emplace(c.id, &c);
  for (const auto& c : profile.checks) {
    if (c.stage != Stage::Host) continue;
    for (const auto& need : c.needs) {
      auto it = byId.find(need);
      if (it != byId.end() && it->second->stage == Stage::Worker)
        throw ProfileError(c.pos, fmt::format("check '{}' (stage host) needs '{}', which is stage "
                                              "worker: it would be blocked until the build area "
                                              "exists (mark '{}' stage: worker)",
                                              c.id, need, c.id));
    }
  }
}

}  // namespace bbcheck
