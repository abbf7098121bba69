// How a worker is started at boot, as Buildbot's users write it: crontab
// `@reboot ... buildbot-worker restart BUILDAREA` lines and systemd units
// whose ExecStart runs buildbot-worker. Read by the boot probe (does the
// worker start on boot?), the service-env probe (in what environment?) and
// the duplicate-worker probe (which workers exist?).
#pragma once

#include <string>
#include <vector>

#include "probes/param_binding.h"
#include "probes/probe.h"

namespace bbcheck {

// Whose crontab and home directory (for ~ and relative paths).
struct BootUser {
  std::string name;
  std::string home;
};

// One buildbot-worker command found in a shell command line.
struct WorkerInvocation {
  std::string action;    // "restart", "start", "stop", ... ("" when none given)
  std::string path;      // the build area, absolute and normalised
  std::string program;   // the command word as written ("buildbot-worker", "/opt/bb/bin/...")
  std::string path_env;  // a PATH=... given on the command line itself ("" when none)
};

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

// Shell-like reading of a command line: words split at unquoted blanks and
// ; & | operators, `cd DIR` followed, ~ / $HOME / ${HOME} expanded to the
// user's home, relative paths taken from the current directory (`cwd`,
// initially the home), nested `sh -c "..."` / `su -c "..."` strings
// searched too.
std::vector<WorkerInvocation> workerInvocations(const std::string& command, const BootUser& user,
                                                const std::string& cwd);

// @reboot lines of a crontab. `systemFormat`: /etc/crontab or /etc/cron.d,
// whose lines have a user field (only `user`'s lines count).
std::vector<BootEntry> cronBootEntries(const std::string& text, bool systemFormat,
                                       const BootUser& user, const std::string& source);

// Enabled systemd units (symlinks in ROOT/etc/systemd/system/*.wants) whose
// ExecStart runs buildbot-worker. `root` is "" for the real system.
std::vector<BootEntry> systemdBootEntries(const std::string& root, const BootUser& user);

// Absolute, with symlinks of existing parts resolved and no trailing slash.
std::string normalisePath(const std::string& path);

// The parameters of the probes that read how a build area's worker starts
// (boot, service-env): the build area, and whose crontab to read.
struct BootSourceParams {
  std::string path;
  std::string user;  // "": the user running bbcheck
};
std::vector<Param<BootSourceParams>> bootSourceParams();

}  // namespace bbcheck
