// Reading systemd for a boot start of the worker: the readSystemd step of the
// boot probe (its Linux-only body is in boot_systemd_linux.cpp).
#pragma once

#include <string>

#include "probes/probe.h"
#include "probes/worker/boot.h"
#include "probes/worker/boot_sources.h"

namespace bbcheck::boot_detail {

// Units enabled in /etc/systemd/system/*.wants, and, when systemd is running,
// `systemctl is-enabled buildbot-worker@BASENAME(area).service`.
void readSystemd(const std::string& area, const BootUser& user, Clock::time_point deadline,
                 Sources& s);

// A template instance as systemd's %I gives it: '-' is '/', \xNN a byte
// (left as written when NN is not hex: unit names are host input).
std::string unescapeUnitInstance(const std::string& instance);

}  // namespace bbcheck::boot_detail
