#include "probes/environment/hostname.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include "tests/net_testing.h"

namespace bbcheck {
namespace {

const std::string kName = "bbcheck-host-" + std::to_string(::getpid());

// Runs the probe in a private network, mount and UTS namespace whose host
// name is kName, with the given /etc/hosts and a resolver on loopback that
// never answers (DNS packets dropped).
Outcome runInHost(const std::string& hosts, int64_t timeoutMs) {
  testing::NetnsOptions ns;
  ns.files["/etc/hosts"] = hosts;
  ns.files["/etc/resolv.conf"] = "nameserver 127.0.0.1\n";
  ns.setup = {"iptables -A INPUT -p udp --dport 53 -j DROP",
              "iptables -A INPUT -p tcp --dport 53 -j DROP"};
  std::string text = testing::runInNetns(
      [timeoutMs] {
        if (::unshare(CLONE_NEWUTS) != 0 || ::sethostname(kName.data(), kName.size()) != 0)
          return testing::encodeOutcome(Outcome::error("could not set the host name"));
        Params params;
        params.set("max", int64_t{1000});
        return testing::encodeOutcome(hostnameProbe().run(params, testing::contextFor(timeoutMs)));
      },
      ns);
  return testing::decodeOutcome(text);
}

TEST(HostnameProbe, NameInEtcHostsResolvesFast) {
  Outcome o =
      runInHost("127.0.0.1 localhost\n127.0.1.1 " + kName + ".example.test " + kName + "\n", 3000);
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["hostname"].toString(), kName);
  EXPECT_EQ(o.observed["fqdn"].toString(), kName + ".example.test");
  EXPECT_NE(o.message.find("127.0.1.1"), std::string::npos) << o.message;
  EXPECT_LE(o.observed["ms"].convert<int64_t>(), 1000);
}

TEST(HostnameProbe, NameOnlyInABlackHoledResolverFailsAtTheTimeout) {
  auto start = Clock::now();
  Outcome o = runInHost("127.0.0.1 localhost\n", 1500);
  int64_t ms = testing::elapsedMs(start);
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_FALSE(o.observed["finished"].convert<bool>());
  EXPECT_NE(o.message.find("looking up host name " + kName + " had not finished"),
            std::string::npos)
      << o.message;
  EXPECT_LT(ms, 10000);  // generous: the resolver alone would take 10 s or more
}

}  // namespace
}  // namespace bbcheck
