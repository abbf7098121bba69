// The shipped profiles, run for real on the parts that need no internet:
// the security choices and the master address. Network checks run only
// inside `unshare -n`, aimed at loopback.
#include <gtest/gtest.h>

#include "probes/text.h"
#include "tests/test_support.h"

namespace bbcheck::testing {
namespace {

TEST(ShippedProfiles, RootIsRequiredToBeAvoidedUnlessDeliberate) {
  ASSERT_EQ(::geteuid(), 0u) << "this test runs bbcheck as root";
  CommandResult strict =
      runBbcheck({"-p", "buildbot-worker", "--only", "security.", "--format", "tap"});
  EXPECT_EQ(strict.exit_code, 1) << strict.out;
  EXPECT_TRUE(contains(strict.out, "not ok 7 - security.not-root")) << strict.out;
  EXPECT_TRUE(contains(strict.out, "# SKIP not applicable: when ${allow_root} is false"))
      << strict.out;

  CommandResult deliberate = runBbcheck({"-p", "buildbot-worker", "--only", "security.", "--set",
                                         "allow_root=true", "--format", "tap"});
  EXPECT_EQ(deliberate.exit_code, 0) << deliberate.out;
  EXPECT_TRUE(
      contains(deliberate.out, "security.not-root - The worker does not run as root # SKIP"))
      << deliberate.out;
  // Still said, as info, with the seed's warning about what root reaches.
  EXPECT_TRUE(contains(deliberate.out,
                       "not ok 8 - security.root-deliberate - Running as root was chosen "
                       "deliberately # TODO info"))
      << deliberate.out;
}

// buildbot-worker's master.pb is a worker-stage check (with no master var its
// address comes from buildbot.tac): --stage all judges it without a build area.
TEST(ShippedProfiles, NoMasterAnywhereIsAClearError) {
  // In a namespace with loopback up, "localhost" resolves and nothing leaves.
  TempDir dir;
  std::string command =
      "ip link set lo up && " + bbcheckBinary() +
      " -p buildbot-worker --only master.pb --set dns_name=localhost --set buildarea=" +
      dir.path() + "/none --stage all --format tap";
  CommandResult r = runCommand("unshare", {"--net", "--", "sh", "-c", command});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "not ok 13 - master.pb")) << r.out;
  EXPECT_TRUE(
      contains(r.out, "no master address: pass --set master=HOST:PORT or create the build area"))
      << r.out;
}

TEST(ShippedProfiles, MasterFromTheSetVarIsCheckedForTheBanner) {
  // "localhost" resolves from /etc/hosts: no query leaves the machine.
  LoopbackServer notAMaster("HTTP/1.1 400 Bad Request\r\n\r\n");
  std::string address = "127.0.0.1:" + std::to_string(notAMaster.port());
  CommandResult r =
      runBbcheck({"-p", "buildbot-worker", "--only", "master.pb", "--set", "dns_name=localhost",
                  "--set", "master=" + address, "--stage", "all", "--format", "tap"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "ok 12 - dns.system")) << r.out;
  EXPECT_TRUE(contains(r.out, "not ok 13 - master.pb")) << r.out;
  EXPECT_TRUE(contains(r.out, address + " sent other bytes")) << r.out;
  EXPECT_TRUE(contains(r.out, "HTTP")) << r.out;

  // Nothing listening: refused, named as such.
  int closed = closedLoopbackPort();
  CommandResult refused = runBbcheck(
      {"-p", "buildbot-worker", "--only", "master.pb", "--set", "dns_name=localhost", "--set",
       "master=127.0.0.1:" + std::to_string(closed), "--stage", "all", "--format", "tap"});
  EXPECT_TRUE(contains(refused.out, "connection refused by 127.0.0.1:" + std::to_string(closed)))
      << refused.out;
}

}  // namespace
}  // namespace bbcheck::testing
