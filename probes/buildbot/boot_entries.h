// How a worker is started at boot, as Buildbot's users write it: crontab
// `@reboot ... buildbot-worker restart BUILDAREA` lines and systemd units
// whose ExecStart runs buildbot-worker. Read by the boot probe (does the
// worker start on boot?), the service-env probe (in what environment?) and
// the duplicate-worker probe (which workers exist?).
#pragma once

#include <string>
#include <vector>

#include "probes/buildbot/boot_command_line.h"
#include "probes/param_binding.h"
#include "probes/probe.h"

namespace bbcheck {

// Something that runs buildbot-worker at boot.
struct BootEntry {
  std::string source;  // "crontab of buildbot", "/etc/cron.d/bb:3", "systemd unit x.service"
  std::string action;  // as in WorkerInvocation
  std::string path;
  std::string program;      // as in WorkerInvocation
  std::string search_path;  // the PATH a bare program name is looked up in at boot
  std::string user;         // who runs it: the crontab's user, the unit's User= (root if none)
  std::string cwd;          // the directory it starts in (a relative program resolves there)
};

// cron's PATH when the crontab sets none (Debian's cron, cronie).
inline constexpr const char* kCronPath = "/usr/bin:/bin";
// Where systemd looks up an ExecStart program given without a path.
inline constexpr const char* kSystemdExecPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// @reboot lines of a crontab. `systemFormat`: /etc/crontab or /etc/cron.d,
// whose lines have a user field (only `user`'s lines count).
std::vector<BootEntry> cronBootEntries(const std::string& text, bool systemFormat,
                                       const BootUser& user, const std::string& source);

// Enabled systemd units (symlinks in ROOT/etc/systemd/system/*.wants) whose
// ExecStart runs buildbot-worker. `root` is "" for the real system.
std::vector<BootEntry> systemdBootEntries(const std::string& root, const BootUser& user);

// The parameters of the probes that read how a build area's worker starts
// (boot, service-env): the build area, and whose crontab to read.
struct BootSourceParams {
  std::string path;
  std::string user;  // "": the user running bbcheck
};
std::vector<Param<BootSourceParams>> bootSourceParams();

}  // namespace bbcheck
