#include "probes/system/localhost.h"

#include <gtest/gtest.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

#include "probes/process.h"
#include "probes/text.h"
#include "tests/in_child.h"
#include "tests/net_testing.h"

namespace bbcheck {
namespace {

using testing::runInChild;

Outcome runLocalhost(const std::vector<std::string>& families,
                     Milliseconds timeout = Milliseconds(3000)) {
  Params params;
  params.set("families", families);
  ProbeContext ctx;
  ctx.timeout = timeout;
  ctx.deadline = Clock::now() + timeout;
  return localhostProbe().run(params, ctx);
}

const std::vector<std::string> kAll = {"ipv4", "ipv6", "name"};

// In a forked child: a fresh network namespace, whose loopback is down.
void enterFreshNetns() {
  if (::unshare(CLONE_NEWNET) != 0)
    throw std::runtime_error(std::string("unshare(CLONE_NEWNET): ") + std::strerror(errno));
}

void bringLoopbackUp() {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  bool ok = fd >= 0 && ::ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
  ifr.ifr_flags |= IFF_UP;
  ok = ok && ::ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok) throw std::runtime_error("cannot bring lo up");
}

// Only for a namespace the test made: /proc/sys/net follows the namespace.
void disableIpv6() {
  for (const char* scope : {"all", "lo"}) {
    std::ofstream(std::string("/proc/sys/net/ipv6/conf/") + scope + "/disable_ipv6") << "1\n";
  }
}

TEST(LocalhostProbe, LoopbackWorksOnThisHost) {
  Outcome o = runLocalhost(kAll);
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  const Value& results = o.observed["results"];
  ASSERT_GE(results.size(), 3u);  // 127.0.0.1, ::1 (or skipped), localhost's addresses
  EXPECT_EQ(results[0]["family"].toString(), "ipv4");
  EXPECT_EQ(results[0]["address"].toString(), "127.0.0.1");
  EXPECT_TRUE(results[0]["ok"].convert<bool>());
  EXPECT_GT(results[0]["port"].convert<int>(), 0);
  EXPECT_EQ(results[1]["address"].toString(), "::1");
  if (ipv6Unavailable().empty()) {
    EXPECT_TRUE(results[1]["ok"].convert<bool>()) << o.message;
  } else {
    EXPECT_TRUE(results[1]["skipped"].convert<bool>()) << o.message;
  }
  EXPECT_EQ(results[2]["family"].toString(), "name");
  EXPECT_TRUE(contains(o.message, "localhost -> ")) << o.message;
}

TEST(LocalhostProbe, FamiliesCanBeChosen) {
  Outcome o = runLocalhost({"ipv4"});
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["results"].size(), 1u);

  Outcome bad = runLocalhost({"ipv5"});
  EXPECT_EQ(bad.status, Status::Error);
  EXPECT_EQ(bad.message, "unknown family 'ipv5' (use ipv4, ipv6, name)");
}

// A fresh namespace has its loopback interface down: nothing works, and the
// message says how each family failed.
TEST(LocalhostProbe, FailsWithTheCauseWhenLoopbackIsDown) {
  auto child = runInChild([] {
    enterFreshNetns();
    return runLocalhost(kAll);
  });
  ASSERT_EQ(child.failure, "");
  const Outcome& o = child.outcome;
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(
      contains(o.message, "loopback does not work: 127.0.0.1: cannot connect to 127.0.0.1:"))
      << o.message;
  EXPECT_TRUE(contains(o.message, "(Network is unreachable)")) << o.message;
  EXPECT_TRUE(contains(o.message, "::1: cannot bind ::1 (Cannot assign requested address)"))
      << o.message;
  EXPECT_TRUE(contains(o.message, "; the loopback interface lo is down")) << o.message;
  EXPECT_FALSE(o.observed["results"][0]["ok"].convert<bool>());
  EXPECT_FALSE(o.observed["loopback_up"].convert<bool>());
}

TEST(LocalhostProbe, DisabledIpv6IsSkippedNotFailed) {
  auto child = runInChild([] {
    enterFreshNetns();
    bringLoopbackUp();
    disableIpv6();
    return runLocalhost(kAll);
  });
  ASSERT_EQ(child.failure, "");
  const Outcome& o = child.outcome;
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_TRUE(
      contains(o.message, "::1 skipped: IPv6 is disabled (net.ipv6.conf.lo.disable_ipv6 = 1)"))
      << o.message;
  EXPECT_TRUE(o.observed["results"][1]["skipped"].convert<bool>());
  EXPECT_FALSE(o.observed["results"][1]["ok"].convert<bool>());

  auto onlyV6 = runInChild([] {
    enterFreshNetns();
    bringLoopbackUp();
    disableIpv6();
    return runLocalhost({"ipv6"});
  });
  ASSERT_EQ(onlyV6.failure, "");
  EXPECT_EQ(onlyV6.outcome.status, Status::Skip) << onlyV6.outcome.message;
}

