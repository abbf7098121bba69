// Cron's side of the service environment (service_env_cron.cpp).
#pragma once

#include <string>

#include "probes/environment/service_env.h"

namespace bbcheck::service_env_cron {

// The @reboot line of `user` that starts `area`: the user's crontab (`crontab
// -l`, with `-u` unless `self`), /etc/crontab, /etc/cron.d/*. Fills env's
// source and the crontab's variables; false when none starts it.
bool findEntry(const std::string& area, const std::string& user, const std::string& home, bool self,
               Clock::time_point deadline, ServiceEnvironment& env);

// What cron's PAM session adds: pam_env's files, the daemon's limits and
// umask, pam_limits; the working directory (HOME).
void addSessionSettings(ServiceEnvironment& env);

}  // namespace bbcheck::service_env_cron
