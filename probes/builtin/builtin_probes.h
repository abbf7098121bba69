// The probe kinds bbcheck ships, listed in one place (as kubeadm lists its
// checks): the registry profiles are loaded against unless a caller (a
// test) passes its own.
#pragma once

#include <vector>

#include "probes/registry.h"

namespace bbcheck {

// Every built-in kind, one entry per kind. A kind with no implementation
// for the platform built for is listed as notSupportedHere(itsKind()).
std::vector<ProbeKind> builtinProbes();

// A registry of builtinProbes(), built on first use.
const Registry& builtinRegistry();

}  // namespace bbcheck
