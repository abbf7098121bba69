// The worker-rehearsal probe on real unfit hosts beside fit controls built
// the same way: a noexec build area, a path the worker's user cannot walk,
// a noexec temporary directory, a TMPDIR that does not exist, a variable
// that breaks Python. Each ground truth is confirmed first, as the worker's
// user, before the check is judged.
#include "probes/worker/rehearsal.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <functional>

#include "probes/worker/buildarea.h"
#include "tests/in_child.h"
#include "tests/mount_testing.h"
#include "tests/test_support.h"
#include "tests/throwaway_user.h"

namespace bbcheck {
namespace {

namespace fs = std::filesystem;
using testing::ThrowawayUser;

// Runs `body` as `user` in a forked child; its result (0 or an errno) is
// the child's exit status.
int asUser(const ThrowawayUser& user, const std::function<int()>& body) {
  pid_t pid = ::fork();
  if (pid == 0) {
    try {
      user.become();
      ::_exit(body());
    } catch (...) {
      ::_exit(250);
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 251;
}

// Writes an executable ./configure-like script in `dir` and execs it, as
// CPython's build does: 0 when it ran, else the errno of execve.
int runScriptIn(const std::string& dir) {
  std::string script = dir + "/configure";
  {
    std::ofstream out(script);
    out << "#!/bin/sh\nexit 0\n";
  }
  if (::chmod(script.c_str(), 0755) != 0) return errno;
  pid_t pid = ::fork();
  if (pid == 0) {
    char* argv[] = {script.data(), nullptr};
    ::execv(script.c_str(), argv);
    ::_exit(200 + (errno & 31));
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::unlink(script.c_str());
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 255;
  return code == 0 ? 0 : code >= 200 ? code - 200 : 255;
}

int cdInto(const std::string& dir) {
  return ::chdir(dir.c_str()) == 0 ? 0 : errno;
}

void makeAreaFiles(const std::string& area, const ThrowawayUser& user) {
  fs::create_directories(area + "/info");
  std::ofstream(area + "/buildbot.tac") << "# a worker's tac\n";
  std::ofstream(area + "/info/admin") << "Jane <jane at example dot org>\n";
  std::ofstream(area + "/info/host") << "Debian\n";
  for (const std::string& p :
       {area, area + "/info", area + "/buildbot.tac", area + "/info/admin", area + "/info/host"}) {
    if (::chown(p.c_str(), user.uid(), user.gid()) != 0) throw std::runtime_error("chown " + p);
  }
  ::chmod((area + "/buildbot.tac").c_str(), 0600);
}

// What is in `dir` (names only), to show nothing was left behind.
std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

Outcome rehearse(const std::string& area, const std::string& act, const std::string& user,
                 ServiceEnvironmentLookup lookup = nullptr, int seconds = 60) {
  Params params;
  params.set("path", area);
  params.set("act", act);
  params.set("user", user);
  ProbeContext ctx;
  ctx.timeout = Milliseconds(seconds * 1000);
  ctx.deadline = Clock::now() + ctx.timeout;
  return workerRehearsalProbe(std::move(lookup)).run(params, ctx);
}

Outcome buildarea(const std::string& area, const std::string& aspect, const std::string& user) {
  Params params;
  params.set("path", area);
  params.set("aspect", aspect);
  params.set("user", user);
  params.set("keepalive", int64_t{60});
  ProbeContext ctx;
  ctx.timeout = Milliseconds(30000);
  ctx.deadline = Clock::now() + ctx.timeout;
  return buildareaProbe().run(params, ctx);
}

// The worker's session with extra variables (as its crontab would set them).
ServiceEnvironmentLookup withVariables(std::map<std::string, std::string> extra) {
  return [extra](const std::string&, const std::string& user, Clock::time_point) {
    ServiceEnvironment env = plainSession(*accountByName(user));
    env.source = "crontab of " + user;
    for (const auto& [k, v] : extra) env.env[k] = v;
    return env;
  };
}

class WorkerRehearsal : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = std::make_unique<ThrowawayUser>(testing::workerAccount("bbr"));
    area_ = user_->home() + "/buildarea";
  }
  std::unique_ptr<ThrowawayUser> user_;
  std::string area_;
};

// A build area on a tmpfs mounted with or without noexec, in a private mount
// namespace: ground truth (a ./configure script really cannot run there as
// the user), then the build act.
testing::ChildOutcome buildOnTmpfs(const ThrowawayUser& user, const std::string& area,
                                   unsigned long flags) {
  return testing::runInChild(
      [&] {
        testing::enterPrivateMountNamespace();
        fs::create_directories(area);
        testing::mountTmpfs(area, fmt::format("mode=0755,uid={},gid={}", user.uid(), user.gid()),
                            flags);
        makeAreaFiles(area, user);
        int errnoSeen = asUser(user, [&] { return runScriptIn(area); });
        Outcome o = rehearse(area, "build", user.name());
        Object extra;
        extra["truth"] = errnoSeen;
        extra["left"] = static_cast<int64_t>(entries(area).size());
        o.observed = extra;
        return o;
      },
      120);
}

TEST_F(WorkerRehearsal, NoexecBuildAreaFailsNamingTheMount) {
  testing::ChildOutcome bad = buildOnTmpfs(*user_, area_, MS_NOEXEC);
  ASSERT_EQ(bad.failure, "");
  Object seen = bad.outcome.observed.extract<Object>();
  ASSERT_EQ(seen["truth"].convert<int>(), EACCES) << "a script in a noexec area must not run";
  EXPECT_EQ(bad.outcome.status, Status::Fail) << bad.outcome.message;
  EXPECT_NE(bad.outcome.message.find("noexec"), std::string::npos) << bad.outcome.message;
  EXPECT_NE(bad.outcome.message.find("mount at " + area_), std::string::npos)
      << bad.outcome.message;
  EXPECT_EQ(seen["left"].convert<int>(), 2) << "only buildbot.tac and info/ are left";

  testing::ChildOutcome fit = buildOnTmpfs(*user_, area_, 0);
  ASSERT_EQ(fit.failure, "");
  Object fitSeen = fit.outcome.observed.extract<Object>();
  ASSERT_EQ(fitSeen["truth"].convert<int>(), 0) << "a script in an exec tmpfs area runs";
  EXPECT_EQ(fit.outcome.status, Status::Pass) << fit.outcome.message;
  EXPECT_EQ(fitSeen["left"].convert<int>(), 2);
}

TEST_F(WorkerRehearsal, UnwalkablePathFailsNamingTheDirectory) {
  ThrowawayUser other;
  testing::TempDir top;
  ::chmod(top.path().c_str(), 0755);
  std::string parent = top.path() + "/private";
  std::string area = parent + "/buildarea";
  fs::create_directories(area);
  makeAreaFiles(area, *user_);
  ASSERT_EQ(::chown(parent.c_str(), other.uid(), other.gid()), 0);

  for (mode_t mode : {0755, 0700}) {
    SCOPED_TRACE(fmt::format("parent mode {:04o}", mode));
    ::chmod(parent.c_str(), mode);
    bool fit = mode == 0755;
    ASSERT_EQ(asUser(*user_, [&] { return cdInto(area); }), fit ? 0 : EACCES);
    Outcome walk = rehearse(area, "area", user_->name());
    Outcome tac = buildarea(area, "tac", user_->name());
    Outcome owned = buildarea(area, "ownership", user_->name());
    if (fit) {
      EXPECT_EQ(walk.status, Status::Pass) << walk.message;
      EXPECT_EQ(owned.status, Status::Pass) << owned.message;
      EXPECT_EQ(tac.message.find("cannot read"), std::string::npos) << tac.message;
    } else {
      for (const Outcome* o : {&walk, &tac, &owned}) {
        EXPECT_EQ(o->status, Status::Fail) << o->message;
        EXPECT_NE(o->message.find(parent + " (mode 0700, owner " + other.name()), std::string::npos)
            << o->message;
      }
    }
    EXPECT_EQ(entries(area), (std::vector<std::string>{"buildbot.tac", "info"}));
  }
}

TEST_F(WorkerRehearsal, SymlinkedPathTheUserCanWalkPasses) {
  testing::TempDir top;
  ::chmod(top.path().c_str(), 0755);
  std::string real = top.path() + "/real";
  fs::create_directories(real);
  ::chmod(real.c_str(), 0755);
  makeAreaFiles(real + "/area", *user_);
  fs::create_directory_symlink(real, top.path() + "/link");
  std::string area = top.path() + "/link/area";
  ASSERT_EQ(asUser(*user_, [&] { return cdInto(area); }), 0);
  Outcome walk = rehearse(area, "area", user_->name());
  EXPECT_EQ(walk.status, Status::Pass) << walk.message;
  Outcome build = rehearse(area, "build", user_->name());
  EXPECT_EQ(build.status, Status::Pass) << build.message;
  EXPECT_EQ(entries(real + "/area"), (std::vector<std::string>{"buildbot.tac", "info"}));
}

// A TMPDIR on a tmpfs with or without noexec, set in the worker's session.
testing::ChildOutcome tempOnTmpfs(const ThrowawayUser& user, const std::string& area,
                                  const std::string& tmp, unsigned long flags) {
  return testing::runInChild(
      [&] {
        testing::enterPrivateMountNamespace();
        testing::mountTmpfs(tmp, "mode=1777", flags);
        int errnoSeen = asUser(user, [&] { return runScriptIn(tmp); });
        Outcome o = rehearse(area, "tmp", user.name(), withVariables({{"TMPDIR", tmp}}));
        Object extra;
        extra["truth"] = errnoSeen;
        extra["left"] = static_cast<int64_t>(entries(tmp).size());
        extra["message"] = o.message;
        o.observed = extra;
        return o;
      },
      120);
}

TEST_F(WorkerRehearsal, NoexecTempDirFails) {
  makeAreaFiles(area_, *user_);
  testing::TempDir tmp;
  testing::ChildOutcome bad = tempOnTmpfs(*user_, area_, tmp.path(), MS_NOEXEC);
  ASSERT_EQ(bad.failure, "");
  Object seen = bad.outcome.observed.extract<Object>();
  ASSERT_EQ(seen["truth"].convert<int>(), EACCES);
  EXPECT_EQ(bad.outcome.status, Status::Fail) << bad.outcome.message;
  EXPECT_NE(bad.outcome.message.find("noexec"), std::string::npos) << bad.outcome.message;
  EXPECT_NE(bad.outcome.message.find("test_subprocess"), std::string::npos);
  EXPECT_EQ(seen["left"].convert<int>(), 0);

  testing::ChildOutcome fit = tempOnTmpfs(*user_, area_, tmp.path(), 0);
  ASSERT_EQ(fit.failure, "");
  Object fitSeen = fit.outcome.observed.extract<Object>();
  ASSERT_EQ(fitSeen["truth"].convert<int>(), 0);
  EXPECT_EQ(fit.outcome.status, Status::Pass) << fit.outcome.message;
  EXPECT_NE(fit.outcome.message.find("TMPDIR=" + tmp.path()), std::string::npos)
      << fit.outcome.message;
  EXPECT_EQ(fitSeen["left"].convert<int>(), 0);
}

TEST_F(WorkerRehearsal, MissingTmpdirFallsBackAndPasses) {
  makeAreaFiles(area_, *user_);
  std::string missing = "/nonexistent-bbcheck-tmpdir";
  // Ground truth: Python and gcc both fall back to /tmp and work.
  testing::CommandResult py = testing::runCommand(
      "runuser", {"-u", user_->name(), "--", "env", "TMPDIR=" + missing, "/usr/bin/python3", "-c",
                  "import tempfile; print(tempfile.gettempdir())"});
  ASSERT_EQ(py.exit_code, 0) << py.err;
  EXPECT_EQ(py.out, "/tmp\n");
  testing::CommandResult gcc = testing::runCommand(
      "runuser", {"-u", user_->name(), "--", "env", "TMPDIR=" + missing, "sh", "-c",
                  "echo 'int main(void){return 0;}' | gcc -x c -o /dev/null -"});
  ASSERT_EQ(gcc.exit_code, 0) << gcc.err;

  Outcome o = rehearse(area_, "tmp", user_->name(), withVariables({{"TMPDIR", missing}}));
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_NE(o.message.find("falls back"), std::string::npos) << o.message;
  Outcome build = rehearse(area_, "build", user_->name(), withVariables({{"TMPDIR", missing}}));
  EXPECT_EQ(build.status, Status::Pass) << build.message;
}

TEST_F(WorkerRehearsal, VariableThatBreaksPythonIsNamed) {
  makeAreaFiles(area_, *user_);
  testing::CommandResult truth =
      testing::runCommand("runuser", {"-u", user_->name(), "--", "env", "PYTHONHOME=/nonexistent",
                                      "/usr/bin/python3", "-c", "pass"});
  ASSERT_NE(truth.exit_code, 0) << "PYTHONHOME=/nonexistent must break Python";
  for (const char* act : {"version", "tmp", "localhost"}) {
    SCOPED_TRACE(act);
    Outcome bad =
        rehearse(area_, act, user_->name(), withVariables({{"PYTHONHOME", "/nonexistent"}}));
    EXPECT_NE(bad.status, Status::Pass) << bad.message;
    EXPECT_NE(bad.message.find("PYTHONHOME=/nonexistent"), std::string::npos) << bad.message;
    Outcome fit = rehearse(area_, act, user_->name());
    EXPECT_EQ(fit.status, Status::Pass) << fit.message;
  }
}

}  // namespace
}  // namespace bbcheck
