// The acts that go through Python: its temporary directory, localhost,
// buildbot-worker --version.
#pragma once

#include <string>

#include "probes/probe.h"
#include "probes/worker/rehearsal_session.h"

namespace bbcheck::rehearsal {

Outcome rehearseTemp(const RehearsalSession& session, Clock::time_point deadline);
Outcome rehearseLocalhost(const RehearsalSession& session, Clock::time_point deadline);
Outcome rehearseVersion(const RehearsalSession& session, Clock::time_point deadline);
}  // namespace bbcheck::rehearsal
