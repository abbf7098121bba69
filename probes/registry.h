// Probe kinds register themselves by name; the engine looks them up and never
// lists them. A probe's .cpp registers with one line:
//
//   const bool cpuRegistered = registerProbe({"cpu", ...});
//
// The variable is named after the file: the unity build (CMAKE_UNITY_BUILD)
// compiles several probes in one translation unit, so names in anonymous
// namespaces must not repeat across files.
#pragma once

#include <string>
#include <vector>

#include "probes/probe.h"

namespace bbcheck {

// Returns true so it can initialise a static. A second kind with the same
// name is a programming error and aborts at start-up.
bool registerProbe(ProbeKind kind);

// nullptr when no kind has that name.
const ProbeKind* findProbe(const std::string& name);

// Every registered kind, sorted by name.
std::vector<const ProbeKind*> allProbes();

}  // namespace bbcheck
