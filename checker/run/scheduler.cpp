#include "checker/run/scheduler.h"

#include "checker/run/plan.h"

namespace bbcheck {

std::vector<CheckResult> runChecks(const Profile& profile,
                                   const std::vector<std::string>& skipReasons,
                                   const SchedulerOptions& options) {
  Plan plan(profile, skipReasons, options.selected, options.derived);
  return Executor(profile, plan, options).run();
}

}  // namespace bbcheck
