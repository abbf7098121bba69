// Turns one merged, raw check into a validated Check: substitutes vars,
// applies defaults, checks keys and converts `with:` by the probe's ParamSpec.
#pragma once

#include <map>
#include <string>

#include "checker/profile/raw_profile.h"
#include "checker/profile/vars.h"

namespace bbcheck {

Check buildCheck(const RawCheck& raw, VarExpander& vars);

// The platform bbcheck runs on, as written in a check's `platforms:`.
const char* currentPlatform();

}  // namespace bbcheck
