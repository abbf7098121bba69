// Test helper: a real user in the system's database for the length of a
// test (useradd and userdel, from Debian's passwd package; needs root). The
// one way tests make users: unique names, a retry while another test holds
// the passwd lock, and everything removed again (crontab, user, home).
// Header-only, like in_child.h.
#pragma once

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/test_support.h"

namespace bbcheck::testing {

struct ThrowawayUserOptions {
  std::string prefix = "bbct";              // the name is PREFIX<pid>x<n>
  std::string groups;                       // supplementary groups, comma-separated
  std::string shell = "/usr/sbin/nologin";  // its login shell
  bool home = false;                        // /tmp/NAME-home, mode 0755, owned by it
  bool own_group = false;                   // a primary group of its own name (useradd -U)
};

// The account a Buildbot worker typically runs as: a shell (`runuser` runs
// programs as it), a home of its own and a group of its own.
inline ThrowawayUserOptions workerAccount(const std::string& prefix = "bbw") {
  ThrowawayUserOptions o;
  o.prefix = prefix;
  o.shell = "/bin/sh";
  o.home = true;
  o.own_group = true;
  return o;
}

class ThrowawayUser {
 public:
  // No home, no login shell; `groups` (comma-separated) are its
  // supplementary groups.
  explicit ThrowawayUser(const std::string& groups = "")
      : ThrowawayUser([&] {
          ThrowawayUserOptions o;
          o.groups = groups;
          return o;
        }()) {}

  explicit ThrowawayUser(const ThrowawayUserOptions& options) {
    static int counter = 0;
    name_ = fmt::format("{}{}x{}", options.prefix, ::getpid(), counter++);
    std::vector<std::string> args = {"-M", "-s", options.shell};
    if (options.home) {
      home_ = "/tmp/" + name_ + "-home";
      args.insert(args.end(), {"-d", home_});
    }
    if (options.own_group) args.push_back("-U");
    if (!options.groups.empty()) args.insert(args.end(), {"--groups", options.groups});
    args.push_back(name_);
    retried("userdel", {name_});  // left over from a crashed run with the same pid
    CommandResult r = retried("useradd", args);
    if (r.exit_code != 0) throw std::runtime_error("useradd " + name_ + " failed: " + r.err);
    passwd* pw = ::getpwnam(name_.c_str());
    if (pw == nullptr) throw std::runtime_error("useradd made no passwd entry for " + name_);
    uid_ = pw->pw_uid;
    gid_ = pw->pw_gid;
    if (!home_.empty()) {
      ::mkdir(home_.c_str(), 0755);
      ::chmod(home_.c_str(), 0755);  // the user reaches its build area and programs
      if (::chown(home_.c_str(), uid_, gid_) != 0)
        throw std::runtime_error("cannot chown " + home_);
    }
  }

  ~ThrowawayUser() {
    runCommand("crontab", {"-r", "-u", name_});
    retried("userdel", {name_});
    if (!home_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(home_, ec);
    }
  }
  ThrowawayUser(const ThrowawayUser&) = delete;
  ThrowawayUser& operator=(const ThrowawayUser&) = delete;

  const std::string& name() const { return name_; }
  const std::string& home() const { return home_; }  // "" unless options.home
  int64_t uid() const { return uid_; }
  int64_t gid() const { return gid_; }

  // Becomes this user the way a login does: groups from the database, then
  // gid, then uid. Only for a forked child.
  void become() const {
    if (::initgroups(name_.c_str(), gid_) != 0 || ::setgid(gid_) != 0 || ::setuid(uid_) != 0)
      throw std::runtime_error("cannot become " + name_);
  }

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
  std::string home_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
};

}  // namespace bbcheck::testing
