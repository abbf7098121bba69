// The `worker-rehearsal` probe: does, as the worker's user in the worker's
// session (rehearsal_session.h), what the worker and its build will do, and
// judges by what happened. One act per check:
//   area       walk to the build area, read buildbot.tac and every info/
//              file, create and remove a file and a directory there
//   build      in the build area: run a ./configure-like script, compile a
//              small program with the compiler configure would pick, run it
//   tmp        in the directory Python's tempfile picks in that session,
//              create a script and run it
//   localhost  bind and connect on localhost (from Python, as the tests do)
//   version    `buildbot-worker --version`
// Each failure names its cause (the directory on the path that stops the
// user, a mount option, a variable that breaks Python). Nothing is left
// behind, also after a timeout; no worker is started.
#pragma once

#include "probes/probe.h"
#include "probes/worker/rehearsal_session.h"

namespace bbcheck {

// Probe kind "worker-rehearsal". `lookup` reads the worker's service
// environment (the environment family's readServiceEnvironment).
ProbeKind workerRehearsalProbe(ServiceEnvironmentLookup lookup);

}  // namespace bbcheck
