// The area act: walk to the build area, read buildbot.tac and every info/
// file, create and remove a file and a directory there.
#pragma once

#include <string>

#include "probes/probe.h"
#include "probes/worker/rehearsal_session.h"

namespace bbcheck::rehearsal {

Outcome rehearseArea(const RehearsalSession& session, const std::string& area,
                     Clock::time_point deadline);
}  // namespace bbcheck::rehearsal
