// How long a local program a check runs may take, and the watch that
// applies it (DESIGN.md "A busy host is not an unfit host").
//
// On a loaded host a compile that needs 0.3 s of CPU may take 10 s of wall
// time; that host is busy, not unfit. So a check's program runs freely until
// the check's deadline, and past it is judged by its work:
//  - it goes on while the CPU time its process group got (with what the
//    check's earlier programs used) is under the check's timeout;
//  - it is stopped when that CPU time reaches the timeout (a program that
//    really needs more than its check's timeout, or loops);
//  - it is stopped when, for kStallAfter, no thread of it runs, waits for a
//    CPU or waits for the disk: it waits for an event that does not come
//    (hung on a pipe, a lock, the network), which no load explains;
//  - and it never outlives the run's deadline.
// Where the group's work cannot be read (the generic build), or the caller
// gives only a deadline, the deadline is the end, as before.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>

#include "probes/probe.h"

namespace bbcheck {

struct ProgramLimit {
  // The wall clock alone: the program stops at `deadline`.
  ProgramLimit(Clock::time_point deadline);  // NOLINT(google-explicit-constructor)
  // A check's program: judged by its work past ctx.deadline, up to
  // ctx.run_deadline, its CPU charged to ctx.work.
  ProgramLimit(const ProbeContext& ctx);  // NOLINT(google-explicit-constructor)

  Clock::time_point deadline;
  Clock::time_point run_deadline;  // == deadline: no allowance
  Milliseconds cpu_budget{0};
  std::shared_ptr<LocalWork> work;
  // Off for a program whose work runs in process groups of its own (a
  // child bbcheck starts each compiler in a new group): its own threads
  // only wait for them, which is not a stall.
  bool stop_when_stalled = true;

  bool judgedByWork() const { return run_deadline > deadline; }
  // The latest a caller may wait on such a program.
  Clock::time_point latestEnd() const { return judgedByWork() ? run_deadline : deadline; }
};

// How long a program past its deadline may wait with no thread at work.
constexpr Milliseconds kStallAfter{2000};

// Watches one program (its process group) under a ProgramLimit; the runner
// looks at nextLook() and asks mustStop() then.
class ProgramWatch {
 public:
  ProgramWatch(pid_t group, ProgramLimit limit);
  ProgramWatch(const ProgramWatch&) = delete;
  ProgramWatch& operator=(const ProgramWatch&) = delete;

  // When to call mustStop() next.
  Clock::time_point nextLook() const;
  // Looks at the program: true when it must be stopped now.
  bool mustStop();
  // It ended having used `cpu` (wait4's rusage: it and the children it
  // reaped): charged to the check.
  void ended(Milliseconds cpu);

  // CPU time it got (as far as seen) and wall time since it started.
  Milliseconds cpu() const { return cpu_; }
  Milliseconds wall() const;
  // Why it was stopped, and how busy the host was, for the message: "it
  // got 0.4 s of CPU in 9.3 s (load average 11.02 on 2 CPUs)".
  std::string stopNote() const;

 private:
  pid_t group_;
  ProgramLimit limit_;
  LocalWork::Busy busy_;
  Clock::time_point started_;
  Clock::time_point next_look_;
  Milliseconds cpu_{0};
  std::optional<Clock::time_point> idle_since_;
  enum class Stop { No, Deadline, RunDeadline, Cpu, Stalled } stop_ = Stop::No;
};

// "load average 11.02 on 2 CPUs" (empty where it cannot be read).
std::string hostLoadText();

// The fix of a check whose program ran out of time: nothing is missing.
std::string outOfTimeFix();

}  // namespace bbcheck
