// Stages (DESIGN.md "Stages"): a volunteer runs bbcheck before asking the
// farm for credentials (the host stage) and again after `create-worker` made
// the build area (the worker stage). This decides which checks a run judges.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checker/profile/profile.h"

namespace bbcheck {

// What a run's verdict covers.
enum class StageScope { Host, Worker, All };

std::optional<StageScope> parseStageScope(const std::string& name);
const char* stageScopeName(StageScope scope);

struct StagePlan {
  StageScope scope = StageScope::All;
  std::vector<std::string> skip_reasons;  // one per check: "" when it runs
};

// `requested` empty means automatic: everything when the path the profile's
// worker gate requires exists (or the profile has no gate); otherwise the
// host stage, with each worker-stage check skipped for the gate's reason and
// next step. --stage worker also runs the host-stage checks that
// worker-stage checks need.
StagePlan planStages(const Profile& profile, std::optional<StageScope> requested);

// Whether a gate's path exists. One that cannot be looked at (permission
// denied) counts as existing: the worker-stage checks then say what they
// could not see, rather than being skipped.
bool gatePathExists(const std::string& path);

// Fills the empty entries of `into` from `more` (a check skipped for one
// reason keeps that reason).
void mergeSkipReasons(std::vector<std::string>& into, const std::vector<std::string>& more);

}  // namespace bbcheck
