#include "probes/program_limit.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "probes/process_group_usage.h"

namespace bbcheck {
namespace {

// How often a program past its deadline is looked at: each look reads
// /proc, so not too often; CPU overshoots its budget by at most this.
constexpr Milliseconds kLookEvery{200};

std::string seconds(Milliseconds ms) {
  return fmt::format("{:.1f} s", ms.count() / 1000.0);
}

}  // namespace

ProgramLimit::ProgramLimit(Clock::time_point until) : deadline(until), run_deadline(until) {}

ProgramLimit::ProgramLimit(const ProbeContext& ctx)
    : deadline(ctx.deadline),
      run_deadline(std::max(ctx.deadline, ctx.run_deadline)),
      cpu_budget(ctx.timeout),
      work(ctx.work) {}

ProgramWatch::ProgramWatch(pid_t group, ProgramLimit limit)
    : group_(group),
      limit_(std::move(limit)),
      busy_(limit_.work),
      started_(Clock::now()),
      next_look_(limit_.deadline) {}

Clock::time_point ProgramWatch::nextLook() const {
  return next_look_;
}

bool ProgramWatch::mustStop() {
  Clock::time_point now = Clock::now();
  if (now < limit_.deadline) {
    next_look_ = limit_.deadline;
    return false;
  }
  if (!limit_.judgedByWork()) {
    stop_ = Stop::Deadline;
    return true;
  }
  if (now >= limit_.run_deadline) {
    stop_ = Stop::RunDeadline;
    return true;
  }
  std::optional<GroupUsage> usage = groupUsage(group_);
  if (!usage) {  // its work cannot be seen here: the check's deadline holds
    stop_ = Stop::Deadline;
    return true;
  }
  cpu_ = std::max(cpu_, usage->cpu);
  Milliseconds before = limit_.work ? limit_.work->used() : Milliseconds(0);
  if (before + cpu_ >= limit_.cpu_budget) {
    stop_ = Stop::Cpu;
    return true;
  }
  if (usage->at_work || !limit_.stop_when_stalled) {
    idle_since_.reset();
  } else if (!idle_since_) {
    idle_since_ = now;
  } else if (now - *idle_since_ >= kStallAfter) {
    stop_ = Stop::Stalled;
    return true;
  }
  next_look_ = std::min(now + kLookEvery, limit_.run_deadline);
  return false;
}

void ProgramWatch::ended(Milliseconds cpu) {
  cpu_ = std::max(cpu_, cpu);
  if (limit_.work) limit_.work->charge(cpu_);
}

Milliseconds ProgramWatch::wall() const {
  return std::chrono::duration_cast<Milliseconds>(Clock::now() - started_);
}

std::string ProgramWatch::stopNote() const {
  std::string load = hostLoadText();
  std::string host = load.empty() ? "" : "; " + load;
  switch (stop_) {
    case Stop::Cpu:
      return fmt::format("it used {} of CPU, the check's whole timeout, in {}{}", seconds(cpu_),
                         seconds(wall()), host);
    case Stop::Stalled:
      return fmt::format(
          "it got {} of CPU in {}, and waited {} past its deadline with nothing to do "
          "(not for a CPU or the disk){}",
          seconds(cpu_), seconds(wall()), seconds(kStallAfter), host);
    case Stop::RunDeadline:
      return fmt::format("it got {} of CPU in {}, stopped at the run's deadline{}", seconds(cpu_),
                         seconds(wall()), host);
    case Stop::Deadline:
    case Stop::No:
      break;
  }
  return fmt::format("it got {} of CPU in {}{}", seconds(cpu_), seconds(wall()), host);
}

std::string hostLoadText() {
  double load[1] = {0};
  long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  if (::getloadavg(load, 1) != 1 || cpus <= 0) return "";
  return fmt::format("load average {:.2f} on {} CPU{}", load[0], cpus, cpus == 1 ? "" : "s");
}

std::string outOfTimeFix() {
  return "Nothing needs installing: the check ran out of time. Re-run bbcheck when the host is "
         "less busy, or give the checks more time (`bbcheck --timeout 30s`; past its timeout a "
         "program is judged by the CPU time it got, and --deadline bounds the whole run).";
}

}  // namespace bbcheck
