#include "probes/system/user.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "probes/param_binding.h"
#include "probes/text.h"

namespace bbcheck {
namespace {

std::string groupName(gid_t gid) {
  if (group* g = ::getgrgid(gid)) return g->gr_name;
  return std::to_string(gid);
}

}  // namespace

UserInfo currentUser() {
  UserInfo info;
  uid_t uid = ::geteuid();
  info.uid = uid;
  std::set<gid_t> gids = {::getegid()};
  int count = ::getgroups(0, nullptr);
  if (count > 0) {
    std::vector<gid_t> held(static_cast<size_t>(count));
    count = ::getgroups(count, held.data());
    if (count > 0) gids.insert(held.begin(), held.begin() + count);
  }
  passwd* pw = ::getpwuid(uid);
  if (pw == nullptr) {
    info.name = fmt::format("uid {}", uid);
  } else {
    info.name = pw->pw_name;
    // Membership in /etc/group takes effect at the next login or service
    // start, which is how the worker will run: count it too.
    int n = 64;
    std::vector<gid_t> listed(static_cast<size_t>(n));
    if (::getgrouplist(pw->pw_name, pw->pw_gid, listed.data(), &n) < 0) {
      listed.resize(static_cast<size_t>(n));
      ::getgrouplist(pw->pw_name, pw->pw_gid, listed.data(), &n);
    }
    gids.insert(listed.begin(), listed.begin() + std::min<size_t>(listed.size(), n));
  }
  std::set<std::string> names;
  for (gid_t gid : gids) names.insert(groupName(gid));
  info.groups.assign(names.begin(), names.end());
  return info;
}

std::vector<std::string> privilegedGroups(const std::vector<std::string>& groups,
                                          const std::vector<std::string>& forbidden) {
  std::vector<std::string> held;
  for (const std::string& name : forbidden) {
    if (std::find(groups.begin(), groups.end(), name) != groups.end() &&
        std::find(held.begin(), held.end(), name) == held.end())
      held.push_back(name);
  }
  return held;
}

namespace {

std::string namesOrNone(const std::vector<std::string>& items) {
  return items.empty() ? "none" : joinedWith(items, ", ");
}

// When root runs bbcheck on a host where the worker's user already exists
// (Debian's buildbot packages create `buildbot` with no login shell), the
// fix is to run as that user, not to create one.
std::string runAsFix(const std::string& workerUser, Object& observed) {
  passwd* pw = ::getpwnam(workerUser.c_str());
  observed["worker_user_exists"] = pw != nullptr;
  if (pw == nullptr || pw->pw_uid == 0) return "";
  return fmt::format(
      "Run bbcheck, and the worker, as {0}, the worker's user on this host: `runuser -u {0} -- "
      "bbcheck` as root, or `su -s /bin/sh {0} -c bbcheck` ({0} may have no login shell, as "
      "Debian's buildbot packages make it), with the same arguments.",
      workerUser);
}

struct UserParams {
  bool not_root = true;
  std::string name;
  std::string worker_user;
  std::vector<std::string> forbid_groups = {"sudo", "wheel", "adm", "docker", "lxd"};
};

Outcome runUser(const UserParams& params, const ProbeContext&) {
  bool notRoot = params.not_root;
  const std::string& wanted = params.name;
  const std::string& workerUser = params.worker_user;
  const std::vector<std::string>& forbidden = params.forbid_groups;

  UserInfo user = currentUser();
  std::vector<std::string> privileged = privilegedGroups(user.groups, forbidden);
  Object observed;
  observed["user"] = user.name;
  observed["uid"] = user.uid;
  observed["groups"] = arrayOf(user.groups);
  observed["privileged_groups"] = arrayOf(privileged);
  Object expected;
  expected["not_root"] = notRoot;
  if (!wanted.empty()) expected["name"] = wanted;
  expected["forbid_groups"] = arrayOf(forbidden);

  std::vector<std::string> problems;
  if (notRoot && user.uid == 0) {
    problems.push_back(
        "running as root (uid 0), expected an unprivileged user: build code would run with full "
        "control of this machine (even in a VM it can spoof packets and change MAC addresses), so "
        "a root builder must be a deliberate choice");
  }
  if (!wanted.empty() && user.name != wanted) {
    problems.push_back(
        fmt::format("running as {} (uid {}), expected {}", user.name, user.uid, wanted));
  }
  if (!privileged.empty()) {
    problems.push_back(
        fmt::format("{} is in privileged group{} {} (forbidden: {}): membership gives build code "
                    "root-equivalent or admin access",
                    user.name, privileged.size() > 1 ? "s" : "", namesOrNone(privileged),
                    namesOrNone(forbidden)));
  }
  if (!problems.empty()) {
    std::string fix;
    if (notRoot && user.uid == 0 && !workerUser.empty()) {
      observed["worker_user"] = workerUser;
      fix = runAsFix(workerUser, observed);
    }
    Outcome failed =
        Outcome::fail(fmt::format("{}", fmt::join(problems, "; ")), observed, expected);
    failed.fix = fix;
    return failed;
  }
  std::string who = fmt::format("running as {} (uid {})", user.name, user.uid);
  if (notRoot) who += ", not root";
  // With no forbidden groups there is nothing to list: no "in none of the groups none".
  if (!forbidden.empty()) who += fmt::format(", in none of the groups {}", namesOrNone(forbidden));
  // Root allowed (not_root: false) is still said, with what it means.
  if (!notRoot && user.uid == 0)
    who +=
        "; root is allowed here: build code runs with full control of this machine (even in a VM "
        "it can spoof packets and change MAC addresses), which its administrator must know";
  return Outcome::pass(who, observed, expected);
}

}  // namespace

ProbeKind userProbe() {
  return probeKind(
      "user", "the user bbcheck runs as: not root, a named user, not in privileged groups",
      {boolParam("not_root", &UserParams::not_root,
                 "fail when running as root (a root builder must be a deliberate choice)"),
       stringParam("name", &UserParams::name, "the running user must be this user"),
       stringParam("worker_user", &UserParams::worker_user,
                   "the worker's user: run as root where it exists, the fix says to run as it"),
       stringListParam(
           "forbid_groups", &UserParams::forbid_groups,
           "groups the user must not be in (held now or listed in the group database)")},
      runUser);
}

}  // namespace bbcheck
