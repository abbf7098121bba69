#include "probes/network/tls.h"

#include <Poco/Process.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <thread>

#include "tests/net_testing.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::certificates;
using testing::contextFor;
using testing::elapsedMs;
using testing::TlsServer;

Params tlsParams(const std::string& host, int port, const std::string& caFile = "",
                 int64_t minDays = 0, const std::string& serverName = "") {
  Params params;
  params.set("host", host);
  params.set("port", static_cast<int64_t>(port));
  if (!caFile.empty()) params.set("ca_file", caFile);
  params.set("min_days", minDays);
  if (!serverName.empty()) params.set("server_name", serverName);
  return params;
}

Outcome runTls(const Params& params, int64_t timeoutMs = 3000) {
  return tlsProbe().run(params, contextFor(timeoutMs));
}

class TlsProbe : public ::testing::Test {
 protected:
  const testing::Certificates& certs = certificates();
};

TEST_F(TlsProbe, TrustedCertificatePassesAndIsDescribed) {
  TlsServer server(certs.file("server.pem"), certs.file("server.key"));
  Outcome o = runTls(tlsParams("localhost", server.port(), certs.file("ca.pem")));
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["subject"].toString(), "CN=localhost");
  EXPECT_EQ(o.observed["issuer"].toString(), "CN=bbcheck test CA");
  EXPECT_EQ(o.observed["protocol"].toString(), "TLSv1.3");
  int days = o.observed["days_left"].convert<int>();
  EXPECT_TRUE(days == 29 || days == 30) << days;
  EXPECT_EQ(o.observed["names"][0].toString(), "localhost");
  EXPECT_EQ(o.observed["names"][1].toString(), "127.0.0.1");
  EXPECT_NE(o.message.find("certificate CN=localhost issued by CN=bbcheck test CA"),
            std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find("days left"), std::string::npos) << o.message;

  // An address is verified against the certificate's IP entries.
  Outcome byIp = runTls(tlsParams("127.0.0.1", server.port(), certs.file("ca.pem")));
  EXPECT_EQ(byIp.status, Status::Pass) << byIp.message;
}

TEST_F(TlsProbe, SelfSignedCertificateIsUntrusted) {
  TlsServer server(certs.file("self.pem"), certs.file("self.key"));
  Outcome o = runTls(tlsParams("localhost", server.port()));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "tls_untrusted");
  EXPECT_NE(o.message.find("not trusted: self-signed certificate"), std::string::npos) << o.message;
}

TEST_F(TlsProbe, UnknownCaIsUntrusted) {
  TlsServer server(certs.file("server.pem"), certs.file("server.key"));
  Outcome o = runTls(tlsParams("localhost", server.port()));  // system store only
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "tls_untrusted");
  EXPECT_NE(o.message.find("unable to get local issuer certificate"), std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find("issuer CN=bbcheck test CA"), std::string::npos) << o.message;
}

TEST_F(TlsProbe, WrongNameIsANameMismatch) {
  TlsServer server(certs.file("server.pem"), certs.file("server.key"));
  Outcome o = runTls(tlsParams("127.0.0.1", server.port(), certs.file("ca.pem"), 0, "wrong.test"));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "tls_name_mismatch");
  EXPECT_NE(o.message.find("is not valid for 'wrong.test' (it names localhost, 127.0.0.1)"),
            std::string::npos)
      << o.message;
}

TEST_F(TlsProbe, ExpiredCertificateSaysWhen) {
  TlsServer server(certs.file("expired.pem"), certs.file("server.key"));
  Outcome o = runTls(tlsParams("localhost", server.port(), certs.file("ca.pem")));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "tls_expired");
  EXPECT_NE(o.message.find("expired on"), std::string::npos) << o.message;
  EXPECT_LT(o.observed["days_left"].convert<int>(), 0);
}

TEST_F(TlsProbe, FewerDaysLeftThanMinDaysFails) {
  TlsServer server(certs.file("server.pem"), certs.file("server.key"));
  Outcome o = runTls(tlsParams("localhost", server.port(), certs.file("ca.pem"), 45));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_NE(o.message.find("need at least 45"), std::string::npos) << o.message;
  Outcome ok = runTls(tlsParams("localhost", server.port(), certs.file("ca.pem"), 20));
  EXPECT_EQ(ok.status, Status::Pass) << ok.message;
}

TEST_F(TlsProbe, HandshakeFailureIsReported) {
  // The server offers only a TLS 1.3 suite the client does not enable.
  TlsServer server(certs.file("server.pem"), certs.file("server.key"),
                   {"-no_tls1_2", "-ciphersuites", "TLS_AES_128_CCM_8_SHA256"});
  Outcome o = runTls(tlsParams("localhost", server.port(), certs.file("ca.pem")));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "tls_handshake");
  EXPECT_NE(o.message.find("TLS handshake with localhost:" + std::to_string(server.port())),
            std::string::npos)
      << o.message;
}

TEST(TlsProbeNotTls, PlainTcpServerIsTheWrongProtocol) {
  testing::LoopbackServer ssh("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
  Outcome o = runTls(tlsParams("127.0.0.1", ssh.port()));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "wrong_protocol");
  EXPECT_NE(o.message.find("handshake"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("does not speak TLS"), std::string::npos) << o.message;
  EXPECT_EQ(o.observed["server_said"].toString(), "SSH-2.0-OpenSSH_9.2p1 Debian-2");
}

TEST(TlsProbeNotTls, SilentServerTimesOutAtTheDeadline) {
  testing::LoopbackServer silent;
  auto start = Clock::now();
  Outcome o = runTls(tlsParams("127.0.0.1", silent.port()), 1000);
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "timed_out");
  EXPECT_NE(o.message.find("no TLS answer from 127.0.0.1:"), std::string::npos) << o.message;
  EXPECT_LE(elapsedMs(start), 1500);
}

TEST(TlsProbeNotTls, ClosedPortIsRefused) {
  int port = testing::closedLoopbackPort();
  Outcome o = runTls(tlsParams("127.0.0.1", port));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.message, "connection refused by 127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(o.observed["cause"].toString(), "refused");
}

TEST(TlsProbeNotTls, UnreadableCaFileIsAnError) {
  Outcome o = runTls(tlsParams("127.0.0.1", 443, "/nonexistent/ca.pem"));
  EXPECT_EQ(o.status, Status::Error) << o.message;
  EXPECT_NE(o.message.find("/nonexistent/ca.pem"), std::string::npos) << o.message;
}

}  // namespace
}  // namespace bbcheck
