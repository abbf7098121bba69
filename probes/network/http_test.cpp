#include "probes/network/http.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>
#include <poll.h>

#include <cstdlib>
#include <mutex>
#include <sstream>

#include "tests/net_testing.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::contextFor;
using testing::elapsedMs;

// Every proxy variable unset for the test, and restored afterwards; set()
// sets one for the test.
class ProxyEnvironment {
 public:
  ProxyEnvironment() {
    for (const char* name : kNames) {
      if (const char* v = std::getenv(name)) saved_.emplace_back(name, v);
      ::unsetenv(name);
    }
  }
  ~ProxyEnvironment() {
    for (const char* name : kNames) ::unsetenv(name);
    for (const auto& [name, value] : saved_) ::setenv(name.c_str(), value.c_str(), 1);
  }
  void set(const char* name, const std::string& value) { ::setenv(name, value.c_str(), 1); }

 private:
  static constexpr const char* kNames[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                           "all_proxy",  "ALL_PROXY",  "no_proxy",    "NO_PROXY"};
  std::vector<std::pair<std::string, std::string>> saved_;
};

// What a test server saw: "METHOD URI" per request, and the headers that
// carry credentials.
struct Seen {
  std::mutex mutex;
  std::vector<std::string> requests;
  std::vector<std::string> authorization;
  std::vector<std::string> proxyAuthorization;

  std::vector<std::string> all() {
    std::lock_guard<std::mutex> lock(mutex);
    return requests;
  }
};

std::string basic(const std::string& user, const std::string& password) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder << user << ":" << password;
  encoder.close();
  return "Basic " + out.str();
}

// Paths: /ok 200, /missing 404, /moved 301, /error 500, /auth 200 only with
// Basic alice:s3cret (else 401). As a proxy (`proxy`), answers 200 to all.
class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(Seen& seen, bool proxy) : seen_(seen), proxy_(proxy) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    {
      std::lock_guard<std::mutex> lock(seen_.mutex);
      seen_.requests.push_back(request.getMethod() + " " + request.getURI());
      seen_.authorization.push_back(request.get("Authorization", ""));
      seen_.proxyAuthorization.push_back(request.get("Proxy-Authorization", ""));
    }
    using R = Poco::Net::HTTPResponse;
    const std::string& uri = request.getURI();
    R::HTTPStatus status = R::HTTP_OK;
    if (proxy_) {
      status = R::HTTP_OK;
    } else if (uri == "/missing") {
      status = R::HTTP_NOT_FOUND;
    } else if (uri == "/moved") {
      status = R::HTTP_MOVED_PERMANENTLY;
      response.set("Location", "http://bob:hunter2@example.invalid/new");
    } else if (uri == "/error") {
      status = R::HTTP_INTERNAL_SERVER_ERROR;
    } else if (uri == "/auth" && request.get("Authorization", "") != basic("alice", "s3cret")) {
      status = R::HTTP_UNAUTHORIZED;
    } else if (uri != "/ok" && uri != "/auth") {
      status = R::HTTP_NOT_FOUND;
    }
    response.setStatusAndReason(status);
    response.setContentLength(2);
    response.send() << "ok";
  }

 private:
  Seen& seen_;
  bool proxy_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(Seen& seen, bool proxy) : seen_(seen), proxy_(proxy) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(seen_, proxy_);
  }

 private:
  Seen& seen_;
  bool proxy_;
};

// A Poco HTTPServer on 127.0.0.1 and an ephemeral port.
class TestHttpServer {
 public:
  explicit TestHttpServer(bool proxy = false)
      : socket_(Poco::Net::SocketAddress("127.0.0.1:0")),
        server_(new Factory(seen, proxy), socket_, new Poco::Net::HTTPServerParams) {
    server_.start();
  }
  ~TestHttpServer() { server_.stopAll(true); }
  int port() const { return socket_.address().port(); }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
  }
  Seen seen;

 private:
  Poco::Net::ServerSocket socket_;
  Poco::Net::HTTPServer server_;
};

