// Runs a program with a hard timeout and captures what it prints. Probes that
// ask other programs (compilers, version commands, crontab) use this so that
// none of them can block past its check's deadline.
#pragma once

#include <string>
#include <vector>

#include "probes/probe.h"
#include "probes/program_limit.h"

namespace bbcheck {

struct ProcessResult {
  bool started = false;    // false: not found on PATH or not executable
  bool timed_out = false;  // stopped by its ProgramLimit
  int exit_code = -1;
  std::string out;          // stdout
  std::string err;          // stderr
  std::string start_error;  // why it did not start
  // CPU time it got (with the children it reaped) and wall time it took.
  Milliseconds cpu{0};
  Milliseconds wall{0};
  // When timed_out: why, and how busy the host was ("it got 0.4 s of CPU in
  // 9.3 s; load average 11.02 on 2 CPUs"), for the check's message.
  std::string stop_note;
};

// `program` is looked up on PATH when it has no slash. `input` is written to
// its stdin (then closed). Output beyond 1 MiB per stream is dropped. Given
// a check's ProbeContext as `limit`, it is judged by its work past the
// check's deadline (probes/program_limit.h); given a time, stopped then.
ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                         const ProgramLimit& limit, const std::string& input = "");

// Kills every program runProcess started that is still running (with all
// it started in turn). For the way out after an interrupt or a deadline,
// when abandoned probes may still be waiting on them.
void killRunningProcesses();

// killRunningProcesses(), and from now on every runProcess() refuses to
// start a program (a probe still running cannot start a new one after an
// interrupt, and one started meanwhile is killed at once).
void stopAllProcesses();

// For a signal handler (async-signal-safe): kills the process groups of the
// programs running now.
void killRunningProcessesFromSignal();

// Full path of `name` on PATH (or `name` itself when it has a slash and is
// executable); empty when not found.
std::string findOnPath(const std::string& name);

}  // namespace bbcheck
