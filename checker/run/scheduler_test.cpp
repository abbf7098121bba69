#include "checker/run/scheduler.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "checker/profile/profile_loader.h"
#include "probes/param_binding.h"
#include "probes/registry.h"

namespace bbcheck {
namespace {

// A probe kind for these tests only: sleeps `ms` (cut at its deadline unless
// `stubborn`), then ends with `status`, recording when it ran.
std::mutex gLogMutex;
std::map<std::string, std::pair<Clock::time_point, Clock::time_point>> gLog;

struct SleepParams {
  int64_t ms = 0;
  std::string status = "pass";
  std::string name;
  bool stubborn = false;
};

Outcome sleepProbe(const SleepParams& p, const ProbeContext& ctx) {
  auto start = Clock::now();
  auto wake = start + Milliseconds(p.ms);
  if (!p.stubborn) wake = std::min(wake, ctx.deadline);
  std::this_thread::sleep_until(wake);
  {
    std::lock_guard<std::mutex> lock(gLogMutex);
    gLog[p.name] = {start, Clock::now()};
  }
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
       boolParam("stubborn", &SleepParams::stubborn, "")},
      sleepProbe)});
  return registry;
}

Profile loadTestProfile(const std::string& text, const std::string& file) {
  LoadOptions options;
  options.probes = &testKinds();
  return loadProfileText(text, file, options);
}

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

std::vector<CheckResult> run(const Profile& p, SchedulerOptions options = {}) {
  return runChecks(p, std::vector<std::string>(p.checks.size()), options);
}

Milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<Milliseconds>(Clock::now() - start);
}

TEST(Scheduler, SleepingProbesOverlap) {
  std::string checks;
  for (int i = 0; i < 16; ++i) checks += check("c" + std::to_string(i), 300);
  Profile p = profileOf(checks);
  auto start = Clock::now();
  auto results = run(p);
  // Sixteen 300 ms sleeps one after another would take 4.8 s.
  EXPECT_LT(since(start), Milliseconds(1200));
  for (const auto& r : results) EXPECT_EQ(r.status, Status::Pass) << r.message;
}

TEST(Scheduler, JobsLimitsConcurrency) {
  Profile p = profileOf(check("a", 150) + check("b", 150) + check("c", 150) + check("d", 150));
  SchedulerOptions options;
  options.jobs = 2;
  auto start = Clock::now();
  run(p, options);
  EXPECT_GE(since(start), Milliseconds(300));  // two rounds of two
  EXPECT_LT(since(start), Milliseconds(2000));
}

TEST(Scheduler, ResultsComeInProfileOrder) {
  Profile p = profileOf(check("slow", 300) + check("fast", 0) + check("middle", 100));
  auto results = run(p);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].check->id, "slow");
  EXPECT_EQ(results[1].check->id, "fast");
  EXPECT_EQ(results[2].check->id, "middle");
  EXPECT_GE(results[0].duration_ms, 250);
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
      "    with: { ms: 5000, stubborn: true, name: long }\n  - id: waiting\n    probe: test-sleep\n"
      "    needs: [long]\n",
      "s.yaml");
  SchedulerOptions options;
  options.deadline = Milliseconds(300);
  auto start = Clock::now();
  auto results = run(p, options);
  EXPECT_LT(since(start), Milliseconds(1500));
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
  EXPECT_LT(since(start), Milliseconds(1500));
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
  EXPECT_LT(gLog["long"].second - gLog["long"].first, Milliseconds(1000));
}

TEST(Scheduler, AProbeThatIgnoresItsTimeoutIsAbandoned) {
  Profile p = loadTestProfile(
      "format: 1\nname: s\nchecks:\n  - id: stuck\n    probe: test-sleep\n    timeout: 100ms\n"
      "    with: { ms: 3000, stubborn: true, name: stuck }\n  - id: quick\n    probe: test-sleep\n",
      "s.yaml");
  auto start = Clock::now();
  auto results = run(p);
  EXPECT_LT(since(start), Milliseconds(1500));
  EXPECT_EQ(results[0].status, Status::Error);
  EXPECT_EQ(results[0].message, "probe did not return within its timeout (0.1s)");
  EXPECT_EQ(results[1].status, Status::Pass) << results[1].message;
}

TEST(Scheduler, TimeoutOptionReplacesEveryChecksTimeout) {
  Profile p = profileOf(check("long", 3000));
  SchedulerOptions options;
  options.timeout = Milliseconds(100);
  auto start = Clock::now();
  run(p, options);
  EXPECT_LT(since(start), Milliseconds(1500));
}

TEST(Scheduler, InterruptMarksUnfinishedChecksSkipped) {
  Profile p = profileOf(check("done", 0) + check("long", 5000) + check("later", 0, "pass", "long"));
  std::atomic<bool> interrupted{false};
  SchedulerOptions options;
  options.interrupted = &interrupted;
  std::thread ctrlC([&] {
    std::this_thread::sleep_for(Milliseconds(200));
    interrupted = true;
  });
  auto results = run(p, options);
  ctrlC.join();
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
  Profile p = profileOf(check("long", 5000));
  std::atomic<bool> interrupted{false};
  std::atomic<int> stops{0};
  SchedulerOptions options;
  options.interrupted = &interrupted;
  options.on_interrupt = [&stops] { ++stops; };
  options.interrupt_grace = Milliseconds(300);
  std::thread ctrlC([&] {
    std::this_thread::sleep_for(Milliseconds(100));
    interrupted = true;
  });
  auto start = Clock::now();
  auto results = run(p, options);
  ctrlC.join();
  EXPECT_EQ(stops.load(), 1);
  EXPECT_EQ(results[0].status, Status::Skip);
  // The sleeping probe ignores the stop, so the grace runs out; generous bound.
  EXPECT_LT(since(start), Milliseconds(3000));
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
