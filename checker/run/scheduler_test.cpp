#include "checker/run/scheduler.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>

#include "checker/profile/profile_loader.h"
#include "probes/param_binding.h"
#include "probes/registry.h"

namespace bbcheck {
namespace {

// A probe kind for these tests only: sleeps `ms` (cut at its deadline unless
// `stubborn`), then ends with `status`, recording when it ran and the
// timeout and deadline it was given. Probes of one `group` count how many of
// them run at once; with `meet`, each waits (until its deadline) until that
// many of its group have started before it sleeps: the first `meet` then
// all run at once, so that a test sees probes overlap without measuring time.
std::mutex gLogMutex;
std::map<std::string, std::pair<Clock::time_point, Clock::time_point>> gLog;
std::map<std::string, ProbeContext> gContexts;
std::condition_variable gGroupChanged;
std::map<std::string, int> gRunning;     // by group: probes running now
std::map<std::string, int> gStarted;     // by group
std::map<std::string, int> gMostAtOnce;  // by group

struct SleepParams {
  int64_t ms = 0;
  std::string status = "pass";
  std::string name;
  bool stubborn = false;
  std::string group;
  int64_t meet = 0;
  bool local_work = false;  // sleeps as if waiting on a local program (LocalWork::Busy)
};

Outcome sleepProbe(const SleepParams& p, const ProbeContext& ctx) {
  auto start = Clock::now();
  std::string group = p.group;
  bool met = true;
  {
    std::unique_lock<std::mutex> lock(gLogMutex);
    gContexts[p.name] = ctx;
    ++gStarted[group];
    int now = ++gRunning[group];
    gMostAtOnce[group] = std::max(gMostAtOnce[group], now);
    gGroupChanged.notify_all();
    if (p.meet > 0)
      met = gGroupChanged.wait_until(lock, ctx.deadline, [&] { return gStarted[group] >= p.meet; });
  }
  auto wake = start + Milliseconds(p.ms);
  if (!p.stubborn) wake = std::min(wake, ctx.deadline);
  {
    std::optional<LocalWork::Busy> busy;
    if (p.local_work) busy.emplace(ctx.work);
    std::this_thread::sleep_until(wake);
  }
  {
    std::lock_guard<std::mutex> lock(gLogMutex);
    gLog[p.name] = {start, Clock::now()};
    --gRunning[group];
  }
  if (!met) return Outcome::fail("the others of its group did not run at the same time");
  if (p.status == "fail") return Outcome::fail("failed on purpose");
  if (p.status == "error") return Outcome::error("could not decide on purpose");
  return Outcome::pass("slept");
}

// These tests' own registry: the sleeping kind alone.
const Registry& testKinds() {
  static const Registry registry({probeKind(
      "test-sleep", "sleeps, for scheduler tests",
      {intParam("ms", &SleepParams::ms, ""), stringParam("status", &SleepParams::status, ""),
       stringParam("name", &SleepParams::name, ""),
       boolParam("stubborn", &SleepParams::stubborn, ""),
       stringParam("group", &SleepParams::group, ""), intParam("meet", &SleepParams::meet, ""),
       boolParam("local_work", &SleepParams::local_work, "")},
      sleepProbe)});
  return registry;
}

Profile loadTestProfile(const std::string& text, const std::string& file) {
  LoadOptions options;
  options.probes = &testKinds();
  return loadProfileText(text, file, options);
}

// A bound on how long a run may take that only a hang exceeds: the probes
// these tests make stubborn sleep longer than it.
constexpr Milliseconds kHang{5000};

// One check line of a profile: id, sleep, status, needs.
std::string check(const std::string& id, int ms, const std::string& status = "pass",
                  const std::string& needs = "") {
  std::string text = "  - id: " + id +
                     "\n    probe: test-sleep\n    with: { ms: " + std::to_string(ms) +
                     ", status: " + status + ", name: " + id + " }\n";
  if (!needs.empty()) text += "    needs: [" + needs + "]\n";
  return text;
}

Profile profileOf(const std::string& checks) {
  return loadTestProfile("format: 1\nname: sched\ndefaults: { timeout: 10s }\nchecks:\n" + checks,
                         "sched.yaml");
}

// The check line of a probe that counts how many of `group` run at once
// and, with `meet`, waits for that many.
std::string groupCheck(const std::string& id, const std::string& group, int meet, int ms = 0) {
  return "  - id: " + id + "\n    probe: test-sleep\n    with: { ms: " + std::to_string(ms) +
         ", name: " + id + ", group: " + group + ", meet: " + std::to_string(meet) + " }\n";
}

void startGroup(const std::string& group) {
  std::lock_guard<std::mutex> lock(gLogMutex);
  gRunning[group] = gStarted[group] = gMostAtOnce[group] = 0;
}

int mostAtOnce(const std::string& group) {
  std::lock_guard<std::mutex> lock(gLogMutex);
  return gMostAtOnce[group];
}

// How long the probe of check `id` slept, as the probe measured it.
Milliseconds sleptBy(const std::string& id) {
  std::lock_guard<std::mutex> lock(gLogMutex);
  return std::chrono::duration_cast<Milliseconds>(gLog[id].second - gLog[id].first);
}

ProbeContext contextOf(const std::string& id) {
  std::lock_guard<std::mutex> lock(gLogMutex);
  return gContexts[id];
}

std::vector<CheckResult> run(const Profile& p, SchedulerOptions options = {}) {
  return runChecks(p, std::vector<std::string>(p.checks.size()), options);
}

Milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<Milliseconds>(Clock::now() - start);
}

TEST(Scheduler, SleepingProbesOverlap) {
  // Each probe waits until all sixteen run at once: one after another, the
  // first would wait until its deadline and fail.
  std::string checks;
  for (int i = 0; i < 16; ++i) checks += groupCheck("c" + std::to_string(i), "overlap", 16);
  startGroup("overlap");
  Profile p = profileOf(checks);
  auto results = run(p);
  for (const auto& r : results) EXPECT_EQ(r.status, Status::Pass) << r.message;
  EXPECT_EQ(mostAtOnce("overlap"), 16);
}

TEST(Scheduler, JobsLimitsConcurrency) {
  // Two rounds of two: each probe waits for a second one of its group.
  Profile p = profileOf(groupCheck("a", "jobs", 2, 50) + groupCheck("b", "jobs", 2, 50) +
                        groupCheck("c", "jobs", 2, 50) + groupCheck("d", "jobs", 2, 50));
  SchedulerOptions options;
  options.jobs = 2;
  startGroup("jobs");
  auto results = run(p, options);
  for (const auto& r : results) EXPECT_EQ(r.status, Status::Pass) << r.message;
  EXPECT_EQ(mostAtOnce("jobs"), 2);
}

TEST(Scheduler, ResultsComeInProfileOrder) {
  Profile p = profileOf(check("slow", 300) + check("fast", 0) + check("middle", 100));
  auto results = run(p);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].check->id, "slow");
  EXPECT_EQ(results[1].check->id, "fast");
  EXPECT_EQ(results[2].check->id, "middle");
  // The run measures at least the time the probe itself slept.
  EXPECT_GE(results[0].duration_ms, sleptBy("slow").count());
}

