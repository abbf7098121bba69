#include "probes/proxy.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace bbcheck {
namespace {

using Vars = std::vector<std::pair<const char*, std::string>>;

// Sets exactly the given proxy variables for the test; restores on exit.
class Environment {
 public:
  explicit Environment(const Vars& values) {
    for (const char* name : kNames) {
      if (const char* v = std::getenv(name)) saved_.emplace_back(name, v);
      ::unsetenv(name);
    }
    for (const auto& [name, value] : values) ::setenv(name, value.c_str(), 1);
  }
  ~Environment() {
    for (const char* name : kNames) ::unsetenv(name);
    for (const auto& [name, value] : saved_) ::setenv(name.c_str(), value.c_str(), 1);
  }

 private:
  static constexpr const char* kNames[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                           "ftp_proxy",  "FTP_PROXY",  "all_proxy",   "ALL_PROXY",
                                           "no_proxy",   "NO_PROXY"};
  std::vector<std::pair<std::string, std::string>> saved_;
};

TEST(RedactUrl, DropsCredentials) {
  EXPECT_EQ(redactUrl("http://user:secret@proxy.example:3128/"), "http://proxy.example:3128/");
  EXPECT_EQ(redactUrl("https://token@git.example/repo.git"), "https://git.example/repo.git");
  EXPECT_EQ(redactUrl("user:secret@proxy.example:3128"), "proxy.example:3128");
  // An unescaped '@' in the password: everything up to the last '@' goes.
  EXPECT_EQ(redactUrl("http://user:p@ss@proxy.example:8080"), "http://proxy.example:8080");
  EXPECT_EQ(redactUrl("http://[::1]:8080/x?q=1"), "http://[::1]:8080/x?q=REDACTED");
  // Query values may be tokens: the names stay, the values go.
  EXPECT_EQ(redactUrl("https://ci.example/hook?token=t0k3n&password=pw&flag&empty="),
            "https://ci.example/hook?token=REDACTED&password=REDACTED&flag&empty=");
  EXPECT_EQ(redactUrl("https://u:p@ci.example/a?k=v#frag"),
            "https://ci.example/a?k=REDACTED#REDACTED");
  EXPECT_EQ(redactUrl("ci.example:8080/a?secret=s;x=y"),
            "ci.example:8080/a?secret=REDACTED;x=REDACTED");
}

TEST(RedactUrl, LeavesUrlsWithoutCredentialsAlone) {
  EXPECT_EQ(redactUrl("http://proxy.example:3128"), "http://proxy.example:3128");
  EXPECT_EQ(redactUrl("https://www.python.org/"), "https://www.python.org/");
  EXPECT_EQ(redactUrl("proxy.example:3128"), "proxy.example:3128");
  // An '@' after the authority is not userinfo.
  EXPECT_EQ(redactUrl("http://host.example/a@b"), "http://host.example/a@b");
}

TEST(RedactUrl, UnparsableUrlStillLosesItsCredentials) {
  std::string out = redactUrl("http://user:secret@bad host:99999999");
  EXPECT_EQ(out.find("secret"), std::string::npos) << out;
}

TEST(ProxyEnvironment, ListsSetVariablesWithoutCredentials) {
  Environment env({{"https_proxy", "http://bob:pw@proxy.example:3128"},
                   {"NO_PROXY", "localhost,.internal"},
                   {"ALL_PROXY", "socks5://proxy.example:1080"}});
  auto proxies = proxyEnvironment();
  ASSERT_EQ(proxies.size(), 3u);
  EXPECT_EQ(proxies["https_proxy"], "http://proxy.example:3128");
  EXPECT_EQ(proxies["NO_PROXY"], "localhost,.internal");
  EXPECT_EQ(proxies["ALL_PROXY"], "socks5://proxy.example:1080");
}

TEST(ProxyFor, PicksTheSchemesVariableThenAllProxy) {
  Environment env({{"http_proxy", "http://a.example:3128"}, {"ALL_PROXY", "http://b.example"}});
  ProxyChoice http = proxyFor("http", "www.python.org", 80);
  EXPECT_TRUE(http.use);
  EXPECT_EQ(http.variable, "http_proxy");
  EXPECT_EQ(http.host, "a.example");
  EXPECT_EQ(http.port, 3128);
  ProxyChoice https = proxyFor("https", "www.python.org", 443);
  EXPECT_TRUE(https.use);
  EXPECT_EQ(https.variable, "ALL_PROXY");
  EXPECT_EQ(https.port, 1080);  // curl's default proxy port
}

TEST(ProxyFor, LowerCaseWinsAndCredentialsAreKeptApart) {
  Environment env({{"https_proxy", "http://u%40x:p%3Aw@low.example:1"},
                   {"HTTPS_PROXY", "http://up.example:2"}});
  ProxyChoice p = proxyFor("https", "pypi.org", 443);
  EXPECT_EQ(p.host, "low.example");
  EXPECT_EQ(p.username, "u@x");
  EXPECT_EQ(p.password, "p:w");
  EXPECT_EQ(p.url, "http://low.example:1");
}

TEST(ProxyFor, NoProxyBypasses) {
  Environment env({{"http_proxy", "http://proxy.example:3128"},
                   {"no_proxy", "localhost, .python.org,10.0.0.1"}});
  EXPECT_FALSE(proxyFor("http", "buildbot.python.org", 80).use);
  EXPECT_EQ(proxyFor("http", "buildbot.python.org", 80).bypass, ".python.org");
  EXPECT_FALSE(proxyFor("http", "10.0.0.1", 80).use);
  EXPECT_TRUE(proxyFor("http", "example.com", 80).use);
}

TEST(ProxyFor, UnreadableProxyUrlIsAProblemWithoutCredentials) {
  Environment env(
      {{"http_proxy", "http://u:topsecret@proxy.example:notaport"}, {"https_proxy", "http://:1"}});
  ProxyChoice bad = proxyFor("http", "example.com", 80);
  EXPECT_FALSE(bad.use);
  EXPECT_NE(bad.problem.find("cannot read the proxy URL in http_proxy"), std::string::npos)
      << bad.problem;
  EXPECT_EQ(bad.problem.find("topsecret"), std::string::npos) << bad.problem;
  EXPECT_NE(proxyFor("https", "example.com", 443).problem.find("has no host"), std::string::npos);
}

TEST(NoProxyMatch, CurlRules) {
  EXPECT_EQ(noProxyMatch("*", "anything.example", 80), "*");
  EXPECT_EQ(noProxyMatch("example.com", "example.com", 80), "example.com");
  EXPECT_EQ(noProxyMatch("example.com", "www.example.com", 80), "example.com");
  EXPECT_EQ(noProxyMatch(".example.com", "www.example.com", 80), ".example.com");
  EXPECT_EQ(noProxyMatch("example.com", "notexample.com", 80), "");
  EXPECT_EQ(noProxyMatch("EXAMPLE.com", "www.Example.COM", 80), "example.com");
  EXPECT_EQ(noProxyMatch("example.com:8080", "example.com", 8080), "example.com:8080");
  EXPECT_EQ(noProxyMatch("example.com:8080", "example.com", 80), "");
  EXPECT_EQ(noProxyMatch("::1", "[::1]", 80), "::1");
  EXPECT_EQ(noProxyMatch("", "example.com", 80), "");
}

TEST(TcpProxyNote, NamesTheVariableWithoutCredentials) {
  {
    Environment env(Vars{});
    EXPECT_EQ(tcpProxyNote(), "");
  }
  Environment env(Vars{{"http_proxy", "http://u:pw@proxy.example:3128"}});
  EXPECT_EQ(
      tcpProxyNote(),
      "http_proxy is set (http://proxy.example:3128), but plain TCP does not go through a proxy");
}

}  // namespace
}  // namespace bbcheck
