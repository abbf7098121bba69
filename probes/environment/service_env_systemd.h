// systemd's side of the service environment (service_env_systemd_linux.cpp).
#pragma once

#include <string>

#include "probes/environment/service_env.h"

namespace bbcheck::service_env_systemd {

// The enabled unit whose ExecStart runs buildbot-worker for `area` (as the
// boot probe finds it), its settings applied to env; false when none.
bool findUnit(const std::string& area, const std::string& user, const std::string& home,
              Clock::time_point deadline, ServiceEnvironment& env);

}  // namespace bbcheck::service_env_systemd