TEST(Scheduler, NeedsWaitForTheirPrerequisite) {
  Profile p = profileOf(check("dns", 200) + check("tcp", 0, "pass", "dns"));
  auto results = run(p);
  EXPECT_EQ(results[1].status, Status::Pass);
  std::lock_guard<std::mutex> lock(gLogMutex);
  EXPECT_GE(gLog["tcp"].first, gLog["dns"].second);
}

TEST(Scheduler, BlockedPropagatesAndNamesTheCulprit) {
  Profile p = profileOf(check("dns", 0, "fail") + check("tcp", 0, "pass", "dns") +
                        check("tls", 0, "pass", "tcp") + check("other", 0, "error") +
                        check("after-error", 0, "pass", "other"));
  auto results = run(p);
  EXPECT_EQ(results[0].status, Status::Fail);
  EXPECT_EQ(results[1].status, Status::Blocked);
  EXPECT_EQ(results[1].message, "needs dns, which failed");
  EXPECT_EQ(results[2].status, Status::Blocked);
  EXPECT_EQ(results[2].message, "needs tcp, which is blocked itself");
  EXPECT_EQ(results[4].status, Status::Blocked);
  EXPECT_EQ(results[4].message, "needs other, which could not be decided");
}

TEST(Scheduler, DeadlineEndsTheRun) {
  // A probe that ignores its deadline is still running when the run's ends.
  Profile p = loadTestProfile(
      "format: 1\nname: s\ndefaults: { timeout: 10s }\nchecks:\n  - id: long\n    probe: "
      "test-sleep\n"
      "    with: { ms: 30000, stubborn: true, name: long }\n  - id: waiting\n    probe: "
      "test-sleep\n"
      "    needs: [long]\n",
      "s.yaml");
  SchedulerOptions options;
  options.deadline = Milliseconds(300);
  auto start = Clock::now();
  auto results = run(p, options);
  EXPECT_LT(since(start), options.deadline + kHang);
  EXPECT_EQ(results[0].status, Status::Error);
  EXPECT_EQ(results[0].message, "still running at the run's deadline (0.3s)");
  EXPECT_EQ(results[1].status, Status::Error);
  EXPECT_EQ(results[1].message, "not started before the run's deadline (0.3s)");
}

