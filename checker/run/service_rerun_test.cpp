#include "checker/run/service_rerun.h"

#include <Poco/Exception.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace bbcheck {
namespace {

// The value after `flag` in `args`, or "(none)".
std::string valueAfter(const std::vector<std::string>& args, const std::string& flag) {
  auto it = std::find(args.begin(), args.end(), flag);
  return it == args.end() || it + 1 == args.end() ? "(none)" : *(it + 1);
}

TEST(ServiceRerun, ArgumentsCarryTheRunsSettings) {
  RerunSettings settings{{"python-buildbot", "/etc/passwd"}, {"buildarea=/srv/area"}, "5s", 8};
  std::vector<std::string> args =
      rerunArguments(settings, {"vcs.hg", "limits.nofile"}, Milliseconds(10000));
  std::vector<std::string> expected = {"run",
                                       "-p",
                                       "python-buildbot",
                                       "-p",
                                       "/etc/passwd",
                                       "--set",
                                       "buildarea=/srv/area",
                                       "--only",
                                       "vcs.hg",
                                       "--only",
                                       "limits.nofile",
                                       "--format",
                                       "json",
                                       "--no-color",
                                       "--quiet",
                                       "--jobs",
                                       "8",
                                       "--deadline",
                                       "9700ms",
                                       "--timeout",
                                       "5s"};
  EXPECT_EQ(args, expected);
}

TEST(ServiceRerun, ArgumentsLeaveTheChildSomeTime) {
  std::vector<std::string> args = rerunArguments({}, {"a"}, Milliseconds(50));
  EXPECT_EQ(valueAfter(args, "--deadline"), "100ms");
  EXPECT_EQ(valueAfter(args, "--timeout"), "(none)");
}

TEST(ServiceRerun, ReadsTheChildsReport) {
  auto results = readRerunReport(
      R"({"checks": [{"id": "vcs.hg", "status": "fail", "message": "hg not found"},
                     {"id": "limits.nofile", "status": "pass"},
                     {"id": "odd", "status": "unheard-of", "message": "?"}]})");
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results["vcs.hg"].status, Status::Fail);
  EXPECT_EQ(results["vcs.hg"].message, "hg not found");
  EXPECT_EQ(results["limits.nofile"].status, Status::Pass);
  EXPECT_EQ(results["limits.nofile"].message, "");
  EXPECT_EQ(results["odd"].status, Status::Error);
}

TEST(ServiceRerun, AReportThatIsNotOneThrows) {
  EXPECT_THROW(readRerunReport("bbcheck: no such profile"), Poco::Exception);
  EXPECT_THROW(readRerunReport("[1, 2]"), Poco::Exception);
  EXPECT_THROW(readRerunReport(R"({"checks": [{"status": "pass"}]})"), Poco::Exception);
  EXPECT_TRUE(readRerunReport("{}").empty());
}

}  // namespace
}  // namespace bbcheck
