// The `boot` probe: something starts the worker when the machine boots —
// a cron `@reboot ... buildbot-worker restart BUILDAREA` line (the user's
// crontab, /etc/crontab, /etc/cron.d/*) or an enabled systemd unit whose
// ExecStart runs buildbot-worker (Debian's buildbot-worker@NAME.service).
// `start` instead of `restart` in cron fails the check: after an unclean
// shutdown the stale twistd.pid makes `start` refuse to run.
#pragma once

#include <string>
#include <vector>

#include "probes/buildbot/boot_entries.h"
#include "probes/probe.h"

namespace bbcheck {

// Probe kind "boot": something starts the worker when the machine boots.
ProbeKind bootProbe();

}  // namespace bbcheck
