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

// What cron gives the job besides its crontab: the daemon's limits and
// umask, the working directory (HOME), and its PAM service ("cron"), whose
// session service_env_session.h then opens.
void addSessionSettings(ServiceEnvironment& env);

}  // namespace bbcheck::service_env_cron
