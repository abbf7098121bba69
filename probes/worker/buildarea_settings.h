// The buildarea probe's settings aspects, read from buildbot.tac as the worker
// reads it: `keepalive` equals the expected value, `leftover`:
// delete_leftover_dirs is on.
#pragma once

#include <string>

#include "probes/probe.h"
#include "probes/worker/worker_user.h"

namespace bbcheck {

Outcome checkBuildAreaKeepalive(const std::string& area, const Account& who, int64_t expected);
Outcome checkBuildAreaLeftover(const std::string& area, const Account& who);

}  // namespace bbcheck
