// The shipped profiles, run for real on the parts that need no internet:
// the security choices and the master address. Network checks run only
// inside `unshare -n`, aimed at loopback.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "probes/network/buildmaster.h"
#include "tests/test_support.h"
#include "tests/throwaway_user.h"

namespace bbcheck::testing {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Check `id` of a JSON report.
Poco::JSON::Object::Ptr checkIn(const std::string& json, const std::string& id) {
  auto checks =
      Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>()->getArray("checks");
  for (size_t i = 0; i < checks->size(); ++i)
    if (checks->getObject(i)->getValue<std::string>("id") == id) return checks->getObject(i);
  ADD_FAILURE() << "no check " << id << " in " << json;
  return new Poco::JSON::Object;
}

TEST(ShippedProfiles, RootIsRequiredToBeAvoidedUnlessDeliberate) {
  ASSERT_EQ(::geteuid(), 0u) << "this test runs bbcheck as root";
  CommandResult strict =
      runBbcheck({"-p", "buildbot-worker", "--only", "security.", "--format", "tap"});
  EXPECT_EQ(strict.exit_code, 1) << strict.out;
  EXPECT_TRUE(contains(strict.out, "not ok 1 - security.not-root")) << strict.out;
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
                       "not ok 2 - security.root-deliberate - Running as root was chosen "
                       "deliberately # TODO info"))
      << deliberate.out;
}

// As root where the worker's user exists, the fix is to run bbcheck as it,
// not to create it; where it does not exist, to create it (adduser).
TEST(ShippedProfiles, NotRootFixRunsAsTheWorkersUserWhereItExists) {
  ASSERT_EQ(::geteuid(), 0u) << "this test runs bbcheck as root";
  auto fixOf = [](const std::string& workerUser) {
    CommandResult r = runBbcheck({"-p", "buildbot-worker", "--only", "security.not-root", "--set",
                                  "worker_user=" + workerUser, "--format", "json"});
    EXPECT_EQ(r.exit_code, 1) << r.out;
    return checkIn(r.out, "security.not-root")->getValue<std::string>("fix");
  };
  std::string name;
  {
    ThrowawayUser user;
    name = user.name();
    std::string fix = fixOf(name);
    EXPECT_TRUE(contains(fix, "`runuser -u " + name + " -- bbcheck`")) << fix;
    EXPECT_TRUE(contains(fix, "`su -s /bin/sh " + name + " -c bbcheck`")) << fix;
    EXPECT_FALSE(contains(fix, "adduser")) << fix;
  }
  std::string fix = fixOf(name);  // removed by now
  EXPECT_TRUE(contains(fix, "`adduser --disabled-password " + name + "`")) << fix;
  // The var defaults to buildbot, the user Debian's buildbot packages create.
  CommandResult list = runBbcheck({"list", "-v", "-p", "buildbot-worker"});
  EXPECT_TRUE(contains(list.out, "  worker_user = buildbot\n")) << list.out;
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
  EXPECT_TRUE(contains(r.out, "not ok 2 - master.pb")) << r.out;
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
  EXPECT_TRUE(contains(r.out, "ok 1 - dns.system")) << r.out;
  EXPECT_TRUE(contains(r.out, "not ok 2 - master.pb")) << r.out;
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

// A farm's own profile may check its master at a written address without
// declaring a buildarea var (the probe's build area is only for reading
// buildbot.tac when no address is given).
TEST(ShippedProfiles, AMasterAtAWrittenAddressNeedsNoBuildareaVar) {
  std::string profile = sourceDir() + "/tests/profiles/good/master_address.yaml";
  CommandResult validate = runBbcheck({"validate", profile});
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
  LoopbackServer master(std::string(kPbBanner, sizeof kPbBanner));
  CommandResult r = runBbcheck(
      {"-p", profile, "--set", "port=" + std::to_string(master.port()), "--format", "tap"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "ok 1 - master.pb")) << r.out;
}

}  // namespace
}  // namespace bbcheck::testing
