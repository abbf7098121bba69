#include "probes/system/cpu.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <cmath>

#include "probes/system/cgroup.h"

namespace bbcheck {
namespace {

Outcome cpuWithMin(int64_t min) {
  Params params;
  params.set("min", min);
  return cpuProbe().run(params, ProbeContext{});
}

TEST(CpuProbe, CountsTheAffinityMask) {
  cpu_set_t set;
  CPU_ZERO(&set);
  ASSERT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  EXPECT_EQ(usableCpuCount(), CPU_COUNT(&set));
  EXPECT_GE(onlineCpuCount(), usableCpuCount());
}

// The oracle is what this process may use: the affinity mask narrowed by a
// cgroup CPU quota (cgroup_test checks that reading), so that the test also
// holds inside a container limited to fewer CPUs than the machine has.
TEST(CpuProbe, PassesAtTheMachinesCountAndFailsAboveIt) {
  double usable = effectiveCpus(usableCpuCount(), readCgroupLimits()).effective;
  auto n = static_cast<int64_t>(std::floor(usable));
  Outcome ok = cpuWithMin(n);
  EXPECT_EQ(ok.status, Status::Pass) << ok.message;
  EXPECT_DOUBLE_EQ(ok.observed["count"].convert<double>(), usable);

  Outcome tooFew = cpuWithMin(n + 1);
  EXPECT_EQ(tooFew.status, Status::Fail);
  EXPECT_NE(tooFew.message.find("need at least " + std::to_string(n + 1)), std::string::npos);
  EXPECT_EQ(tooFew.expected["min"].convert<int>(), n + 1);
}

}  // namespace
}  // namespace bbcheck
