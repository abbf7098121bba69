#pragma once

#include <string>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "command": an executable on PATH, optionally with a minimum version.
ProbeKind commandProbe();

// Compares two version strings as versions, not text: numeric components
// numerically (2.10 > 2.9), a missing component as 0 (2.0 == 2), a leading
// "v" ignored. A pre-release tag (dev, a1, alpha, b2, beta, rc1, pre,
// preview) sorts before the release it precedes (3.7.0rc1 < 3.7.0); other
// letters are post-release (1.1.1w > 1.1.1, 9.2p1 > 9.2).
// Returns <0, 0 or >0 like strcmp.
int compareVersions(const std::string& a, const std::string& b);

// The version in a program's output: the first capture group of the first
// match of `regex` (or the whole match when it has no group); "" when none.
// An RE2 pattern (linear time on any output); when it does not compile,
// returns "" and sets `error` (when given) to RE2's reason.
std::string extractVersion(const std::string& output, const std::string& regex,
                           std::string* error = nullptr);

}  // namespace bbcheck
