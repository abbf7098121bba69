// NXDOMAIN hijacking: a resolver that answers names that do not exist (RFC
// 6761 reserves .invalid for names that never resolve) with an address of
// its own, usually a search or advertising page.
#pragma once

#include <string>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "nxdomain": the resolver does not answer names that do not exist.
ProbeKind nxdomainProbe();

// "bbcheck-<16 random hex digits>.<domain>": no cache on the way can know it.
std::string randomNameUnder(const std::string& domain);

}  // namespace bbcheck
