// Whether a cron daemon will read the crontabs at boot, so that an @reboot
// line runs at all: a cron daemon running now, or one enabled under the init
// system that is PID 1 (systemd: a cron unit in a *.wants directory, not
// masked; sysvinit: an S?? link in /etc/rc[2-5].d). In a container whose
// PID 1 is neither, nothing starts cron at boot.
#pragma once

#include <string>

namespace bbcheck {

struct CronAtBoot {
  bool will_run = false;
  std::string how;   // "cron is running (PID 412)", "systemd enables cron.service", or why not
  std::string init;  // PID 1's name
};

// `procRoot` and `etcRoot` are "/proc" and "/etc" on a real system; tests
// point them at trees of their own.
CronAtBoot cronAtBoot(const std::string& procRoot = "/proc", const std::string& etcRoot = "/etc");

}  // namespace bbcheck
