// The worker's service environment: what its process starts with when cron's
// @reboot line or its systemd unit starts it — the user, the variables, the
// resource limits, the umask and the working directory — as opposed to the
// volunteer's interactive shell, where bbcheck usually runs.
//
// The `service-env` probe reads and describes it (ServiceEnvironment, the
// engine's view of it, is in probes/service_environment.h).
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "probes/probe.h"
#include "probes/process.h"
#include "probes/service_environment.h"

namespace bbcheck {

// Probe kind "service-env": the environment the worker starts in; checks tagged service-env are
// re-run there (checker/run/service_rerun.h).
ProbeKind serviceEnvProbe();

// Reads how the worker of build area `area` starts. `user` is whose crontab
// to read ("" = the user running bbcheck). Never throws for what the machine
// holds; `known` is false when nothing starts the build area.
ServiceEnvironment readServiceEnvironment(const std::string& area, const std::string& user,
                                          Clock::time_point deadline);

// The environment as an observed value: variables with values that may hold
// secrets are shown by name only.
Value describeServiceEnvironment(const ServiceEnvironment& env);

namespace service_env_detail {

// Cron's view: the @reboot line of `user` in a crontab that runs
// `buildbot-worker ... area`, with the variables in effect at that line.
// `text` is a crontab; `systemFormat` for /etc/crontab and /etc/cron.d.
// Fills env.known, source, env (cron's defaults + the crontab's NAME=value
// lines before that line; PAM's are added by the caller).
bool cronEnvironmentFor(const std::string& text, bool systemFormat, const std::string& area,
                        const std::string& user, const std::string& home, const std::string& source,
                        ServiceEnvironment& env);

// systemd's view: the [Service] settings of `unit` (its file, template and
// drop-ins under `root`) applied to env. Returns false when no unit file.
bool systemdEnvironmentFor(const std::string& root, const std::string& unit,
                           ServiceEnvironment& env);

// NAME=VALUE lines of an environment file (/etc/environment, EnvironmentFile=).
std::map<std::string, std::string> readEnvironmentFile(const std::string& path);

// RLIMIT_* for "NOFILE", "NPROC", ... (-1 when unknown).
int resourceNamed(const std::string& name);

}  // namespace service_env_detail

}  // namespace bbcheck
