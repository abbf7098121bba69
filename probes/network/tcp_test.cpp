#include "probes/network/tcp.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

#include "tests/net_testing.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::contextFor;
using testing::elapsedMs;

// The proxy variables unset for the test's duration, so that the messages
// do not depend on the caller's environment.
class NoProxyEnvironment {
 public:
  NoProxyEnvironment() {
    for (const char* name : kNames) {
      if (const char* v = std::getenv(name)) saved_.emplace_back(name, v);
      ::unsetenv(name);
    }
  }
  ~NoProxyEnvironment() {
    for (const char* name : kNames) ::unsetenv(name);
    for (const auto& [name, value] : saved_) ::setenv(name.c_str(), value.c_str(), 1);
  }

 private:
  static constexpr const char* kNames[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                           "all_proxy",  "ALL_PROXY",  "no_proxy",    "NO_PROXY"};
  std::vector<std::pair<std::string, std::string>> saved_;
};

Params tcpParams(const std::string& host, std::vector<int64_t> ports) {
  Params params;
  params.set("host", host);
  if (ports.size() == 1)
    params.set("port", ports[0]);
  else
    params.set("ports", ports);
  return params;
}

Outcome runTcp(const Params& params, int64_t timeoutMs = 2000) {
  return tcpProbe().run(params, contextFor(timeoutMs));
}

Poco::DynamicStruct port0(const Outcome& o) {
  return o.observed["ports"][0].extract<Poco::DynamicStruct>();
}

// Runs the tcp probe inside a fresh network namespace after `setup`;
// returns the outcome and how long the probe itself took.
struct Timed {
  Outcome outcome;
  int64_t ms = 0;
};

Timed runTcpInNamespace(const Params& params, int64_t timeoutMs,
                        const testing::NetnsOptions& options) {
  std::string text = testing::runInNetns(
      [&] {
        auto start = Clock::now();
        Outcome o = runTcp(params, timeoutMs);
        return std::to_string(elapsedMs(start)) + "\n" + testing::encodeOutcome(o);
      },
      options);
  size_t newline = text.find('\n');
  return {testing::decodeOutcome(text.substr(newline + 1)), std::stoll(text.substr(0, newline))};
}

TEST(TcpProbe, PassesAndReportsTheAddressThatAnswered) {
  testing::LoopbackServer server;
  Outcome o = runTcp(tcpParams("127.0.0.1", {server.port()}));
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  std::string address = "127.0.0.1:" + std::to_string(server.port());
  EXPECT_EQ(o.message.find("connected to " + address), 0u) << o.message;
  auto port = port0(o);
  EXPECT_EQ(port["address"].toString(), address);
  EXPECT_EQ(port["port"].convert<int>(), server.port());
  EXPECT_TRUE(port["ok"].convert<bool>());
  EXPECT_GE(port["ms"].convert<int>(), 0);
}

TEST(TcpProbe, ConnectsOverIpv6) {
  testing::LoopbackServer server("", /*ipv6=*/true);
  Outcome o = runTcp(tcpParams("::1", {server.port()}));
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(port0(o)["address"].toString(), "[::1]:" + std::to_string(server.port()));
}

TEST(TcpProbe, ResolvesANameAndSaysWhichAddressAnswered) {
  testing::LoopbackServer server;
  Outcome o = runTcp(tcpParams("localhost", {server.port()}));
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_NE(o.message.find("via 127.0.0.1:" + std::to_string(server.port())), std::string::npos)
      << o.message;
  auto resolved = port0(o)["resolved"];
  EXPECT_GE(resolved.size(), 1u);
}

TEST(TcpProbe, ClosedPortIsRefused) {
  NoProxyEnvironment clean;
  int port = testing::closedLoopbackPort();
  Outcome o = runTcp(tcpParams("127.0.0.1", {port}));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  // A refusal is an answer: the server is down or the port is wrong, not a firewall.
  EXPECT_EQ(o.message, "connection refused by 127.0.0.1:" + std::to_string(port) +
                           "; the host answered that nothing listens on that port: the server is "
                           "down or the port is wrong (a firewall that drops packets makes a "
                           "connection time out instead)");
  auto p = port0(o);
  EXPECT_EQ(p["cause"].toString(), "refused");
  EXPECT_FALSE(p["ok"].convert<bool>());
  ASSERT_EQ(p["attempts"].size(), 1u);
  EXPECT_EQ(p["attempts"][0]["cause"].toString(), "refused");
  EXPECT_EQ(p["attempts"][0]["detail"].toString(), "Connection refused");
}

