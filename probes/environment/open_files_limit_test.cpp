#include "probes/environment/open_files_limit.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>

#include "tests/in_child.h"

namespace bbcheck {
namespace {

Outcome runLimit(int64_t max = 1048576) {
  Params params;
  params.set("min", int64_t{1024});
  params.set("max", max);
  return openFilesLimitProbe().run(params, ProbeContext{});
}

// Runs the probe in a child that first sets its own RLIMIT_NOFILE, as
// `ulimit -n` in the worker's start script would.
// `changed`: the limit differs from the test process's, so the child is
// where it was set.
testing::ChildOutcome runWithLimit(rlim_t soft, rlim_t hard, int64_t max = 1048576,
                                   bool changed = true) {
  return testing::runInChild([=] {
    rlimit rl{soft, hard};
    if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) throw std::runtime_error("setrlimit failed");
    Outcome o = runLimit(max);
    // Where the limit comes from: this child changed it.
    if (changed && o.observed["set_by_pid"].convert<int>() != ::getpid())
      throw std::runtime_error("origin not this process: " + o.message);
    return o;
  });
}

int64_t kernelMax() {
  int64_t n = -1;
  std::ifstream("/proc/sys/fs/nr_open") >> n;
  return n;
}

TEST(OpenFilesLimitProbe, Judgement) {
  EXPECT_EQ(judgeFileLimit({1024, 524288}, 1024, 1048576), "");
  EXPECT_NE(judgeFileLimit({128, 128}, 1024, 1048576).find("soft limit 128 is below 1024"),
            std::string::npos);
  EXPECT_NE(judgeFileLimit({1073741816, 1073741816}, 1024, 1048576).find("above 1048576"),
            std::string::npos);
  EXPECT_NE(judgeFileLimit({1024, kUnlimited}, 1024, 1048576).find("hard limit unlimited"),
            std::string::npos);
}

TEST(OpenFilesLimitProbe, SaneLimitPassesWithBothNumbers) {
  auto r = runWithLimit(4096, 8192);  // lowering needs no privilege
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Pass) << r.outcome.message;
  EXPECT_EQ(r.outcome.observed["soft"].convert<int64_t>(), 4096);
  EXPECT_EQ(r.outcome.observed["hard"].convert<int64_t>(), 8192);
  EXPECT_NE(r.outcome.message.find("soft 4096, hard 8192"), std::string::npos);
  EXPECT_NE(r.outcome.message.find("its parent, pid"), std::string::npos) << r.outcome.message;
}

TEST(OpenFilesLimitProbe, UlimitN128Fails) {
  auto r = runWithLimit(128, 128);
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("soft limit 128 is below 1024"), std::string::npos)
      << r.outcome.message;
}

TEST(OpenFilesLimitProbe, LimitAboveTheCeilingFails) {
  // A limit as large as this process may set (raising the hard limit needs
  // CAP_SYS_RESOURCE, which a container may lack, and fs.nr_open is global)
  // against a ceiling just below it: the judgement a host with 2^30 gets.
  rlimit current{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &current), 0);
  ASSERT_GT(current.rlim_max, 2048u);
  int64_t hard = static_cast<int64_t>(current.rlim_max);
  auto r = runWithLimit(current.rlim_max, current.rlim_max, hard - 1,
                        current.rlim_cur != current.rlim_max);
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("soft limit " + std::to_string(hard) + " is above " +
                                   std::to_string(hard - 1)),
            std::string::npos)
      << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("subprocess tests time out"), std::string::npos);
  EXPECT_EQ(r.outcome.observed["kernel_max"].convert<int64_t>(), kernelMax());
}

}  // namespace
}  // namespace bbcheck