// A CONNECT-only proxy on loopback: records each request line, then either
// answers 403 or tunnels bytes to the target.
class ConnectProxy {
 public:
  explicit ConnectProxy(bool refuse = false)
      : listener_(Poco::Net::SocketAddress("127.0.0.1:0")), refuse_(refuse) {
    thread_ = std::thread([this] {
      while (!stop_) {
        if (!listener_.poll(Poco::Timespan(0, 20000), Poco::Net::Socket::SELECT_READ)) continue;
        Poco::Net::StreamSocket client = listener_.acceptConnection();
        serve(client);
      }
    });
  }
  ~ConnectProxy() {
    stop_ = true;
    thread_.join();
  }
  int port() const { return listener_.address().port(); }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  void serve(Poco::Net::StreamSocket& client) {
    std::string head;
    char c;
    client.setReceiveTimeout(Poco::Timespan(2, 0));
    try {
      while (head.find("\r\n\r\n") == std::string::npos && client.receiveBytes(&c, 1) == 1)
        head += c;
      std::string line = head.substr(0, head.find("\r\n"));
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(line);
      }
      if (refuse_ || line.rfind("CONNECT ", 0) != 0) {
        std::string no = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n";
        client.sendBytes(no.data(), static_cast<int>(no.size()));
        return;
      }
      std::string target = line.substr(8, line.find(' ', 8) - 8);
      Poco::Net::StreamSocket upstream{Poco::Net::SocketAddress(target)};
      std::string yes = "HTTP/1.1 200 Connection established\r\n\r\n";
      client.sendBytes(yes.data(), static_cast<int>(yes.size()));
      pump(client, upstream);
    } catch (...) {
    }
  }

  void pump(Poco::Net::StreamSocket& a, Poco::Net::StreamSocket& b) {
    pollfd fds[2] = {{a.impl()->sockfd(), POLLIN, 0}, {b.impl()->sockfd(), POLLIN, 0}};
    char buffer[16384];
    while (!stop_ && ::poll(fds, 2, 3000) > 0) {
      for (int i = 0; i < 2; ++i) {
        if (!fds[i].revents) continue;
        Poco::Net::StreamSocket& from = i == 0 ? a : b;
        Poco::Net::StreamSocket& to = i == 0 ? b : a;
        int n = from.receiveBytes(buffer, sizeof buffer);
        if (n <= 0) return;
        to.sendBytes(buffer, n);
      }
    }
  }

  Poco::Net::ServerSocket listener_;
  bool refuse_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

Params httpParams(const std::string& url, const std::string& status = "",
                  const std::string& method = "GET") {
  Params params;
  params.set("url", url);
  params.set("method", method);
  if (!status.empty()) params.set("status", status);
  return params;
}

Outcome runHttp(const Params& params, int64_t timeoutMs = 3000) {
  return httpProbe().run(params, contextFor(timeoutMs));
}

std::string everything(const Outcome& o) {
  return o.message + "\n" + o.observed.toString();
}

TEST(HttpProbe, StatusesAgainstTheDefaultExpectation) {
  ProxyEnvironment env;
  TestHttpServer server;
  Outcome ok = runHttp(httpParams(server.url("/ok")));
  ASSERT_EQ(ok.status, Status::Pass) << ok.message;
  EXPECT_EQ(ok.observed["status"].convert<int>(), 200);
  EXPECT_EQ(ok.observed["proxy"].toString(), "");
  EXPECT_EQ(ok.message.find("GET " + server.url("/ok") + ": 200 OK ("), 0u) << ok.message;

  Outcome missing = runHttp(httpParams(server.url("/missing")));
  ASSERT_EQ(missing.status, Status::Fail);
  EXPECT_NE(missing.message.find(": 404 Not Found ("), std::string::npos) << missing.message;
  EXPECT_NE(missing.message.find("expected 2xx or 3xx"), std::string::npos) << missing.message;

  Outcome moved = runHttp(httpParams(server.url("/moved")));
  EXPECT_EQ(moved.status, Status::Pass) << moved.message;  // 3xx passes by default, not followed

  Outcome error = runHttp(httpParams(server.url("/error")));
  EXPECT_EQ(error.status, Status::Fail);
  EXPECT_EQ(error.observed["status"].convert<int>(), 500);
}

