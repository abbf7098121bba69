// The text report is linear in its input (DESIGN.md, "Reports"): columns are
// capped, an id too long is cut and marked as cut, and a line from outside
// stays one line. Reports are built here; speed is measured in
// bench/render_scale.sh, never timed in a unit test.
#include <gtest/gtest.h>

#include "checker/report/report_text.h"
#include "checker/report/text_wrap.h"

namespace bbcheck {
namespace {

size_t longestLine(const std::string& text) {
  size_t longest = 0;
  for (size_t at = 0, end; at < text.size(); at = end + 1) {
    end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    longest = std::max(longest, end - at);
  }
  return longest;
}

struct Built {
  Profile profile;
  RunReport report;
};

// `count` passing checks "group<i>.check", one failing with `hugeId`.
std::unique_ptr<Built> build(size_t count, const std::string& hugeId) {
  auto b = std::make_unique<Built>();
  b->profile.name = "scale";
  b->profile.checks.resize(count + 1);
  for (size_t i = 0; i < count; ++i) {
    b->profile.checks[i].id = "group" + std::to_string(i) + ".check";
    b->profile.checks[i].title = "check " + std::to_string(i);
    b->profile.checks[i].probe = "cpu";
  }
  Check& huge = b->profile.checks[count];
  huge.id = hugeId;
  huge.title = "a check with a huge id";
  huge.probe = "cpu";
  b->report.profile = &b->profile;
  for (size_t i = 0; i <= count; ++i)
    b->report.results.push_back(
        {&b->profile.checks[i], i == count ? Status::Fail : Status::Pass, "fine", {}, {}, 0});
  b->report.verdict = computeVerdict(b->report.results, Severity::Required);
  return b;
}

TEST(TextScale, AHugeIdIsCutAndPadsNoOtherLine) {
  std::string hugeId = "huge." + std::string(1 << 20, 'a');
  auto b = build(300, hugeId);
  TextStyle verbose{false, false, true};
  std::string text = renderText(b->report, verbose);
  // Before: 302 lines padded to 1 MB each.
  EXPECT_LT(text.size(), 4u << 20) << "every line padded to the longest id";
  EXPECT_NE(text.find("huge.aaaa"), std::string::npos);
  EXPECT_NE(text.find("a\xe2\x80\xa6"), std::string::npos) << "cut, and marked so";
  // The id column is capped: a passing check's line stays short.
  size_t line = text.find("group7.check");
  ASSERT_NE(line, std::string::npos);
  EXPECT_LT(text.find('\n', line) - line, 120u) << text.substr(line, 200);
  // At a glance, on a terminal: every line fits it.
  TextStyle glance;
  glance.width = 80;
  std::string short_ = renderText(b->report, glance);
  EXPECT_LT(short_.size(), 3u << 20);
  EXPECT_LE(longestLine(short_), 80u * 3) << "bytes of at most 80 columns";
}

TEST(TextScale, ManyGroupsRenderEachCheckOnce) {
  auto b = build(20000, "last.one");
  TextStyle verbose{false, false, true};
  std::string text = renderText(b->report, verbose);
  // 20,001 groups of one check each: every check listed once, in order.
  EXPECT_NE(text.find("group0.check"), std::string::npos);
  EXPECT_LT(text.find("group0.check"), text.find("group19999.check"));
  EXPECT_LT(text.size(), 20001u * 200);
}

TEST(TextScale, NamesFromOutsideStayOnOneLine) {
  auto b = build(2, "x.y");
  b->profile.name = "evil\nREADY planted";
  b->report.host.hostname = "host\nPASS  planted.check\x1b[2J";
  b->report.host.os = "Deb\xe9ian \xc2\x9b";
  b->profile.checks[0].why = "because\nREADY planted";
  for (bool verbose : {false, true}) {
    TextStyle style{false, false, verbose};
    std::string text = renderText(b->report, style);
    EXPECT_EQ(text.find("\nREADY planted"), std::string::npos) << text;
    EXPECT_EQ(text.find("\nPASS  planted"), std::string::npos) << text;
    EXPECT_EQ(text.find("\x1b"), std::string::npos) << text;
    EXPECT_EQ(text.find("\xc2\x9b"), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace bbcheck
