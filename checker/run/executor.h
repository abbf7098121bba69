// The half of running a profile that has threads and clocks (plan.h is the
// pure half): it starts the plan's ready checks on the thread pool, at most
// `jobs` at once, each under its own timeout and the whole run under one
// deadline, and tells the plan what finished.
//
// Between events it sleeps: it wakes when a probe returns (the probe's
// thread notifies it), when the run is interrupted (a StopWatcher thread
// notifies it: stop_event.h), when a running probe's time is up, at the
// run's deadline, and at the next progress tick when someone watches
// progress. It never wakes on a timer to look for work (unless no thread
// could be had for the watcher: then it looks at the flag every 50 ms).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checker/run/derived_check.h"
#include "checker/run/plan.h"
#include "checker/run/result.h"
#include "checker/run/stop_event.h"
#include "checker/run/thread_pool.h"

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
  const StopEvent* stop = nullptr;      // raised by SIGINT, SIGTERM, SIGHUP
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
  // --retry-for: a probe check that does not pass runs again (after a
  // short pause) until it passes or this much of the run has gone; each
  // try must fit before the deadline. 0: no retries.
  Milliseconds retry_for{0};
  // Checks that run from other checks' results instead of a probe, by id
  // (addServiceReruns makes them); every other check runs its probe.
  DerivedChecks derived;
};

class Executor {
 public:
  // `plan` is this run's, made from the same profile and options.
  Executor(const Profile& profile, Plan& plan, const SchedulerOptions& options);
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;
  ~Executor();

  // Runs the plan to its end: one result per check, in profile order.
  std::vector<CheckResult> run();

  // What probe threads share with the executor; they may outlive it when
  // abandoned at their timeout.
  struct Board;

 private:
  struct Running {
    Clock::time_point started;
    Clock::time_point hard_stop;  // abandoned when still running then
    // Its local programs: while they work, past its timeout (they are
    // judged by their CPU time, probes/program_limit.h), it is not abandoned.
    std::shared_ptr<LocalWork> work;
  };

  void collectFinished();
  void abandonOverdue(Clock::time_point now);
  void startReady();
  std::string launch(size_t check);
  bool retryLater(size_t check, Clock::time_point now);
  void startRetries(Clock::time_point now);
  void settleRetries();
  void stop(const SkipReason& notStarted, const SkipReason& running);
  void settleAfterInterrupt();
  bool interrupted() const;
  Clock::time_point nextWake(Clock::time_point nextProgress) const;
  void waitForEvent(Clock::time_point until);
  void reportProgress() const;
  CheckResult resultSoFar(size_t check) const;
  Milliseconds timeoutOf(size_t check) const;

  const Profile& profile_;
  Plan& plan_;
  const SchedulerOptions& options_;
  std::shared_ptr<Board> board_;
  ThreadPool pool_;
  std::vector<CheckResult> results_;
  std::map<size_t, Running> running_;  // at most `jobs` entries
  // Checks waiting to run again (--retry-for), by when; the plan still has
  // them running, so what needs them waits for their last try.
  std::map<size_t, Clock::time_point> retry_at_;
  std::vector<Clock::time_point> first_started_;  // of each check's first try
  Clock::time_point run_deadline_;
  Clock::time_point retry_end_;  // no try starts after it
  bool look_for_stop_ = false;   // no StopWatcher thread: look at the flag on a timer
};

}  // namespace bbcheck
