// --only and --skip: which checks of a profile run.
#pragma once

#include <string>
#include <vector>

#include "checker/profile.h"

namespace bbcheck {

// One entry per check: "" when it runs, else why it is skipped. A selector
// is an id, an id prefix ending in '.', or tag:NAME; one that matches no
// check throws ProfileError. Checks that selected checks need are selected
// too, so that --only never turns a check into "blocked" by itself.
std::vector<std::string> selectChecks(const Profile& profile, const std::vector<std::string>& only,
                                      const std::vector<std::string>& skip);

bool selectorMatches(const std::string& selector, const Check& check);

}  // namespace bbcheck
