// ${name} and ${env:NAME} substitution in profile strings.
#pragma once

#include <map>
#include <string>

#include "checker/profile.h"

namespace bbcheck {

// Replaces every ${name} with vars[name] and ${env:NAME} with the
// environment's NAME. An unknown var or unset environment variable throws a
// ProfileError at `pos`.
std::string substituteVars(const std::string& text, const std::map<std::string, std::string>& vars,
                           const SourcePos& pos);

// "~" or "~/..." at the start becomes the running user's home directory.
std::string expandHome(const std::string& path);

}  // namespace bbcheck
