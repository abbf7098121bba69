#include "checker/run/plan.h"

#include <gtest/gtest.h>

namespace bbcheck {
namespace {

// Checks are built by hand: the plan reads only ids, needs and
// not_applicable, and needs neither probes nor the loader.
struct PlanCheck {
  std::string id;
  std::vector<std::string> needs = {};
  std::string not_applicable = {};
};

Profile planProfile(const std::vector<PlanCheck>& checks) {
  Profile profile;
  for (const PlanCheck& c : checks) {
    Check check;
    check.id = c.id;
    check.needs = c.needs;
    check.not_applicable = c.not_applicable;
    profile.checks.push_back(check);
  }
  return profile;
}

// A plan where the caller lets every check run.
Plan planOf(const Profile& profile, const DerivedChecks& derived = {}) {
  return Plan(profile, std::vector<std::string>(profile.checks.size()), {}, derived);
}

// Starts and finishes the next ready check, which must be `id`.
void runNext(Plan& plan, const Profile& profile, const std::string& id, Status status) {
  std::optional<size_t> next = plan.nextReady();
  ASSERT_TRUE(next.has_value()) << "nothing ready, expected " << id;
  ASSERT_EQ(profile.checks[*next].id, id);
  plan.markStarted(*next);
  plan.markFinished(*next, status);
}

std::string messageOf(const Plan& plan, size_t check) {
  return plan.skipReason(check) ? plan.skipReason(check)->message : "(ran)";
}

TEST(Plan, ReadyChecksComeInProfileOrder) {
  Profile p = planProfile({{"a"}, {"b"}, {"c"}});
  Plan plan = planOf(p);
  EXPECT_EQ(plan.nextReady(), 0u);
  plan.markStarted(0);
  EXPECT_EQ(plan.state(0), Plan::State::Running);
  EXPECT_EQ(plan.nextReady(), 1u);
  plan.markStarted(1);
  plan.markStarted(2);
  EXPECT_FALSE(plan.nextReady().has_value());
  plan.markFinished(2, Status::Pass);
  plan.markFinished(0, Status::Fail);
  EXPECT_FALSE(plan.finished());
  plan.markFinished(1, Status::Pass);
  EXPECT_TRUE(plan.finished());
  EXPECT_EQ(plan.status(0), Status::Fail);
  EXPECT_FALSE(plan.skipReason(0).has_value());
}

TEST(Plan, ANeedHoldsItsDependantUntilItPasses) {
  Profile p = planProfile({{"tcp", {"dns"}}, {"dns"}});
  Plan plan = planOf(p);
  EXPECT_EQ(plan.state(0), Plan::State::Waiting);
  runNext(plan, p, "dns", Status::Pass);
  EXPECT_EQ(plan.state(0), Plan::State::Ready);
  runNext(plan, p, "tcp", Status::Pass);
  EXPECT_TRUE(plan.finished());
}

TEST(Plan, BlockedPropagatesAndNamesTheCulprit) {
  Profile p = planProfile({{"dns"},
                           {"tcp", {"dns"}},
                           {"tls", {"tcp"}},
                           {"other"},
                           {"after-error", {"other"}},
                           {"after-skip", {"tls"}}});
  Plan plan = planOf(p);
  runNext(plan, p, "dns", Status::Fail);
  EXPECT_EQ(plan.status(1), Status::Blocked);
  EXPECT_EQ(messageOf(plan, 1), "needs dns, which failed");
  EXPECT_EQ(plan.skipReason(1)->kind, SkipReason::Kind::Blocked);
  EXPECT_EQ(messageOf(plan, 2), "needs tcp, which is blocked itself");
  EXPECT_EQ(messageOf(plan, 5), "needs tls, which is blocked itself");
  runNext(plan, p, "other", Status::Error);
  EXPECT_EQ(messageOf(plan, 4), "needs other, which could not be decided");
  EXPECT_TRUE(plan.finished());
}

TEST(Plan, TheFirstFailedNeedAsListedIsNamed) {
  Profile p = planProfile({{"x"}, {"y"}, {"both", {"y", "x"}}});
  Plan plan = planOf(p);
  plan.markStarted(0);
  plan.markStarted(1);
  plan.markFinished(0, Status::Fail);
  EXPECT_EQ(messageOf(plan, 2), "needs x, which failed");  // y had not ended yet
}

TEST(Plan, CallerSkipsEndAtOnceWhateverTheyNeed) {
  Profile p = planProfile({{"a"}, {"b", {"a"}}, {"c"}});
  Plan plan(p, {"", "not selected by --only", "worker stage, no build area"}, {true, false, true},
            {});
  EXPECT_EQ(plan.done(), 2u);
  EXPECT_EQ(plan.status(1), Status::Skip);
  EXPECT_EQ(plan.skipReason(1)->kind, SkipReason::Kind::NotSelected);
  EXPECT_EQ(messageOf(plan, 1), "not selected by --only");
  EXPECT_EQ(plan.skipReason(2)->kind, SkipReason::Kind::Excluded);
  EXPECT_EQ(messageOf(plan, 2), "worker stage, no build area");
  EXPECT_EQ(plan.nextReady(), 0u);
}

TEST(Plan, ANeedLeftOutBySelectionDoesNotBlock) {
  // b needs a, which --skip left out: b runs. c needs a check that is skipped
  // for another reason (not applicable here): c is blocked.
  Profile p = planProfile({{"a"}, {"b", {"a"}}, {"n"}, {"c", {"n"}}});
  Plan plan(p, {"not selected: --skip a", "", "not applicable on linux", ""},
            {false, true, true, true}, {});
  EXPECT_EQ(plan.status(0), Status::Skip);
  EXPECT_EQ(plan.state(1), Plan::State::Ready);
  EXPECT_EQ(plan.status(3), Status::Blocked);
  EXPECT_EQ(messageOf(plan, 3), "needs n, which was skipped");
}

TEST(Plan, NotApplicableWaitsForItsNeedsAndLosesToBlocked) {
  Profile p = planProfile({{"a"},
                           {"na", {"a"}, "not applicable on linux"},
                           {"b"},
                           {"na-blocked", {"b"}, "not applicable on linux"}});
  Plan plan = planOf(p);
  EXPECT_EQ(plan.state(1), Plan::State::Waiting);
  runNext(plan, p, "a", Status::Pass);
  EXPECT_EQ(plan.status(1), Status::Skip);
  EXPECT_EQ(plan.skipReason(1)->kind, SkipReason::Kind::NotApplicable);
  EXPECT_EQ(messageOf(plan, 1), "not applicable on linux");
  runNext(plan, p, "b", Status::Fail);
  EXPECT_EQ(plan.status(3), Status::Blocked);
  EXPECT_EQ(messageOf(plan, 3), "needs b, which failed");
}

TEST(Plan, ADerivedCheckWaitsForItsInputsWhateverTheyEndWith) {
  Profile p = planProfile({{"env"}, {"env.tool"}, {"tool"}});
  DerivedChecks derived;
  derived["env.tool"].inputs = {"env", "tool"};
  Plan plan = planOf(p, derived);
  EXPECT_EQ(plan.inputs(1), (std::vector<size_t>{0, 2}));
  runNext(plan, p, "env", Status::Fail);
  EXPECT_EQ(plan.state(1), Plan::State::Waiting);
  runNext(plan, p, "tool", Status::Skip);
  EXPECT_EQ(plan.state(1), Plan::State::Ready);
  runNext(plan, p, "env.tool", Status::Pass);
  EXPECT_TRUE(plan.finished());
}

TEST(Plan, DecisionsAreTakenInPassesInProfileOrder) {
  // y is skipped by the caller and x is blocked by y, both in the first pass.
  // "early", listed between them, sees y skipped and x still waiting; "late",
  // listed after both, sees x first, as it lists it; "before", listed first,
  // is decided in the second pass, when both have ended.
  Profile p = planProfile(
      {{"before", {"x", "y"}}, {"y"}, {"early", {"x", "y"}}, {"x", {"y"}}, {"late", {"x", "y"}}});
  Plan plan(p, {"", "worker stage", "", "", ""}, {}, {});
  EXPECT_EQ(messageOf(plan, 0), "needs x, which is blocked itself");
  EXPECT_EQ(messageOf(plan, 2), "needs y, which was skipped");
  EXPECT_EQ(messageOf(plan, 3), "needs y, which was skipped");
  EXPECT_EQ(messageOf(plan, 4), "needs x, which is blocked itself");
  EXPECT_TRUE(plan.finished());
}

TEST(Plan, ALongChainListedBackwardsSettlesAtOnce) {
  // Each check needs the one after it, and the last fails: a pass for each
  // link (each looking only at the check that changed), all within one call.
  const size_t n = 10000;
  std::vector<PlanCheck> checks;
  for (size_t i = 0; i < n; ++i)
    checks.push_back(
        {"c" + std::to_string(i), i + 1 < n ? std::vector<std::string>{"c" + std::to_string(i + 1)}
                                            : std::vector<std::string>{}});
  Profile p = planProfile(checks);
  Plan plan = planOf(p);
  runNext(plan, p, "c" + std::to_string(n - 1), Status::Fail);
  EXPECT_TRUE(plan.finished());
  EXPECT_EQ(messageOf(plan, 0), "needs c1, which is blocked itself");
}

TEST(Plan, StopEndsWhatIsNotDone) {
  Profile p = planProfile({{"done"}, {"long"}, {"later", {"long"}}, {"queued"}});
  Plan plan = planOf(p);
  runNext(plan, p, "done", Status::Pass);
  plan.markStarted(1);
  std::vector<size_t> running = plan.stopUnfinished(SkipReason::deadline(false, Milliseconds(300)),
                                                    SkipReason::deadline(true, Milliseconds(300)));
  EXPECT_EQ(running, std::vector<size_t>{1});
  EXPECT_TRUE(plan.finished());
  EXPECT_EQ(plan.status(0), Status::Pass);
  EXPECT_EQ(plan.status(1), Status::Error);
  EXPECT_EQ(messageOf(plan, 1), "still running at the run's deadline (0.3s)");
  EXPECT_EQ(messageOf(plan, 2), "not started before the run's deadline (0.3s)");
  EXPECT_EQ(messageOf(plan, 3), "not started before the run's deadline (0.3s)");
  EXPECT_FALSE(plan.nextReady().has_value());
}

TEST(Plan, AnInterruptSkipsEverythingUnfinished) {
  Profile p = planProfile({{"a"}, {"b", {"a"}}});
  Plan plan = planOf(p);
  plan.markStarted(0);
  plan.stopUnfinished(SkipReason::interrupted(), SkipReason::interrupted());
  EXPECT_EQ(plan.status(0), Status::Skip);
  EXPECT_EQ(plan.status(1), Status::Skip);
  EXPECT_EQ(messageOf(plan, 1), "interrupted");
}

TEST(Plan, ACheckThatCouldNotStartFinishesFromReady) {
  Profile p = planProfile({{"a"}, {"b", {"a"}}});
  Plan plan = planOf(p);
  plan.markFinished(0, Status::Error);  // the executor found no thread for it
  EXPECT_EQ(messageOf(plan, 1), "needs a, which could not be decided");
  EXPECT_THROW(plan.markStarted(1), std::logic_error);
  EXPECT_THROW(plan.markFinished(1, Status::Pass), std::logic_error);
}

}  // namespace
}  // namespace bbcheck