TEST(TcpProbe, NeedsPortOrPorts) {
  Params params;
  params.set("host", std::string("127.0.0.1"));
  Outcome o = runTcp(params);
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_NE(o.message.find("`port` or `ports`"), std::string::npos) << o.message;

  Outcome bad = runTcp(tcpParams("127.0.0.1", {70000}));
  EXPECT_EQ(bad.status, Status::Error);
  EXPECT_NE(bad.message.find("70000"), std::string::npos);
}

TEST(TcpProbe, SeveralPortsPassOnlyWhenAllDo) {
  NoProxyEnvironment clean;
  testing::LoopbackServer a, b;
  Outcome ok = runTcp(tcpParams("127.0.0.1", {a.port(), b.port()}));
  ASSERT_EQ(ok.status, Status::Pass) << ok.message;
  EXPECT_EQ(ok.observed["ports"].size(), 2u);

  int closed = testing::closedLoopbackPort();
  Outcome o = runTcp(tcpParams("127.0.0.1", {a.port(), closed}));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_NE(o.message.find("1 of 2 ports unreachable"), std::string::npos) << o.message;
  EXPECT_NE(
      o.message.find(fmt::format("port {}: connection refused by 127.0.0.1:{}", closed, closed)),
      std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find(fmt::format("reachable: {}", a.port())), std::string::npos) << o.message;
  auto ports = o.observed["ports"];
  EXPECT_TRUE(ports[0]["ok"].convert<bool>());
  EXPECT_EQ(ports[0]["port"].convert<int>(), a.port());
  EXPECT_FALSE(ports[1]["ok"].convert<bool>());
  EXPECT_EQ(ports[1]["cause"].toString(), "refused");
}

TEST(TcpProbe, BlackHoledPortTimesOutAtTheDeadline) {
  testing::NetnsOptions ns;
  ns.setup = {"iptables -A INPUT -p tcp --dport 4444 -j DROP"};
  Timed t = runTcpInNamespace(tcpParams("127.0.0.1", {4444}), 1000, ns);
  ASSERT_EQ(t.outcome.status, Status::Fail) << t.outcome.message;
  EXPECT_EQ(port0(t.outcome)["cause"].toString(), "timed_out");
  EXPECT_NE(t.outcome.message.find("no answer from 127.0.0.1:4444 within"), std::string::npos)
      << t.outcome.message;
  // Silence is the firewall's signature; a refusal's "server is down" note does not belong here.
  EXPECT_NE(t.outcome.message.find("dropped by a firewall"), std::string::npos)
      << t.outcome.message;
  EXPECT_EQ(t.outcome.message.find("port is wrong"), std::string::npos) << t.outcome.message;
  EXPECT_GE(t.ms, 900);
  EXPECT_LE(t.ms, 1500);  // the timeout plus a generous margin
}

TEST(TcpProbe, TenBlackHoledPortsCostOneTimeout) {
  testing::NetnsOptions ns;
  ns.setup = {"iptables -A INPUT -p tcp --dport 4000:4009 -j DROP"};
  std::vector<int64_t> ports;
  for (int p = 4000; p < 4010; ++p) ports.push_back(p);
  Timed t = runTcpInNamespace(tcpParams("127.0.0.1", ports), 1000, ns);
  ASSERT_EQ(t.outcome.status, Status::Fail) << t.outcome.message;
  EXPECT_NE(t.outcome.message.find("10 of 10 ports unreachable"), std::string::npos);
  for (size_t i = 0; i < 10; ++i)
    EXPECT_EQ(t.outcome.observed["ports"][i]["cause"].toString(), "timed_out");
  EXPECT_LE(t.ms, 2000);  // concurrent: far below 10 timeouts
}

