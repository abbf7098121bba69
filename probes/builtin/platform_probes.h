// Which built-in kinds need their platform's own code (a `_linux.cpp`
// sibling), and what stands in for them on a platform that has none yet.
// CMake picks the definition (platform_probes_linux.cpp or
// platform_probes_generic.cpp): the list in builtin_probes.cpp is the same
// everywhere, so a profile validates on every platform.
#pragma once

#include "probes/probe.h"

namespace bbcheck {

// `kind` itself on Linux; elsewhere notSupportedHere(kind), which skips with
// "not supported on this platform yet".
ProbeKind linuxOnly(ProbeKind kind);

}  // namespace bbcheck
