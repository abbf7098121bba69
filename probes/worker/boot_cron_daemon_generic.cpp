// Elsewhere than Linux whether cron starts at boot is not read yet (/proc
// and systemd are Linux's); the boot probe says it is not supported here
// (probes/builtin/).
#include "probes/registry.h"
#include "probes/worker/boot_cron_daemon.h"

namespace bbcheck {

CronAtBoot cronAtBoot(const std::string&, const std::string&) {
  CronAtBoot cron;
  cron.how = kNotSupportedHere;
  return cron;
}

}  // namespace bbcheck
