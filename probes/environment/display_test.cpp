#include "probes/environment/display.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cstdlib>
#include <cstring>
#include <fstream>

#include "tests/in_child.h"
#include "tests/mount_testing.h"
#include "tests/scoped_env.h"

namespace bbcheck {
namespace {

Outcome runDisplay() {
  return displayProbe().run(Params{}, ProbeContext{});
}

TEST(DisplayProbe, ReadsLocalDisplays) {
  EXPECT_EQ(parseDisplay(":0").socket, "/tmp/.X11-unix/X0");
  EXPECT_EQ(parseDisplay("unix:99.0").socket, "/tmp/.X11-unix/X99");
  EXPECT_FALSE(parseDisplay("remote.example:0").local);
  EXPECT_FALSE(parseDisplay("nonsense").local);
}

TEST(DisplayProbe, NoDisplayFails) {
  testing::ScopedEnv display("DISPLAY", std::nullopt);
  Outcome o = runDisplay();
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_NE(o.message.find("DISPLAY is not set"), std::string::npos);
}

// In a private /tmp/.X11-unix, a display :77 that listens (or not).
testing::ChildOutcome withDisplaySocket(bool listening) {
  return testing::runInChild([listening] {
    testing::enterPrivateMountNamespace();
    testing::mountTmpfs("/tmp");  // private: the real /tmp/.X11-unix is left alone
    ::mkdir("/tmp/.X11-unix", 01777);
    ::setenv("DISPLAY", ":77", 1);
    if (listening) {
      int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
      sockaddr_un address{};
      address.sun_family = AF_UNIX;
      std::strcpy(address.sun_path, "/tmp/.X11-unix/X77");
      if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
          ::listen(fd, 1) != 0)
        throw std::runtime_error("could not listen on X77");
    }
    return runDisplay();
  });
}

TEST(DisplayProbe, ListeningDisplayPasses) {
  auto r = withDisplaySocket(true);
  ASSERT_EQ(r.failure, "");
  EXPECT_EQ(r.outcome.status, Status::Pass) << r.outcome.message;
}

TEST(DisplayProbe, DisplayWithNoServerFails) {
  auto r = withDisplaySocket(false);
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("cannot connect to /tmp/.X11-unix/X77"), std::string::npos)
      << r.outcome.message;
}

// The worker's DISPLAY is read from how it starts (here root's crontab, in
// a private spool), not bbcheck's own: bbcheck's :77 has no server, the
// worker's :88 does; and without a DISPLAY line the fix is a display that
// outlives the worker's start, never xvfb-run around `buildbot-worker start`.
testing::ChildOutcome workerDisplay(const std::string& crontabLines) {
  return testing::runInChild([crontabLines] {
    testing::enterPrivateMountNamespace();
    testing::mountTmpfs("/tmp");
    testing::mountTmpfs("/var/spool/cron/crontabs", "mode=1730");
    ::mkdir("/tmp/.X11-unix", 01777);
    ::mkdir("/tmp/area", 0755);
    ::setenv("DISPLAY", ":77", 1);  // bbcheck's own: nothing listens there
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strcpy(address.sun_path, "/tmp/.X11-unix/X88");
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd, 1) != 0)
      throw std::runtime_error("could not listen on X88");
    std::ofstream("/tmp/tab") << crontabLines << "@reboot buildbot-worker restart /tmp/area\n";
    if (std::system("crontab /tmp/tab") != 0) throw std::runtime_error("crontab failed");
    Params params;
    params.set("path", std::string("/tmp/area"));
    params.set("user", std::string(""));
    return displayProbe().run(params,
                              ProbeContext{Milliseconds(5000), Clock::now() + Milliseconds(5000)});
  });
}

TEST(DisplayProbe, TheWorkersDisplayIsReadNotBbchecksOwn) {
  auto r = workerDisplay("DISPLAY=:88\n");
  ASSERT_EQ(r.failure, "");
  EXPECT_EQ(r.outcome.status, Status::Pass) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("DISPLAY=:88 (the worker's"), std::string::npos)
      << r.outcome.message;
}

TEST(DisplayProbe, NoDisplayForTheWorkerGetsADisplayThatOutlivesItsStart) {
  auto r = workerDisplay("");
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("not set in the worker's environment (cron"), std::string::npos)
      << r.outcome.message;
  const std::string& fix = r.outcome.fix;
  EXPECT_NE(fix.find("`@reboot Xvfb :99 -nolisten tcp &`"), std::string::npos) << fix;
  EXPECT_NE(fix.find("`DISPLAY=:99`"), std::string::npos) << fix;
  EXPECT_EQ(fix.find("start the worker under `xvfb-run"), std::string::npos) << fix;
}

}  // namespace
}  // namespace bbcheck
