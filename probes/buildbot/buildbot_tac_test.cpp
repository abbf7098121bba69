#include "probes/buildbot/buildbot_tac.h"

#include <gtest/gtest.h>

#include "tests/buildbot_fixture.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::kTestWorkerPassword;
using testing::TempDir;

std::string observedText(const BuildbotTac& tac) {
  return Poco::Dynamic::Var(tacObserved(tac)).toString();
}

// What Debian's buildbot-worker 3.7 really writes.
TEST(BuildbotTac, ReadsTheFileCreateWorkerWrites) {
  TempDir dir;
  std::string area = dir.path() + "/area";
  testing::createWorkerArea(area, "buildbot-api.python.org:9020", "owner-debian-x86",
                            kTestWorkerPassword);
  std::string error;
  std::optional<BuildbotTac> tac = readBuildbotTac(area + "/buildbot.tac", &error);
  ASSERT_TRUE(tac) << error;
  EXPECT_TRUE(tac->is_worker);
  EXPECT_EQ(tac->basedir, area);
  EXPECT_EQ(tac->master_host, "buildbot-api.python.org");
  EXPECT_EQ(tac->port, 9020);
  EXPECT_EQ(tac->workername, "owner-debian-x86");
  EXPECT_TRUE(tac->has_password);
  EXPECT_EQ(tac->keepalive, 600);  // create-worker's default; the devguide asks for 60
  EXPECT_EQ(tac->delete_leftover_dirs, false);
  EXPECT_EQ(tac->use_tls, false);
  EXPECT_EQ(tac->maxdelay, 300);
  EXPECT_FALSE(tac->umask);  // None
  EXPECT_EQ(tac->protocol, "pb");
  EXPECT_TRUE(tac->computed.empty());
  MasterEndpoint ep = masterEndpoint(*tac);
  EXPECT_EQ(joinHostPort(ep.host, ep.port), "buildbot-api.python.org:9020");
  EXPECT_EQ(observedText(*tac).find(kTestWorkerPassword), std::string::npos) << observedText(*tac);
}

TEST(BuildbotTac, ReadsCreateWorkerOptions) {
  TempDir dir;
  std::string area = dir.path() + "/area";
  testing::createWorkerArea(
      area, "[::1]:9021", "w", "p'q\"r\\s",
      {"-r", "--keepalive=60", "--delete-leftover-dirs", "--umask=0o22", "--use-tls"});
  std::string error;
  std::optional<BuildbotTac> tac = readBuildbotTac(area + "/buildbot.tac", &error);
  ASSERT_TRUE(tac) << error;
  EXPECT_EQ(tac->basedir, ".");  // relocatable
  EXPECT_EQ(tac->master_host, "::1");
  EXPECT_EQ(tac->port, 9021);
  EXPECT_EQ(tac->keepalive, 60);
  EXPECT_EQ(tac->delete_leftover_dirs, true);
  EXPECT_EQ(tac->umask, 022);
  EXPECT_EQ(tac->use_tls, true);
  EXPECT_TRUE(tac->has_password);
  EXPECT_EQ(joinHostPort(masterEndpoint(*tac).host, masterEndpoint(*tac).port), "[::1]:9021");
}

// Newer buildbot-worker (3.10+) writes a connection string instead.
TEST(BuildbotTac, ReadsAConnectionString) {
  BuildbotTac tac = parseBuildbotTac(
      "from buildbot_worker.bot import Worker\n"
      "buildmaster_host = None  # 'old.example'\n"
      "port = None  # 9020\n"
      "connection_string = 'TLS:buildbot-api.python.org:9020'\n"
      "workername = 'w'\n"
      "passwd = 'x'\n");
  EXPECT_EQ(tac.master_host, "");
  EXPECT_FALSE(tac.port);
  EXPECT_EQ(tac.connection_string, "TLS:buildbot-api.python.org:9020");
  MasterEndpoint ep = masterEndpoint(tac);
  EXPECT_EQ(ep.host, "buildbot-api.python.org");
  EXPECT_EQ(ep.port, 9020);
  EXPECT_EQ(ep.source, "connection_string");

  tac.connection_string = "tcp:host=\\:\\:1:port=9989:timeout=5";
  ep = masterEndpoint(tac);
  EXPECT_EQ(joinHostPort(ep.host, ep.port), "[::1]:9989");
  tac.connection_string = "unix:/run/master.sock";
  EXPECT_EQ(masterEndpoint(tac).host, "");
}

TEST(BuildbotTac, LastTopLevelAssignmentWinsAndBlocksAreIgnored) {
  BuildbotTac tac = parseBuildbotTac(
      "keepalive = 600\n"
      "if False:\n"
      "    keepalive = 1\n"
      "doc = '''\n"
      "keepalive = 2\n"
      "'''\n"
      "keepalive = 60  # devguide\n"
      "keepalive == 3\n");
  EXPECT_EQ(tac.keepalive, 60);
  EXPECT_FALSE(tac.is_worker);
}

TEST(BuildbotTac, ExpressionsAreComputedNotGuessed) {
  BuildbotTac tac = parseBuildbotTac(
      "workername = open('/worker-name').read().strip()\n"
      "passwd = PASSWORDS[workername]\n"
      "keepalive = 6 * 10\n");
  EXPECT_EQ(tac.workername, "");
  EXPECT_TRUE(isComputed(tac, "workername"));
  EXPECT_TRUE(tac.has_password);
  EXPECT_FALSE(tac.keepalive);
  EXPECT_TRUE(isComputed(tac, "keepalive"));
  EXPECT_EQ(tacObserved(tac)["workername"].toString(), "(computed)");
}

TEST(BuildbotTac, PythonLiterals) {
  auto text = [](const char* s) { return parsePythonLiteral(s).value_or(TacValue{}).text; };
  EXPECT_EQ(text(R"('a\'b\\c\x41\u00e9')"), "a'b\\cA\xC3\xA9");
  EXPECT_EQ(text(R"(r'a\n')"), "a\\n");
  EXPECT_EQ(text(R"("x" 'y')"), "xy");
  EXPECT_EQ(text(R"('''z''')"), "z");
  EXPECT_EQ(parsePythonLiteral("0o22")->number, 18);
  EXPECT_EQ(parsePythonLiteral("1_000")->number, 1000);
  EXPECT_EQ(parsePythonLiteral("True")->kind, TacValue::Kind::Bool);
  EXPECT_EQ(parsePythonLiteral("None # x")->kind, TacValue::Kind::None);
  EXPECT_FALSE(parsePythonLiteral("022"));  // a syntax error in Python 3
  EXPECT_FALSE(parsePythonLiteral("'a' + b"));
  EXPECT_FALSE(parsePythonLiteral("'unterminated"));
  EXPECT_FALSE(parsePythonLiteral("os.getcwd()"));
}

TEST(BuildbotTac, EmptyPasswordIsNoPassword) {
  EXPECT_FALSE(parseBuildbotTac("passwd = ''\n").has_password);
  EXPECT_FALSE(parseBuildbotTac("passwd = None\n").has_password);
  EXPECT_TRUE(parseBuildbotTac("passwd = 'x'\n").has_password);
}

TEST(BuildbotTac, UnreadableFileSaysWhy) {
  std::string error;
  EXPECT_FALSE(readBuildbotTac("/nonexistent/buildbot.tac", &error));
  EXPECT_EQ(error, "cannot read /nonexistent/buildbot.tac: No such file or directory");
}

}  // namespace
}  // namespace bbcheck
