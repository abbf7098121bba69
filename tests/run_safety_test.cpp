// A run ends cleanly whatever stops it: SIGINT (once or twice), SIGTERM and
// SIGHUP all kill the programs probes started (a slow tool and a compiler
// that records their PIDs), leave no scratch directory, write complete
// reports with the unfinished checks `skip: interrupted`, and exit
// 128+signal. And a run whose user may start no more threads (RLIMIT_NPROC)
// still completes, each check that could not start being its own `error`.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "tests/buildbot_fixture.h"
#include "tests/test_support.h"

namespace bbcheck::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::vector<int> pidsIn(const std::string& dir) {
  std::vector<int> pids;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".pid")
      pids.push_back(std::atoi(readFile(entry.path()).c_str()));
  return pids;
}

// bbcheck started in the background with its own scratch directory
// (BBCHECK_SCRATCH_DIR), stdout in a file.
struct Background {
  pid_t pid = -1;
  ~Background() {
    if (pid > 0 && ::waitpid(pid, nullptr, WNOHANG) == 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
  void start(const std::vector<std::string>& args, const std::string& scratch,
             const std::string& out) {
    pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::setenv("BBCHECK_SCRATCH_DIR", scratch.c_str(), 1);
      ::setenv("NO_COLOR", "1", 1);
      std::freopen(out.c_str(), "w", stdout);
      std::vector<char*> argv;
      std::string binary = bbcheckBinary();
      argv.push_back(binary.data());
      std::vector<std::string> copies(args);
      for (auto& a : copies) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
  }
  // The exit code, 128+signal if it died of one, -1 if it did not end in time.
  int wait(std::chrono::seconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (std::chrono::steady_clock::now() < until) {
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(10ms);
    }
    return -1;
  }
};

class Signals : public ::testing::TestWithParam<std::vector<int>> {
 protected:
  void SetUp() override {
    pids_ = dir_.path() + "/pids";
    scratch_ = dir_.path() + "/tmp";
    fs::create_directories(pids_);
    fs::create_directories(scratch_);
    // A slow tool that starts a grandchild, and a compiler that takes its time.
    std::string tool = dir_.write("slowtool", "#!/bin/sh\necho $$ > " + pids_ +
                                                  "/tool.pid\nsleep 60 &\necho $! > " + pids_ +
                                                  "/grandchild.pid\nwait\n");
    std::string cc = dir_.write(
        "slowcc", "#!/bin/sh\necho $$ > " + pids_ + "/cc.pid\nsleep 60\nexec gcc \"$@\"\n");
    ::chmod(tool.c_str(), 0755);
    ::chmod(cc.c_str(), 0755);
    profile_ = dir_.write("slow.yaml",
                          "format: 1\n"
                          "name: slow\n"
                          "defaults: { timeout: 50s }\n"
                          "checks:\n"
                          "  - id: quick.cpus\n"
                          "    title: CPUs\n"
                          "    probe: cpu\n"
                          "    with: { min: 1 }\n"
                          "  - id: slow.tool\n"
                          "    title: A slow tool\n"
                          "    probe: command\n"
                          "    with: { min_version: \"1\", name: \"" +
                              tool +
                              "\" }\n"
                              "  - id: slow.link\n"
                              "    title: A slow compile and link\n"
                              "    probe: library\n"
                              "    with: { name: m, compiler: \"" +
                              cc + "\" }\n");
  }

  // Waits until the tool, its grandchild and the compiler have written their PIDs.
  bool childrenStarted() {
    for (int i = 0; i < 3000; ++i) {
      if (pidsIn(pids_).size() == 3) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  TempDir dir_;
  std::string pids_, scratch_, profile_;
};

TEST_P(Signals, KillChildrenRemoveScratchWriteReportsAndExit128PlusSignal) {
  std::vector<int> signals = GetParam();
  std::string json = dir_.path() + "/report.json";
  std::string junit = dir_.path() + "/report.xml";
  Background run;
  run.start({"-p", profile_, "--format", "tap", "--report", "json:" + json, "--report",
             "junit:" + junit, "--deadline", "55s"},
            scratch_, dir_.path() + "/stdout");
  ASSERT_TRUE(childrenStarted()) << readFile(dir_.path() + "/stdout");
  ASSERT_FALSE(fs::is_empty(scratch_)) << "the compile's scratch directory should exist by now";
  for (int sig : signals) {
    ::kill(run.pid, sig);
    std::this_thread::sleep_for(20ms);
  }
  auto sent = std::chrono::steady_clock::now();
  int code = run.wait(20s);
  auto took = std::chrono::steady_clock::now() - sent;
  EXPECT_EQ(code, 128 + signals.front());
  EXPECT_LT(took, 10s);  // generous: it should take about a second at most
  for (int pid : pidsIn(pids_)) {
    for (int i = 0; i < 500 && processAlive(pid); ++i) std::this_thread::sleep_for(10ms);
    EXPECT_FALSE(processAlive(pid)) << "child " << pid << " outlived bbcheck";
  }
  EXPECT_TRUE(fs::is_empty(scratch_)) << "scratch left in " << scratch_;

  std::string report = readFile(json);
  EXPECT_EQ(schemaErrors(report), "") << report;
  auto root = Poco::JSON::Parser().parse(report).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(root->getValue<std::string>("verdict"), "interrupted");
  // The report says which signal stopped the run, and show exits as run did.
  std::map<int, std::string> names = {{SIGINT, "SIGINT"}, {SIGTERM, "SIGTERM"}, {SIGHUP, "SIGHUP"}};
  EXPECT_EQ(root->optValue<std::string>("interrupted_by", ""), names[signals.front()]);
  EXPECT_EQ(runBbcheck({"show", "--quiet", json}).exit_code, 128 + signals.front());
  auto checks = root->getArray("checks");
  ASSERT_EQ(checks->size(), 3u);
  EXPECT_EQ(checks->getObject(0)->getValue<std::string>("status"), "pass");
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(checks->getObject(i)->getValue<std::string>("status"), "skip") << report;
    EXPECT_EQ(checks->getObject(i)->getValue<std::string>("message"), "interrupted") << report;
  }
  CommandResult lint = runCommand("xmllint", {"--noout", junit});
  EXPECT_EQ(lint.exit_code, 0) << lint.err;
  std::string tap = readFile(dir_.path() + "/stdout");
  EXPECT_NE(tap.find("1..3"), std::string::npos) << tap;
  EXPECT_NE(tap.find("# verdict: interrupted"), std::string::npos) << tap;
}

INSTANTIATE_TEST_SUITE_P(EachWay, Signals,
                         ::testing::Values(std::vector<int>{SIGINT}, std::vector<int>{SIGTERM},
                                           std::vector<int>{SIGHUP},
                                           std::vector<int>{SIGINT, SIGINT}));

// RLIMIT_NPROC binds a non-root user only, and counts every process and
// thread of that uid: an unused uid (from this test's PID) starts at zero.
CommandResult runWithProcessLimit(int limit, const std::string& profile, const std::string& json) {
  std::string uid = std::to_string(200000 + ::getpid());
  std::string nproc = std::to_string(limit);
  return runCommand("setpriv", {"--reuid=" + uid, "--regid=" + uid, "--clear-groups", "prlimit",
                                "--nproc=" + nproc + ":" + nproc, bbcheckBinary(), "-p", profile,
                                "--format", "text", "--no-color", "--report", "json:" + json});
}

TEST(ThreadLimit, ChecksThatCannotStartAreErrorsAndTheRunCompletes) {
  TempDir dir;
  ::chmod(dir.path().c_str(), 0777);
  std::string profile =
      dir.write("p.yaml",
                "format: 1\n"
                "name: threads\n"
                "checks:\n"
                "  - { id: a.one, title: One, probe: cpu, with: { min: 1 } }\n"
                "  - { id: a.two, title: Two, probe: cpu, with: { min: 1 } }\n"
                "  - { id: a.three, title: Three, probe: cpu, with: { min: 1 } }\n");
  ::chmod(profile.c_str(), 0644);
  // Control: a limit that leaves room.
  std::string fitJson = dir.path() + "/fit.json";
  CommandResult fit = runWithProcessLimit(64, profile, fitJson);
  EXPECT_EQ(fit.exit_code, 0) << fit.out << fit.err;
  EXPECT_EQ(schemaErrors(readFile(fitJson)), "");
  // Only the main thread: no probe thread can start.
  std::string json = dir.path() + "/r.json";
  CommandResult starved = runWithProcessLimit(1, profile, json);
  EXPECT_EQ(starved.exit_code, 1) << starved.out << starved.err;
  EXPECT_NE(starved.out.find("could not start"), std::string::npos) << starved.out;
  std::string report = readFile(json);
  EXPECT_EQ(schemaErrors(report), "") << report;
  auto root = Poco::JSON::Parser().parse(report).extract<Poco::JSON::Object::Ptr>();
  auto checks = root->getArray("checks");
  ASSERT_EQ(checks->size(), 3u);
  for (size_t i = 0; i < 3; ++i)
    EXPECT_EQ(checks->getObject(i)->getValue<std::string>("status"), "error") << report;
}

}  // namespace
}  // namespace bbcheck::testing
