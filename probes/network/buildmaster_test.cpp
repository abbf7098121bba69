#include "probes/network/buildmaster.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "probes/network/buildmaster_testing.h"
#include "probes/process.h"
#include "probes/text.h"
#include "tests/buildbot_fixture.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::TempDir;

Outcome runProbe(const std::string& address, const std::string& buildarea = "",
                 Milliseconds timeout = Milliseconds(3000)) {
  return testing::runBuildmasterProbe(address, buildarea, timeout);
}

std::string loopback(int port) {
  return testing::loopbackAddress(port);
}

// A real buildmaster from Debian's buildbot package.
class BuildmasterProbe : public testing::BuildbotTest {};

TEST_F(BuildmasterProbe, RealMastersPbPortPasses) {
  Outcome o = runProbe(master().address());
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_TRUE(contains(o.message, master().address() + " speaks Perspective Broker")) << o.message;
  EXPECT_EQ(o.observed["received_hex"].toString(), "02 80 02 82 70 62 04 82 6e 6f 6e 65");
  EXPECT_EQ(o.observed["address_source"].toString(), "parameter");
}

TEST_F(BuildmasterProbe, AddressFromTheBuildAreasTac) {
  Outcome o = runProbe("", worker().area());
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["address_source"].toString(), "buildbot.tac");
  EXPECT_EQ(o.observed["address"].toString(), master().address());
  std::string all = o.message + o.observed.toString() + o.expected.toString();
  EXPECT_FALSE(contains(all, testing::kTestWorkerPassword)) << all;
}

// Runs the probe in a forked child inside a new network namespace (lo down,
// so nothing leaves it), after `setup` commands run there; returns
// "status|message".
std::string runInFreshNetns(const std::vector<std::vector<std::string>>& setup,
                            const std::string& address, Milliseconds timeout) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    std::string result;
    if (::unshare(CLONE_NEWNET) != 0) {
      result = std::string("unshare(CLONE_NEWNET) failed (run as root): ") + std::strerror(errno);
    } else {
      for (const auto& command : setup) {
        ProcessResult r = runProcess(command[0], {command.begin() + 1, command.end()},
                                     Clock::now() + std::chrono::seconds(10));
        if (r.exit_code != 0) result += command[0] + " failed: " + r.err + r.start_error;
      }
      if (result.empty()) {
        Outcome o = runProbe(address, "", timeout);
        result = std::string(statusName(o.status)) + "|" + o.message;
      }
    }
    ssize_t ignored = ::write(fds[1], result.data(), result.size());
    (void)ignored;
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buffer[512];
  ssize_t n;
  while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0) out.append(buffer, n);
  ::close(fds[0]);
  ::waitpid(child, nullptr, 0);
  return out;
}

TEST(BuildmasterProbeNetns, NoRouteIsUnreachable) {
  std::string r = runInFreshNetns({}, "127.0.0.1:9020", Milliseconds(1000));
  EXPECT_EQ(r,
            "fail|cannot reach the buildmaster at 127.0.0.1:9020: network unreachable for "
            "127.0.0.1:9020 (no route)");
}

TEST(BuildmasterProbeNetns, DroppedSynTimesOut) {
  auto start = Clock::now();
  std::string r =
      runInFreshNetns({{"ip", "link", "set", "lo", "up"},
                       {"iptables", "-A", "INPUT", "-p", "tcp", "--dport", "9020", "-j", "DROP"}},
                      "127.0.0.1:9020", Milliseconds(500));
  auto took = std::chrono::duration_cast<Milliseconds>(Clock::now() - start);
  EXPECT_TRUE(contains(r,
                       "fail|cannot reach the buildmaster at 127.0.0.1:9020: no answer from "
                       "127.0.0.1:9020 within "))
      << r << " (needs iproute2 and iptables)";
  EXPECT_LT(took.count(), 5000);  // 500 ms plus the namespace set-up, generously
}

// The tac is the truth at the worker stage: the worker connects to the
// master its buildbot.tac names, so that one is tried, whatever the
// profile's master var says; and the difference is said.
TEST_F(BuildmasterProbe, TheTacsMasterIsTriedAndADifferentProfileMasterIsSaid) {
  std::string wrong = loopback(testing::closedLoopbackPort());
  Outcome o = runProbe(wrong, worker().area());
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["address"].toString(), master().address());
  EXPECT_EQ(o.observed["address_source"].toString(), "buildbot.tac");
  EXPECT_EQ(o.observed["profile_master"].toString(), wrong);
  EXPECT_TRUE(contains(o.message, "the master in " + worker().area() + "/buildbot.tac is " +
                                      master().address() + ", not the profile's master " + wrong))
      << o.message;

  // The same master written the same way: nothing to say.
  o = runProbe(master().address(), worker().area());
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_FALSE(contains(o.message, "not the profile's master")) << o.message;
}

TEST_F(BuildmasterProbe, ATypoInTheTacIsCaughtEvenWhenTheProfilesMasterIsRight) {
  TempDir dir;
  std::string area = dir.path() + "/area";
  int closed = testing::closedLoopbackPort();
  testing::createWorkerArea(area, loopback(closed));  // the port mistyped
  Outcome o = runProbe(master().address(), area);
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["address"].toString(), loopback(closed));
  EXPECT_TRUE(contains(o.message, "cannot reach the buildmaster at " + loopback(closed)))
      << o.message;
  EXPECT_TRUE(contains(o.message, "not the profile's master " + master().address())) << o.message;
  // The fix corrects the tac (where the worker reads its master), not --set master.
  EXPECT_TRUE(contains(o.fix, "correct buildmaster_host and port in " + area + "/buildbot.tac"))
      << o.fix;
  EXPECT_FALSE(contains(o.fix, "--set master")) << o.fix;
}

}  // namespace
}  // namespace bbcheck
