// Test helper: a real user in the system's database for the length of a
// test (useradd and userdel, from Debian's passwd package; needs root).
// Header-only, like in_child.h.
#pragma once

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/test_support.h"

namespace bbcheck::testing {

// A user named bbct<pid>, with no home and no login shell, removed at the
// end; `groups` (comma-separated) are its supplementary groups.
class ThrowawayUser {
 public:
  explicit ThrowawayUser(const std::string& groups = "")
      : name_("bbct" + std::to_string(::getpid() % 100000)) {
    std::vector<std::string> args = {"--no-create-home", "--shell", "/usr/sbin/nologin"};
    if (!groups.empty()) args.insert(args.end(), {"--groups", groups});
    args.push_back(name_);
    retried("userdel", {name_});  // left over from a crashed run with the same pid
    auto r = retried("useradd", args);
    if (r.exit_code != 0) throw std::runtime_error("useradd failed: " + r.err);
  }
  ~ThrowawayUser() { retried("userdel", {name_}); }
  const std::string& name() const { return name_; }

  // Becomes this user the way a login does: groups from the database, then
  // gid, then uid. Only for a forked child.
  void become() const {
    passwd* pw = ::getpwnam(name_.c_str());
    if (pw == nullptr) throw std::runtime_error("no passwd entry for " + name_);
    if (::initgroups(name_.c_str(), pw->pw_gid) != 0 || ::setgid(pw->pw_gid) != 0 ||
        ::setuid(pw->pw_uid) != 0)
      throw std::runtime_error("cannot become " + name_);
  }
  int64_t uid() const { return ::getpwnam(name_.c_str())->pw_uid; }

 private:
  // Tests running in parallel (ctest -j) may hold the passwd lock briefly.
  static CommandResult retried(const std::string& program, const std::vector<std::string>& args) {
    CommandResult r;
    for (int attempt = 0; attempt < 50; ++attempt) {
      r = runCommand(program, args);
      if (r.exit_code == 0 || r.err.find("lock") == std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return r;
  }

  std::string name_;
};

}  // namespace bbcheck::testing