TEST(Scheduler, ProbesGetTheRunsDeadlineWhenItComesFirst) {
  // A well-behaved probe is cut at the run's deadline, not its own timeout.
  Profile p = profileOf(check("long", 5000));
  SchedulerOptions options;
  options.deadline = Milliseconds(300);
  auto start = Clock::now();
  {
    std::lock_guard<std::mutex> lock(gLogMutex);
    gLog.erase("long");
  }
  run(p, options);
  EXPECT_LT(since(start), options.deadline + kHang);
  // The probe thread may log just after the run returns.
  for (int i = 0; i < 200; ++i) {
    {
      std::lock_guard<std::mutex> lock(gLogMutex);
      if (gLog.count("long")) break;
    }
    std::this_thread::sleep_for(Milliseconds(10));
  }
  std::lock_guard<std::mutex> lock(gLogMutex);
  ASSERT_TRUE(gLog.count("long")) << "the probe never returned";
  // Its deadline is the run's, which came before its own 10 s timeout.
  EXPECT_LE(gContexts["long"].deadline - gLog["long"].first, options.deadline);
  EXPECT_EQ(gContexts["long"].timeout, Milliseconds(10000));
}

TEST(Scheduler, AProbeThatIgnoresItsTimeoutIsAbandoned) {
  Profile p = loadTestProfile(
      "format: 1\nname: s\nchecks:\n  - id: stuck\n    probe: test-sleep\n    timeout: 100ms\n"
      "    with: { ms: 30000, stubborn: true, name: stuck }\n  - id: quick\n    probe: "
      "test-sleep\n",
      "s.yaml");
  auto start = Clock::now();
  auto results = run(p);
  EXPECT_LT(since(start), Milliseconds(100) + kHang);
  EXPECT_EQ(results[0].status, Status::Error);
  // Then how busy the host was: "; load average 0.52 on 2 CPUs".
  EXPECT_EQ(results[0].message.rfind("probe did not return within its timeout (0.1s)", 0), 0u)
      << results[0].message;
  EXPECT_NE(results[0].fix.find("--timeout"), std::string::npos) << results[0].fix;
  EXPECT_EQ(results[1].status, Status::Pass) << results[1].message;
}

// A probe waiting on a local program past its timeout is not abandoned: the
// program is judged by its CPU time and stops itself by the run's deadline
// (probes/program_limit.h). It gets that deadline in its context.
TEST(Scheduler, AProbeWaitingOnLocalWorkPastItsTimeoutIsNotAbandoned) {
  Profile p = loadTestProfile(
      "format: 1\nname: s\nchecks:\n  - id: busy\n    probe: test-sleep\n    timeout: 100ms\n"
      "    with: { ms: 1500, stubborn: true, local_work: true, name: busy }\n",
      "s.yaml");
  SchedulerOptions options;
  options.deadline = kHang * 4;
  auto start = Clock::now();
  auto results = run(p, options);
  EXPECT_LT(since(start), kHang * 4);
  EXPECT_EQ(results[0].status, Status::Pass) << results[0].message;
  EXPECT_GE(sleptBy("busy"), Milliseconds(1500));
  ProbeContext ctx = contextOf("busy");
  EXPECT_GE(ctx.run_deadline - start, kHang * 4 - Milliseconds(1000));
  ASSERT_NE(ctx.work, nullptr);
}

TEST(Scheduler, TimeoutOptionReplacesEveryChecksTimeout) {
  Profile p = profileOf(check("long", 30000));
  SchedulerOptions options;
  options.timeout = Milliseconds(100);
  auto start = Clock::now();
  run(p, options);
  EXPECT_LT(since(start), Milliseconds(100) + kHang);
  EXPECT_EQ(contextOf("long").timeout, Milliseconds(100));
}

TEST(Scheduler, InterruptMarksUnfinishedChecksSkipped) {
  Profile p = profileOf(check("done", 0) + check("long", 5000) + check("later", 0, "pass", "long"));
  StopEvent stop;
  SchedulerOptions options;
  options.stop = &stop;
  // Ctrl-C once "done" has ended (nothing else can end before "long").
  options.on_progress = [&stop](const Progress& progress) {
    if (progress.done >= 1) stop.raise(SIGINT);
  };
  auto results = run(p, options);
  EXPECT_EQ(results[0].status, Status::Pass);
  EXPECT_EQ(results[1].status, Status::Skip);
  EXPECT_EQ(results[1].message, "interrupted");
  EXPECT_EQ(results[2].status, Status::Skip);
}

