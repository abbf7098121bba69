// The `header` probe: a header is usable when the compiler a build would use
// preprocesses `#include <NAME>` (with pkg-config's --cflags when named).
// One compiler run per check: `-E -H -v` prints both the resolved path of
// each included header (-H) and the search list (-v) on stderr.
#pragma once

#include <string>
#include <vector>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "header": the compiler finds and preprocesses a header.
ProbeKind headerProbe();

// The path -H reports for the header included from the top level (lines
// ". /usr/include/zlib.h"), normalised; "" when none was included.
std::string includedHeaderPath(const std::string& compilerStderr, const std::string& name);

// The directories of -v's `#include <...> search starts here:` list.
std::vector<std::string> includeSearchDirs(const std::string& compilerStderr);

}  // namespace bbcheck
