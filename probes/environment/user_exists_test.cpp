#include "probes/environment/user_exists.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "tests/in_child.h"
#include "tests/mount_testing.h"

namespace bbcheck {
namespace {

Outcome runUserExists(const std::string& name = "nobody") {
  Params params;
  params.set("name", name);
  return userExistsProbe().run(params, ProbeContext{});
}

// /etc/passwd (or /etc/group) without the lines naming `name`.
std::string withoutLinesOf(const std::string& path, const std::string& prefix) {
  std::ifstream in(path);
  std::string line, out;
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) != 0) out += line + "\n";
  return out;
}

TEST(UserExistsProbe, NobodyExistsHere) {
  Outcome o = runUserExists();
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["uid"].convert<int64_t>(), 65534);
}

TEST(UserExistsProbe, AnUnknownNameFails) {
  Outcome o = runUserExists("bbcheck-no-such-user-" + std::to_string(::getpid()));
  ASSERT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_NE(o.message.find("no user bbcheck-no-such-user-"), std::string::npos) << o.message;
}

// Debian's nsswitch.conf asks nss-systemd after the files, and it makes up
// `nobody` (and root) itself: a host without the entry also has "files" only.
void filesOnlyNameService() {
  testing::replaceFile("/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files\n");
}

TEST(UserExistsProbe, PasswdWithoutNobodyFails) {
  auto r = testing::runInChild([] {
    testing::enterPrivateMountNamespace();
    filesOnlyNameService();
    testing::replaceFile("/etc/passwd", withoutLinesOf("/etc/passwd", "nobody:"));
    return runUserExists();
  });
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
  EXPECT_EQ(r.outcome.message, "no user nobody in the user database (getpwnam)");
}

TEST(UserExistsProbe, NobodyWithoutItsGroupFails) {
  auto r = testing::runInChild([] {
    testing::enterPrivateMountNamespace();
    filesOnlyNameService();
    testing::replaceFile("/etc/group", withoutLinesOf("/etc/group", "nogroup:"));
    return runUserExists();
  });
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("not in the group database"), std::string::npos)
      << r.outcome.message;
}

}  // namespace
}  // namespace bbcheck
