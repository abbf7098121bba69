#include "probes/worker/worker_user.h"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bbcheck {
namespace {

std::string octal(mode_t mode) {
  return fmt::format("{:04o}", mode & 07777);
}

Account fromPasswd(const passwd& pw) {
  Account a;
  a.name = pw.pw_name;
  a.uid = pw.pw_uid;
  a.gid = pw.pw_gid;
  a.home = pw.pw_dir ? pw.pw_dir : "";
  int n = 32;
  std::vector<gid_t> listed(static_cast<size_t>(n));
  while (::getgrouplist(pw.pw_name, pw.pw_gid, listed.data(), &n) < 0) {
    listed.resize(static_cast<size_t>(n) * 2);
    n = static_cast<int>(listed.size());
  }
  listed.resize(static_cast<size_t>(n));
  a.groups = listed;
  if (std::find(a.groups.begin(), a.groups.end(), a.gid) == a.groups.end()) {
    a.groups.push_back(a.gid);
  }
  return a;
}

}  // namespace

std::optional<Account> accountByName(const std::string& name) {
  if (passwd* pw = ::getpwnam(name.c_str())) return fromPasswd(*pw);
  return std::nullopt;
}

Account accountByUid(uid_t uid) {
  if (passwd* pw = ::getpwuid(uid)) return fromPasswd(*pw);
  Account a;
  a.name = "uid " + std::to_string(uid);
  a.uid = uid;
  a.gid = static_cast<gid_t>(-1);
  return a;
}

std::string userNameOf(uid_t uid) {
  if (passwd* pw = ::getpwuid(uid)) return pw->pw_name;
  return "uid " + std::to_string(uid);
}

std::optional<Account> workerAccount(const std::string& area, const std::string& explicitUser) {
  if (!explicitUser.empty()) return accountByName(explicitUser);
  uid_t me = ::geteuid();
  if (me != 0) return accountByUid(me);
  struct stat st;
  if (::stat(area.c_str(), &st) == 0) return accountByUid(st.st_uid);
  return accountByUid(0);
}

bool mayAccess(const struct stat& st, const Account& who, int mask) {
  if (who.uid == 0) {
    if ((mask & X_OK) && !S_ISDIR(st.st_mode) && (st.st_mode & 0111) == 0) return false;
    return true;
  }
  mode_t bits;  // the rwx triplet that applies, as the kernel picks it
  if (st.st_uid == who.uid) {
    bits = (st.st_mode >> 6) & 7;
  } else if (std::find(who.groups.begin(), who.groups.end(), st.st_gid) != who.groups.end()) {
    bits = (st.st_mode >> 3) & 7;
  } else {
    bits = st.st_mode & 7;
  }
  if ((mask & R_OK) && !(bits & 4)) return false;
  if ((mask & W_OK) && !(bits & 2)) return false;
  if ((mask & X_OK) && !(bits & 1)) return false;
  return true;
}

std::string accessProblem(const std::string& path, const Account& who, int mask) {
  // Every directory on the way must be searchable (x) by `who`.
  std::string prefix;
  size_t pos = 0;
  while ((pos = path.find('/', pos + 1)) != std::string::npos) {
    prefix = path.substr(0, pos);
    struct stat st;
    if (::stat(prefix.c_str(), &st) != 0) {
      return fmt::format("{}: {}", prefix, std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode) && !mayAccess(st, who, X_OK)) {
      return fmt::format("{} (mode {}, owner {}) does not let {} through", prefix,
                         octal(st.st_mode), userNameOf(st.st_uid), who.name);
    }
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return fmt::format("{}: {}", path, std::strerror(errno));
  if (!mayAccess(st, who, mask)) {
    std::string what = mask == R_OK            ? "read"
                       : mask == W_OK          ? "write"
                       : mask == X_OK          ? "execute"
                       : mask == (R_OK | W_OK) ? "read and write"
                                               : "use";
    return fmt::format("{} (mode {}, owner {}) does not let {} {} it", path, octal(st.st_mode),
                       userNameOf(st.st_uid), who.name, what);
  }
  return "";
}

}  // namespace bbcheck
