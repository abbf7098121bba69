#include "probes/system/command.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <string>

#include "probes/text.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::TempDir;

// Points PATH at one directory for the length of a test.
class PathOverride {
 public:
  explicit PathOverride(const std::string& path) {
    const char* old = std::getenv("PATH");
    had_ = old != nullptr;
    if (had_) old_ = old;
    ::setenv("PATH", path.c_str(), 1);
  }
  ~PathOverride() {
    if (had_)
      ::setenv("PATH", old_.c_str(), 1);
    else
      ::unsetenv("PATH");
  }

 private:
  bool had_ = false;
  std::string old_;
};

std::string writeScript(const TempDir& dir, const std::string& name, const std::string& body) {
  std::string path = dir.write(name, "#!/bin/sh\n" + body + "\n");
  ::chmod(path.c_str(), 0755);
  return path;
}

Params commandParams(const std::string& name, const std::string& minVersion = "") {
  Params params;
  params.set("name", name);
  params.set("version_args", std::vector<std::string>{"--version"});
  params.set("version_regex", std::string(R"((\d+(?:\.\d+)+))"));
  if (!minVersion.empty()) params.set("min_version", minVersion);
  return params;
}

Outcome runCommandProbe(const Params& params, Milliseconds timeout = Milliseconds(3000)) {
  ProbeContext ctx;
  ctx.timeout = timeout;
  ctx.deadline = Clock::now() + timeout;
  return commandProbe().run(params, ctx);
}

TEST(CompareVersions, NumericComponentWise) {
  EXPECT_GT(compareVersions("2.10", "2.9"), 0);
  EXPECT_LT(compareVersions("2.9", "2.10"), 0);
  EXPECT_EQ(compareVersions("2.39.5", "2.39.5"), 0);
  EXPECT_GT(compareVersions("2.39.5", "2.39"), 0);
  EXPECT_EQ(compareVersions("2.0", "2"), 0);
  EXPECT_EQ(compareVersions("v1.2", "1.2"), 0);
  EXPECT_EQ(compareVersions("1.02", "1.2"), 0);
  EXPECT_GT(compareVersions("10.0", "9.99.99"), 0);
  EXPECT_GT(compareVersions("20240101", "20231231"), 0);
  EXPECT_GT(compareVersions("123456789012345678901", "99999999999999999999"), 0);
}

TEST(CompareVersions, PreReleasesComeBeforeTheRelease) {
  EXPECT_LT(compareVersions("3.7.0rc1", "3.7.0"), 0);
  EXPECT_LT(compareVersions("3.7.0rc1", "3.7.0rc2"), 0);
  EXPECT_LT(compareVersions("3.7.0b1", "3.7.0rc1"), 0);
  EXPECT_LT(compareVersions("3.13.0a1", "3.13.0b1"), 0);
  EXPECT_LT(compareVersions("3.13.0a6", "3.13.0"), 0);
  EXPECT_LT(compareVersions("1.0.0-dev", "1.0.0-alpha"), 0);
  EXPECT_LT(compareVersions("2.0-beta", "2.0"), 0);
  EXPECT_GT(compareVersions("3.7.0rc1", "3.6.9"), 0);
  EXPECT_GT(compareVersions("3.7.1", "3.7.0rc1"), 0);
}

TEST(CompareVersions, OtherLettersAreLaterReleases) {
  EXPECT_GT(compareVersions("1.1.1w", "1.1.1"), 0);
  EXPECT_GT(compareVersions("1.1.1w", "1.1.1a"), 0);
  EXPECT_GT(compareVersions("9.2p1", "9.2"), 0);
  EXPECT_LT(compareVersions("9.2p1", "9.3"), 0);
  EXPECT_GT(compareVersions("2.39.5+deb12", "2.39.5"), 0);
}

