#include "probes/network/nxdomain.h"

#include <gtest/gtest.h>

#include "tests/net_testing.h"

namespace bbcheck {
namespace {

// Runs the probe in a private network namespace whose only resolver is a
// dnsmasq on 127.0.0.1:53 given `records`.
Outcome runWithResolver(const std::vector<std::string>& records) {
  testing::NetnsOptions ns;
  ns.files["/etc/resolv.conf"] = "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n";
  std::string text = testing::runInNetns(
      [&records] {
        testing::Dnsmasq dns("127.0.0.1", 53, records);
        return testing::encodeOutcome(nxdomainProbe().run(Params{}, testing::contextFor(3000)));
      },
      ns);
  return testing::decodeOutcome(text);
}

TEST(NxdomainProbe, RandomNamesDiffer) {
  EXPECT_NE(randomNameUnder("invalid"), randomNameUnder("invalid"));
  EXPECT_EQ(randomNameUnder("invalid").rfind("bbcheck-", 0), 0u);
}

TEST(NxdomainProbe, HonestResolverPasses) {
  Outcome o = runWithResolver({"--address=/invalid/"});  // NXDOMAIN for .invalid
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_NE(o.message.find(".invalid does not resolve"), std::string::npos) << o.message;
}

TEST(NxdomainProbe, HijackingResolverFailsNamingAddressAndServer) {
  Outcome o = runWithResolver({"--address=/#/127.0.0.1"});  // every name is 127.0.0.1
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_NE(o.message.find("resolved to 127.0.0.1 via nameserver 127.0.0.1:53"), std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find("Network tests that expect a bad name to fail will break"),
            std::string::npos)
      << o.message;
}

TEST(NxdomainProbe, SilentResolverIsAnErrorNotAPass) {
  testing::NetnsOptions ns;
  ns.files["/etc/resolv.conf"] = "nameserver 127.0.0.1\n";
  ns.setup = {"iptables -A INPUT -p udp --dport 53 -j DROP",
              "iptables -A INPUT -p tcp --dport 53 -j DROP"};
  std::string text = testing::runInNetns(
      [] {
        return testing::encodeOutcome(nxdomainProbe().run(Params{}, testing::contextFor(800)));
      },
      ns);
  Outcome o = testing::decodeOutcome(text);
  ASSERT_EQ(o.status, Status::Error) << o.message;
  EXPECT_NE(o.message.find("cannot tell"), std::string::npos) << o.message;
}

}  // namespace
}  // namespace bbcheck
