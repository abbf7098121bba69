// The worker's service environment as the engine sees it: what the
// worker's process starts with when cron's @reboot line or its systemd unit
// starts it (user, variables, limits, umask, working directory), and how to
// run a process in it. Probe kinds that read it carry a reader; the
// engine re-runs the checks tagged `service-env` inside it
// (checker/run/service_rerun.h). The reading itself is the environment family's
// (probes/environment/service_env.h).
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "probes/probe.h"
#include "probes/process.h"

namespace bbcheck {

// One resource limit the service sets, e.g. NOFILE 1024:524288.
struct ServiceLimit {
  int resource = 0;   // RLIMIT_*
  std::string name;   // "NOFILE", as systemd's Limit*= and /proc/PID/limits say
  uint64_t soft = 0;  // RLIM_INFINITY for unlimited
  uint64_t hard = 0;
  std::string origin;  // "LimitNOFILE= in buildbot-worker@a.service", "cron daemon (pid 12)"
};

struct ServiceEnvironment {
  bool known = false;       // a boot entry starting the build area was found
  std::string why_unknown;  // when not known: what was read and found nothing
  std::string manager;      // "cron" or "systemd"
  std::string source;       // "crontab of bb", "/etc/cron.d/bb:3", "systemd unit x.service"
  std::string unit;         // systemd: the unit's name (for `systemctl edit`)
  std::string user;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;               // supplementary groups, as the manager sets them
  std::map<std::string, std::string> env;  // the whole environment the worker starts with
  // The limits the manager gives the worker's process (cron: its daemon's;
  // systemd: Limit*=). bbcheck-session sets them before the PAM session,
  // whose pam_limits may change them; readServiceEnvironment then records
  // those the session left.
  std::vector<ServiceLimit> limits;
  // The PAM service whose account step and session the manager opens for
  // the worker ("cron"; a unit's PAMName=), "" when none.
  std::string pam_service;
  // Why PAM refuses the worker (the account step or the session), in PAM's
  // words; "" when it does not, or when that could not be rehearsed.
  std::string refusal;
  mode_t umask = 022;
  std::string working_directory;
  std::vector<std::string> notes;  // what could not be known exactly, and what was assumed

  // "cron (crontab of bb)" or "systemd (unit x.service)".
  std::string origin() const;
  // How to set variable NAME=VALUE for the worker, as one instruction.
  std::string howToSet(const std::string& name, const std::string& value) const;
  // How to set limit NAME (e.g. "NOFILE") for the worker.
  std::string howToLimit(const std::string& name) const;
};

// Why bbcheck cannot start a process as the service's user ("" when it can:
// as root, or when the service runs as the user running bbcheck).
std::string whyNotAsServiceUser(const ServiceEnvironment& env);

// Runs `program` (an absolute path) with `args` as the service would start
// it, through bbcheck-session: its limits and umask, then the PAM session of
// env.pam_service (pam_acct_mgmt, pam_setcred, pam_open_session: every
// refusal and limit PAM applies), then its user and groups when bbcheck may
// switch to them (see whyNotAsServiceUser; otherwise as the running user),
// its working directory, and its variables (with PAM's, as the manager
// merges them). The session is closed when the program ends. Never changes
// a file; stops as `limit` says (probes/program_limit.h) with the process
// group it started.
ProcessResult runInServiceEnvironment(const ServiceEnvironment& env, const std::string& program,
                                      const std::vector<std::string>& args,
                                      const ProgramLimit& limit);

// runInServiceEnvironment with what the session said besides the result.
struct SessionRun {
  ProcessResult result;
  std::string refusal;             // PAM refused: its message (also result.start_error)
  std::vector<std::string> notes;  // what could not be rehearsed, and why
};
SessionRun runInServiceSession(const ServiceEnvironment& env, const std::string& program,
                               const std::vector<std::string>& args, const ProgramLimit& limit);

// What cron's PAM stack says to a job of `user`, asked for real: PAM
// service "cron", its account step and session opened (through
// bbcheck-session) around /bin/true, as cron does for each job. Returns the
// refusal in PAM's words, "" when cron would run the job; `notes` gets what
// could not be rehearsed (without root, another user's session).
std::string cronSessionRefusal(const std::string& user, Clock::time_point deadline,
                               std::vector<std::string>& notes);

// Where bbcheck-session is: the path given to useSessionHelper, else beside
// the running bbcheck (a build tree), else ../libexec/bbcheck/ from it (an
// installation). "" when none is there.
std::string sessionHelperPath();
// For programs that are not beside bbcheck (the tests' binaries).
void useSessionHelper(const std::string& path);

// How a check of `kind` reads the environment the worker runs in (its
// ProbeKind::read_service_environment); the engine re-runs the checks
// tagged `service-env` inside it (checker/run/service_rerun.h). nullptr
// when `kind` is null or reads no service environment.
const ServiceEnvironmentReader* serviceEnvironmentReader(const ProbeKind* kind);

}  // namespace bbcheck
