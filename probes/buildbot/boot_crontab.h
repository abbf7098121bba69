// Reading crontabs for @reboot lines that run buildbot-worker: the user's
// crontab (`crontab -l`), /etc/crontab and /etc/cron.d/*.
#pragma once

#include "probes/buildbot/boot_entries.h"
#include "probes/buildbot/boot_sources.h"
#include "probes/probe.h"
#include "probes/program_limit.h"

namespace bbcheck::boot_detail {

// `crontab -l` (with `-u NAME` unless `self`); a missing crontab is not an
// error, an unreadable one is (it may hold the @reboot line).
void readUserCrontab(const BootUser& user, bool self, const ProgramLimit& limit, Sources& s);

// /etc/crontab and the /etc/cron.d files cron actually reads.
void readSystemCrontabs(const BootUser& user, Sources& s);

}  // namespace bbcheck::boot_detail
