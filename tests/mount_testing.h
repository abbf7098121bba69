// Test helpers for building an unfit host in a forked child (see
// in_child.h): a private mount namespace in which files and directories
// are covered by tmpfs mounts or bind mounts, leaving the real machine as
// it is. Header only: nothing here is linked into bbcheck.
#pragma once

#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

namespace bbcheck::testing {

// Call first in the child: later mounts are seen by this process only.
inline void enterPrivateMountNamespace() {
  if (::unshare(CLONE_NEWNS) != 0)
    throw std::runtime_error(std::string("unshare(CLONE_NEWNS): ") + std::strerror(errno));
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    throw std::runtime_error("could not make the mount namespace private");
}

// A fresh tmpfs over `target` with mount `options` ("size=1m,nr_inodes=8")
// and extra `flags` (MS_RDONLY).
inline void mountTmpfs(const std::string& target, const std::string& options = "",
                       unsigned long flags = 0) {
  if (::mount("tmpfs", target.c_str(), "tmpfs", flags, options.c_str()) != 0)
    throw std::runtime_error("mount tmpfs on " + target + ": " + std::strerror(errno));
}

// Replaces the file `target` by one holding `text` (a bind mount of a file
// the child wrote; the file is unlinked at once, the mount keeps it).
inline void replaceFile(const std::string& target, const std::string& text) {
  std::string path = "/tmp/bbcheck-file-" + std::to_string(::getpid()) + "-" +
                     std::to_string(reinterpret_cast<uintptr_t>(&text));
  std::ofstream(path) << text;
  int rc = ::mount(path.c_str(), target.c_str(), nullptr, MS_BIND, nullptr);
  int err = errno;
  ::unlink(path.c_str());
  if (rc != 0) throw std::runtime_error("bind mount over " + target + ": " + std::strerror(err));
}

}  // namespace bbcheck::testing
