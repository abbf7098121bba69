#include "probes/tls.h"

#include <Poco/Process.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <thread>

#include "probes/net_testing.h"
#include "probes/registry.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::contextFor;
using testing::elapsedMs;

void openssl(const std::vector<std::string>& args) {
  testing::CommandResult r = testing::runCommand("openssl", args);
  if (r.exit_code != 0) throw std::runtime_error("openssl " + args[0] + " failed: " + r.err);
}

// Certificates made with the openssl CLI: a CA, a server certificate for
// localhost/127.0.0.1 signed by it (30 days), an expired one, and a
// self-signed one.
struct Certificates {
  testing::TempDir dir;
  std::string file(const std::string& name) const { return dir.path() + "/" + name; }

  Certificates() {
    std::vector<std::string> ec = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                   "-nodes"};
    auto req = [&](std::vector<std::string> extra) {
      std::vector<std::string> args = {"req"};
      args.insert(args.end(), ec.begin(), ec.end());
      args.insert(args.end(), extra.begin(), extra.end());
      openssl(args);
    };
    req({"-x509", "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "60", "-subj",
         "/CN=bbcheck test CA"});
    req({"-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=localhost"});
    dir.write("san.cnf", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    auto sign = [&](const std::string& out, const std::string& days) {
      openssl({"x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey",
               file("ca.key"), "-CAcreateserial", "-out", file(out), "-days", days, "-extfile",
               file("san.cnf")});
    };
    sign("server.pem", "30");
    sign("expired.pem", "-1");  // notAfter a day before now (OpenSSL 3.0 accepts it)
    req({"-x509", "-keyout", file("self.key"), "-out", file("self.pem"), "-days", "30", "-subj",
         "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"});
  }
};

const Certificates& certificates() {
  static Certificates made;
  return made;
}

// `openssl s_server -www` on 127.0.0.1 and a port it picks; killed when
// this is destroyed.
class TlsServer {
 public:
  TlsServer(const std::string& cert, const std::string& key,
            const std::vector<std::string>& extra = {}) {
    log_ = dir_.path() + "/s_server.log";
    std::string command =
        "exec openssl s_server -accept 127.0.0.1:0 -www -cert " + cert + " -key " + key;
    for (const auto& e : extra) command += " " + e;
    command += " >" + log_ + " 2>&1 </dev/null";
    handle_ =
        std::make_unique<Poco::ProcessHandle>(Poco::Process::launch("/bin/sh", {"-c", command}));
    std::regex accept("ACCEPT 127\\.0\\.0\\.1:([0-9]+)");
    auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < deadline) {
      std::ifstream in(log_);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::smatch m;
      if (std::regex_search(text, m, accept)) {
        port_ = std::stoi(m[1]);
        return;
      }
      if (!Poco::Process::isRunning(*handle_))
        throw std::runtime_error("openssl s_server died: " + text);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("openssl s_server did not start");
  }
  ~TlsServer() {
    Poco::Process::kill(*handle_);
    handle_->wait();
  }
  int port() const { return port_; }

 private:
  testing::TempDir dir_;
  std::string log_;
  int port_ = 0;
  std::unique_ptr<Poco::ProcessHandle> handle_;
};

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
  return findProbe("tls")->run(params, contextFor(timeoutMs));
}

class TlsProbe : public ::testing::Test {
 protected:
  const Certificates& certs = certificates();
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
