// The master.pb probe against loopback servers that answer with
// Perspective Broker's banner bytes, other bytes or nothing: no root, so these
// run on every architecture (scripts/cross, big-endian s390x included).
// buildmaster_test.cpp has the real Buildbot master and the namespaces.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

#include "probes/network/buildmaster.h"
#include "probes/network/buildmaster_testing.h"
#include "probes/process.h"
#include "probes/text.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::LoopbackServer;
using testing::TempDir;

const std::string kBanner(kPbBanner, sizeof kPbBanner);

Outcome runProbe(const std::string& address, const std::string& buildarea = "",
                 Milliseconds timeout = Milliseconds(3000)) {
  return testing::runBuildmasterProbe(address, buildarea, timeout);
}

std::string loopback(int port) {
  return testing::loopbackAddress(port);
}

TEST(BuildmasterProbeLoopback, TheBannerAloneIsEnough) {
  LoopbackServer server(kBanner);
  Outcome o = runProbe(loopback(server.port()));
  EXPECT_EQ(o.status, Status::Pass) << o.message;
}

TEST(BuildmasterProbeLoopback, Ipv6LiteralInBrackets) {
  LoopbackServer server(kBanner, /*ipv6=*/true);
  Outcome o = runProbe("[::1]:" + std::to_string(server.port()));
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["connected_to"].toString(), "[::1]:" + std::to_string(server.port()));
}

TEST(BuildmasterProbeLoopback, HttpAnswerIsTheWrongProtocol) {
  LoopbackServer server("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  Outcome o = runProbe(loopback(server.port()));
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, loopback(server.port()) +
                                      " sent other bytes: 48 54 54 50 2f 31 2e 31 20 34 30 30 20 "
                                      "42 61 64 (\"HTTP/1.1 400 Bad\")"))
      << o.message;
  EXPECT_TRUE(contains(o.message, "an HTTP server")) << o.message;
  EXPECT_EQ(o.observed["received_bytes"].convert<int>(), 16);
}

TEST(BuildmasterProbeLoopback, OtherBytesAreShownInHex) {
  LoopbackServer server("SSH-2.0-OpenSSH_9.2\r\n");
  Outcome o = runProbe(loopback(server.port()));
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "an SSH server, not a buildmaster")) << o.message;

  LoopbackServer binary(std::string("\x02\x80\x02\x99zz", 6));  // differs at byte 4
  o = runProbe(loopback(binary.port()));
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "sent other bytes: 02 80 02 99 7a 7a")) << o.message;
  EXPECT_TRUE(contains(o.message, "another protocol")) << o.message;
}

TEST(BuildmasterProbeLoopback, SilentServerFailsWithinTheTimeout) {
  LoopbackServer server;  // accepts, says nothing
  auto start = Clock::now();
  Outcome o = runProbe(loopback(server.port()), "", Milliseconds(500));
  auto took = std::chrono::duration_cast<Milliseconds>(Clock::now() - start);
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "accepted but sent nothing in")) << o.message;
  EXPECT_TRUE(contains(o.message, "(not a Perspective Broker port?)")) << o.message;
  EXPECT_GE(took.count(), 400);
  EXPECT_LT(took.count(), 2500);  // the 500 ms timeout plus generous slack
}

TEST(BuildmasterProbeLoopback, TruncatedBannerIsNamed) {
  LoopbackServer server(kBanner.substr(0, 5));
  Outcome o = runProbe(loopback(server.port()), "", Milliseconds(500));
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "sent only 5 of the 12 PB banner bytes (02 80 02 82 70)"))
      << o.message;
}

TEST(BuildmasterProbeLoopback, ClosedPortIsRefused) {
  int port = testing::closedLoopbackPort();
  Outcome o = runProbe(loopback(port));
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "cannot reach the buildmaster at " + loopback(port) +
                                      ": connection refused by " + loopback(port)))
      << o.message;
  EXPECT_EQ(o.observed["cause"].toString(), "refused");
}

TEST(BuildmasterProbeLoopback, NoAddressAnywhereIsAnError) {
  Outcome o = runProbe("", "");
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_EQ(o.message, "no master address: pass --set master=HOST:PORT or create the build area");

  TempDir dir;
  o = runProbe("", dir.path() + "/area");
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_TRUE(contains(o.message,
                       "no master address: pass --set master=HOST:PORT or create the "
                       "build area (cannot read " +
                           dir.path() + "/area/buildbot.tac"))
      << o.message;
}

TEST(BuildmasterProbeLoopback, AddressFromTacWithAConnectionString) {
  LoopbackServer server(kBanner);
  TempDir dir;
  dir.write("area/buildbot.tac", fmt::format("from buildbot_worker.bot import Worker\n"
                                             "buildmaster_host = None\n"
                                             "port = None\n"
                                             "connection_string = 'tcp:host=127.0.0.1:port={}'\n",
                                             server.port()));
  Outcome o = runProbe("", dir.path() + "/area");
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["address"].toString(), loopback(server.port()));
}

TEST(BuildmasterProbeLoopback, BadAddressesAreErrors) {
  Outcome o = runProbe("::1:9020");
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_TRUE(contains(o.message, "an IPv6 address needs brackets")) << o.message;
  EXPECT_EQ(runProbe("host:99999").status, Status::Error);
}

TEST(BuildmasterProbeLoopback, SplitsAddresses) {
  std::string host, error;
  int port = 0;
  ASSERT_TRUE(splitMasterAddress("buildbot-api.python.org:9020", &host, &port, &error));
  EXPECT_EQ(host, "buildbot-api.python.org");
  EXPECT_EQ(port, 9020);
  ASSERT_TRUE(splitMasterAddress("master", &host, &port, &error));
  EXPECT_EQ(port, 9989);
  ASSERT_TRUE(splitMasterAddress("[2001:db8::1]:9020", &host, &port, &error));
  EXPECT_EQ(host, "2001:db8::1");
  EXPECT_FALSE(splitMasterAddress("master:", &host, &port, &error));
  EXPECT_FALSE(splitMasterAddress("master:x", &host, &port, &error));
  EXPECT_FALSE(splitMasterAddress("[::1", &host, &port, &error));
  EXPECT_FALSE(splitMasterAddress(":9020", &host, &port, &error));
}

TEST(BuildmasterProbeLoopback, WithoutATacTheParameterIsUsed) {
  LoopbackServer server(kBanner);
  TempDir dir;  // no buildbot.tac in it
  Outcome o = runProbe(loopback(server.port()), dir.path());
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["address_source"].toString(), "parameter");
}

}  // namespace
}  // namespace bbcheck
