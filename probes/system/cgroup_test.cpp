#include "probes/system/cgroup.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "probes/human.h"
#include "probes/registry.h"
#include "probes/system/cpu.h"
#include "probes/system/memory.h"
#include "probes/text.h"
#include "tests/in_child.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::runInChild;
using testing::TempDir;

// ---- the parsing, on trees shaped like /proc and cgroupfs -----------------
// The reader takes a root prefix; the code that parses these trees is the
// same that reads the machine's /proc/self/cgroup, mountinfo and cgroupfs.

TEST(CgroupParsing, LimitFilesText) {
  EXPECT_EQ(parseMemoryLimit("314572800\n").value(), 314572800.0);
  EXPECT_FALSE(parseMemoryLimit("max\n"));
  EXPECT_FALSE(parseMemoryLimit("9223372036854771712\n"));  // v1's "no limit"
  EXPECT_THROW(parseMemoryLimit("lots"), std::invalid_argument);
  EXPECT_EQ(parseCpuMax("50000 100000\n").value(), 0.5);
  EXPECT_EQ(parseCpuMax("150000 100000").value(), 1.5);
  EXPECT_FALSE(parseCpuMax("max 100000"));
  EXPECT_FALSE(parseCfsQuota("-1", "100000"));
  EXPECT_EQ(parseCfsQuota("200000", "100000").value(), 2.0);
  EXPECT_THROW(parseCfsQuota("1", "0"), std::invalid_argument);
}

TEST(CgroupParsing, CpuCountsReadAsEnglish) {
  EXPECT_EQ(cpusText(1), "1 CPU");
  EXPECT_EQ(cpusText(2), "2 CPUs");
  EXPECT_EQ(cpusText(0.5), "0.5 CPU");
  EXPECT_EQ(cpusText(1.5), "1.5 CPUs");
}

TEST(CgroupParsing, V2TreeTakesTheTightestLimitOfTheGroupAndItsParents) {
  TempDir root;
  root.write("proc/self/cgroup", "0::/ci/job\n");
  root.write("proc/self/mountinfo",
             "23 1 0:21 / / rw - ext4 /dev/vda1 rw\n"
             "41 23 0:38 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
  // The parent's memory.max binds though the job's own says max; the job's
  // cpu.max binds though the parent's is wider.
  root.write("sys/fs/cgroup/ci/memory.max", "314572800\n");
  root.write("sys/fs/cgroup/ci/cpu.max", "max 100000\n");
  root.write("sys/fs/cgroup/ci/job/memory.max", "max\n");
  root.write("sys/fs/cgroup/ci/job/memory.high", "1073741824\n");
  root.write("sys/fs/cgroup/ci/job/cpu.max", "50000 100000\n");
  // A limit file that cannot be parsed is reported, not taken as "no limit".
  root.write("sys/fs/cgroup/memory.max", "garbage\n");

  CgroupLimits limits = readCgroupLimits(root.path());
  ASSERT_TRUE(limits.memory.limited);
  EXPECT_EQ(limits.memory.value, 314572800.0);
  EXPECT_EQ(limits.memory.file, "memory.max");
  EXPECT_EQ(limits.memory.group, "/ci");
  ASSERT_TRUE(limits.cpu.limited);
  EXPECT_EQ(limits.cpu.value, 0.5);
  EXPECT_EQ(limits.cpu.group, "/ci/job");
  ASSERT_EQ(limits.problems.size(), 1u);
  EXPECT_TRUE(contains(limits.problems[0], "memory.max: 'garbage' is not a number"))
      << limits.problems[0];

  EffectiveFigure memory = effectiveMemory(64LL << 30, limits);
  EXPECT_EQ(memory.effective, 314572800.0);
  EXPECT_EQ(memory.host, static_cast<double>(64LL << 30));
  EXPECT_EQ(memory.limited_by, "cgroup memory.max = 314572800 in /ci");
  EffectiveFigure cpus = effectiveCpus(16, limits);
  EXPECT_EQ(cpus.effective, 0.5);
  EXPECT_EQ(cpus.limited_by, "cgroup cpu.max = 50000 100000 in /ci/job");
  // A limit above the host's figure changes nothing.
  EXPECT_EQ(effectiveMemory(100 << 20, limits).limited_by, "");
}

TEST(CgroupParsing, V1ContainerSeesOnlyItsSubtree) {
  // docker without a cgroup namespace: /proc/self/cgroup names the full
  // path, the mount shows only the container's part of the hierarchy.
  TempDir root;
  root.write("proc/self/cgroup",
             "4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n");
  root.write("proc/self/mountinfo",
             "40 31 0:32 /docker/abc /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n"
             "41 31 0:33 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro - cgroup cgroup rw,cpu,cpuacct\n"
             "42 31 0:34 /docker/abc /sys/fs/cgroup/systemd ro - cgroup cgroup rw,name=systemd\n");
  root.write("sys/fs/cgroup/memory/memory.limit_in_bytes", "314572800\n");
  root.write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "150000\n");
  root.write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
  CgroupLimits limits = readCgroupLimits(root.path());
  EXPECT_TRUE(limits.problems.empty());
  EXPECT_EQ(limits.memory.value, 314572800.0);
  EXPECT_EQ(limits.memory.group, "/docker/abc");
  EXPECT_EQ(limits.cpu.value, 1.5);
  EXPECT_EQ(describeLimit(limits.cpu), "cgroup cpu.cfs_quota_us = 150000/100000 in /docker/abc");
}