TEST(TcpProbe, NoRouteIsNetworkUnreachable) {
  Timed t = runTcpInNamespace(tcpParams("10.255.255.1", {80}), 2000, {});
  ASSERT_EQ(t.outcome.status, Status::Fail) << t.outcome.message;
  EXPECT_EQ(t.outcome.message, "network unreachable for 10.255.255.1:80 (no route)");
  EXPECT_EQ(port0(t.outcome)["cause"].toString(), "network_unreachable");
  EXPECT_LT(t.ms, 1000);  // decided at once, not at the timeout
}

TEST(TcpProbe, UnreachableRouteIsHostUnreachable) {
  testing::NetnsOptions ns;
  ns.setup = {"ip route add unreachable 10.9.0.0/16"};
  Timed t = runTcpInNamespace(tcpParams("10.9.0.1", {443}), 2000, ns);
  ASSERT_EQ(t.outcome.status, Status::Fail) << t.outcome.message;
  EXPECT_EQ(port0(t.outcome)["cause"].toString(), "host_unreachable");
  EXPECT_NE(t.outcome.message.find("host unreachable: 10.9.0.1:443"), std::string::npos)
      << t.outcome.message;
}

TEST(TcpProbe, RejectWithTcpResetIsRefused) {
  testing::NetnsOptions ns;
  ns.setup = {"iptables -A OUTPUT -p tcp --dport 4445 -j REJECT --reject-with tcp-reset"};
  Timed t = runTcpInNamespace(tcpParams("127.0.0.1", {4445}), 2000, ns);
  ASSERT_EQ(t.outcome.status, Status::Fail) << t.outcome.message;
  EXPECT_EQ(port0(t.outcome)["cause"].toString(), "refused");
}

// A namespace whose /etc/hosts gives dual.test two addresses: 10.255.255.1
// (no route there) and 127.0.0.1.
testing::NetnsOptions twoAddresses() {
  testing::NetnsOptions ns;
  ns.files["/etc/hosts"] = "10.255.255.1 dual.test\n127.0.0.1 dual.test\n";
  return ns;
}

TEST(TcpProbe, ReportsTheAddressThatAnsweredAndTheOneThatFailed) {
  std::string text = testing::runInNetns(
      [] {
        testing::LoopbackServer server;
        Outcome o = runTcp(tcpParams("dual.test", {server.port()}));
        return std::to_string(server.port()) + "\n" + testing::encodeOutcome(o);
      },
      twoAddresses());
  size_t newline = text.find('\n');
  std::string port = text.substr(0, newline);
  Outcome o = testing::decodeOutcome(text.substr(newline + 1));
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.message.find("connected to dual.test:" + port + " via 127.0.0.1:" + port), 0u)
      << o.message;
  // getaddrinfo orders the addresses (RFC 6724); each is reported.
  auto attempts = port0(o)["attempts"];
  ASSERT_EQ(attempts.size(), 2u);
  std::map<std::string, std::string> causes;
  for (size_t i = 0; i < 2; ++i)
    causes[attempts[i]["address"].toString()] = attempts[i]["cause"].toString();
  EXPECT_EQ(causes["10.255.255.1:" + port], "network_unreachable");
  EXPECT_EQ(causes["127.0.0.1:" + port], "none");
}

TEST(TcpProbe, EveryAddressFailureIsListedAndTheDropIsTheCause) {
  testing::NetnsOptions ns = twoAddresses();
  ns.setup = {"iptables -A INPUT -p tcp --dport 4446 -j DROP"};
  Timed t = runTcpInNamespace(tcpParams("dual.test", {4446}), 1000, ns);
  ASSERT_EQ(t.outcome.status, Status::Fail) << t.outcome.message;
  EXPECT_EQ(port0(t.outcome)["cause"].toString(), "timed_out");
  const std::string& m = t.outcome.message;
  EXPECT_EQ(m.find("cannot connect to dual.test:4446: "), 0u) << m;
  EXPECT_NE(m.find("network unreachable for 10.255.255.1:4446 (no route)"), std::string::npos) << m;
  EXPECT_NE(m.find("no answer from 127.0.0.1:4446 within"), std::string::npos) << m;
}

