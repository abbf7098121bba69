// Where `--report FMT:PATH` writes (DESIGN.md, "Reports"):
//   -                          stdout
//   /dev/stdout, /dev/fd/N,    that open descriptor, in place
//   /proc/self/fd/N
//   a FIFO, a device, a socket written in place (opened, never replaced)
//   a symlink                  followed to what it names, never replaced
//   a regular file (or none)   replaced whole: a temp file in the same
//                              directory, then rename
// Every target is checked before the run, so that a report that cannot be
// written is a usage error (exit 2) before any probe runs, not after.
#pragma once

#include <string>

namespace bbcheck {

enum class TargetKind {
  Stdout,      // "-"
  Descriptor,  // an already open file descriptor (/dev/stdout, /dev/fd/N)
  InPlace,     // an existing file that is not a regular file
  Replace,     // a regular file, existing or not: atomic replacement
};

struct ResolvedTarget {
  TargetKind kind = TargetKind::Replace;
  std::string path;  // after following symlinks (Replace, InPlace)
  int fd = -1;       // Descriptor
};

// What `path` names once symlinks are followed, or throws std::runtime_error
// saying why a report cannot be written there (checked for real: a probe
// file is created and removed in the directory of a regular target).
ResolvedTarget checkReportTarget(const std::string& path);

// Writes `content` to a checked target; throws std::runtime_error naming the
// path and the system's reason.
void writeReportTarget(const ResolvedTarget& target, const std::string& content);

}  // namespace bbcheck
