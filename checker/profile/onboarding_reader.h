// Reads a profile's `onboarding:` section (see onboarding.h); mistakes are
// ProfileErrors naming file:line:column.
#pragma once

#include <map>
#include <string>

#include "checker/profile/onboarding.h"
#include "checker/profile/raw_profile.h"

namespace bbcheck {

// `section` is the YAML node of `onboarding:`; ${var}s are substituted.
Onboarding readOnboarding(const RawField& section, const std::map<std::string, std::string>& vars);

}  // namespace bbcheck
