// What the boot probe collected: the boot entries found in crontabs and
// systemd units, the places it read, and what it could not read.
#pragma once

#include <string>
#include <vector>

#include "probes/buildbot/boot_entries.h"
#include "probes/probe.h"

namespace bbcheck::boot_detail {

struct Sources {
  std::vector<BootEntry> entries;
  Array read;   // what was looked at
  Array notes;  // what could not be read, and why
  bool crontab_unreadable = false;
  std::string crontab_error;
};

}  // namespace bbcheck::boot_detail
