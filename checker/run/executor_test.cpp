// An interrupt wakes the executor as an event (stop_event.h): no test here
// measures time. A run whose only possible waker is the interrupt ends, and
// one interrupted before it began starts nothing.
#include "checker/run/executor.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include "checker/profile/profile_loader.h"
#include "checker/run/scheduler.h"
#include "probes/param_binding.h"
#include "probes/registry.h"

namespace bbcheck {
namespace {

// A probe that waits until the test lets it go, counting how many started.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  int started = 0;
  bool open = false;
};
Gate gGate;

struct WaitParams {
  std::string name;
};

Outcome waitProbe(const WaitParams&, const ProbeContext&) {
  std::unique_lock<std::mutex> lock(gGate.mutex);
  ++gGate.started;
  gGate.changed.notify_all();
  gGate.changed.wait(lock, [] { return gGate.open; });
  return Outcome::pass("let go");
}

const Registry& testKinds() {
  static const Registry registry({probeKind(
      "test-wait", "waits to be let go", {stringParam("name", &WaitParams::name, "")}, waitProbe)});
  return registry;
}

Profile profileOf(const std::vector<std::string>& ids) {
  std::string text = "format: 1\nname: wake\nchecks:\n";
  for (const std::string& id : ids)
    text += "  - id: " + id + "\n    probe: test-wait\n    with: { name: " + id + " }\n";
  LoadOptions options;
  options.probes = &testKinds();
  return loadProfileText(text, "wake.yaml", options);
}

// Runs `profile` with nothing that could wake the executor for hours but
// `stop`: no progress is watched, and the check's timeout and the run's
// deadline are hours away.
std::vector<CheckResult> runUntilStopped(const Profile& profile, const StopEvent& stop) {
  SchedulerOptions options;
  options.stop = &stop;
  options.timeout = Milliseconds(3 * 3600 * 1000);
  options.deadline = Milliseconds(3 * 3600 * 1000);
  options.interrupt_grace = Milliseconds(0);
  return runChecks(profile, std::vector<std::string>(profile.checks.size()), options);
}

void resetGate() {
  std::lock_guard<std::mutex> lock(gGate.mutex);
  gGate.started = 0;
  gGate.open = false;
}

// Lets the waiting probes return (their threads outlive the run).
void openGate() {
  std::lock_guard<std::mutex> lock(gGate.mutex);
  gGate.open = true;
  gGate.changed.notify_all();
}

TEST(ExecutorInterrupt, AnInterruptWakesTheExecutor) {
  resetGate();
  Profile p = profileOf({"waiting"});
  StopEvent stop;
  std::thread interrupter([&stop] {
    std::unique_lock<std::mutex> lock(gGate.mutex);
    gGate.changed.wait(lock, [] { return gGate.started >= 1; });
    lock.unlock();
    stop.raise(SIGTERM);
  });
  std::vector<CheckResult> results = runUntilStopped(p, stop);
  interrupter.join();
  openGate();
  EXPECT_EQ(results[0].status, Status::Skip);
  EXPECT_EQ(results[0].message, "interrupted");
  EXPECT_EQ(stop.signal(), SIGTERM);
}

TEST(ExecutorInterrupt, AnInterruptBeforeTheRunStartsNothing) {
  resetGate();
  Profile p = profileOf({"first", "second"});
  StopEvent stop;
  stop.raise(SIGINT);
  std::vector<CheckResult> results = runUntilStopped(p, stop);
  openGate();
  for (const CheckResult& r : results) {
    EXPECT_EQ(r.status, Status::Skip) << r.check->id;
    EXPECT_EQ(r.message, "interrupted") << r.check->id;
  }
  std::lock_guard<std::mutex> lock(gGate.mutex);
  EXPECT_EQ(gGate.started, 0);
}

}  // namespace
}  // namespace bbcheck
