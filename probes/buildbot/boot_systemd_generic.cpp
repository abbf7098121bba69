// systemd is Linux's: elsewhere no unit starts the worker at boot, and the
// probes that read boot entries say they are not supported here
// (probes/builtin/).
#include "probes/buildbot/boot_systemd.h"

namespace bbcheck {

std::vector<BootEntry> systemdBootEntries(const std::string&, const BootUser&) {
  return {};
}

namespace boot_detail {

// No units, so no specifiers to expand: the text as written.
std::string unitSpecifiers(const std::string& s, const std::string&, const std::string&,
                           const std::string&) {
  return s;
}

void readSystemd(const std::string&, const BootUser&, Clock::time_point, Sources&) {}

bool readServiceSettings(const std::string&, const std::string&, std::vector<UnitSetting>&) {
  return false;
}

}  // namespace boot_detail

}  // namespace bbcheck
