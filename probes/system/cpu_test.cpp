#include "probes/system/cpu.h"

#include <gtest/gtest.h>
#include <sched.h>

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

TEST(CpuProbe, PassesAtTheMachinesCountAndFailsAboveIt) {
  int n = usableCpuCount();
  Outcome ok = cpuWithMin(n);
  EXPECT_EQ(ok.status, Status::Pass) << ok.message;
  EXPECT_EQ(ok.observed["count"].convert<int>(), n);

  Outcome tooFew = cpuWithMin(n + 1);
  EXPECT_EQ(tooFew.status, Status::Fail);
  EXPECT_NE(tooFew.message.find("need at least " + std::to_string(n + 1)), std::string::npos);
  EXPECT_EQ(tooFew.expected["min"].convert<int>(), n + 1);
}

}  // namespace
}  // namespace bbcheck
