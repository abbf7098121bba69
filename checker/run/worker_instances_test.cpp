#include "checker/run/worker_instances.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "checker/profile/profile_loader.h"
#include "checker/run/selection.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::TempDir;

Profile workerProfile(const std::string& buildarea = "") {
  LoadOptions options;
  if (!buildarea.empty()) options.overrides["buildarea"] = buildarea;
  return loadProfiles({"buildbot-worker"}, options);
}

const Check* find(const Profile& p, const std::string& id) {
  for (const Check& c : p.checks)
    if (c.id == id) return &c;
  return nullptr;
}

TEST(WorkerInstances, TheShippedProfileLooksForWorkersThroughItsBuildareaVar) {
  Profile p = workerProfile();
  ASSERT_TRUE(p.worker_gate.has_value());
  EXPECT_EQ(p.worker_gate->worker_var, "buildarea");
}

TEST(WorkerInstances, FoundWorkersAreCheckedUnlessTheVarIsSet) {
  Profile p = workerProfile("/nonexistent-default");
  std::vector<WorkerSighting> found = {{"/var/lib/buildbot/workers/x", {"crontab of buildbot"}}};
  std::vector<WorkerInstance> plan = planWorkers(p, {}, found);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_TRUE(plan[0].checked);
  EXPECT_EQ(plan[0].path, "/var/lib/buildbot/workers/x");

  // Named with --set: that one is checked, the found one only listed.
  TempDir named;
  plan = planWorkers(workerProfile(named.path()), {"buildarea=" + named.path()}, found);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_FALSE(plan[0].checked);
  EXPECT_TRUE(plan[1].checked);
  EXPECT_EQ(plan[1].found_by, std::vector<std::string>{"--set buildarea"});

  // Nothing found and the default build area has no tac: no worker.
  EXPECT_TRUE(planWorkers(p, {}, {}).empty());
}

TEST(WorkerInstances, TheDefaultBuildAreaCountsWhenItHoldsATac) {
  TempDir home;
  home.write("buildarea/buildbot.tac", "from buildbot_worker.bot import Worker\n");
  Profile p = workerProfile(home.path() + "/buildarea");
  std::vector<WorkerInstance> plan = planWorkers(p, {}, {});
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_TRUE(plan[0].checked);
  EXPECT_EQ(plan[0].found_by, std::vector<std::string>{"the profile's buildarea var"});
  // Found elsewhere too: one worker, both reasons.
  plan = planWorkers(p, {}, {{home.path() + "/buildarea/", {"running twistd (pid 7)"}}});
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].found_by.size(), 2u);
}

// Two workers: the worker's checks once each, ids and titles naming it;
// host checks once, ids as the profile wrote them.
TEST(WorkerInstances, SeveralWorkersInstantiateTheWorkersChecks) {
  std::vector<WorkerInstance> workers = {{"/srv/a", {"x"}, true, ""},
                                         {"/home/bb/A!", {"y"}, true, ""},
                                         {"/srv/skipped", {"z"}, false, ""}};
  nameWorkerInstances(workers);
  EXPECT_EQ(workers[0].suffix, "a");
  EXPECT_EQ(workers[1].suffix, "a-2");  // "A!" -> "a-", taken -> unique
  EXPECT_EQ(workers[2].suffix, "");
  std::vector<const WorkerInstance*> checked = checkedWorkers(workers);
  ASSERT_EQ(checked.size(), 2u);
  Profile merged =
      instantiateWorkers({workerProfile("/srv/a"), workerProfile("/home/bb/A!")}, checked);
  EXPECT_EQ(find(merged, "buildarea.tac"), nullptr);
  const Check* tacA = find(merged, "buildarea.tac.a");
  ASSERT_NE(tacA, nullptr);
  EXPECT_EQ(tacA->params.text("path"), "/srv/a");
  EXPECT_NE(tacA->title.find("(worker /srv/a)"), std::string::npos) << tacA->title;
  const Check* info = find(merged, "buildarea.info.a-2");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->needs, std::vector<std::string>{"buildarea.tac.a-2"});
  // A host-stage check that reads the build area is the worker's too.
  EXPECT_NE(find(merged, "buildarea.disk.a"), nullptr);
  // Host checks stay single, under their own ids.
  EXPECT_NE(find(merged, "dns.system"), nullptr);
  EXPECT_EQ(find(merged, "dns.system.a"), nullptr);
  // Every need names a check of the merged profile.
  for (const Check& c : merged.checks)
    for (const std::string& need : c.needs) EXPECT_NE(find(merged, need), nullptr) << c.id;
  for (const Check& c : merged.checks) EXPECT_TRUE(isCheckId(c.id)) << c.id;
  // --only buildarea.tac still selects both workers' copies.
  EXPECT_TRUE(selectorMatches("buildarea.tac", *tacA));
  EXPECT_FALSE(selectorMatches("buildarea.tac", *info));
}

}  // namespace
}  // namespace bbcheck
