#include "probes/network/buildmaster.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "probes/process.h"
#include "probes/text.h"
#include "tests/buildbot_fixture.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::LoopbackServer;
using testing::TempDir;

const std::string kBanner(kPbBanner, sizeof kPbBanner);

Outcome runProbe(const std::string& address, const std::string& buildarea = "",
                 Milliseconds timeout = Milliseconds(3000)) {
  Params params;
  params.set("address", address);
  params.set("buildarea", buildarea);
  ProbeContext ctx;
  ctx.timeout = timeout;
  ctx.deadline = Clock::now() + timeout;
  return buildmasterProbe().run(params, ctx);
}

std::string loopback(int port) {
  return "127.0.0.1:" + std::to_string(port);
}

// A real buildmaster from Debian's buildbot package.
class BuildmasterProbe : public testing::BuildbotTest {};

TEST_F(BuildmasterProbe, RealMastersPbPortPasses) {
  Outcome o = runProbe(master().address());
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_TRUE(contains(o.message, master().address() + " speaks Perspective Broker")) << o.message;
  EXPECT_EQ(o.observed["received_hex"].toString(), "02 80 02 82 70 62 04 82 6e 6f 6e 65");
  EXPECT_EQ(o.observed["address_source"].toString(), "parameter");
}

TEST_F(BuildmasterProbe, AddressFromTheBuildAreasTac) {
  Outcome o = runProbe("", worker().area());
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["address_source"].toString(), "buildbot.tac");
  EXPECT_EQ(o.observed["address"].toString(), master().address());
  std::string all = o.message + o.observed.toString() + o.expected.toString();
  EXPECT_FALSE(contains(all, testing::kTestWorkerPassword)) << all;
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

// Runs the probe in a forked child inside a new network namespace (lo down,
// so nothing leaves it), after `setup` commands run there; returns
// "status|message".
std::string runInFreshNetns(const std::vector<std::vector<std::string>>& setup,
                            const std::string& address, Milliseconds timeout) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    std::string result;
    if (::unshare(CLONE_NEWNET) != 0) {
      result = std::string("unshare(CLONE_NEWNET) failed (run as root): ") + std::strerror(errno);
    } else {
      for (const auto& command : setup) {
        ProcessResult r = runProcess(command[0], {command.begin() + 1, command.end()},
                                     Clock::now() + std::chrono::seconds(10));
        if (r.exit_code != 0) result += command[0] + " failed: " + r.err + r.start_error;
      }
      if (result.empty()) {
        Outcome o = runProbe(address, "", timeout);
        result = std::string(statusName(o.status)) + "|" + o.message;
      }
    }
    ssize_t ignored = ::write(fds[1], result.data(), result.size());
    (void)ignored;
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buffer[512];
  ssize_t n;
  while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0) out.append(buffer, n);
  ::close(fds[0]);
  ::waitpid(child, nullptr, 0);
  return out;
}

TEST(BuildmasterProbeNetns, NoRouteIsUnreachable) {
  std::string r = runInFreshNetns({}, "127.0.0.1:9020", Milliseconds(1000));
  EXPECT_EQ(r,
            "fail|cannot reach the buildmaster at 127.0.0.1:9020: network unreachable for "
            "127.0.0.1:9020 (no route)");
}

TEST(BuildmasterProbeNetns, DroppedSynTimesOut) {
  auto start = Clock::now();
  std::string r =
      runInFreshNetns({{"ip", "link", "set", "lo", "up"},
                       {"iptables", "-A", "INPUT", "-p", "tcp", "--dport", "9020", "-j", "DROP"}},
                      "127.0.0.1:9020", Milliseconds(500));
  auto took = std::chrono::duration_cast<Milliseconds>(Clock::now() - start);
  EXPECT_TRUE(contains(r,
                       "fail|cannot reach the buildmaster at 127.0.0.1:9020: no answer from "
                       "127.0.0.1:9020 within "))
      << r << " (needs iproute2 and iptables)";
  EXPECT_LT(took.count(), 5000);  // 500 ms plus the namespace set-up, generously
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

// The tac is the truth at the worker stage: the worker connects to the
// master its buildbot.tac names, so that one is tried, whatever the
// profile's master var says; and the difference is said.
TEST_F(BuildmasterProbe, TheTacsMasterIsTriedAndADifferentProfileMasterIsSaid) {
  std::string wrong = loopback(testing::closedLoopbackPort());
  Outcome o = runProbe(wrong, worker().area());
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["address"].toString(), master().address());
  EXPECT_EQ(o.observed["address_source"].toString(), "buildbot.tac");
  EXPECT_EQ(o.observed["profile_master"].toString(), wrong);
  EXPECT_TRUE(contains(o.message, "the master in " + worker().area() + "/buildbot.tac is " +
                                      master().address() + ", not the profile's master " + wrong))
      << o.message;

  // The same master written the same way: nothing to say.
  o = runProbe(master().address(), worker().area());
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_FALSE(contains(o.message, "not the profile's master")) << o.message;
}

TEST_F(BuildmasterProbe, ATypoInTheTacIsCaughtEvenWhenTheProfilesMasterIsRight) {
  TempDir dir;
  std::string area = dir.path() + "/area";
  int closed = testing::closedLoopbackPort();
  testing::createWorkerArea(area, loopback(closed));  // the port mistyped
  Outcome o = runProbe(master().address(), area);
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["address"].toString(), loopback(closed));
  EXPECT_TRUE(contains(o.message, "cannot reach the buildmaster at " + loopback(closed)))
      << o.message;
  EXPECT_TRUE(contains(o.message, "not the profile's master " + master().address())) << o.message;
  // The fix corrects the tac (where the worker reads its master), not --set master.
  EXPECT_TRUE(contains(o.fix, "correct buildmaster_host and port in " + area + "/buildbot.tac"))
      << o.fix;
  EXPECT_FALSE(contains(o.fix, "--set master")) << o.fix;
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
