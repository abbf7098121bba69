// What to tell a volunteer when a compiler, header or library check fails:
// whether the machine's environment is at fault (no linker or assembler on
// PATH, a full TMPDIR) rather than a missing package, and, for a package,
// whether it is in fact installed (then installing it again cannot help).
#pragma once

#include <string>

#include "probes/probe.h"
#include "probes/program_limit.h"

namespace bbcheck {

// The environment's fault as the compiler's output shows it, or "" when the
// output shows none: "the linker ld is not on PATH (PATH=/x)", "TMPDIR
// (/tmp) is full: the compiler cannot write its temporary files".
std::string environmentProblem(const std::string& compilerOutput);

// "install the Debian package zlib1g-dev", or, when dpkg says it is
// installed, "the Debian package zlib1g-dev is installed, so installing it
// cannot help: ..." with `otherwise` (what to look at instead). "" when
// `package` is empty.
std::string packageAdvice(const std::string& package, const std::string& otherwise,
                          const ProgramLimit& limit);

// Whether dpkg says `package` is installed; nullopt-like -1 when dpkg cannot
// tell (no dpkg-query, timed out), 0 not installed, 1 installed.
int debianPackageInstalled(const std::string& package, const ProgramLimit& limit);

}  // namespace bbcheck