TEST(ExtractVersion, FirstCaptureGroupFromTheOutput) {
  std::string re = R"((\d+(?:\.\d+)+))";
  EXPECT_EQ(extractVersion("git version 2.39.5\n", re), "2.39.5");
  EXPECT_EQ(extractVersion("gcc (Debian 12.2.0-14) 12.2.0\n", re), "12.2.0");
  EXPECT_EQ(extractVersion("no digits here", re), "");
  EXPECT_EQ(extractVersion("Python 3.7.0rc1", R"(Python (\d+\.\d+\.\d+(?:rc\d+)?))"), "3.7.0rc1");
  EXPECT_EQ(extractVersion("version 4.2", R"(\d+\.\d+)"), "4.2");  // no group: whole match
}

TEST(CommandProbe, FoundOnPath) {
  TempDir dir;
  std::string script = writeScript(dir, "fakegit", "echo 'fakegit version 2.39.5'");
  PathOverride path(dir.path());
  Outcome ok = runCommandProbe(commandParams("fakegit"));
  EXPECT_EQ(ok.status, Status::Pass) << ok.message;
  EXPECT_EQ(ok.observed["path"].toString(), script);
  EXPECT_TRUE(ok.observed["found"].convert<bool>());
  EXPECT_EQ(ok.message, "fakegit found at " + script);
}

TEST(CommandProbe, NotFoundSaysWhereItLooked) {
  TempDir dir;
  PathOverride path(dir.path());
  Params params = commandParams("git");
  params.set("hint", std::string("apt-get install git"));
  Outcome missing = runCommandProbe(params);
  EXPECT_EQ(missing.status, Status::Fail);
  EXPECT_EQ(missing.message,
            "git not found on PATH (PATH=" + dir.path() + ") (apt-get install git)");
  EXPECT_FALSE(missing.observed["found"].convert<bool>());
}

TEST(CommandProbe, OnlyALegacyNameFoundSaysUpgrade) {
  TempDir dir;
  PathOverride path(dir.path());
  std::string old = writeScript(dir, "buildslave", "echo 'buildslave version 0.8.14'");
  Params params = commandParams("buildbot-worker");
  params.set("legacy", std::vector<std::string>{"buildslave", "buildbot"});
  Outcome outcome = runCommandProbe(params);
  EXPECT_EQ(outcome.status, Status::Fail);
  EXPECT_EQ(outcome.message, "buildbot-worker not found; only the legacy buildslave at " + old +
                                 ": upgrade to buildbot-worker");
  EXPECT_EQ(outcome.observed["legacy_path"].convert<std::string>(), old);
}

TEST(CommandProbe, NewEnoughVersionPasses) {
  TempDir dir;
  writeScript(dir, "fakegit", "echo 'fakegit version 2.39.5'");
  PathOverride path(dir.path());
  Outcome ok = runCommandProbe(commandParams("fakegit", "2.9"));  // 2.39 > 2.9 as versions
  EXPECT_EQ(ok.status, Status::Pass) << ok.message;
  EXPECT_EQ(ok.observed["version"].toString(), "2.39.5");
  EXPECT_EQ(ok.expected["min_version"].toString(), "2.9");
}

TEST(CommandProbe, TooOldFailsWithBothVersions) {
  TempDir dir;
  std::string script = writeScript(dir, "fakegit", "echo 'fakegit version 2.39.5'");
  PathOverride path(dir.path());
  Outcome old = runCommandProbe(commandParams("fakegit", "2.40"));
  EXPECT_EQ(old.status, Status::Fail);
  EXPECT_EQ(old.message, "fakegit 2.39.5 at " + script + " is too old, need 2.40 or later");
}

TEST(CommandProbe, VersionOnStderrCounts) {
  TempDir dir;
  writeScript(dir, "oldjava", "echo 'openjdk version \"17.0.9\" 2023-10-17' >&2; exit 0");
  PathOverride path(dir.path());
  Params params = commandParams("oldjava", "11");
  params.set("version_args", std::vector<std::string>{"-version"});
  Outcome ok = runCommandProbe(params);
  EXPECT_EQ(ok.status, Status::Pass) << ok.message;
  EXPECT_EQ(ok.observed["version"].toString(), "17.0.9");
}

