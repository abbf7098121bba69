// The rule of probes/program_limit.h, with real programs: a busy host is not
// an unfit host. No assertion here depends on how fast the machine is: the
// programs are bounded by the CPU time they use (which load does not
// change), and wall-clock bounds are generous limits only a hang exceeds.
#include "probes/program_limit.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "probes/process.h"

namespace bbcheck {
namespace {

using namespace std::chrono_literals;

// Far beyond anything but a hang, on the busiest machine.
constexpr Milliseconds kHang{60000};

ProbeContext checkContext(Milliseconds timeout, Milliseconds untilDeadline,
                          Milliseconds untilRunDeadline) {
  ProbeContext ctx;
  Clock::time_point now = Clock::now();
  ctx.timeout = timeout;
  ctx.deadline = now + untilDeadline;
  ctx.run_deadline = now + untilRunDeadline;
  ctx.work = std::make_shared<LocalWork>();
  return ctx;
}

// A Python program that burns `seconds` of its own CPU time, however long
// that takes, pinned to `cpu` when cpu >= 0.
std::vector<std::string> burnCpu(double seconds, int cpu = -1) {
  std::string pin = cpu >= 0 ? "os.sched_setaffinity(0, {" + std::to_string(cpu) + "})\n" : "";
  return {"-c", "import os, time\n" + pin +
                    "start = time.process_time()\n"
                    "while time.process_time() - start < " +
                    std::to_string(seconds) + ":\n    pass\n"};
}

int firstAllowedCpu() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) return cpu;
  return 0;
}

// Processes that spin on one CPU until the test ends; killed by their PIDs.
class CpuHogs {
 public:
  CpuHogs(int cpu, int count) {
    for (int i = 0; i < count; ++i) {
      pid_t pid = ::fork();
      if (pid == 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        ::sched_setaffinity(0, sizeof set, &set);
        volatile unsigned long spins = 0;
        for (;;) spins = spins + 1;
      }
      if (pid > 0) pids_.push_back(pid);
    }
  }
  ~CpuHogs() {
    for (pid_t pid : pids_) ::kill(pid, SIGKILL);
    for (pid_t pid : pids_) ::waitpid(pid, nullptr, 0);
  }
  size_t size() const { return pids_.size(); }

 private:
  std::vector<pid_t> pids_;
};

TEST(ProgramLimit, ACpuBoundProgramStarvedByLoadRunsPastItsDeadlineWithinItsCpuBudget) {
  // It needs about 0.6 s of CPU; its CPU is shared with three spinning
  // processes, so it gets a quarter of it at most and takes well over its
  // 1.5 s deadline by the wall clock. Its CPU time stays under the 1.5 s
  // budget: it is not stopped.
  int cpu = firstAllowedCpu();
  CpuHogs hogs(cpu, 3);
  ASSERT_EQ(hogs.size(), 3u);
  ProbeContext ctx = checkContext(1500ms, 1500ms, kHang);
  ProcessResult r = runProcess("python3", burnCpu(0.6, cpu), ctx);
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_FALSE(r.timed_out) << r.stop_note;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(r.cpu, 1500ms);
  // The load did what it was for (else this test proves nothing).
  EXPECT_GT(r.wall, 1500ms) << "got " << r.cpu.count() << " ms of CPU";
  // What it used is the check's.
  EXPECT_GE(ctx.work->used(), 500ms);
}

TEST(ProgramLimit, ABusyLoopIsStoppedAtItsCpuBudget) {
  ProbeContext ctx = checkContext(300ms, 300ms, kHang);
  auto start = Clock::now();
  ProcessResult r = runProcess("/bin/sh", {"-c", "while :; do :; done"}, ctx);
  EXPECT_LT(Clock::now() - start, kHang);
  EXPECT_TRUE(r.timed_out);
  EXPECT_GE(r.cpu, 300ms);
  EXPECT_NE(r.stop_note.find("of CPU, the check's whole timeout"), std::string::npos)
      << r.stop_note;
}

TEST(ProgramLimit, TheCheckBudgetCountsItsEarlierPrograms) {
  // A check that already used its timeout's CPU in earlier programs has
  // none left: its next program is stopped once past the deadline.
  ProbeContext ctx = checkContext(300ms, 100ms, kHang);
  ctx.work->charge(300ms);
  ProcessResult r = runProcess("/bin/sh", {"-c", "while :; do :; done"}, ctx);
  EXPECT_TRUE(r.timed_out);
  EXPECT_NE(r.stop_note.find("the check's whole timeout"), std::string::npos) << r.stop_note;
}

TEST(ProgramLimit, ASleepingProgramIsBoundedByTheRunsDeadline) {
  // Asleep, it uses no CPU; the run's deadline (1.2 s) comes before it
  // could count as stalled (deadline + 2 s).
  auto start = Clock::now();
  ProbeContext ctx = checkContext(200ms, 200ms, 1200ms);
  ProcessResult r = runProcess("sleep", {"30"}, ctx);
  EXPECT_TRUE(r.timed_out);
  EXPECT_GE(Clock::now() - start, 1200ms);
  EXPECT_LT(Clock::now() - start, kHang);
  EXPECT_NE(r.stop_note.find("stopped at the run's deadline"), std::string::npos) << r.stop_note;
}

TEST(ProgramLimit, AProgramWaitingForNothingPastItsDeadlineIsStalledNotStarved) {
  // No load explains a program that sleeps: it is stopped soon after its
  // deadline, long before the run's.
  auto start = Clock::now();
  ProbeContext ctx = checkContext(200ms, 200ms, 10 * kHang);
  ProcessResult r = runProcess("sleep", {"30"}, ctx);
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(Clock::now() - start, kHang);
  EXPECT_NE(r.stop_note.find("with nothing to do"), std::string::npos) << r.stop_note;
  EXPECT_NE(r.stop_note.find("load average"), std::string::npos) << r.stop_note;
}

TEST(ProgramLimit, ADeadlineAloneStopsTheProgramThen) {
  auto start = Clock::now();
  ProcessResult r = runProcess("/bin/sh", {"-c", "while :; do :; done"}, Clock::now() + 200ms);
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(Clock::now() - start, kHang);
  EXPECT_NE(r.stop_note.find("of CPU in"), std::string::npos) << r.stop_note;
}

TEST(ProgramLimit, WithoutARunDeadlineAContextIsADeadline) {
  ProbeContext ctx;
  ctx.timeout = 200ms;
  ctx.deadline = Clock::now() + 200ms;
  ProgramLimit limit(ctx);
  EXPECT_FALSE(limit.judgedByWork());
  EXPECT_EQ(limit.latestEnd(), ctx.deadline);
}

TEST(LocalWork, IsBusyWhileAProgramRunsAndForAGraceAfter) {
  auto work = std::make_shared<LocalWork>();
  Clock::time_point now = Clock::now();
  EXPECT_FALSE(work->busyWithin(now, 250ms));
  {
    LocalWork::Busy busy(work);
    EXPECT_TRUE(work->busyWithin(Clock::now() + kHang, 250ms));
  }
  EXPECT_TRUE(work->busyWithin(Clock::now(), 250ms));
  EXPECT_FALSE(work->busyWithin(Clock::now() + kHang, 250ms));
}

TEST(HostLoad, SaysTheLoadAverageAndCpus) {
  EXPECT_NE(hostLoadText().find("load average "), std::string::npos);
  EXPECT_NE(outOfTimeFix().find("--timeout"), std::string::npos);
  EXPECT_EQ(outOfTimeFix().find("install "), std::string::npos);
}

}  // namespace
}  // namespace bbcheck
