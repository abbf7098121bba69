// A check the run layer adds to a profile and runs itself, from the results
// of other checks of the same run, instead of a probe. The profile model
// sees an ordinary Check (it is listed, selected and reported like any
// other); how it runs lives here, in the layer that runs checks.
// service_rerun.h makes the only ones today.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "checker/run/result.h"

namespace bbcheck {

struct DerivedCheck {
  // Ids of the checks whose results it reads. It waits for each to end,
  // whatever its status: unlike a need, an input that did not pass does not
  // block it (it says itself what that means).
  std::vector<std::string> inputs;
  // Runs on a probe thread with the inputs' results, in `inputs` order.
  std::function<Outcome(const std::vector<CheckResult>& inputs, const ProbeContext& context)> run;
};

// By the derived check's id.
using DerivedChecks = std::map<std::string, DerivedCheck>;

}  // namespace bbcheck
