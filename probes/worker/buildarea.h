// The `buildarea` probe: a worker's build area as `buildbot-worker
// create-worker` leaves it and the devguide asks it to be edited. One aspect
// per check so that a profile can mark each required or recommended:
//   tac        buildbot.tac exists, mode 0600, owned by the running user,
//              names a master, a worker name and a password
//   info       info/admin and info/host exist and no longer hold the template
//   keepalive  keepalive equals the `keepalive` parameter
//   leftover   delete_leftover_dirs is on
#pragma once

#include <string>

#include "probes/probe.h"

namespace bbcheck {

// What create-worker writes into info/admin and info/host.
extern const char* const kInfoAdminTemplate;
extern const char* const kInfoHostTemplate;

// "0600" for 0600.
std::string octalMode(unsigned mode);

Outcome checkBuildAreaTac(const std::string& area);
Outcome checkBuildAreaInfo(const std::string& area);
Outcome checkBuildAreaKeepalive(const std::string& area, int64_t expected);
Outcome checkBuildAreaLeftover(const std::string& area);

}  // namespace bbcheck
