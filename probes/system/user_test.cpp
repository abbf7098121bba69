#include "probes/system/user.h"

#include <grp.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <thread>

#include "probes/text.h"
#include "tests/in_child.h"
#include "tests/test_support.h"
#include "tests/throwaway_user.h"

namespace bbcheck {
namespace {

using testing::runCommand;
using testing::runInChild;
using testing::ThrowawayUser;

Params userParams(bool notRoot, const std::string& name = "") {
  Params params;
  params.set("not_root", notRoot);
  if (!name.empty()) params.set("name", name);
  params.set("forbid_groups", std::vector<std::string>{"sudo", "wheel", "adm", "docker", "lxd"});
  return params;
}

Outcome runUser(const Params& params) {
  return userProbe().run(params, ProbeContext{});
}

std::vector<std::string> strings(const Value& array) {
  std::vector<std::string> out;
  for (size_t i = 0; i < array.size(); ++i) out.push_back(array[i].toString());
  return out;
}

TEST(UserProbe, RootFailsUnlessChosenDeliberately) {
  ASSERT_EQ(::geteuid(), 0u) << "this test runs as root (as CI does)";
  Outcome asRoot = runUser(userParams(true));
  EXPECT_EQ(asRoot.status, Status::Fail);
  EXPECT_TRUE(contains(asRoot.message, "running as root (uid 0)")) << asRoot.message;
  EXPECT_TRUE(contains(asRoot.message, "deliberate choice")) << asRoot.message;
  EXPECT_EQ(asRoot.observed["user"].toString(), "root");
  EXPECT_EQ(asRoot.observed["uid"].convert<int>(), 0);

  Outcome chosen = runUser(userParams(false, "root"));
  EXPECT_EQ(chosen.status, Status::Pass) << chosen.message;
}

// Root with root allowed (not_root: false) passes, and still says what root
// reaches (the farm's security point 3).
TEST(UserProbe, RootAllowedPassesSayingWhatRootReaches) {
  ASSERT_EQ(::geteuid(), 0u) << "this test runs as root (as CI does)";
  Params params;
  params.set("not_root", false);
  params.set("forbid_groups", std::vector<std::string>{});
  Outcome o = runUser(params);
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_TRUE(contains(o.message, "running as root (uid 0); root is allowed here")) << o.message;
  EXPECT_TRUE(contains(o.message, "spoof packets and change MAC addresses")) << o.message;
}

// As root, where the worker's user exists, the fix is to run as it; where
// it does not, the probe has no fix of its own (the profile's says create it).
TEST(UserProbe, RootWhereTheWorkersUserExistsIsToldToRunAsIt) {
  ASSERT_EQ(::geteuid(), 0u) << "this test runs as root (as CI does)";
  std::string name;
  {
    ThrowawayUser user;
    name = user.name();
    Params params = userParams(true);
    params.set("worker_user", user.name());
    Outcome o = runUser(params);
    EXPECT_EQ(o.status, Status::Fail);
    EXPECT_TRUE(contains(o.fix, "`runuser -u " + name + " -- bbcheck`")) << o.fix;
    EXPECT_TRUE(contains(o.fix, "`su -s /bin/sh " + name + " -c bbcheck`")) << o.fix;
    EXPECT_FALSE(contains(o.fix, "adduser")) << o.fix;
    EXPECT_EQ(o.observed["worker_user"].toString(), name);
    EXPECT_TRUE(o.observed["worker_user_exists"].convert<bool>());
  }
  // The same user, removed: no fix of the probe's.
  Params params = userParams(true);
  params.set("worker_user", name);
  Outcome gone = runUser(params);
  EXPECT_EQ(gone.status, Status::Fail);
  EXPECT_EQ(gone.fix, "");
  EXPECT_FALSE(gone.observed["worker_user_exists"].convert<bool>());
  // Without a worker_user, nothing is looked up.
  EXPECT_EQ(runUser(userParams(true)).fix, "");
}

TEST(UserProbe, UnprivilegedUserPasses) {
  ThrowawayUser user;
  auto child = runInChild([&] {
    user.become();
    return runUser(userParams(true, user.name()));
  });
  ASSERT_EQ(child.failure, "");
  const Outcome& o = child.outcome;
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["user"].toString(), user.name());
  EXPECT_EQ(o.observed["uid"].convert<int64_t>(), user.uid());
  EXPECT_EQ(strings(o.observed["groups"]), std::vector<std::string>{user.name()});
  EXPECT_EQ(o.observed["privileged_groups"].size(), 0u);
  EXPECT_TRUE(contains(o.message, "running as " + user.name())) << o.message;
}

TEST(UserProbe, NoForbiddenGroupsListsNoGroups) {
  Params params;
  params.set("not_root", false);
  params.set("forbid_groups", std::vector<std::string>{});
  Outcome o = runUser(params);
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_FALSE(contains(o.message, "none of the groups")) << o.message;
  EXPECT_FALSE(contains(o.message, "none")) << o.message;
}

TEST(UserProbe, AnotherUserThanTheNamedOneFails) {
  ThrowawayUser user;
  auto child = runInChild([&] {
    user.become();
    return runUser(userParams(true, "buildbot"));
  });
  ASSERT_EQ(child.failure, "");
  EXPECT_EQ(child.outcome.status, Status::Fail);
  EXPECT_EQ(child.outcome.message, "running as " + user.name() + " (uid " +
                                       std::to_string(user.uid()) + "), expected buildbot");
}

TEST(UserProbe, PrivilegedGroupFails) {
  ThrowawayUser user("adm");
  auto child = runInChild([&] {
    user.become();
    return runUser(userParams(true));
  });
  ASSERT_EQ(child.failure, "");
  const Outcome& o = child.outcome;
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_EQ(strings(o.observed["privileged_groups"]), std::vector<std::string>{"adm"});
  EXPECT_TRUE(contains(o.message, user.name() + " is in privileged group adm")) << o.message;
  EXPECT_FALSE(contains(o.message, "running as root")) << o.message;
}

// Being added to a group counts before the next login: the worker's next
// start will hold it.
TEST(UserProbe, GroupInTheDatabaseCountsBeforeTheNextLogin) {
  ThrowawayUser user;
  ASSERT_EQ(runCommand("gpasswd", {"--add", user.name(), "adm"}).exit_code, 0);
  auto after = runInChild([&] {
    passwd* pw = ::getpwnam(user.name().c_str());
    // Only the primary group held by the process; adm comes from /etc/group.
    gid_t only = pw->pw_gid;
    if (::setgroups(1, &only) != 0 || ::setgid(pw->pw_gid) != 0 || ::setuid(pw->pw_uid) != 0)
      throw std::runtime_error("cannot become " + user.name());
    return runUser(userParams(true));
  });
  ASSERT_EQ(after.failure, "");
  EXPECT_EQ(after.outcome.status, Status::Fail) << after.outcome.message;
  EXPECT_EQ(strings(after.outcome.observed["privileged_groups"]), std::vector<std::string>{"adm"});
}

TEST(UserProbe, PrivilegedGroupsKeepTheForbiddenOrder) {
  EXPECT_EQ(privilegedGroups({"adm", "docker", "users"}, {"sudo", "docker", "adm"}),
            (std::vector<std::string>{"docker", "adm"}));
  EXPECT_TRUE(privilegedGroups({"users"}, {"sudo"}).empty());
}

}  // namespace
}  // namespace bbcheck
