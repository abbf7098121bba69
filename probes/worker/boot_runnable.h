// Whether a boot entry will really start the worker at boot: its program
// exists and is executable for the entry's user on the PATH it will have
// (cron's /usr/bin:/bin for a bare name), its #! interpreter exists, a cron
// daemon will read the crontab (crontab entries), and a systemd unit's user
// can read and write the build area.
#pragma once

#include <string>
#include <vector>

#include "probes/worker/boot.h"
#include "probes/worker/boot_cron_daemon.h"

namespace bbcheck {

// The full path `program` resolves to for `user` on `searchPath`
// (colon-separated), or "" with *why set. A name with a slash is taken as
// it is (relative to `cwd`).
std::string resolveBootProgram(const std::string& program, const std::string& searchPath,
                               const std::string& user, const std::string& cwd, std::string* why);

// Everything that stops `e` from starting the worker in `area` at boot ("" entries
// never appear). `cron` is consulted for crontab entries only.
std::vector<std::string> bootEntryProblems(const BootEntry& e, const std::string& area,
                                           const CronAtBoot& cron);

}  // namespace bbcheck
