#include "probes/environment/tzdata.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/in_child.h"
#include "tests/mount_testing.h"
#include "tests/scoped_env.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

const std::vector<std::string> kZones = {"UTC", "America/New_York", "Europe/London", "Asia/Tokyo"};

Outcome runTzdata() {
  Params params;
  params.set("zones", kZones);
  return tzdataProbe().run(params, ProbeContext{});
}

std::string fileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(TzdataProbe, DebiansZonesLoad) {
  testing::ScopedEnv tzdir("TZDIR", std::nullopt);
  Outcome o = runTzdata();
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["directory"].toString(), "/usr/share/zoneinfo");
}

TEST(TzdataProbe, RealZoneFilesParseAndTruncatedOnesDoNot) {
  std::string london = fileText("/usr/share/zoneinfo/Europe/London");
  int version = 0;
  ASSERT_EQ(checkTzif(london, version), "");
  EXPECT_GE(version, 2);
  EXPECT_NE(checkTzif(london.substr(0, 60), version).find("truncated"), std::string::npos);
  EXPECT_NE(checkTzif(std::string(100, 'x'), version).find("magic"), std::string::npos);
  EXPECT_NE(checkTzif("TZif", version).find("too short"), std::string::npos);
}

TEST(TzdataProbe, EmptyZoneinfoFails) {
  // An empty tmpfs over /usr/share/zoneinfo, as on a host without tzdata.
  auto r = testing::runInChild([] {
    ::unsetenv("TZDIR");
    testing::enterPrivateMountNamespace();
    testing::mountTmpfs("/usr/share/zoneinfo");
    return runTzdata();
  });
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("4 of 4 zones not loadable"), std::string::npos)
      << r.outcome.message;
}

TEST(TzdataProbe, HonoursTzdirAndNamesTheBrokenZone) {
  testing::TempDir dir;
  for (const auto& zone : kZones) dir.write(zone, fileText("/usr/share/zoneinfo/" + zone));
  testing::ScopedEnv tzdir("TZDIR", dir.path());
  Outcome good = runTzdata();
  ASSERT_EQ(good.status, Status::Pass) << good.message;
  EXPECT_NE(good.message.find("TZDIR=" + dir.path()), std::string::npos) << good.message;

  dir.write("Asia/Tokyo", fileText("/usr/share/zoneinfo/Asia/Tokyo").substr(0, 50));
  Outcome bad = runTzdata();
  ASSERT_EQ(bad.status, Status::Fail) << bad.message;
  EXPECT_NE(bad.message.find("1 of 4 zones"), std::string::npos) << bad.message;
  EXPECT_NE(bad.message.find("Asia/Tokyo (truncated"), std::string::npos) << bad.message;
}

}  // namespace
}  // namespace bbcheck
