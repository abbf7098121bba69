// The session the worker-stage rehearsal acts in: the worker's user in the
// environment its service manager gives it (probes/service_environment.h),
// or, while nothing starts the worker yet, a session as cron would open it.
// Reading files as root is a hint; what the user's own processes manage to
// do in that session decides.
#pragma once

#include <functional>
#include <string>

#include "probes/probe.h"
#include "probes/python_temp.h"
#include "probes/service_environment.h"
#include "probes/worker/worker_user.h"

namespace bbcheck {

// How the worker family gets the environment the environment family reads
// (readServiceEnvironment); probes/builtin wires the two together.
using ServiceEnvironmentLookup = std::function<ServiceEnvironment(
    const std::string& area, const std::string& user, Clock::time_point deadline)>;

// The session cron opens for `who` when its crontab has no variables:
// HOME, LOGNAME, USER, SHELL=/bin/sh, PATH=/usr/bin:/bin, in HOME.
ServiceEnvironment plainSession(const Account& who);

struct RehearsalSession {
  ServiceEnvironment env;
  std::string described;    // "as bob, in its session (cron: crontab of bob)"
  std::string not_as_user;  // whyNotAsServiceUser: "" when the acts run as the worker's user
};

// The session of the worker of `area`: the service environment `lookup`
// reads when a boot entry starts the worker, else plainSession(who).
RehearsalSession rehearsalSession(const std::string& area, const Account& who,
                                  const ServiceEnvironmentLookup& lookup,
                                  Clock::time_point deadline);

// Runs programs in `env` (runInServiceEnvironment), for probes/python_temp.h.
ProgramRunner runnerIn(const ServiceEnvironment& env);

// Walks to `path` as the session's user (cd into each directory on it in
// turn), then, when `file` is not empty, opens path/file for reading.
// "" when that works; else what stopped it, naming the directory and its
// mode and owner ("/srv/a (mode 0700, owner alice) does not let bob
// through"). *undecided is set when the user's process did not run.
std::string whereWalkStops(const ServiceEnvironment& env, const std::string& path,
                           const std::string& file, Clock::time_point deadline,
                           std::string* undecided);

// For the checks that read the build area as root (buildarea.tac,
// buildarea.ownership): whereWalkStops in plainSession(who), so that what
// root can read is never taken for what the worker can. "" when the user
// gets there, or when it cannot be tried (bbcheck is neither root nor
// `who`: then the worker-rehearsal checks say so).
std::string workerCannotReach(const Account& who, const std::string& path, const std::string& file,
                              Clock::time_point deadline);

}  // namespace bbcheck
