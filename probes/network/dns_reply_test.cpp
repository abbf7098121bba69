// DNS replies from hostile or broken servers: the parser on crafted bytes,
// and queryDns against a small scripted server on loopback (UDP and TCP).
#include "probes/network/dns_reply.h"

#include <Poco/Net/DatagramSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <arpa/nameser.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "probes/network/dns.h"
#include "probes/network/dns_query.h"
#include "tests/probe_testing.h"

namespace bbcheck {
namespace {

using Bytes = std::string;
using testing::elapsedMs;

Bytes u16(unsigned v) {
  return Bytes{char(v >> 8), char(v & 0xff)};
}
Bytes u32(unsigned long v) {
  return u16((v >> 16) & 0xffff) + u16(v & 0xffff);
}

// The question section of a query: the name's labels, type and class.
Bytes questionOf(const Bytes& query) {
  size_t at = NS_HFIXEDSZ;
  while (at < query.size() && query[at] != 0) at += 1 + static_cast<unsigned char>(query[at]);
  return query.substr(NS_HFIXEDSZ, at + 5 - NS_HFIXEDSZ);
}

// One answer record owned by the question's name (pointer to offset 12).
Bytes record(unsigned type, const Bytes& rdata) {
  return u16(0xc00c) + u16(type) + u16(ns_c_in) + u32(60) + u16(rdata.size()) + rdata;
}

// A reply to `query`: same id and question, `flags` (QR set), these answers.
Bytes reply(const Bytes& query, const std::vector<Bytes>& answers, unsigned flags = 0x8180) {
  Bytes out = query.substr(0, 2) + u16(flags) + u16(1) + u16(answers.size()) + u16(0) + u16(0);
  out += questionOf(query);
  for (const auto& a : answers) out += a;
  return out;
}

// The reply to a made-up query for found.test, parsed as type `type`.
DnsReply parse(unsigned type, const std::vector<Bytes>& answers) {
  Bytes query = u16(0x1234) + u16(0x0100) + u16(1) + u16(0) + u16(0) + u16(0) +
                Bytes("\5found\4test\0", 12) + u16(type) + u16(ns_c_in);
  Bytes bytes = reply(query, answers);
  // Exactly sized on the heap, so that ASan sees any read past the end.
  std::vector<unsigned char> heap(bytes.begin(), bytes.end());
  return parseDnsReply(heap.data(), heap.size(), static_cast<int>(type));
}

TEST(DnsReplyParser, ReadsWellFormedRecords) {
  EXPECT_EQ(parse(ns_t_a, {record(ns_t_a, Bytes("\xc0\x00\x02\x07", 4))}).records,
            std::vector<std::string>{"192.0.2.7"});
  EXPECT_EQ(parse(ns_t_mx, {record(ns_t_mx, u16(10) + Bytes("\2mx\xc0\x0c", 5))}).records,
            std::vector<std::string>{"10 mx.found.test."});
  EXPECT_EQ(parse(ns_t_txt, {record(ns_t_txt, Bytes("\5hello\5world", 12))}).records,
            std::vector<std::string>{"helloworld"});
  EXPECT_EQ(parse(ns_t_caa, {record(ns_t_caa, Bytes("\0\5issueca.test", 14))}).records,
            std::vector<std::string>{"0 issue \"ca.test\""});
}

TEST(DnsReplyParser, RecordsThatDoNotFitTheirTypeAreMalformed) {
  struct Case {
    unsigned type;
    Bytes rdata;
  };
  std::vector<Case> cases = {
      {ns_t_a, ""},                           // an empty A is not 0.0.0.0
      {ns_t_a, "\1\2\3"},                     // short
      {ns_t_a, Bytes("\1\2\3\4\5", 5)},       // long
      {ns_t_aaaa, ""},                        // empty
      {ns_t_aaaa, Bytes(15, '\1')},           // one byte short
      {ns_t_caa, ""},                         // no flags or tag length
      {ns_t_caa, Bytes("\0\x40issue", 7)},    // tag longer than the record
      {ns_t_mx, Bytes("\0", 1)},              // half a preference
      {ns_t_srv, Bytes("\0\1\0\2", 4)},       // no port or target
      {ns_t_soa, Bytes("\0\0", 2)},           // names but no numbers
      {ns_t_txt, Bytes("\x09short", 6)},      // string longer than the record
      {ns_t_ns, Bytes("\xc0\xff", 2)},        // pointer past the end of the message
      {ns_t_cname, Bytes("\3abc", 4)},        // label without its end
      {ns_t_ns, Bytes("\2ns\xc0\x0c\7", 6)},  // stray byte after the name
  };
  for (const auto& c : cases) {
    DnsReply r = parse(c.type, {record(c.type, c.rdata)});
    EXPECT_FALSE(r.malformed.empty()) << "type " << c.type << " rdata size " << c.rdata.size();
    EXPECT_TRUE(r.records.empty());
  }
}

TEST(DnsReplyParser, CompressionLoopIsMalformed) {
  // The NS name is a pointer to itself (offset 12 + question 16 + 12 bytes of record header).
  unsigned self = NS_HFIXEDSZ + 16 + 12;
  DnsReply r = parse(ns_t_ns, {record(ns_t_ns, u16(0xc000 | self))});
  EXPECT_NE(r.malformed.find("bad domain name"), std::string::npos) << r.malformed;
}

TEST(DnsReplyParser, ShortAndOverCountedMessagesAreMalformed) {
  std::vector<unsigned char> three = {0x12, 0x34, 0x81};
  EXPECT_NE(
      parseDnsReply(three.data(), three.size(), ns_t_a).malformed.find("shorter than a DNS header"),
      std::string::npos);
  // A header that promises an answer the message does not hold.
  Bytes header = u16(0x1234) + u16(0x8180) + u16(0) + u16(1) + u16(0) + u16(0);
  std::vector<unsigned char> heap(header.begin(), header.end());
  EXPECT_FALSE(parseDnsReply(heap.data(), heap.size(), ns_t_a).malformed.empty());
}

// A DNS server on a loopback port that answers each query with whatever
// `udp` (over UDP) and `tcp` (over TCP; none: nothing listens on TCP)
// return: zero or more raw replies.
class ScriptedServer {
 public:
  using Script = std::function<std::vector<Bytes>(const Bytes& query)>;
  ScriptedServer(Script udp, Script tcp) : udp_(std::move(udp)), tcp_(std::move(tcp)) {
    // UDP and TCP on the same port number: retry until both are free.
    for (int attempt = 0;; ++attempt) {
      udpSocket_ = Poco::Net::DatagramSocket(Poco::Net::SocketAddress("127.0.0.1", 0));
      port_ = udpSocket_.address().port();
      if (!tcp_) break;
      try {
        tcpSocket_ = Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", port_));
        break;
      } catch (const Poco::Exception&) {
        if (attempt > 20) throw;
      }
    }
    threads_.emplace_back([this] { serveUdp(); });
    if (tcp_) threads_.emplace_back([this] { serveTcp(); });
  }
  ~ScriptedServer() {
    stop_ = true;
    for (auto& t : threads_) t.join();
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  void serveUdp() {
    while (!stop_) {
      if (!udpSocket_.poll(Poco::Timespan(0, 20000), Poco::Net::Socket::SELECT_READ)) continue;
      char buffer[4096];
      Poco::Net::SocketAddress from;
      int n = udpSocket_.receiveFrom(buffer, sizeof buffer, from);
      for (const auto& r : udp_(Bytes(buffer, n))) udpSocket_.sendTo(r.data(), r.size(), from);
    }
  }
  void serveTcp() {
    while (!stop_) {
      if (!tcpSocket_.poll(Poco::Timespan(0, 20000), Poco::Net::Socket::SELECT_READ)) continue;
      Poco::Net::StreamSocket peer = tcpSocket_.acceptConnection();
      unsigned char length[2];
      if (peer.receiveBytes(length, 2) != 2) continue;
      Bytes query(length[0] << 8 | length[1], '\0');
      int got = 0;
      while (got < static_cast<int>(query.size())) {
        int n = peer.receiveBytes(&query[got], static_cast<int>(query.size()) - got);
        if (n <= 0) break;
        got += n;
      }
      for (const auto& r : tcp_(query)) {
        Bytes framed = u16(r.size()) + r;
        peer.sendBytes(framed.data(), static_cast<int>(framed.size()));
      }
    }
  }

  Script udp_, tcp_;
  Poco::Net::DatagramSocket udpSocket_;
  Poco::Net::ServerSocket tcpSocket_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

DnsQueryResult ask(const ScriptedServer& server, const std::string& type, int64_t ms = 1500) {
  return queryDns("found.test", type, server.address(), Clock::now() + Milliseconds(ms));
}

const Bytes kAddress4("\xc0\x00\x02\x07", 4);

TEST(HostileDnsServer, EmptyARecordIsMalformedNotAnAddress) {
  ScriptedServer server(
      [](const Bytes& q) { return std::vector<Bytes>{reply(q, {record(ns_t_a, "")})}; }, nullptr);
  DnsQueryResult r = ask(server, "A");
  EXPECT_EQ(r.cause, "malformed") << r.describe("found.test", "A");
  EXPECT_NE(r.describe("found.test", "A").find("malformed reply from"), std::string::npos);
  // Control: the same server with a whole address passes.
  ScriptedServer good(
      [](const Bytes& q) { return std::vector<Bytes>{reply(q, {record(ns_t_a, kAddress4)})}; },
      nullptr);
  DnsQueryResult ok = ask(good, "A");
  EXPECT_TRUE(ok.ok()) << ok.describe("found.test", "A");
  EXPECT_EQ(ok.records, std::vector<std::string>{"192.0.2.7"});
}

TEST(HostileDnsServer, WrongIdIsIgnoredAndTimesOutWithinTheDeadline) {
  ScriptedServer server(
      [](const Bytes& q) {
        Bytes r = reply(q, {record(ns_t_a, kAddress4)});
        r[1] = static_cast<char>(r[1] ^ 0x55);
        return std::vector<Bytes>{r};
      },
      nullptr);
  auto start = Clock::now();
  DnsQueryResult r = ask(server, "A", 1000);
  EXPECT_EQ(r.cause, "timed_out");
  EXPECT_LT(elapsedMs(start), 3000);
}

TEST(HostileDnsServer, ThreeByteReplyIsMalformedNotTimedOut) {
  ScriptedServer server([](const Bytes& q) { return std::vector<Bytes>{q.substr(0, 3)}; }, nullptr);
  auto start = Clock::now();
  DnsQueryResult r = ask(server, "A", 1500);
  EXPECT_EQ(r.cause, "malformed") << r.describe("found.test", "A");
  EXPECT_LT(elapsedMs(start), 3500);
}

TEST(HostileDnsServer, CompressionLoopIsMalformed) {
  ScriptedServer server(
      [](const Bytes& q) {
        unsigned self = static_cast<unsigned>(NS_HFIXEDSZ + questionOf(q).size() + 12);
        return std::vector<Bytes>{reply(q, {record(ns_t_ns, u16(0xc000 | self))})};
      },
      nullptr);
  DnsQueryResult r = ask(server, "NS");
  EXPECT_EQ(r.cause, "malformed") << r.describe("found.test", "NS");
}

// 64 KB over TCP: a truncated UDP reply, then over TCP thousands of AAAA
// records, the last one empty (or, for the control, whole).
Bytes bigAaaaReply(const Bytes& q, bool lastEmpty) {
  std::vector<Bytes> answers;
  size_t size = NS_HFIXEDSZ + questionOf(q).size();
  Bytes whole = record(ns_t_aaaa, Bytes(16, '\x20'));
  while (size + 2 * whole.size() < 65000) {
    answers.push_back(whole);
    size += whole.size();
  }
  answers.push_back(lastEmpty ? record(ns_t_aaaa, "") : whole);
  return reply(q, answers);
}

TEST(HostileDnsServer, EmptyAaaaAtTheEndOf64KbOverTcpIsMalformed) {
  auto truncated = [](const Bytes& q) { return std::vector<Bytes>{reply(q, {}, 0x8380)}; };
  ScriptedServer server(truncated,
                        [](const Bytes& q) { return std::vector<Bytes>{bigAaaaReply(q, true)}; });
  DnsQueryResult r = ask(server, "AAAA", 3000);
  EXPECT_EQ(r.cause, "malformed") << r.describe("found.test", "AAAA");
  EXPECT_TRUE(r.records.empty());
  ScriptedServer good(truncated,
                      [](const Bytes& q) { return std::vector<Bytes>{bigAaaaReply(q, false)}; });
  DnsQueryResult ok = ask(good, "AAAA", 3000);
  EXPECT_TRUE(ok.ok()) << ok.describe("found.test", "AAAA");
  EXPECT_GT(ok.records.size(), 2000u);
}

TEST(HostileDnsServer, TruncatedUdpReplyWithoutTcpSaysSo) {
  ScriptedServer server(
      [](const Bytes& q) {
        return std::vector<Bytes>{reply(q, {record(ns_t_a, kAddress4)}, 0x8380)};
      },
      nullptr);
  auto start = Clock::now();
  DnsQueryResult r = ask(server, "A", 1500);
  EXPECT_EQ(r.cause, "truncated") << r.describe("found.test", "A");
  EXPECT_NE(r.describe("found.test", "A").find("truncated over UDP, and no answer over TCP"),
            std::string::npos);
  EXPECT_LT(elapsedMs(start), 3500);
}

TEST(ResolvConf, UnreadableFileIsAnErrorNotNoNameservers) {
  std::string error;
  // A directory exists but cannot be read as a file (root can read any mode).
  EXPECT_TRUE(resolvConfNameservers("/tmp", &error).empty());
  EXPECT_NE(error.find("cannot read /tmp"), std::string::npos) << error;
  // The probe: an error naming the file, not a fail saying it has no lines.
  Params params;
  params.set("name", "found.test");
  params.set("nameservers", true);
  params.set("resolv_conf", "/tmp");
  Outcome o = dnsProbe().run(params, testing::contextFor(1000));
  EXPECT_EQ(o.status, Status::Error) << o.message;
  EXPECT_NE(o.message.find("cannot read /tmp"), std::string::npos) << o.message;
  std::string missing;
  EXPECT_TRUE(resolvConfNameservers("/nonexistent-bbcheck/resolv.conf", &missing).empty());
  EXPECT_EQ(missing, "");
}

}  // namespace
}  // namespace bbcheck