TEST(Scheduler, SkipReasonsAreReportedNotRun) {
  Profile p = profileOf(check("a", 0) + check("b", 0));
  auto results = runChecks(p, {"", "not selected by --only"}, {});
  EXPECT_EQ(results[0].status, Status::Pass);
  EXPECT_EQ(results[1].status, Status::Skip);
  EXPECT_EQ(results[1].message, "not selected by --only");
}

TEST(Scheduler, ANeedLeftOutBySelectionDoesNotBlock) {
  // b needs a, which --skip left out: b runs. c needs a check that is skipped
  // for another reason (not applicable here): c is blocked, as before.
  Profile p = profileOf(check("a", 0, "fail") + check("b", 0, "pass", "a") + check("n", 0) +
                        check("c", 0, "pass", "n"));
  SchedulerOptions options;
  options.selected = {false, true, true, true};
  auto results =
      runChecks(p, {"not selected: --skip a", "", "not applicable on linux", ""}, options);
  EXPECT_EQ(results[0].status, Status::Skip);
  EXPECT_FALSE(results[0].selected);
  EXPECT_EQ(results[1].status, Status::Pass) << results[1].message;
  EXPECT_TRUE(results[1].selected);
  EXPECT_EQ(results[3].status, Status::Blocked);
  EXPECT_EQ(results[3].message, "needs n, which was skipped");
}

TEST(Scheduler, DerivedChecksRunFromTheirInputsResults) {
  // "env.tool" runs from env's and tool's results, in that order, once both
  // ended: a failed input does not block it. "broken" throws.
  Profile p = profileOf(check("env", 0, "fail") + check("env.tool", 0) + check("tool", 100) +
                        check("broken", 0));
  SchedulerOptions options;
  options.derived["env.tool"] = {{"env", "tool"},
                                 [](const std::vector<CheckResult>& inputs, const ProbeContext&) {
                                   std::string seen;
                                   for (const CheckResult& r : inputs)
                                     seen += r.check->id + " " + statusName(r.status) + "; ";
                                   return Outcome::pass(seen);
                                 }};
  options.derived["broken"] = {{}, [](const std::vector<CheckResult>&, const ProbeContext&) {
                                 throw std::runtime_error("no environment");
                                 return Outcome::pass("");
                               }};
  auto results = runChecks(p, std::vector<std::string>(p.checks.size()), options);
  EXPECT_EQ(results[1].status, Status::Pass) << results[1].message;
  EXPECT_EQ(results[1].message, "env fail; tool pass; ");
  EXPECT_EQ(results[3].status, Status::Error);
  EXPECT_EQ(results[3].message, "check failed: no environment");
}

TEST(Scheduler, ProgressReportsTheSlowestRunningCheck) {
  Profile p = profileOf(check("slow", 400) + check("fast", 0));
  SchedulerOptions options;
  std::vector<Progress> seen;
  options.on_progress = [&](const Progress& progress) { seen.push_back(progress); };
  run(p, options);
  ASSERT_FALSE(seen.empty());
  bool sawSlow = false;
  for (const auto& s : seen) sawSlow |= s.slowest_running == "slow";
  EXPECT_TRUE(sawSlow);
  EXPECT_EQ(seen.back().done, 2u);
}

}  // namespace
}  // namespace bbcheck

namespace bbcheck {
namespace {

TEST(Scheduler, InterruptStopsWhatProbesStartedThenLetsThemReturn) {
  Profile p = profileOf(check("long", 30000));
  StopEvent stop;
  std::atomic<int> stops{0};
  SchedulerOptions options;
  options.stop = &stop;
  options.on_interrupt = [&stops] { ++stops; };
  options.interrupt_grace = Milliseconds(300);
  // Ctrl-C while the probe runs.
  options.on_progress = [&stop](const Progress& progress) {
    if (progress.slowest_running == "long") stop.raise(SIGINT);
  };
  auto start = Clock::now();
  auto results = run(p, options);
  EXPECT_EQ(stops.load(), 1);
  EXPECT_EQ(results[0].status, Status::Skip);
  // The sleeping probe ignores the stop, so the grace runs out; the run
  // still ends then.
  EXPECT_LT(since(start), options.interrupt_grace + kHang);
}

TEST(Scheduler, ManyChecksRunOnAFewThreads) {
  std::string checks;
  for (int i = 0; i < 300; ++i) checks += check("c" + std::to_string(i), 0);
  Profile p = profileOf(checks);
  SchedulerOptions options;
  options.jobs = 4;
  auto results = run(p, options);
  for (const auto& r : results) EXPECT_EQ(r.status, Status::Pass) << r.check->id;
}

}  // namespace
}  // namespace bbcheck