TEST(HttpProbe, StatusExpectations) {
  ProxyEnvironment env;
  TestHttpServer server;
  EXPECT_EQ(runHttp(httpParams(server.url("/missing"), "404")).status, Status::Pass);
  EXPECT_EQ(runHttp(httpParams(server.url("/missing"), "2xx,404")).status, Status::Pass);
  EXPECT_EQ(runHttp(httpParams(server.url("/ok"), "200,301")).status, Status::Pass);

  Outcome moved = runHttp(httpParams(server.url("/moved"), "200"));
  ASSERT_EQ(moved.status, Status::Fail);
  // The redirect target is shown, without the credentials it carried.
  EXPECT_NE(moved.message.find("301 Moved Permanently -> http://example.invalid/new"),
            std::string::npos)
      << moved.message;
  EXPECT_NE(moved.message.find("expected 200"), std::string::npos) << moved.message;
  EXPECT_EQ(everything(moved).find("hunter2"), std::string::npos);

  Outcome bad = runHttp(httpParams(server.url("/ok"), "2x"));
  EXPECT_EQ(bad.status, Status::Error);
  EXPECT_NE(bad.message.find("bad status '2x'"), std::string::npos) << bad.message;
}

TEST(HttpProbe, HeadRequest) {
  ProxyEnvironment env;
  TestHttpServer server;
  Outcome o = runHttp(httpParams(server.url("/ok"), "", "HEAD"));
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(server.seen.all(), std::vector<std::string>{"HEAD /ok"});
}

TEST(HttpProbe, CredentialsInTheUrlAreSentButNeverShown) {
  ProxyEnvironment env;
  TestHttpServer server;
  std::string withCredentials = "http://alice:s3cret@127.0.0.1:" + std::to_string(server.port());
  Outcome ok = runHttp(httpParams(withCredentials + "/auth", "200"));
  ASSERT_EQ(ok.status, Status::Pass) << ok.message;  // the server checked them
  Outcome missing = runHttp(httpParams(withCredentials + "/missing"));
  ASSERT_EQ(missing.status, Status::Fail);
  Outcome closed = runHttp(httpParams(
      "http://alice:s3cret@127.0.0.1:" + std::to_string(testing::closedLoopbackPort()) + "/"));
  ASSERT_EQ(closed.status, Status::Fail);
  EXPECT_NE(closed.message.find("connection refused"), std::string::npos) << closed.message;
  for (const Outcome* o : {&ok, &missing, &closed}) {
    EXPECT_EQ(everything(*o).find("s3cret"), std::string::npos) << everything(*o);
    EXPECT_EQ(everything(*o).find("alice"), std::string::npos) << everything(*o);
  }
  EXPECT_EQ(ok.observed["url"].toString(), server.url("/auth"));
}

TEST(HttpProbe, GoesThroughTheProxyFromTheEnvironment) {
  ProxyEnvironment env;
  TestHttpServer server, proxy(/*proxy=*/true);
  std::string proxyUrl = "http://127.0.0.1:" + std::to_string(proxy.port());
  env.set("http_proxy", "http://carol:pr0xypw@127.0.0.1:" + std::to_string(proxy.port()));
  Outcome o = runHttp(httpParams(server.url("/ok")));
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["proxy"].toString(), proxyUrl);
  EXPECT_EQ(o.observed["proxy_variable"].toString(), "http_proxy");
  EXPECT_NE(o.message.find("via proxy " + proxyUrl + " (from http_proxy)"), std::string::npos)
      << o.message;
  // The proxy was asked for the absolute URL, with the proxy credentials.
  EXPECT_EQ(proxy.seen.all(), std::vector<std::string>{"GET " + server.url("/ok")});
  EXPECT_EQ(proxy.seen.proxyAuthorization[0], basic("carol", "pr0xypw"));
  EXPECT_TRUE(server.seen.all().empty());
  EXPECT_EQ(everything(o).find("pr0xypw"), std::string::npos);
  EXPECT_EQ(everything(o).find("carol"), std::string::npos);
}

