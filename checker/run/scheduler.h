// Runs a profile's checks concurrently: at most `jobs` probes at once, each
// under its own timeout, the whole run under one deadline. Checks start in
// profile order as soon as what they need has passed; results come back in
// profile order whatever order probes finish in.
//
// This is the entry point; the work is split as ninja splits its Plan from
// its Builder: plan.h decides (pure, no threads or clocks), executor.h runs.
#pragma once

#include <string>
#include <vector>

#include "checker/run/executor.h"
#include "checker/run/result.h"

namespace bbcheck {

// `skipReasons` has one entry per check: non-empty means "skip, because...".
std::vector<CheckResult> runChecks(const Profile& profile,
                                   const std::vector<std::string>& skipReasons,
                                   const SchedulerOptions& options);

}  // namespace bbcheck