// SYNs dropped on loopback (iptables inside the test's own namespace): the
// connects hang, and the probe must still come back at its deadline.
TEST(LocalhostProbe, HangingConnectStopsAtTheDeadline) {
  ASSERT_FALSE(findOnPath("iptables").empty())
      << "this test needs iptables (Debian package iptables)";
  auto child = runInChild([] {
    enterFreshNetns();
    bringLoopbackUp();
    for (const char* tool : {"iptables", "ip6tables"}) {
      ProcessResult r =
          runProcess(tool, {"-A", "INPUT", "-i", "lo", "-p", "tcp", "--syn", "-j", "DROP"},
                     Clock::now() + std::chrono::seconds(10));
      if (r.exit_code != 0) throw std::runtime_error(std::string(tool) + " failed: " + r.err);
    }
    auto start = Clock::now();
    Outcome o = runLocalhost({"ipv4", "ipv6"}, Milliseconds(600));
    auto took = std::chrono::duration_cast<Milliseconds>(Clock::now() - start).count();
    o.message += " [took " + std::to_string(took) + " ms]";
    return o;
  });
  ASSERT_EQ(child.failure, "");
  const Outcome& o = child.outcome;
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(contains(o.message, "127.0.0.1: cannot connect to 127.0.0.1:")) << o.message;
  EXPECT_TRUE(contains(o.message, "(timed out)")) << o.message;
  EXPECT_TRUE(contains(o.message, "::1: cannot connect to [::1]:")) << o.message;
  EXPECT_FALSE(contains(o.message, "lo is down")) << o.message;
  auto tookAt = o.message.rfind("[took ");
  ASSERT_NE(tookAt, std::string::npos);
  EXPECT_LT(std::stoi(o.message.substr(tookAt + 6)), 600 + 1500) << o.message;
}

TEST(LocalhostProbe, ResolvesLocalhost) {
  std::string error;
  auto addresses = resolveName("localhost", Clock::now() + std::chrono::seconds(3), error);
  ASSERT_FALSE(addresses.empty()) << error;
  EXPECT_TRUE(addresses[0] == "127.0.0.1" || addresses[0] == "::1") << addresses[0];
}

// Runs the probe's "name" family inside a private network and mount
// namespace whose /etc/hosts is `hosts`.
Outcome nameCheckWithHosts(const std::string& hosts, const std::vector<std::string>& resolveTo) {
  testing::NetnsOptions options;
  options.files["/etc/hosts"] = hosts;
  // No DNS: only the hosts file answers (a resolver may answer "localhost" itself).
  options.files["/etc/resolv.conf"] = "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n";
  std::string encoded = testing::runInNetns(
      [&] {
        Params params;
        params.set("families", std::vector<std::string>{"name"});
        params.set("resolve_to", resolveTo);
        return testing::encodeOutcome(localhostProbe().run(params, testing::contextFor(3000)));
      },
      options);
  return testing::decodeOutcome(encoded);
}

TEST(LocalhostProbe, LocalhostMappedToIpv6OnlyFailsNamingWhatIsMissing) {
  // Ground truth (confirmed by hand with Python 3.11 in such a namespace): a
  // server bound to ("localhost", 0) with AF_INET listens on 127.0.0.1 (glibc
  // maps ::1 to 127.0.0.1 for AF_INET), and create_connection(("localhost",
  // port)) is refused, because AF_UNSPEC gives ::1 only.
  Outcome o = nameCheckWithHosts("::1 localhost ip6-localhost\n", {"ipv4", "ipv6"});
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(contains(o.message, "localhost resolves to ::1 only: missing 127.0.0.1"))
      << o.message;
  EXPECT_FALSE(contains(o.message, "localhost -> ?")) << o.message;
}

TEST(LocalhostProbe, LocalhostMappedToBothPasses) {
  Outcome o =
      nameCheckWithHosts("127.0.0.1 localhost\n::1 localhost ip6-localhost\n", {"ipv4", "ipv6"});
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_TRUE(contains(o.message, "localhost -> 127.0.0.1")) << o.message;
  EXPECT_TRUE(contains(o.message, "localhost -> ::1")) << o.message;
}

TEST(LocalhostProbe, MissingIpv6NameFailsOnlyWhenAskedFor) {
  std::string hosts = "127.0.0.1 localhost\n";
  Outcome both = nameCheckWithHosts(hosts, {"ipv4", "ipv6"});
  EXPECT_EQ(both.status, Status::Fail) << both.message;
  EXPECT_TRUE(contains(both.message, "localhost resolves to 127.0.0.1 only: missing ::1"))
      << both.message;
  // The name is mapped wrongly; loopback itself works, and is said to
  // (localhost.sockets passes on this host).
  EXPECT_FALSE(contains(both.message, "loopback does not work")) << both.message;
  EXPECT_FALSE(contains(both.message, "?")) << both.message;
  EXPECT_TRUE(contains(both.message, "; bind, connect and echo work on localhost -> 127.0.0.1 ("))
      << both.message;
  Outcome v4 = nameCheckWithHosts(hosts, {"ipv4"});
  EXPECT_EQ(v4.status, Status::Pass) << v4.message;
}

}  // namespace
}  // namespace bbcheck
