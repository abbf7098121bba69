// Reads profiles (format 1): YAML text -> a validated Profile. Every mistake
// is a ProfileError naming file:line:column, which the CLI turns into exit 2.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "checker/profile/profile.h"
#include "checker/profile/profile_error.h"
#include "checker/profile/vars.h"
#include "probes/registry.h"

namespace bbcheck {

struct LoadOptions {
  std::map<std::string, std::string> overrides;  // --set NAME=VALUE
  // When set, an unset ${env:NAME} is reported here (and expands to "")
  // instead of being an error: validate lints without the run's environment.
  VarExpander::UnsetEnvHandler on_unset_env;
  // The probe kinds checks may use (a test's own); nullptr: the built-in ones.
  // Loaded checks point into it, so it must outlive the Profile.
  const Registry* probes = nullptr;
};

// `refs` are built-in profile names, paths to YAML files or `-` (standard
// input, named <stdin>). Several are layered in order, as if each extended
// the one before.
Profile loadProfiles(const std::vector<std::string>& refs, const LoadOptions& options = {});

// For tests: one profile from text; `file` is the name used in positions,
// and relative `extends` resolve against its directory.
Profile loadProfileText(const std::string& text, const std::string& file,
                        const LoadOptions& options = {});

// Names of the built-in profiles.
std::vector<std::string> builtinProfileNames();

// The profile used when none is given.
constexpr const char* kDefaultProfile = "python-buildbot";

}  // namespace bbcheck
