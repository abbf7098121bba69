#include "checker/cli/command_diff.h"

#include <gtest/gtest.h>

#include "checker/profile/profile_loader.h"

namespace bbcheck {
namespace {

struct Run {
  Profile profile;
  RunReport report;
};

// One run of four checks with the given statuses (a, b, c, d; "" leaves the
// check out of the profile).
std::unique_ptr<Run> run(const std::vector<std::pair<std::string, Status>>& checks, int cpus) {
  auto r = std::make_unique<Run>();
  std::string text = "format: 1\nname: p\nchecks:\n";
  for (const auto& [id, status] : checks) text += "  - {id: " + id + ", probe: cpu}\n";
  r->profile = loadProfileText(text, "p.yaml");
  r->report.profile = &r->profile;
  r->report.host.hostname = "w1";
  r->report.host.cpus = cpus;
  r->report.host.compilers = {{"gcc", "c", "/usr/bin/gcc", "12.2.0", "x"}};
  for (size_t i = 0; i < checks.size(); ++i)
    r->report.results.push_back(
        {&r->profile.checks[i], checks[i].second, checks[i].first + " says \x1b[2Jhi", {}, {}, 0});
  r->report.verdict = computeVerdict(r->report.results, Severity::Required);
  return r;
}

TEST(Diff, RegressionsFirstThenFixesThenTheRest) {
  auto before = run({{"a.fixed", Status::Fail},
                     {"b.worse", Status::Pass},
                     {"c.other", Status::Skip},
                     {"d.gone", Status::Pass},
                     {"e.same", Status::Fail}},
                    2);
  auto after = run({{"a.fixed", Status::Pass},
                    {"b.worse", Status::Error},
                    {"c.other", Status::Pass},
                    {"e.same", Status::Fail},
                    {"f.new", Status::Blocked}},
                   4);
  after->report.host.compilers.push_back({"clang", "c", "/usr/bin/clang", "14.0.6", "x"});
  bool regressed = false;
  std::string out = diffReports(before->report, after->report, regressed);
  EXPECT_TRUE(regressed);
  size_t reg = out.find("\nRegressed (1):\n  b.worse  pass -> error"),
         fix = out.find("\nFixed (1):\n  a.fixed  fail -> pass"),
         other = out.find("\nChanged (1):\n  c.other  skip -> pass"),
         added = out.find("\nNew checks (1):\n  f.new    blocked"),
         removed = out.find("\nRemoved checks (1):\n  d.gone   was pass");
  EXPECT_NE(reg, std::string::npos) << out;
  EXPECT_LT(reg, fix);
  EXPECT_LT(fix, other);
  EXPECT_LT(other, added);
  EXPECT_LT(added, removed);
  EXPECT_EQ(out.find("e.same"), std::string::npos) << "an unchanged check is not listed";
  EXPECT_NE(out.find("  cpus: 2 -> 4\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  compilers: gcc 12.2.0 -> gcc 12.2.0, clang 14.0.6\n"), std::string::npos);
  EXPECT_NE(out.find("\\x1b[2J"), std::string::npos);
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << "no control character reaches a terminal";
  EXPECT_EQ(out.find("Verdict:"), std::string::npos) << "not ready both times";
}

TEST(Diff, NothingChangedIsSaidAndIsNoRegression) {
  auto a = run({{"a.x", Status::Pass}}, 2);
  auto b = run({{"a.x", Status::Pass}}, 2);
  bool regressed = true;
  std::string out = diffReports(a->report, b->report, regressed);
  EXPECT_FALSE(regressed);
  EXPECT_NE(out.find("No check changed its status and no host fact changed."), std::string::npos);
  // A fix alone is no regression either.
  auto c = run({{"a.x", Status::Fail}}, 2);
  diffReports(c->report, a->report, regressed);
  EXPECT_FALSE(regressed);
}

// Linear in its input: one huge id (a received report's) is cut and marked
// as cut, and pads no other line; host names stay on one line.
TEST(Diff, AHugeIdIsCutAndPadsNoOtherLine) {
  std::vector<std::pair<std::string, Status>> before, after;
  for (int i = 0; i < 200; ++i) {
    before.push_back({"g.c" + std::to_string(i), Status::Pass});
    after.push_back({"g.c" + std::to_string(i), Status::Fail});
  }
  auto a = run(before, 2);
  auto b = run(after, 2);
  std::string huge = "g." + std::string(1 << 20, 'x');
  b->profile.checks[5].id = huge;
  b->report.host.hostname = "w1\nRegressed (0):\xc2\x9b";
  bool regressed = false;
  std::string out = diffReports(a->report, b->report, regressed);
  EXPECT_TRUE(regressed);
  EXPECT_LT(out.size(), 200u * 200u) << "every line padded to the longest id";
  EXPECT_NE(out.find("g.xxx"), std::string::npos);
  EXPECT_NE(out.find("x\xe2\x80\xa6 "), std::string::npos) << "cut, and marked so";
  EXPECT_EQ(out.find("\nRegressed (0)"), std::string::npos) << out.substr(0, 400);
  EXPECT_EQ(out.find("\xc2\x9b"), std::string::npos);
}

}  // namespace
}  // namespace bbcheck
