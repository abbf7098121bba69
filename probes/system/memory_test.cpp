#include "probes/system/memory.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "probes/system/cgroup.h"

namespace bbcheck {
namespace {

// The test's own reading of /proc/meminfo, independent of the probe's parser.
int64_t meminfoBytes(const std::string& key) {
  std::ifstream in("/proc/meminfo");
  std::string name;
  int64_t kib = 0;
  std::string unit;
  while (in >> name >> kib) {
    std::getline(in, unit);
    if (name == key + ":") return kib * 1024;
  }
  return -1;
}

// What this process may use: MemTotal, or a tighter cgroup memory limit
// (cgroup_test checks that reading), so that the tests also hold inside a
// container with a memory limit.
int64_t usableBytes() {
  int64_t total = meminfoBytes("MemTotal");
  if (total < 0) return -1;
  return static_cast<int64_t>(effectiveMemory(total, readCgroupLimits()).effective);
}

Outcome memoryWithMin(int64_t min) {
  Params params;
  params.set("min", min);
  return memoryProbe().run(params, ProbeContext{});
}

TEST(MemoryProbe, ParsesMeminfoInKibibytes) {
  MemoryInfo info = parseMeminfo(
      "MemTotal:       24684096 kB\nMemFree:        23000000 kB\nMemAvailable:   23986776 kB\n");
  EXPECT_EQ(info.total_bytes, 24684096LL * 1024);
  EXPECT_EQ(info.available_bytes, 23986776LL * 1024);
  EXPECT_EQ(parseMeminfo("garbage\n").total_bytes, -1);
}

TEST(MemoryProbe, ReportsWhatProcMeminfoSays) {
  int64_t total = usableBytes();
  ASSERT_GT(total, 0) << "this test needs /proc/meminfo";
  Outcome ok = memoryWithMin(total);
  ASSERT_EQ(ok.status, Status::Pass) << ok.message;
  EXPECT_EQ(ok.observed["bytes"].convert<int64_t>(), total);
  EXPECT_EQ(ok.observed["host_bytes"].convert<int64_t>(), meminfoBytes("MemTotal"));
  int64_t available = ok.observed["available_bytes"].convert<int64_t>();
  EXPECT_GT(available, 0);
  EXPECT_LE(available, total);
  EXPECT_EQ(ok.expected["min_bytes"].convert<int64_t>(), total);
}

TEST(MemoryProbe, FailsBelowTheMinimumWithBothAmounts) {
  int64_t total = usableBytes();
  ASSERT_GT(total, 0);
  int64_t min = total + (1LL << 30);
  Outcome tooLittle = memoryWithMin(min);
  EXPECT_EQ(tooLittle.status, Status::Fail);
  EXPECT_NE(tooLittle.message.find(std::to_string(total) + " < " + std::to_string(min) + " bytes"),
            std::string::npos)
      << tooLittle.message;
  EXPECT_NE(tooLittle.message.find("need at least"), std::string::npos) << tooLittle.message;
  EXPECT_NE(tooLittle.message.find("GiB RAM"), std::string::npos) << tooLittle.message;
  EXPECT_EQ(tooLittle.expected["min_bytes"].convert<int64_t>(), min);
}

}  // namespace
}  // namespace bbcheck
