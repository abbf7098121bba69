// Needs root: a build area that only root can look into.
#include "checker/run/stage.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "checker/profile/profile_loader.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

// Two host checks (one of which a worker check needs) and two worker checks.
Profile stagedProfile(const std::string& buildarea) {
  return loadProfileText(R"(format: 1
name: staged
vars:
  buildarea: /nonexistent
  master: master.example:9989
  worker_name: ""
stages:
  worker:
    requires: ${buildarea}/buildbot.tac
    missing: no build area at ${buildarea} yet
    next_step: "after your request is accepted: buildbot-worker create-worker ${buildarea} ${master} ${worker_name:-WORKERNAME} PASSWORD"
checks:
  - id: host.cpus
    probe: cpu
  - id: host.dns
    probe: cpu
  - id: worker.tac
    probe: cpu
    stage: worker
    needs: [host.dns]
  - id: worker.boot
    probe: cpu
    stage: worker
    needs: [worker.tac]
)",
                         "staged.yaml", {{{"buildarea", buildarea}}, {}});
}

TEST(Stage, ChecksDefaultToHostAndDeclareWorker) {
  Profile p = stagedProfile("/nonexistent");
  EXPECT_EQ(p.checks[0].stage, Stage::Host);
  EXPECT_EQ(p.checks[2].stage, Stage::Worker);
  EXPECT_STREQ(stageName(p.checks[2].stage), "worker");
}

TEST(Stage, NoBuildAreaJudgesTheHostAndNamesTheNextStep) {
  testing::TempDir dir;  // exists, but holds no buildbot.tac yet
  Profile p = stagedProfile(dir.path());
  StagePlan plan = planStages(p, std::nullopt);
  EXPECT_EQ(plan.scope, StageScope::Host);
  EXPECT_EQ(plan.skip_reasons[0], "");
  EXPECT_EQ(plan.skip_reasons[1], "");
  for (size_t i : {2, 3}) {
    EXPECT_NE(plan.skip_reasons[i].find("no build area at " + dir.path() + " yet"),
              std::string::npos)
        << plan.skip_reasons[i];
    EXPECT_NE(plan.skip_reasons[i].find("after your request is accepted: buildbot-worker "
                                        "create-worker " +
                                        dir.path() + " master.example:9989 WORKERNAME PASSWORD"),
              std::string::npos)
        << plan.skip_reasons[i];
  }
}

TEST(Stage, ABuildAreaJudgesEverything) {
  testing::TempDir dir;
  dir.write("buildbot.tac", "buildmaster_host = 'x'\n");
  StagePlan plan = planStages(stagedProfile(dir.path()), std::nullopt);
  EXPECT_EQ(plan.scope, StageScope::All);
  for (const auto& reason : plan.skip_reasons) EXPECT_EQ(reason, "");
}

TEST(Stage, ExplicitStagesSelect) {
  testing::TempDir dir;
  dir.write("buildbot.tac", "");
  Profile p = stagedProfile(dir.path());
  StagePlan host = planStages(p, StageScope::Host);
  EXPECT_EQ(host.scope, StageScope::Host);
  EXPECT_EQ(host.skip_reasons, (std::vector<std::string>{"", "", "not selected: --stage host",
                                                         "not selected: --stage host"}));
  // The worker stage runs the host checks its checks need (host.dns), not the rest.
  StagePlan worker = planStages(p, StageScope::Worker);
  EXPECT_EQ(worker.skip_reasons,
            (std::vector<std::string>{"not selected: --stage worker", "", "", ""}));
  // --stage worker with no build area judges the worker checks anyway.
  StagePlan forced = planStages(stagedProfile("/nonexistent"), StageScope::Worker);
  EXPECT_EQ(forced.skip_reasons[2], "");
  StagePlan all = planStages(stagedProfile("/nonexistent"), StageScope::All);
  for (const auto& reason : all.skip_reasons) EXPECT_EQ(reason, "");
}

// The shipped profiles' gate says what the engine said before profiles
// declared it, byte for byte.
TEST(Stage, TheShippedGateNamesTheBuildAreaAndCreateWorker) {
  LoadOptions options;
  options.overrides = {{"buildarea", "/nonexistent-bbcheck-area"}};
  Profile p = loadProfiles({"buildbot-worker"}, options);
  StagePlan plan = planStages(p, std::nullopt);
  EXPECT_EQ(plan.scope, StageScope::Host);
  auto tac = std::find_if(p.checks.begin(), p.checks.end(),
                          [](const Check& c) { return c.id == "buildarea.tac"; });
  ASSERT_NE(tac, p.checks.end());
  EXPECT_EQ(plan.skip_reasons[tac - p.checks.begin()],
            "worker stage, no build area at /nonexistent-bbcheck-area yet: after your request is "
            "accepted: buildbot-worker create-worker /nonexistent-bbcheck-area MASTERHOST:PORT "
            "WORKERNAME PASSWORD");
}

TEST(Stage, AProfileWithoutAGateJudgesEverything) {
  Profile p = loadProfileText(
      "format: 1\nname: p\nchecks:\n  - {id: a, probe: cpu, stage: worker}\n", "p.yaml");
  EXPECT_EQ(planStages(p, std::nullopt).scope, StageScope::All);
}

// Whether `area` looks like a build area to the user nobody.
bool existsForNobody(const std::string& area) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
    ::_exit(gatePathExists(area + "/buildbot.tac") ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 3) << "could not become nobody";
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST(Stage, AGatePathThatCannotBeSeenIsNotMissing) {
  testing::TempDir dir;  // mode 0700, owned by root: nobody cannot look inside
  std::string area = dir.path() + "/area";
  ASSERT_EQ(::mkdir(area.c_str(), 0700), 0);
  EXPECT_FALSE(gatePathExists(area + "/buildbot.tac"));
  dir.write("area/buildbot.tac", "");
  EXPECT_TRUE(gatePathExists(area + "/buildbot.tac"));
  EXPECT_FALSE(gatePathExists(dir.path() + "/buildbot.tac"));
  EXPECT_FALSE(gatePathExists(area + "/buildbot.tac/buildbot.tac"));  // ENOTDIR
  EXPECT_FALSE(gatePathExists(""));
  ASSERT_EQ(::getuid(), 0u) << "tests run as root";
  // Permission denied: the worker-stage checks must say what they cannot see.
  EXPECT_TRUE(existsForNobody(area));
  EXPECT_FALSE(existsForNobody("/nonexistent-bbcheck-area"));
}

TEST(Stage, MergeKeepsTheFirstReason) {
  std::vector<std::string> into = {"", "not selected by --only", ""};
  mergeSkipReasons(into, {"a", "b", ""});
  EXPECT_EQ(into, (std::vector<std::string>{"a", "not selected by --only", ""}));
}

TEST(Stage, ScopeNames) {
  for (auto scope : {StageScope::Host, StageScope::Worker, StageScope::All})
    EXPECT_EQ(parseStageScope(stageScopeName(scope)), scope);
  EXPECT_FALSE(parseStageScope("later"));
}

}  // namespace
}  // namespace bbcheck
