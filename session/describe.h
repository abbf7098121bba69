// `bbcheck-session --describe`: the process as the session left it, for
// bbcheck to show the worker's environment as it really is.
#pragma once

namespace bbcheck::session {

// Writes, as session_request.h fields on standard output: env=NAME=VALUE for
// each variable, limit=RESOURCE:SOFT:HARD for each resource, umask=, cwd=,
// uid=, gid=, group= for each supplementary group. Returns the exit code.
int describeThisProcess();

}  // namespace bbcheck::session
