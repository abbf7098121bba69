// The buildarea probe's `info` aspect: every file in info/ is readable by the
// worker's user and valid UTF-8 (the worker sends them all to the master),
// and admin and host no longer hold create-worker's template text.
#pragma once

#include <string>

#include "probes/probe.h"
#include "probes/worker/worker_user.h"

namespace bbcheck {

Outcome checkBuildAreaInfo(const std::string& area, const Account& who);

}  // namespace bbcheck
