// Which mount a path lives on and with what options, from
// /proc/self/mountinfo: the cause to name when a program the worker's build
// makes cannot run there ("noexec on the mount at /srv") or a file cannot be
// created ("ro").
#pragma once

#include <string>
#include <vector>

namespace bbcheck {

struct MountOf {
  bool found = false;
  std::string mount_point;           // "/srv/build"
  std::string filesystem;            // "tmpfs", "ext4"
  std::vector<std::string> options;  // the mount's own options ("rw", "noexec", ...)
};

// The mount holding `path` (resolved with realpath; a path that does not
// exist is looked up through its nearest existing parent). `mountinfo` is
// the text of /proc/self/mountinfo; empty reads this process's.
MountOf mountOf(const std::string& path, const std::string& mountinfo = "");

// "`noexec` on the mount at /srv (tmpfs, from /proc/self/mountinfo)" when
// the mount holding `path` forbids executing, else "".
std::string noexecCause(const std::string& path);

// The same for a read-only mount ("`ro` on the mount at ...").
std::string readOnlyCause(const std::string& path);

}  // namespace bbcheck
