#include "probes/network/dns.h"

#include <Poco/Net/DatagramSocket.h>
#include <arpa/nameser.h>
#include <arpa/nameser_compat.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "tests/net_testing.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::contextFor;
using testing::elapsedMs;

const std::vector<std::string> kRecords = {"--host-record=found.test,192.0.2.7,2001:db8::7",
                                           "--mx-host=found.test,mx.found.test,10",
                                           "--txt-record=found.test,hello world",
                                           "--cname=alias.test,found.test",
                                           "--host-record=v4only.test,192.0.2.8",
                                           "--address=/nx.test/",
                                           "--local=/test/"};

Params dnsParams(const std::string& name, const std::string& type, const std::string& server = "") {
  Params params;
  params.set("name", name);
  params.set("type", type);
  if (!server.empty()) params.set("server", server);
  params.set("nameservers", false);
  return params;
}

Outcome runDns(const Params& params, int64_t timeoutMs = 2000) {
  return dnsProbe().run(params, contextFor(timeoutMs));
}

std::vector<std::string> records(const Outcome& o) {
  std::vector<std::string> out;
  for (size_t i = 0; i < o.observed["records"].size(); ++i)
    out.push_back(o.observed["records"][i].toString());
  return out;
}

// dnsmasq on a free loopback port, answering for found.test and friends.
class DnsProbe : public ::testing::Test {
 protected:
  DnsProbe() : dns_("127.0.0.1", testing::freeUdpPort(), kRecords) {}
  std::string server() const { return "127.0.0.1:" + std::to_string(dns_.port()); }
  testing::Dnsmasq dns_;
};

TEST_F(DnsProbe, FindsAnARecordByAskingTheServerDirectly) {
  Outcome o = runDns(dnsParams("found.test", "A", server()));
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(records(o), std::vector<std::string>{"192.0.2.7"});
  EXPECT_EQ(o.observed["server"].toString(), server());
  EXPECT_EQ(o.observed["rcode"].toString(), "NOERROR");
  EXPECT_NE(o.message.find("found.test A 192.0.2.7 (" + server()), std::string::npos) << o.message;
}

TEST_F(DnsProbe, FindsAaaaMxTxtAndFollowsCnames) {
  Outcome aaaa = runDns(dnsParams("found.test", "AAAA", server()));
  ASSERT_EQ(aaaa.status, Status::Pass) << aaaa.message;
  EXPECT_EQ(records(aaaa), std::vector<std::string>{"2001:db8::7"});

  Outcome mx = runDns(dnsParams("found.test", "MX", server()));
  ASSERT_EQ(mx.status, Status::Pass) << mx.message;
  EXPECT_EQ(records(mx), std::vector<std::string>{"10 mx.found.test."});

  Outcome txt = runDns(dnsParams("found.test", "TXT", server()));
  ASSERT_EQ(txt.status, Status::Pass) << txt.message;
  EXPECT_EQ(records(txt), std::vector<std::string>{"hello world"});

  Outcome alias = runDns(dnsParams("alias.test", "A", server()));
  ASSERT_EQ(alias.status, Status::Pass) << alias.message;
  EXPECT_EQ(records(alias), std::vector<std::string>{"192.0.2.7"});
  EXPECT_EQ(alias.observed["aliases"][0].toString(), "found.test.");
}

TEST_F(DnsProbe, NxdomainSaysTheNameDoesNotExist) {
  Outcome o = runDns(dnsParams("host.nx.test", "A", server()));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.message, "host.nx.test: name does not exist (NXDOMAIN from " + server() + ")");
  EXPECT_EQ(o.observed["cause"].toString(), "nxdomain");
  EXPECT_EQ(o.observed["rcode"].toString(), "NXDOMAIN");
}

TEST_F(DnsProbe, NameWithoutThatTypeIsNoData) {
  Outcome o = runDns(dnsParams("v4only.test", "MX", server()));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.message, "v4only.test exists but has no MX record (NOERROR from " + server() + ")");
  EXPECT_EQ(o.observed["cause"].toString(), "no_data");
}

TEST_F(DnsProbe, RefusedQueryIsReportedAsRefused) {
  // With no upstream, dnsmasq refuses names it does not own.
  Outcome o = runDns(dnsParams("www.example.org", "A", server()));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.message, "www.example.org: query refused by " + server() + " (REFUSED)");
  EXPECT_EQ(o.observed["rcode"].toString(), "REFUSED");
}

TEST(DnsProbeIpv6, AsksAServerOnIpv6Loopback) {
  testing::Dnsmasq dns("::1", testing::freeUdpPort("::1"), kRecords);
  std::string server = "[::1]:" + std::to_string(dns.port());
  Outcome o = runDns(dnsParams("found.test", "A", server));
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["server"].toString(), server);
  EXPECT_EQ(records(o), std::vector<std::string>{"192.0.2.7"});
}