TEST(HttpProbe, UpperCaseProxyVariableIsHonoured) {
  ProxyEnvironment env;
  TestHttpServer server, proxy(true);
  env.set("HTTP_PROXY",
          "127.0.0.1:" + std::to_string(proxy.port()));  // scheme-less, as often written
  Outcome o = runHttp(httpParams(server.url("/missing")));
  ASSERT_EQ(o.status, Status::Pass) << o.message;  // the proxy answered 200
  EXPECT_EQ(o.observed["proxy_variable"].toString(), "HTTP_PROXY");
  EXPECT_EQ(proxy.seen.all().size(), 1u);
}

TEST(HttpProbe, NoProxyBypassesTheProxy) {
  ProxyEnvironment env;
  TestHttpServer server, proxy(true);
  env.set("http_proxy", "http://127.0.0.1:" + std::to_string(proxy.port()));
  env.set("no_proxy", "localhost,127.0.0.1");
  Outcome o = runHttp(httpParams(server.url("/ok")));
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["proxy"].toString(), "");
  EXPECT_EQ(o.observed["no_proxy_match"].toString(), "127.0.0.1");
  EXPECT_TRUE(proxy.seen.all().empty());
  EXPECT_EQ(server.seen.all(), std::vector<std::string>{"GET /ok"});
}

TEST(HttpProbe, UnreachableProxyIsNamed) {
  ProxyEnvironment env;
  int closed = testing::closedLoopbackPort();
  env.set("http_proxy", "http://dave:pw123@127.0.0.1:" + std::to_string(closed));
  Outcome o = runHttp(httpParams("http://www.example.invalid/"));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.message,
            "GET http://www.example.invalid/ via proxy http://127.0.0.1:" + std::to_string(closed) +
                " (from http_proxy): cannot reach the proxy: connection refused by 127.0.0.1:" +
                std::to_string(closed));
  EXPECT_EQ(o.observed["cause"].toString(), "refused");
  EXPECT_EQ(everything(o).find("pw123"), std::string::npos);
}

TEST(HttpProbe, ServerThatIsNotHttpIsTheWrongProtocol) {
  ProxyEnvironment env;
  testing::LoopbackServer ssh("SSH-2.0-OpenSSH_9.2p1\r\n");
  Outcome o = runHttp(httpParams("http://127.0.0.1:" + std::to_string(ssh.port()) + "/"));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "wrong_protocol");
  EXPECT_NE(
      o.message.find("127.0.0.1:" + std::to_string(ssh.port()) + " does not speak HTTP there"),
      std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find("(it sent \"SSH-2.0-OpenSSH_9.2p1\")"), std::string::npos) << o.message;
}

TEST(HttpProbe, SilentServerTimesOutAtTheDeadline) {
  ProxyEnvironment env;
  testing::LoopbackServer silent;
  auto start = Clock::now();
  Outcome o = runHttp(httpParams("http://127.0.0.1:" + std::to_string(silent.port()) + "/"), 1000);
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "timed_out");
  EXPECT_NE(o.message.find("no HTTP answer within"), std::string::npos) << o.message;
  EXPECT_LE(elapsedMs(start), 1600);
}

TEST(HttpProbe, BadUrlIsAnError) {
  ProxyEnvironment env;
  Outcome o = runHttp(httpParams("ftp://user:pw@example.invalid/file"));
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_EQ(o.message, "not an http(s) URL: ftp://example.invalid/file");
}

TEST(HttpProbe, SocksProxyIsAnError) {
  ProxyEnvironment env;
  env.set("all_proxy", "socks5://erin:pw9@127.0.0.1:1080");
  Outcome o = runHttp(httpParams("http://www.example.invalid/"));
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_EQ(
      o.message,
      "all_proxy names a socks5 proxy (socks5://127.0.0.1:1080); only HTTP proxies are supported");
}

class HttpsProbe : public ::testing::Test {
 protected:
  const testing::Certificates& certs = testing::certificates();
  ProxyEnvironment env;
};

