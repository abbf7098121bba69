// Turns one merged, raw check into a validated Check: substitutes vars,
// applies defaults, checks keys and converts `with:` by the probe's ParamSpec.
#pragma once

#include <map>
#include <string>

#include "checker/raw_profile.h"

namespace bbcheck {

Check buildCheck(const RawCheck& raw, const std::map<std::string, std::string>& vars);

// The platform bbcheck runs on, as written in a check's `platforms:`.
const char* currentPlatform();

}  // namespace bbcheck