// A UDP "DNS server" on loopback that answers every query with one rcode
// (the query echoed back as a reply), or never answers.
class ScriptedDnsServer {
 public:
  explicit ScriptedDnsServer(int rcode, bool silent = false)
      : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)), rcode_(rcode), silent_(silent) {
    thread_ = std::thread([this] {
      while (!stop_) {
        if (!socket_.poll(Poco::Timespan(0, 20000), Poco::Net::Socket::SELECT_READ)) continue;
        unsigned char buffer[512];
        Poco::Net::SocketAddress from;
        int n = socket_.receiveFrom(buffer, sizeof buffer, from);
        if (silent_ || n < static_cast<int>(sizeof(HEADER))) continue;
        auto* header = reinterpret_cast<HEADER*>(buffer);
        header->qr = 1;
        header->ra = 1;
        header->rcode = rcode_;
        socket_.sendTo(buffer, n, from);
      }
    });
  }
  ~ScriptedDnsServer() {
    stop_ = true;
    thread_.join();
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(socket_.address().port()); }

 private:
  Poco::Net::DatagramSocket socket_;
  int rcode_;
  bool silent_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(DnsProbeFailures, ServfailIsReportedAsServerFailure) {
  ScriptedDnsServer server(ns_r_servfail);
  auto start = Clock::now();
  Outcome o = runDns(dnsParams("broken.test", "A", server.address()), 3000);
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.message, "broken.test: server failure (SERVFAIL from " + server.address() +
                           ": it could not resolve the name)");
  EXPECT_EQ(o.observed["cause"].toString(), "servfail");
  EXPECT_LT(elapsedMs(start), 1000);  // the reply is used, not retried into a timeout
}

TEST(DnsProbeFailures, SilentServerTimesOutAtTheDeadline) {
  ScriptedDnsServer server(0, /*silent=*/true);
  auto start = Clock::now();
  Outcome o = runDns(dnsParams("found.test", "A", server.address()), 1500);
  int64_t took = elapsedMs(start);
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "timed_out");
  EXPECT_NE(o.message.find("no answer from DNS server " + server.address() + " within"),
            std::string::npos)
      << o.message;
  EXPECT_GE(took, 1400);
  EXPECT_LE(took, 2000);
}

TEST(DnsProbeFailures, NothingListeningIsUnreachable) {
  std::string server = "127.0.0.1:" + std::to_string(testing::freeUdpPort());
  auto start = Clock::now();
  Outcome o = runDns(dnsParams("found.test", "A", server), 3000);
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "unreachable");
  EXPECT_NE(o.message.find("DNS server " + server + " unreachable"), std::string::npos)
      << o.message;
  EXPECT_LT(elapsedMs(start), 2500);
}

TEST(DnsProbeParams, RejectsBadInput) {
  Outcome type = runDns(dnsParams("found.test", "BOGUS", "127.0.0.1"));
  EXPECT_EQ(type.status, Status::Error);
  EXPECT_NE(type.message.find("BOGUS"), std::string::npos);

  Outcome server = runDns(dnsParams("found.test", "A", "127.0.0.1:99999"));
  EXPECT_EQ(server.status, Status::Error) << server.message;
  EXPECT_NE(server.message.find("host[:port]"), std::string::npos) << server.message;

  Params both = dnsParams("found.test", "A", "127.0.0.1");
  both.set("nameservers", true);
  EXPECT_EQ(runDns(both).status, Status::Error);
}

TEST(DnsProbeSystem, ResolvesLocalhostThroughTheSystemResolver) {
  Outcome o = runDns(dnsParams("localhost", "A"));
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["server"].toString(), "system resolver");
  // getaddrinfo(AF_UNSPEC) promises loopback addresses, not their order:
  // 127.0.0.1 always, ::1 where /etc/hosts names it, first or second.
  std::vector<std::string> addresses;
  auto observed = o.observed["addresses"];
  for (size_t i = 0; i < observed.size(); ++i) addresses.push_back(observed[i].toString());
  ASSERT_FALSE(addresses.empty()) << o.message;
  EXPECT_NE(std::find(addresses.begin(), addresses.end(), "127.0.0.1"), addresses.end())
      << o.message;
  for (const std::string& address : addresses) {
    EXPECT_TRUE(address == "127.0.0.1" || address == "::1") << address << " is not loopback";
    EXPECT_NE(o.message.find(address), std::string::npos) << o.message;
  }
  EXPECT_NE(o.message.find("localhost resolves to " + addresses.front()), std::string::npos)
      << o.message;
}

// Runs the dns probe in a network namespace whose resolv.conf names
// 127.0.0.1, where (unless `blackHole`) dnsmasq answers on port 53.
Outcome runDnsInNamespace(const Params& params, int64_t timeoutMs, bool blackHole,
                          int64_t* took = nullptr) {
  testing::NetnsOptions ns;
  ns.files["/etc/resolv.conf"] = "nameserver 127.0.0.1\n";
  if (blackHole) ns.setup = {"iptables -A INPUT -p udp --dport 53 -j DROP"};
  std::string text = testing::runInNetns(
      [&] {
        std::unique_ptr<testing::Dnsmasq> dns;
        if (!blackHole) dns = std::make_unique<testing::Dnsmasq>("127.0.0.1", 53, kRecords);
        auto start = Clock::now();
        Outcome o = runDns(params, timeoutMs);
        return std::to_string(elapsedMs(start)) + "\n" + testing::encodeOutcome(o);
      },
      ns);
  size_t newline = text.find('\n');
  if (took) *took = std::stoll(text.substr(0, newline));
  return testing::decodeOutcome(text.substr(newline + 1));
}