TEST(TcpProbe, NameThatDoesNotExistSaysSoWithTheResolversError) {
  // A namespace whose resolv.conf points at a dnsmasq that knows no names.
  testing::NetnsOptions ns;
  ns.files["/etc/resolv.conf"] = "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n";
  std::string text = testing::runInNetns(
      [] {
        testing::Dnsmasq dns("127.0.0.1", 53, {"--address=/invalid/"});
        return testing::encodeOutcome(runTcp(tcpParams("nothing-here.invalid", {443})));
      },
      ns);
  Outcome o = testing::decodeOutcome(text);
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(
      o.message,
      "nothing-here.invalid did not resolve: name does not exist (Name or service not known)");
  EXPECT_EQ(port0(o)["cause"].toString(), "dns_failure");
}

TEST(TcpProbe, UnansweredResolverStopsAtTheDeadline) {
  // The resolver's own timeout (5 s x 2 attempts by default) is far longer
  // than the check's: the probe must not wait for it.
  testing::NetnsOptions ns;
  ns.files["/etc/resolv.conf"] = "nameserver 127.0.0.1\n";
  ns.setup = {"iptables -A INPUT -p udp --dport 53 -j DROP",
              "iptables -A INPUT -p tcp --dport 53 -j DROP"};
  Timed t = runTcpInNamespace(tcpParams("slow.example", {443}), 800, ns);
  ASSERT_EQ(t.outcome.status, Status::Fail) << t.outcome.message;
  EXPECT_EQ(port0(t.outcome)["cause"].toString(), "dns_timeout");
  EXPECT_NE(t.outcome.message.find("slow.example did not resolve: resolver did not answer within"),
            std::string::npos)
      << t.outcome.message;
  EXPECT_LE(t.ms, 1300);
}

TEST(TcpProbe, FailureMentionsThatPlainTcpIgnoresTheProxy) {
  NoProxyEnvironment clean;
  ::setenv("https_proxy", "http://alice:s3cret@proxy.example:3128", 1);
  Outcome o = runTcp(tcpParams("127.0.0.1", {testing::closedLoopbackPort()}));
  ASSERT_EQ(o.status, Status::Fail);
  EXPECT_NE(
      o.message.find("https_proxy is set (http://proxy.example:3128), but plain TCP does not go "
                     "through a proxy"),
      std::string::npos)
      << o.message;
  EXPECT_EQ(o.message.find("s3cret"), std::string::npos);
  EXPECT_EQ(o.message.find("alice"), std::string::npos);
}

TEST(TcpConnect, ExposesTheConnectedSocket) {
  testing::LoopbackServer server("hello");
  TcpAttempt a =
      connectWithDeadline("127.0.0.1", server.port(), Clock::now() + std::chrono::seconds(2));
  ASSERT_TRUE(a.ok) << a.describe();
  a.socket.setReceiveTimeout(Poco::Timespan(2, 0));
  char buffer[16] = {};
  int n = a.socket.receiveBytes(buffer, sizeof buffer);
  EXPECT_EQ(std::string(buffer, n), "hello");
}

TEST(NetErrors, ClassifiesConnectErrors) {
  EXPECT_EQ(classifyErrno(ECONNREFUSED), NetCause::Refused);
  EXPECT_EQ(classifyErrno(ETIMEDOUT), NetCause::TimedOut);
  EXPECT_EQ(classifyErrno(ENETUNREACH), NetCause::NetworkUnreachable);
  EXPECT_EQ(classifyErrno(EHOSTUNREACH), NetCause::HostUnreachable);
  EXPECT_EQ(classifyErrno(ECONNRESET), NetCause::Reset);
  EXPECT_EQ(classifyErrno(EACCES), NetCause::Prohibited);
  EXPECT_STREQ(causeName(NetCause::Reset), "reset");
}

}  // namespace
}  // namespace bbcheck
