// --only and --skip: which checks of a profile run.
#pragma once

#include <string>
#include <vector>

#include "checker/profile/profile.h"
#include "checker/run/derived_check.h"

namespace bbcheck {

// Which checks run, one entry per check in profile order.
struct Selection {
  std::vector<std::string> skip_reasons;  // "" when it runs, else why it is skipped
  std::vector<bool> selected;             // false when --only or --skip left it out
};

// A selector is an id, an id prefix ending in '.', or tag:NAME; one that
// matches no check throws ProfileError. Checks that selected checks need are
// selected too, so that --only never turns a check into "blocked" by itself;
// a check --skip leaves out does not block the checks that need it either
// (see SchedulerOptions::selected). So are the inputs of a selected derived
// check (`derived`, by id).
Selection selectChecks(const Profile& profile, const std::vector<std::string>& only,
                       const std::vector<std::string>& skip, const DerivedChecks& derived);

bool selectorMatches(const std::string& selector, const Check& check);

}  // namespace bbcheck
