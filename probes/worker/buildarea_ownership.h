// The buildarea probe's `ownership` aspect: everything in the build area is
// writable by the worker's user (listed, bounded, with the chown that fixes it).
#pragma once

#include <string>

#include "probes/probe.h"
#include "probes/worker/worker_user.h"

namespace bbcheck {

Outcome checkBuildAreaOwnership(const std::string& area, const Account& who,
                                Clock::time_point deadline);

}  // namespace bbcheck
