// Finding buildbot-worker calls in the one-line commands people put in
// crontabs and systemd's ExecStart (boot_command_line.cpp): a small shell
// word splitter, not a shell.
#pragma once

#include <string>
#include <vector>

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

// Shell-like reading of a command line: words split at unquoted blanks and
// ; & | operators, `cd DIR` followed, ~ / $HOME / ${HOME} expanded to the
// user's home, relative paths taken from the current directory (`cwd`,
// initially the home), nested `sh -c "..."` / `su -c "..."` strings
// searched too.
std::vector<WorkerInvocation> workerInvocations(const std::string& command, const BootUser& user,
                                                const std::string& cwd);

// Absolute, with symlinks of existing parts resolved and no trailing slash.
std::string normalisePath(const std::string& path);

}  // namespace bbcheck