TEST_F(HttpsProbe, TrustedServerAnswers) {
  testing::TlsServer server(certs.file("server.pem"), certs.file("server.key"));
  Params params = httpParams("https://localhost:" + std::to_string(server.port()) + "/");
  params.set("ca_file", certs.file("ca.pem"));
  Outcome o = runHttp(params);
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["status"].convert<int>(), 200);

  // An address is verified against the certificate's IP entries.
  Params byIp = httpParams("https://127.0.0.1:" + std::to_string(server.port()) + "/");
  byIp.set("ca_file", certs.file("ca.pem"));
  Outcome ip = runHttp(byIp);
  EXPECT_EQ(ip.status, Status::Pass) << ip.message;
}

TEST_F(HttpsProbe, UntrustedCertificateIsClassified) {
  testing::TlsServer server(certs.file("self.pem"), certs.file("self.key"));
  Outcome o = runHttp(httpParams("https://localhost:" + std::to_string(server.port()) + "/"));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "tls_untrusted");
  EXPECT_NE(o.message.find("not trusted: self-signed certificate"), std::string::npos) << o.message;
}

TEST_F(HttpsProbe, ExpiredCertificateIsClassified) {
  testing::TlsServer server(certs.file("expired.pem"), certs.file("server.key"));
  Params params = httpParams("https://localhost:" + std::to_string(server.port()) + "/");
  params.set("ca_file", certs.file("ca.pem"));
  Outcome o = runHttp(params);
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "tls_expired");
}

TEST_F(HttpsProbe, TunnelsThroughAConnectProxy) {
  testing::TlsServer server(certs.file("server.pem"), certs.file("server.key"));
  ConnectProxy proxy;
  env.set("https_proxy", "http://127.0.0.1:" + std::to_string(proxy.port()));
  Params params = httpParams("https://localhost:" + std::to_string(server.port()) + "/");
  params.set("ca_file", certs.file("ca.pem"));
  Outcome o = runHttp(params);
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["proxy_variable"].toString(), "https_proxy");
  ASSERT_FALSE(proxy.requests().empty());
  EXPECT_EQ(proxy.requests()[0],
            "CONNECT localhost:" + std::to_string(server.port()) + " HTTP/1.1");
}

TEST_F(HttpsProbe, CertificateProblemsThroughTheTunnelAreClassified) {
  testing::TlsServer server(certs.file("server.pem"), certs.file("server.key"));
  ConnectProxy proxy;
  env.set("https_proxy", "http://127.0.0.1:" + std::to_string(proxy.port()));
  Outcome o = runHttp(
      httpParams("https://localhost:" + std::to_string(server.port()) + "/"));  // no ca_file
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "tls_untrusted");
  EXPECT_NE(o.message.find("not trusted: unable to get local issuer certificate"),
            std::string::npos)
      << o.message;
  EXPECT_EQ(proxy.requests().size(), 2u);  // Poco's handshake, then the diagnosis
}

TEST_F(HttpsProbe, ProxyRefusingTheTunnelIsReported) {
  ConnectProxy proxy(/*refuse=*/true);
  env.set("https_proxy", "http://127.0.0.1:" + std::to_string(proxy.port()));
  Outcome o = runHttp(httpParams("https://pypi.example:443/simple/"));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_NE(o.message.find("the proxy refused CONNECT to pypi.example:443: 403 Forbidden"),
            std::string::npos)
      << o.message;
}

TEST(HttpStatusSpec, Matches) {
  bool m = false;
  std::string e;
  ASSERT_TRUE(statusMatches("", 302, m, e));
  EXPECT_TRUE(m);
  ASSERT_TRUE(statusMatches("", 404, m, e));
  EXPECT_FALSE(m);
  ASSERT_TRUE(statusMatches("200, 301", 301, m, e));
  EXPECT_TRUE(m);
  ASSERT_TRUE(statusMatches("2XX", 204, m, e));
  EXPECT_TRUE(m);
  EXPECT_FALSE(statusMatches("200,abc", 200, m, e));
  EXPECT_FALSE(statusMatches("2000", 200, m, e));
}

}  // namespace
}  // namespace bbcheck
