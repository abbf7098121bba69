// The build act: a ./configure script, a compile and a run in the build area.
#pragma once

#include <string>

#include "probes/probe.h"
#include "probes/worker/rehearsal_session.h"

namespace bbcheck::rehearsal {

Outcome rehearseBuild(const RehearsalSession& session, const std::string& area,
                      Clock::time_point deadline);
}  // namespace bbcheck::rehearsal
