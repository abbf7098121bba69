// --retry-for in the executor: a check that does not pass runs again until
// it passes or the retry time is used, and what needs it waits for it.
#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "checker/profile/profile_loader.h"
#include "checker/run/scheduler.h"
#include "probes/param_binding.h"
#include "probes/registry.h"

namespace bbcheck {
namespace {

std::mutex gMutex;
std::map<std::string, int> gCalls;  // by name: how often the probe ran

struct FlakyParams {
  std::string name;
  int64_t passes_on = 0;  // the try that passes; 0: none
};

Outcome flakyProbe(const FlakyParams& p, const ProbeContext&) {
  std::lock_guard<std::mutex> lock(gMutex);
  int call = ++gCalls[p.name];
  if (p.passes_on > 0 && call >= p.passes_on) return Outcome::pass("up");
  return Outcome::fail("down on try " + std::to_string(call));
}

const Registry& flakyKinds() {
  static const Registry registry({probeKind("test-flaky", "fails until its passes_on-th try",
                                            {stringParam("name", &FlakyParams::name, ""),
                                             intParam("passes_on", &FlakyParams::passes_on, "")},
                                            flakyProbe)});
  return registry;
}

Profile flakyProfile(const std::string& prefix, int passesOn) {
  LoadOptions options;
  options.probes = &flakyKinds();
  return loadProfileText(
      "format: 1\nname: flaky\nchecks:\n"
      "  - id: " +
          prefix +
          ".master\n    probe: test-flaky\n"
          "    with: { name: " +
          prefix + ", passes_on: " + std::to_string(passesOn) +
          " }\n"
          "  - id: " +
          prefix +
          ".login\n    probe: test-flaky\n"
          "    with: { name: " +
          prefix +
          "-login, passes_on: 1 }\n"
          "    needs: [" +
          prefix + ".master]\n",
      "flaky.yaml", options);
}

std::vector<CheckResult> run(const Profile& profile, Milliseconds retryFor,
                             Milliseconds deadline = Milliseconds(60000)) {
  SchedulerOptions options;
  options.retry_for = retryFor;
  options.deadline = deadline;
  return runChecks(profile, std::vector<std::string>(profile.checks.size()), options);
}

TEST(Retry, WithoutItAFailureIsFinal) {
  Profile p = flakyProfile("once", 3);
  std::vector<CheckResult> r = run(p, Milliseconds(0));
  EXPECT_EQ(r[0].status, Status::Fail);
  EXPECT_EQ(r[0].tries, 1);
  EXPECT_EQ(r[1].status, Status::Blocked);
}

TEST(Retry, AFailingCheckRunsAgainUntilItPassesAndWhatNeedsItWaits) {
  Profile p = flakyProfile("late", 3);
  std::vector<CheckResult> r = run(p, Milliseconds(30000));
  EXPECT_EQ(r[0].status, Status::Pass) << r[0].message;
  EXPECT_EQ(r[0].tries, 3);
  EXPECT_EQ(r[1].status, Status::Pass) << r[1].message;  // ran after the master came up
  EXPECT_EQ(r[1].tries, 1);
}

TEST(Retry, ACheckThatNeverPassesStopsWhenTheTimeIsUsed) {
  Profile p = flakyProfile("never", 0);
  auto started = Clock::now();
  std::vector<CheckResult> r = run(p, Milliseconds(1500));
  EXPECT_LT(Clock::now() - started, Milliseconds(20000));  // generous: a busy host
  EXPECT_EQ(r[0].status, Status::Fail);
  EXPECT_GE(r[0].tries, 3);  // 0, 0.25, 0.75 s at least
  EXPECT_EQ(r[0].message, "down on try " + std::to_string(r[0].tries));
  EXPECT_EQ(r[1].status, Status::Blocked);
}

TEST(Retry, TriesFitWithinTheDeadline) {
  Profile p = flakyProfile("deadline", 0);
  // The retry time is longer than the run: the deadline bounds it, and the
  // last try's failure is the result, not "still running at the deadline".
  std::vector<CheckResult> r = run(p, Milliseconds(60000), Milliseconds(4000));
  EXPECT_EQ(r[0].status, Status::Fail) << r[0].message;
  EXPECT_GE(r[0].tries, 1);
  EXPECT_EQ(r[0].message.rfind("down on try", 0), 0u) << r[0].message;
}

}  // namespace
}  // namespace bbcheck
