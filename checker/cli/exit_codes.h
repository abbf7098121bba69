// bbcheck's exit codes, defined once for every command (README "Exit codes",
// the man page's EXIT STATUS, contrib/man/bbcheck.h2m).
#pragma once

#include <csignal>

#include "checker/report/run_report.h"

namespace bbcheck {

// run and show: ready. diff: nothing regressed. validate: every profile is
// valid. fleet: every worker is connected, checked recently and ready.
constexpr int kExitReady = 0;
// run and show: not ready. diff: a check regressed. fleet: a worker is
// disconnected, never checked, last checked over --max-age ago or not ready.
constexpr int kExitNotReady = 1;
// A usage or profile error, a report that cannot be read or written, a
// master that cannot be read.
constexpr int kExitUsage = 2;

// A run stopped by `signal`: 128 + the signal, as shells report it (130 for
// SIGINT, 143 for SIGTERM). Safe to call from a signal handler.
constexpr int interruptedExitCode(int signal) {
  return 128 + signal;
}

// What run and show exit with for a judged report: an interrupted run's
// code names the signal that stopped it (a report records it; one that does
// not, written by an older bbcheck, counts as SIGINT's).
inline int exitCodeOf(const RunReport& report) {
  if (report.interrupted)
    return interruptedExitCode(report.stop_signal ? report.stop_signal : SIGINT);
  return report.verdict == Verdict::Ready ? kExitReady : kExitNotReady;
}

}  // namespace bbcheck
