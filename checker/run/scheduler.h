// Runs a profile's checks concurrently: at most `jobs` probes at once, each
// under its own timeout, the whole run under one deadline. Checks start in
// profile order as soon as what they need has passed; results come back in
// profile order whatever order probes finish in.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "checker/run/derived_check.h"
#include "checker/run/result.h"

namespace bbcheck {

struct Progress {
  size_t done = 0;
  size_t total = 0;
  std::string slowest_running;  // id of the longest-running check, "" if none
  Milliseconds slowest_elapsed{0};
};

struct SchedulerOptions {
  int jobs = 64;                        // enough that network waits overlap; probes mostly wait
  std::optional<Milliseconds> timeout;  // --timeout: replaces every check's own
  Milliseconds deadline{120000};        // the whole run
  const std::atomic<bool>* interrupted = nullptr;  // set by SIGINT, SIGTERM, SIGHUP
  // Called once when an interruption is noticed (bbcheck stops the programs
  // probes started); then running probes get `interrupt_grace` to return.
  std::function<void()> on_interrupt;
  Milliseconds interrupt_grace{1000};
  std::function<void(const Progress&)> on_progress;  // called from the calling thread
  // One entry per check, or none (all selected): false for a check that
  // --only or --skip left out. It is skipped with its skip reason and its
  // result says it was not selected; a check that needs it is not blocked
  // by it (leaving a check out never blocks another by itself).
  std::vector<bool> selected;
  // Checks that run from other checks' results instead of a probe, by id
  // (addServiceReruns makes them); every other check runs its probe.
  DerivedChecks derived;
};

// `skipReasons` has one entry per check: non-empty means "skip, because...".
std::vector<CheckResult> runChecks(const Profile& profile,
                                   const std::vector<std::string>& skipReasons,
                                   const SchedulerOptions& options);

}  // namespace bbcheck
