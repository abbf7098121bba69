// The shipped profiles, run for real on the parts that need no internet:
// the security choices and the master address. Network checks run only
// inside `unshare -n`, aimed at loopback.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "probes/network/buildmaster.h"
#include "probes/text.h"
#include "tests/test_support.h"
#include "tests/throwaway_user.h"

namespace bbcheck::testing {
namespace {

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
  EXPECT_TRUE(contains(strict.out,
                       "# SKIP not applicable: allow_root is false (it applies with --set "
                       "allow_root=true)"))
      << strict.out;
}

// A root builder by deliberate choice is READY whatever counts
// (--fail-on required, recommended or info); the seed's warning about what
// root reaches stays in the message of a passing check.
TEST(ShippedProfiles, DeliberateRootIsReadyUnderEveryFailOn) {
  ASSERT_EQ(::geteuid(), 0u) << "this test runs bbcheck as root";
  for (const char* failOn : {"required", "recommended", "info"}) {
    std::vector<std::string> args = {"-p",        "buildbot-worker",
                                     "--only",    "security.not-root",
                                     "--only",    "security.root-deliberate",
                                     "--fail-on", failOn,
                                     "--format",  "json"};
    CommandResult refused = runBbcheck(args);
    EXPECT_EQ(refused.exit_code, 1) << failOn << ": root without allow_root\n" << refused.out;

    args.insert(args.end(), {"--set", "allow_root=true"});
    CommandResult r = runBbcheck(args);
    EXPECT_EQ(r.exit_code, 0) << failOn << "\n" << r.out << r.err;
    Poco::JSON::Object::Ptr root =
        Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(root->getValue<std::string>("verdict"), "ready") << failOn;
    auto checks = root->getArray("checks");
    for (size_t i = 0; i < checks->size(); ++i) {
      auto c = checks->getObject(i);
      std::string id = c->getValue<std::string>("id");
      if (id == "security.root-deliberate") {
        EXPECT_EQ(c->getValue<std::string>("status"), "pass") << failOn;
        EXPECT_TRUE(
            contains(c->getValue<std::string>("message"), "spoof packets and change MAC addresses"))
            << c->getValue<std::string>("message");
      }
      if (id == "security.not-root") {
        EXPECT_EQ(c->getValue<std::string>("status"), "skip");
      }
    }
  }
  // In the text report's full listing, too: a PASS line with the warning.
  CommandResult text = runBbcheck({"-p", "buildbot-worker", "--only", "security.root-deliberate",
                                   "--set", "allow_root=true", "--fail-on", "info", "-v"});
  EXPECT_TRUE(contains(text.out,
                       "  PASS     security.root-deliberate  running as root (uid 0); "
                       "root is allowed here"))
      << text.out;
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
  EXPECT_TRUE(contains(r.out, "not ok 1 - master.pb")) << r.out;
  EXPECT_TRUE(
      contains(r.out, "no master address: pass --set master=HOST:PORT or create the build area"))
      << r.out;
}

// bbcheck as root in a PID namespace of its own: with --stage all it checks
// every worker it finds running, and other tests' workers are not this
// host's (they would copy master.pb once per worker).
CommandResult runBbcheckAlone(const std::vector<std::string>& args) {
  std::vector<std::string> command = {"--pid", "--fork", "--mount-proc", "--", bbcheckBinary()};
  command.insert(command.end(), args.begin(), args.end());
  return runCommand("unshare", command, 120);
}

TEST(ShippedProfiles, MasterFromTheSetVarIsCheckedForTheBanner) {
  // Only master.pb runs, at an IP address: nothing is resolved.
  LoopbackServer notAMaster("HTTP/1.1 400 Bad Request\r\n\r\n");
  std::string address = "127.0.0.1:" + std::to_string(notAMaster.port());
  CommandResult r = runBbcheckAlone({"-p", "buildbot-worker", "--only", "master.pb", "--set",
                                     "master=" + address, "--stage", "all", "--format", "tap"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "1..1\nnot ok 1 - master.pb")) << r.out;
  EXPECT_TRUE(contains(r.out, address + " sent other bytes")) << r.out;
  EXPECT_TRUE(contains(r.out, "HTTP")) << r.out;

  // Nothing listening: refused, named as such.
  int closed = closedLoopbackPort();
  CommandResult refused = runBbcheckAlone({"-p", "buildbot-worker", "--only", "master.pb", "--set",
                                           "master=127.0.0.1:" + std::to_string(closed), "--stage",
                                           "all", "--format", "tap"});
  EXPECT_TRUE(contains(refused.out, "connection refused by 127.0.0.1:" + std::to_string(closed)))
      << refused.out;
}

// python-buildbot, offline: a private network namespace with loopback up and
// no nameserver (an empty resolv.conf in a private mount namespace). A master
// given as 127.0.0.1:PORT of a real PB banner is checked, not blocked by
// the failed DNS check, nor by --skip dns.; a master given by name fails
// saying it did not resolve.
TEST(ShippedProfiles, MasterGivenAsAnAddressIsNotBlockedByDns) {
  TempDir dir;
  dir.write("master.py", R"(import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    c.sendall(b"\x02\x80\x02\x82pb\x04\x82none")
    c.close()
)");
  dir.write("resolv.conf", "");
  // usage: offline.sh DIR BBCHECK, in `unshare --net --mount`.
  std::string script = dir.write("offline.sh", R"(set -e
d=$1; bb=$2
ip link set lo up
mount --bind "$d/resolv.conf" /etc/resolv.conf
python3 "$d/master.py" > "$d/port" & server=$!
trap 'kill $server' EXIT
for i in $(seq 1200); do [ -s "$d/port" ] && break; sleep 0.05; done
port=$(cat "$d/port")
run() {
  "$bb" -p python-buildbot --only master. --only dns.system --only net.http --deadline 30s \
    --format json "$@" || true
}
run --set master=127.0.0.1:$port > "$d/ip.json"
run --set master=127.0.0.1:$port --skip dns. > "$d/skip.json"
run --set master=master.invalid:$port > "$d/name.json"
)");
  std::string d = dir.path();
  CommandResult r =
      // A PID namespace too: as root bbcheck checks every worker it finds
      // running, and other tests' workers (with their own masters) are not
      // this host's.
      runCommand("unshare",
                 {"--net", "--mount", "--pid", "--fork", "--mount-proc", "--", "sh", script, d,
                  bbcheckBinary()},
                 120);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string ip = readFile(d + "/ip.json");
  std::string skip = readFile(d + "/skip.json");
  std::string name = readFile(d + "/name.json");

  // DNS really is unavailable: the DNS check does not pass.
  std::string dns = checkIn(ip, "dns.system")->getValue<std::string>("status");
  EXPECT_TRUE(dns == "fail" || dns == "error") << dns;
  for (const std::string* json : {&ip, &skip}) {
    auto master = checkIn(*json, "master.pb");
    EXPECT_EQ(master->getValue<std::string>("status"), "pass")
        << master->getValue<std::string>("message");
  }
  // --skip dns. leaves the DNS checks out and blocks nothing: net.http runs
  // (and cannot pass here, where its name does not resolve).
  EXPECT_FALSE(checkIn(skip, "dns.system")->getValue<bool>("selected"));
  auto http = checkIn(skip, "net.http");
  EXPECT_NE(http->getValue<std::string>("status"), "blocked")
      << http->getValue<std::string>("message");
  EXPECT_NE(http->getValue<std::string>("status"), "pass");
  // The control: by name, the master is not reachable here, and says why.
  auto named = checkIn(name, "master.pb");
  EXPECT_EQ(named->getValue<std::string>("status"), "fail");
  EXPECT_TRUE(contains(named->getValue<std::string>("message"), "master.invalid did not resolve"))
      << named->getValue<std::string>("message");
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
