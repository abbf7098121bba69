#include "probes/environment/user_exists.h"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>

#include <vector>

#include "probes/net_errors.h"
#include "probes/param_binding.h"

namespace bbcheck {

UserEntry lookUpUser(const std::string& name) {
  UserEntry entry;
  std::vector<char> buffer(16384);
  passwd pw{};
  passwd* found = nullptr;
  int err = ::getpwnam_r(name.c_str(), &pw, buffer.data(), buffer.size(), &found);
  if (found == nullptr) {
    // 0, ENOENT, ESRCH, EBADF, EPERM: "not found" as getpwnam_r reports it.
    if (err != 0 && err != ENOENT && err != ESRCH && err != EBADF && err != EPERM)
      entry.error = fmt::format("looking up user {}: {}", name, errnoText(err));
    return entry;
  }
  entry.found = true;
  entry.uid = static_cast<long>(pw.pw_uid);
  entry.gid = static_cast<long>(pw.pw_gid);
  std::vector<char> groupBuffer(65536);
  group gr{};
  group* groupFound = nullptr;
  ::getgrgid_r(pw.pw_gid, &gr, groupBuffer.data(), groupBuffer.size(), &groupFound);
  if (groupFound != nullptr) {
    entry.group_found = true;
    entry.group = gr.gr_name;
  }
  return entry;
}

namespace {

struct UserExistsParams {
  std::string name = "nobody";
};

Outcome runUserExists(const UserExistsParams& params, const ProbeContext&) {
  const std::string& name = params.name;
  UserEntry e = lookUpUser(name);
  Object observed;
  observed["user"] = name;
  observed["found"] = e.found;
  Object expected;
  expected["user"] = name;
  expected["group"] = true;
  if (!e.error.empty()) return Outcome::error(e.error, observed);
  if (!e.found)
    return Outcome::fail(fmt::format("no user {} in the user database (getpwnam)", name), observed,
                         expected);
  observed["uid"] = e.uid;
  observed["gid"] = e.gid;
  observed["group"] = e.group;
  if (!e.group_found)
    return Outcome::fail(fmt::format("user {} (uid {}) has primary group {}, which is not in the "
                                     "group database (getgrgid)",
                                     name, e.uid, e.gid),
                         observed, expected);
  return Outcome::pass(
      fmt::format("user {} (uid {}), group {} (gid {})", name, e.uid, e.group, e.gid), observed,
      expected);
}

}  // namespace

ProbeKind userExistsProbe() {
  return probeKind("user-exists", "a user and its primary group exist in the user database (NSS)",
                   {stringParam("name", &UserExistsParams::name, "the user name")}, runUserExists);
}

}  // namespace bbcheck
