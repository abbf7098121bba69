// The system-resolver mode of the dns probe against real resolvers built in
// a private network and mount namespace: dnsmasq on 127.0.0.1:53 named by a
// private /etc/resolv.conf, and iptables DROP for the servers that never
// answer.
#include "probes/network/dns_system.h"

#include <gtest/gtest.h>

#include "probes/network/dns.h"
#include "probes/network/tcp.h"
#include "probes/text.h"
#include "tests/net_testing.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::contextFor;
using testing::elapsedMs;

// dnsmasq answers A for both names itself; it forwards slowaaaa.test's
// other queries (AAAA) to 127.0.0.2, where iptables drops them. fast.test's
// AAAA gets an immediate empty answer.
const std::vector<std::string> kSystemRecords = {"--host-record=fast.test,192.0.2.20",
                                                 "--host-record=slowaaaa.test,192.0.2.10",
                                                 "--server=/slowaaaa.test/127.0.0.2"};

const std::vector<std::string> kDropSecondServer = {
    "iptables -A INPUT -d 127.0.0.2 -p udp --dport 53 -j DROP",
    "iptables -A INPUT -d 127.0.0.2 -p tcp --dport 53 -j DROP"};

Outcome runDns(const std::string& name, int64_t timeoutMs, int64_t maxMs = 0) {
  Params params;
  params.set("name", name);
  params.set("type", std::string("A"));
  params.set("nameservers", false);
  if (maxMs > 0) params.set("max_ms", maxMs);
  return dnsProbe().run(params, contextFor(timeoutMs));
}

// Runs `body` with dnsmasq up in a namespace whose resolv.conf is `resolvConf`.
std::vector<Outcome> inNamespace(const std::string& resolvConf,
                                 const std::function<std::vector<Outcome>()>& body) {
  testing::NetnsOptions ns;
  ns.files["/etc/resolv.conf"] = resolvConf;
  ns.setup = kDropSecondServer;
  std::string text = testing::runInNetns(
      [&] {
        testing::Dnsmasq dns("127.0.0.1", 53, kSystemRecords);
        std::string out;
        for (const Outcome& o : body()) out += testing::encodeOutcome(o) + "\n";
        return out;
      },
      ns, 60);
  std::vector<Outcome> outcomes;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    outcomes.push_back(testing::decodeOutcome(text.substr(start, end - start)));
  return outcomes;
}

TEST(DnsSystemResolver, AnAThatAnswersAtOnceWithAnAaaaThatHangsDoesNotPass) {
  // Ground truth (by hand, Python 3.11 in this very set-up):
  // getaddrinfo("slowaaaa.test", AF_INET) answers in 0.04 s, AF_UNSPEC (what
  // create_connection asks) only after 15 s.
  auto outcomes = inNamespace("nameserver 127.0.0.1\n", [] {
    std::vector<Outcome> list{runDns("slowaaaa.test", 2000)};
    // A net.* check of the same run resolves the same name: same answer.
    std::vector<TcpAttempt> tcp =
        connectPorts("slowaaaa.test", {80}, Clock::now() + Milliseconds(1000));
    Outcome net;
    net.status = tcp[0].ok ? Status::Pass : Status::Fail;
    net.message = tcp[0].describe();
    list.push_back(net);
    return list;
  });
  ASSERT_EQ(outcomes.size(), 2u);
  const Outcome& o = outcomes[0];
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "timed_out");
  EXPECT_TRUE(contains(o.message, "A: 192.0.2.10 in ")) << o.message;
  EXPECT_TRUE(contains(o.message, "AAAA: no answer within")) << o.message;
  EXPECT_TRUE(contains(o.message, "programs wait for both answers")) << o.message;
  // The name does resolve, late: the message must not say it does not.
  EXPECT_TRUE(contains(o.message, "slowaaaa.test resolves only after the resolver gives up"))
      << o.message;
  auto families = o.observed["families"];
  EXPECT_TRUE(families[0]["ok"].convert<bool>());
  EXPECT_TRUE(families[1]["timed_out"].convert<bool>());
  // The tcp probe does not claim the name resolves.
  EXPECT_EQ(outcomes[1].status, Status::Fail);
  EXPECT_TRUE(contains(outcomes[1].message, "slowaaaa.test did not resolve"))
      << outcomes[1].message;
}

TEST(DnsSystemResolver, ANameWhoseAaaaIsEmptyPassesAtOnce) {
  auto outcomes = inNamespace("nameserver 127.0.0.1\n",
                              [] { return std::vector<Outcome>{runDns("fast.test", 2000, 1000)}; });
  ASSERT_EQ(outcomes.size(), 1u);
  const Outcome& o = outcomes[0];
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["addresses"][0].toString(), "192.0.2.20");
  EXPECT_TRUE(contains(o.message, "A: 192.0.2.20 in ")) << o.message;
  EXPECT_TRUE(contains(o.message, "AAAA: none")) << o.message;
}

TEST(DnsSystemResolver, ADeadFirstNameserverResolvesButNotSilently) {
  // Every lookup waits for 127.0.0.2's 5 s timeout, then 127.0.0.1 answers.
  std::string resolvConf = "nameserver 127.0.0.2\nnameserver 127.0.0.1\n";
  auto outcomes = inNamespace(resolvConf, [] {
    auto start = Clock::now();
    Outcome resolves = runDns("fast.test", 12000);    // as dns.system
    Outcome fast = runDns("fast.test", 12000, 1000);  // as dns.fast: shares that lookup
    Outcome took;
    took.message = std::to_string(elapsedMs(start));
    return std::vector<Outcome>{resolves, fast, took};
  });
  ASSERT_EQ(outcomes.size(), 3u);
  const Outcome& resolves = outcomes[0];
  EXPECT_EQ(resolves.status, Status::Pass) << resolves.message;
  EXPECT_TRUE(contains(resolves.message, ", slow;")) << resolves.message;
  EXPECT_GE(resolves.observed["ms"].convert<int64_t>(), 4000);
  const Outcome& fast = outcomes[1];
  EXPECT_EQ(fast.status, Status::Fail) << fast.message;
  EXPECT_TRUE(contains(fast.message, "fast.test resolves, but only after")) << fast.message;
  EXPECT_TRUE(contains(fast.message, "(more than 1000 ms")) << fast.message;
  EXPECT_FALSE(resolves.observed["shared"].convert<bool>());
  EXPECT_TRUE(fast.observed["shared"].convert<bool>()) << fast.message;

  // Control: the same resolver without the dead nameserver passes dns.fast.
  auto control = inNamespace("nameserver 127.0.0.1\n",
                             [] { return std::vector<Outcome>{runDns("fast.test", 12000, 1000)}; });
  ASSERT_EQ(control.size(), 1u);
  EXPECT_EQ(control[0].status, Status::Pass) << control[0].message;
}

}  // namespace
}  // namespace bbcheck
