// Finding the Buildbot workers on this host, wherever the profile's
// `buildarea` var points: a worker that runs or starts on boot is a worker,
// even when the volunteer never told bbcheck where it is.
//
// Looked at (each source read by the readers the boot and worker-running
// probes use):
//   - crontab @reboot lines: /etc/crontab, /etc/cron.d/*, and every user's
//     crontab in cron's spool when it can be read (root), else the caller's
//     own (`crontab -l`);
//   - enabled systemd units whose ExecStart runs buildbot-worker or twistd;
//   - running twistd / buildbot-worker processes whose working directory
//     holds a worker's buildbot.tac;
//   - Debian's /var/lib/buildbot/workers/*.
// A place counts as a worker when its buildbot.tac exists (or cannot be
// looked at: then the worker-stage checks say what they could not see).
// This only reads; which workers to check is the caller's choice.
#pragma once

#include <string>
#include <vector>

#include "probes/probe.h"

namespace bbcheck {

struct FoundWorker {
  std::string path;                   // the build area, absolute and normalised
  std::vector<std::string> found_by;  // "crontab of buildbot", "running twistd (pid 42)", ...
};

struct WorkerSearch {
  std::vector<FoundWorker> workers;  // sorted by path
  std::vector<std::string> notes;    // what could not be read, and why
};

// Where to look; the defaults are this host's real places (tests point them
// into a private mount namespace or a temporary tree).
struct WorkerSearchPlaces {
  std::string debian_workers = "/var/lib/buildbot/workers";
  std::vector<std::string> spools = {"/var/spool/cron/crontabs", "/var/spool/cron"};
  std::string system_crontab = "/etc/crontab";
  std::string cron_d = "/etc/cron.d";
  std::string systemd_root;  // "" for this machine's units
  bool processes = true;     // look at /proc
};

WorkerSearch findWorkers(Clock::time_point deadline, const WorkerSearchPlaces& places = {});

// Whether DIR holds a buildbot.tac (or might: one that cannot be looked at
// counts, as with the worker stage's gate).
bool holdsBuildbotTac(const std::string& dir);

// Worker processes on this host (Linux: /proc) and the build area each
// runs in: a bare twistd by its working directory, buildbot-worker by the
// directory it names (else its working directory). Another user's process
// whose working directory cannot be read is left out.
struct RunningWorker {
  int pid = 0;
  std::string area;
  std::string program;  // "twistd" or "buildbot-worker"
};
std::vector<RunningWorker> runningWorkers();

}  // namespace bbcheck
