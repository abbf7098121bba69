// Who the worker runs as, and what that user may really do with a path: the
// build area, buildbot.tac, the program a boot entry starts. Judged from
// mode bits, owners and the user's groups (as the kernel does for a process
// of that user), so that bbcheck run as root still tells what the worker's
// user will get. POSIX ACLs are reported, not evaluated (hasAcl).
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace bbcheck {

struct Account {
  std::string name;  // "uid 1234" when the passwd database has no entry
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // primary and supplementary
  std::string home;
};

std::optional<Account> accountByName(const std::string& name);
Account accountByUid(uid_t uid);  // a nameless uid still yields an Account

// The user the worker of `area` runs as: `explicitUser` when given; else the
// user running bbcheck when that is not root (the devguide runs bbcheck as
// the worker's user); else, for root, the owner of the build area (who ran
// create-worker), root itself when the area is root's or missing.
// nullopt only when `explicitUser` names no user.
std::optional<Account> workerAccount(const std::string& area, const std::string& explicitUser);

// Access of `who` to a file of this stat by mode bits: mask of R_OK, W_OK,
// X_OK. Root may read and write anything and execute what has any x bit.
bool mayAccess(const struct stat& st, const Account& who, int mask);

// Whether `who` can reach `path` and use it with `mask`: every parent
// directory searchable, then the path itself. Returns "" when it can, else
// the reason naming the path that stops it ("/home/bob is mode 0700, owned
// by bob"). A path that does not exist is a reason too.
std::string accessProblem(const std::string& path, const Account& who, int mask);

// True when the path carries a POSIX ACL (system.posix_acl_access).
bool hasAcl(const std::string& path);

// The user's name for messages and fixes, e.g. "bob".
std::string userNameOf(uid_t uid);

}  // namespace bbcheck