TEST(DnsProbeSystem, SystemResolverUsesResolvConf) {
  Outcome found = runDnsInNamespace(dnsParams("found.test", "A"), 2000, false);
  ASSERT_EQ(found.status, Status::Pass) << found.message;
  // As programs ask (AF_UNSPEC): both families, IPv6 first by RFC 6724.
  EXPECT_NE(found.message.find("192.0.2.7"), std::string::npos) << found.message;
  EXPECT_NE(found.message.find("2001:db8::7"), std::string::npos) << found.message;

  Outcome missing = runDnsInNamespace(dnsParams("nothing.nx.test", "A"), 2000, false);
  ASSERT_EQ(missing.status, Status::Fail) << missing.message;
  EXPECT_EQ(missing.message,
            "nothing.nx.test did not resolve (A): name does not exist (Name or service not known)");

  // Types getaddrinfo cannot ask for go to the resolv.conf servers directly.
  Outcome mx = runDnsInNamespace(dnsParams("found.test", "MX"), 2000, false);
  ASSERT_EQ(mx.status, Status::Pass) << mx.message;
  EXPECT_EQ(mx.observed["records"][0].toString(), "10 mx.found.test.");
  EXPECT_EQ(mx.observed["server"].toString(), "127.0.0.1");
}

TEST(DnsProbeSystem, SystemResolverStopsWaitingAtTheDeadline) {
  int64_t took = 0;
  Outcome o = runDnsInNamespace(dnsParams("found.test", "A"), 1000, /*blackHole=*/true, &took);
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "timed_out");
  EXPECT_NE(o.message.find("the system resolver did not answer within"), std::string::npos)
      << o.message;
  EXPECT_GE(took, 900);
  EXPECT_LE(took, 1500);
}

TEST(DnsProbeNameservers, ChecksEveryResolvConfNameserver) {
  // 127.0.0.1 runs dnsmasq; 127.0.0.2 (also loopback) has nothing on port 53.
  std::string text = testing::runInNetns([] {
    testing::Dnsmasq dns("127.0.0.1", 53, kRecords);
    testing::TempDir dir;
    Params params = dnsParams("found.test", "A");
    params.set("nameservers", true);
    params.set("resolv_conf",
               dir.write("resolv.conf", "nameserver 127.0.0.1\nnameserver 127.0.0.2\n"));
    return testing::encodeOutcome(runDns(params, 2000));
  });
  Outcome o = testing::decodeOutcome(text);
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  auto servers = o.observed["servers"];
  ASSERT_EQ(servers.size(), 2u);
  EXPECT_EQ(servers[0]["server"].toString(), "127.0.0.1:53");
  EXPECT_TRUE(servers[0]["ok"].convert<bool>());
  EXPECT_EQ(servers[1]["server"].toString(), "127.0.0.2:53");
  EXPECT_EQ(servers[1]["cause"].toString(), "unreachable");
  EXPECT_NE(o.message.find("1 of 2 nameservers"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("DNS server 127.0.0.2:53 unreachable"), std::string::npos) << o.message;
}

// NXDOMAIN is an answer: the nameserver is alive and serving (whether the
// name should exist is dns.system's to judge).
TEST(DnsProbeNameservers, NxdomainIsAnAnswer) {
  std::string text = testing::runInNetns([] {
    testing::Dnsmasq dns("127.0.0.1", 53, kRecords);
    testing::TempDir dir;
    Params params = dnsParams("host.nx.test", "A");
    params.set("nameservers", true);
    params.set("resolv_conf", dir.write("resolv.conf", "nameserver 127.0.0.1\n"));
    return testing::encodeOutcome(runDns(params, 2000));
  });
  Outcome o = testing::decodeOutcome(text);
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["servers"][0]["rcode"].toString(), "NXDOMAIN");
  EXPECT_NE(o.message.find("all 1 nameservers of"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("host.nx.test: name does not exist (NXDOMAIN from 127.0.0.1:53)"),
            std::string::npos)
      << o.message;
}

TEST(DnsProbeNameservers, PassesWhenAllAnswer) {
  std::string text = testing::runInNetns([] {
    testing::Dnsmasq dns("127.0.0.1", 53, kRecords);
    testing::TempDir dir;
    Params params = dnsParams("found.test", "A");
    params.set("nameservers", true);
    params.set("resolv_conf", dir.write("resolv.conf", "# comment\nnameserver 127.0.0.1\n"));
    return testing::encodeOutcome(runDns(params, 2000));
  });
  Outcome o = testing::decodeOutcome(text);
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["servers"][0]["records"][0].toString(), "192.0.2.7");
}

}  // namespace
}  // namespace bbcheck
