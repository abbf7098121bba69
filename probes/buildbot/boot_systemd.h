// Reading systemd for a boot start of the worker: the readSystemd step of the
// boot probe (its Linux-only body is in boot_systemd_linux.cpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "probes/buildbot/boot_entries.h"
#include "probes/buildbot/boot_sources.h"
#include "probes/probe.h"

namespace bbcheck::boot_detail {

// Units enabled in /etc/systemd/system/*.wants, and, when systemd is running,
// `systemctl is-enabled buildbot-worker@BASENAME(area).service`.
void readSystemd(const std::string& area, const BootUser& user, Clock::time_point deadline,
                 Sources& s);

// A template instance as systemd's %I gives it: '-' is '/', \xNN a byte
// (left as written when NN is not hex: unit names are host input).
std::string unescapeUnitInstance(const std::string& instance);

// One [Service] setting as written: key and value.
using UnitSetting = std::pair<std::string, std::string>;

// The [Service] settings of `unit` in the order systemd applies them: its
// file (or its template's, for name@instance) from the first unit directory
// that has one, then its drop-ins sorted by file name (a name in a directory
// of higher precedence replacing a lower one). `root` prefixes every path
// ("" for this machine). False when no unit file exists.
bool readServiceSettings(const std::string& root, const std::string& unit,
                         std::vector<UnitSetting>& settings);

// `s` with systemd's %-specifiers of `unit` replaced: %i the instance, %I
// it unescaped, %u the user, %h the home, %n the unit, %% a '%'.
std::string unitSpecifiers(const std::string& s, const std::string& unit, const std::string& user,
                           const std::string& home);

}  // namespace bbcheck::boot_detail
