// What the processes of one process group are doing: the CPU time they got
// and whether any of them is at work. A program a check runs is the leader
// of its own group (probes/process.h), and so is everything it starts (a
// compiler's cc1, as and ld), so the group is the program's whole work.
#pragma once

#include <sys/types.h>

#include <optional>

#include "probes/probe.h"

namespace bbcheck {

struct GroupUsage {
  // User + system time of every process in the group, with the children
  // each of them has waited for (a compiler driver's finished cc1).
  Milliseconds cpu{0};
  // A thread of the group runs, waits for a CPU, waits for the disk, or
  // has exited (its parent has yet to reap it). False: every thread sleeps
  // waiting for an event (a pipe, a timer, the network) or is stopped.
  bool at_work = false;
  int processes = 0;
};

// nullopt where this platform cannot tell (the generic build): callers
// then judge by the wall clock alone.
std::optional<GroupUsage> groupUsage(pid_t group);

}  // namespace bbcheck