TEST(CommandProbe, UnparseableVersionIsAnErrorWithTheOutput) {
  TempDir dir;
  writeScript(dir, "odd", "echo; echo 'odd: unknown option --version'; echo 'usage: odd'; exit 2");
  PathOverride path(dir.path());
  Outcome o = runCommandProbe(commandParams("odd", "1.0"));
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_TRUE(contains(o.message, "'odd --version'")) << o.message;
  EXPECT_TRUE(contains(o.message, "exit 2; first line: odd: unknown option --version"))
      << o.message;
}

void expectTimesOut(const std::string& body) {
  TempDir dir;
  writeScript(dir, "hangs", body);
  PathOverride path(dir.path());
  auto start = Clock::now();
  Outcome o = runCommandProbe(commandParams("hangs", "1.0"), Milliseconds(300));
  auto took = std::chrono::duration_cast<Milliseconds>(Clock::now() - start);
  EXPECT_EQ(o.status, Status::Error);
  // Then how busy the host was ("; it got 0.0 s of CPU in 0.3 s; load
  // average ..."), and a fix that installs nothing.
  EXPECT_EQ(
      o.message.rfind("'hangs --version' timed out after 300 ms without printing a version; ", 0),
      0u)
      << o.message;
  EXPECT_NE(o.fix.find("--timeout"), std::string::npos) << o.fix;
  EXPECT_LT(took.count(), 300 + 2000) << "the deadline was not honoured";
}

TEST(CommandProbe, HangingVersionCommandTimesOut) {
  expectTimesOut("exec /bin/sleep 30");
}

// The script's own child keeps the output pipes open after the script is
// killed: the probe must still return at its deadline.
TEST(CommandProbe, HangingGrandchildDoesNotHoldTheProbe) {
  expectTimesOut("echo starting; /bin/sleep 3");
}

TEST(CommandProbe, VersionPrintedBeforeHangingCounts) {
  TempDir dir;
  writeScript(dir, "slow", "echo 'slow 1.2.3'; exec /bin/sleep 30");
  PathOverride path(dir.path());
  Outcome o = runCommandProbe(commandParams("slow", "1.2"), Milliseconds(300));
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["version"].toString(), "1.2.3");
}

// std::regex recursed once per character: 40 KB of version-like output
// overflowed the stack. RE2 reads it in linear time.
TEST(CommandProbe, FortyKilobyteVersionOutputIsReadNotACrash) {
  TempDir dir;
  std::string dots;
  for (int i = 0; i < 20000; ++i) dots += "1.";
  writeScript(dir, "verbose", "printf '" + dots + "1\\n'");
  PathOverride path(dir.path());
  Params params = commandParams("verbose", "1.0");
  params.set("version_regex", std::string(R"((\d+(?:\.\d+)+))"));  // the default
  Outcome o = runCommandProbe(params);
  EXPECT_EQ(o.status, Status::Pass) << o.message.substr(0, 300);
  EXPECT_EQ(o.observed["version"].toString().size(), dots.size() + 1);
  // Control: the same program is judged, not waved through.
  Outcome newer = runCommandProbe(commandParams("verbose", "2.0"));
  EXPECT_EQ(newer.status, Status::Fail) << newer.message.substr(0, 300);
}

TEST(CommandVersion, PatternRe2RejectsIsAnErrorNotAThrow) {
  std::string error;
  EXPECT_EQ(extractVersion("1.2", "(unclosed", &error), "");
  EXPECT_NE(error.find("missing )"), std::string::npos) << error;
  std::string nested = std::string(20000, '(') + "\\d" + std::string(20000, ')');
  error.clear();
  extractVersion("1.2", nested, &error);  // an answer or an error, never a crash
  SUCCEED();
}

}  // namespace
}  // namespace bbcheck
