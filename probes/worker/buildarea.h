// The `buildarea` probe: a worker's build area as `buildbot-worker
// create-worker` leaves it and the devguide asks it to be edited, judged for
// the user the worker runs as (workerAccount). One aspect per check so that a
// profile can mark each required or recommended:
//   tac        buildbot.tac exists, compiles under the worker's Python, holds
//              nothing the worker refuses, is owned by the worker's user and
//              readable by no other user, names a master, a name, a password
//   info       every file in info/ is readable and valid UTF-8 (the worker
//              sends them all); admin and host no longer hold the template
//   ownership  everything in the build area is writable by the worker's user
//   keepalive  keepalive equals the `keepalive` parameter
//   leftover   delete_leftover_dirs is on
#pragma once

#include <string>

#include "probes/buildbot/info_files.h"
#include "probes/probe.h"
#include "probes/program_limit.h"
#include "probes/worker/worker_user.h"

namespace bbcheck {

// Probe kind "buildarea": a worker's build area (buildbot.tac, info files, ownership, keepalive).
ProbeKind buildareaProbe();

// "0600" for 0600.
std::string octalMode(unsigned mode);

// Python compiles the tac under `limit` (a check's context: judged by its work).
Outcome checkBuildAreaTac(const std::string& area, const Account& who, const ProgramLimit& limit);

// Another user who can read `file` (its parents searchable and its mode or
// group letting them), "" when none can; then *why says what stops them
// (e.g. "/home/bob (mode 0700, owner bob) does not let other users through").
std::string otherReader(const std::string& file, const Account& owner, std::string* why);

}  // namespace bbcheck
