#include "checker/run/waivers.h"

#include <gtest/gtest.h>

#include "checker/profile/profile_error.h"

namespace bbcheck {
namespace {

struct Results {
  Profile profile;
  std::vector<CheckResult> results;
  Results() {
    for (const char* id : {"net.nntp", "net.smtp", "disk.free"}) {
      Check c;
      c.id = id;
      profile.checks.push_back(c);
    }
    Check copy;
    copy.id = "worker.tac.alpha";
    copy.instance_of = "worker.tac";
    profile.checks.push_back(copy);
    for (const Check& c : profile.checks) {
      CheckResult r;
      r.check = &c;
      r.status = Status::Fail;
      r.message = "closed";
      results.push_back(r);
    }
    results[2].status = Status::Pass;
  }
};

Waiver waiver(const std::string& id, const std::string& until) {
  return {id, "known", until, "w.yaml:2:5"};
}

TEST(Waivers, HoldThroughTheirDayThenExpire) {
  Results r;
  applyWaivers(r.results, {waiver("net.nntp", "2027-01-31"), waiver("net.smtp", "2027-01-30")},
               "2027-01-31");
  EXPECT_EQ(r.results[0].status, Status::Waived);  // its last day
  ASSERT_TRUE(r.results[0].waiver);
  EXPECT_EQ(r.results[0].waiver->was, Status::Fail);
  EXPECT_FALSE(r.results[0].waiver->expired);
  EXPECT_EQ(r.results[1].status, Status::Fail);  // the day after
  ASSERT_TRUE(r.results[1].waiver);
  EXPECT_TRUE(r.results[1].waiver->expired);
  EXPECT_EQ(r.results[1].message, "closed (its waiver expired after 2027-01-30: known)");
  EXPECT_EQ(computeVerdict(r.results, Severity::Required), Verdict::NotReady);
}

TEST(Waivers, AWaivedFailureDoesNotCount) {
  Results r;
  EXPECT_EQ(computeVerdict(r.results, Severity::Required), Verdict::NotReady);
  applyWaivers(r.results,
               {waiver("net.nntp", ""), waiver("net.smtp", "2999-01-01"), waiver("worker.tac", "")},
               "2027-01-31");
  EXPECT_EQ(r.results[3].status, Status::Waived);  // an instance copy, by its profile id
  EXPECT_EQ(computeVerdict(r.results, Severity::Required), Verdict::Ready);
}

TEST(Waivers, APassIsLeftAlone) {
  Results r;
  applyWaivers(r.results, {waiver("disk.free", "2999-01-01")}, "2027-01-31");
  EXPECT_EQ(r.results[2].status, Status::Pass);
  EXPECT_FALSE(r.results[2].waiver);
}

TEST(Waivers, AnUnknownIdIsAnError) {
  Results r;
  r.profile.name = "p";
  EXPECT_NO_THROW(checkWaiverIds(r.profile, {waiver("worker.tac", "")}));
  try {
    checkWaiverIds(r.profile, {waiver("net.nntpp", "")});
    FAIL() << "no error";
  } catch (const ProfileError& e) {
    EXPECT_STREQ(e.what(), "w.yaml:2:5: waives net.nntpp, which profile p has no check of");
  }
}

TEST(Waivers, TodayIsAnIsoDate) {
  EXPECT_TRUE(isIsoDate(todayUtc()));
}

}  // namespace
}  // namespace bbcheck
