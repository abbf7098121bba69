// Turns one merged, raw check into a validated Check: substitutes vars,
// applies defaults, checks keys and converts `with:` by the probe's ParamSpec.
#pragma once

#include <map>
#include <string>

#include "checker/profile/raw_profile.h"
#include "checker/profile/vars.h"
#include "probes/registry.h"

namespace bbcheck {

// `probes`: the kinds a check may name; the Check points into it.
Check buildCheck(const RawCheck& raw, VarExpander& vars, const Registry& probes);

// The platform bbcheck runs on, as written in a check's `platforms:`.
const char* currentPlatform();

}  // namespace bbcheck