TEST(CgroupParsing, NoCgroupsMeansNoLimits) {
  TempDir root;
  CgroupLimits limits = readCgroupLimits(root.path());
  EXPECT_FALSE(limits.memory.limited);
  EXPECT_FALSE(limits.cpu.limited);
  EXPECT_EQ(effectiveCpus(4, limits).effective, 4.0);
}

// ---- real v1 cgroups on this machine ---------------------------------------

// The test's own reading of its group in one v1 hierarchy ("/process_api/x").
std::string ownV1Group(const std::string& controller) {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    size_t a = line.find(':'), b = line.find(':', a + 1);
    std::stringstream list(line.substr(a + 1, b - a - 1));
    std::string c;
    while (std::getline(list, c, ','))
      if (c == controller) return line.substr(b + 1);
  }
  return "";
}

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + text + " to " + path);
}

// A v1 cgroup under the test's own group, removed (after its processes are
// gone) when this goes out of scope. Its name carries the test's PID.
class ScopedCgroup {
 public:
  ScopedCgroup(const std::string& controller, const std::string& name) {
    std::string mount = "/sys/fs/cgroup/" + controller;
    std::string own = ownV1Group(controller);
    if (own.empty() || ::access((mount + "/cgroup.procs").c_str(), F_OK) != 0)
      throw std::runtime_error("no v1 " + controller + " hierarchy at " + mount);
    group_ = (own == "/" ? "" : own) + "/" + name + "-" + std::to_string(::getpid());
    dir_ = mount + group_;
    ::rmdir(dir_.c_str());  // left over from a crashed run with the same pid
    if (::mkdir(dir_.c_str(), 0755) != 0)
      throw std::runtime_error("mkdir " + dir_ + ": " + std::strerror(errno));
  }
  ScopedCgroup(const ScopedCgroup& parent, const std::string& name) {
    group_ = parent.group_ + "/" + name;
    dir_ = parent.dir_ + "/" + name;
    if (::mkdir(dir_.c_str(), 0755) != 0)
      throw std::runtime_error("mkdir " + dir_ + ": " + std::strerror(errno));
  }
  ~ScopedCgroup() {
    // The children that joined have been reaped; the kernel may still be
    // releasing the group for a moment.
    for (int i = 0; i < 50 && ::rmdir(dir_.c_str()) != 0 && errno == EBUSY; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ScopedCgroup(const ScopedCgroup&) = delete;
  ScopedCgroup& operator=(const ScopedCgroup&) = delete;

  void set(const std::string& file, const std::string& value) const {
    writeFile(dir_ + "/" + file, value);
  }
  // Moves the calling process in: only for a forked child.
  void join() const { writeFile(dir_ + "/cgroup.procs", std::to_string(::getpid())); }
  const std::string& group() const { return group_; }

 private:
  std::string group_, dir_;
};

Outcome runProbe(const std::string& kind, const std::string& param, int64_t value) {
  static const Registry limited({cpuProbe(), memoryProbe()});  // the kinds cgroups limit
  Params params;
  params.set(param, value);
  return limited.find(kind)->run(params, ProbeContext{});
}

// Ground truth: does a 512 MiB program really die in the group?
bool survivesAllocating(const ScopedCgroup& group, size_t bytes) {
  pid_t pid = ::fork();
  if (pid == 0) {
    try {
      group.join();
    } catch (...) {
      ::_exit(3);
    }
    auto* block = static_cast<volatile char*>(::malloc(bytes));
    if (block == nullptr) ::_exit(2);
    for (size_t i = 0; i < bytes; i += 4096) block[i] = 1;  // really use it
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

const int64_t kMiB = 1LL << 20;

TEST(CgroupV1, MemoryLimitOf300MbFailsA512MibCheck) {
  ScopedCgroup group("memory", "bbcheck-mem");
  group.set("memory.limit_in_bytes", std::to_string(300 * kMiB));
  ASSERT_FALSE(survivesAllocating(group, 512 * kMiB)) << "ground truth: 512 MiB fits in 300 MB?";

  auto child = runInChild([&] {
    group.join();
    return runProbe("memory", "min", 512 * kMiB);
  });
  ASSERT_EQ(child.failure, "");
  const Outcome& o = child.outcome;
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["bytes"].convert<int64_t>(), 300 * kMiB);
  EXPECT_GT(o.observed["host_bytes"].convert<int64_t>(), 300 * kMiB);
  EXPECT_TRUE(contains(o.message, "memory.limit_in_bytes = 314572800 in " + group.group()))
      << o.message;
  EXPECT_TRUE(contains(o.message, "the host has")) << o.message;
}

TEST(CgroupV1, MemoryControlsPass) {
  ScopedCgroup roomy("memory", "bbcheck-mem1g");
  roomy.set("memory.limit_in_bytes", std::to_string(1024 * kMiB));
  ASSERT_TRUE(survivesAllocating(roomy, 512 * kMiB)) << "ground truth: 512 MiB in 1 GiB";
  auto limited = runInChild([&] {
    roomy.join();
    return runProbe("memory", "min", 512 * kMiB);
  });
  ASSERT_EQ(limited.failure, "");
  EXPECT_EQ(limited.outcome.status, Status::Pass) << limited.outcome.message;
  EXPECT_EQ(limited.outcome.observed["bytes"].convert<int64_t>(), 1024 * kMiB);

  ScopedCgroup unlimited("memory", "bbcheck-memfree");
  auto free = runInChild([&] {
    unlimited.join();
    return runProbe("memory", "min", 512 * kMiB);
  });
  ASSERT_EQ(free.failure, "");
  EXPECT_EQ(free.outcome.status, Status::Pass) << free.outcome.message;
  EXPECT_EQ(free.outcome.observed["bytes"].convert<int64_t>(),
            free.outcome.observed["host_bytes"].convert<int64_t>());
}

TEST(CgroupV1, AParentsMemoryLimitBindsItsChild) {
  ScopedCgroup parent("memory", "bbcheck-memparent");
  parent.set("memory.limit_in_bytes", std::to_string(300 * kMiB));
  ScopedCgroup child(parent, "job");  // no limit of its own
  auto run = runInChild([&] {
    child.join();
    return runProbe("memory", "min", 512 * kMiB);
  });
  ASSERT_EQ(run.failure, "");
  EXPECT_EQ(run.outcome.status, Status::Fail) << run.outcome.message;
  EXPECT_TRUE(contains(run.outcome.message, "in " + parent.group() + ";")) << run.outcome.message;
}

TEST(CgroupV1, CpuQuotaOfHalfACpuFailsTwo) {
  ScopedCgroup group("cpu", "bbcheck-cpu");
  group.set("cpu.cfs_period_us", "100000");
  group.set("cpu.cfs_quota_us", "50000");
  auto run = runInChild([&] {
    group.join();
    return runProbe("cpu", "min", 2);
  });
  ASSERT_EQ(run.failure, "");
  const Outcome& o = run.outcome;
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["count"].convert<double>(), 0.5);
  EXPECT_TRUE(contains(
      o.message, "0.5 CPU usable (cgroup cpu.cfs_quota_us = 50000/100000 in " + group.group()))
      << o.message;
}

TEST(CgroupV1, CpuControlsPass) {
  ScopedCgroup unlimited("cpu", "bbcheck-cpufree");
  unlimited.set("cpu.cfs_quota_us", "-1");
  auto free = runInChild([&] {
    unlimited.join();
    return runProbe("cpu", "min", 1);
  });
  ASSERT_EQ(free.failure, "");
  EXPECT_EQ(free.outcome.status, Status::Pass) << free.outcome.message;
  EXPECT_FALSE(free.outcome.observed.extract<Object>().contains("limited_by"));

  // A quota of exactly one CPU passes a minimum of one.
  ScopedCgroup one("cpu", "bbcheck-cpu1");
  one.set("cpu.cfs_period_us", "100000");
  one.set("cpu.cfs_quota_us", "100000");
  auto single = runInChild([&] {
    one.join();
    return runProbe("cpu", "min", 1);
  });
  ASSERT_EQ(single.failure, "");
  EXPECT_EQ(single.outcome.status, Status::Pass) << single.outcome.message;
  EXPECT_TRUE(contains(single.outcome.message, "1 CPU")) << single.outcome.message;
  EXPECT_FALSE(contains(single.outcome.message, "1 CPUs")) << single.outcome.message;
}

}  // namespace
}  // namespace bbcheck
