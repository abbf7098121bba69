// Where `--report FMT:PATH` writes (DESIGN.md, "Reports"):
//   -                          stdout
//   /dev/stdout, /dev/fd/N,    that open descriptor, in place
//   /proc/self/fd/N
//   a FIFO, a device, a socket written in place (opened, never replaced)
//   a symlink                  opened by the kernel, which follows it with
//                              its own checks, and written in place; never
//                              resolved by bbcheck, never replaced
//   a regular file (or none)   replaced whole: a temp file created with
//                              O_CREAT|O_EXCL|O_NOFOLLOW in the same
//                              directory, then renamed over it
// Links: bbcheck never does for a link what the kernel would refuse. A link
// in a sticky, world-writable directory (/tmp) that neither the caller nor
// the directory's owner owns is refused, on the path and on every directory
// on the way to it: the rule of Linux's fs.protected_symlinks, applied even
// where that sysctl is off, so that root never writes through a link another
// user planted.
// Every target is checked before the run, so that a report that cannot be
// written is a usage error (exit 2) before any probe runs, not after.
#pragma once

#include <string>

namespace bbcheck {

enum class TargetKind {
  Stdout,       // "-"
  Descriptor,   // an already open file descriptor (/dev/stdout, /dev/fd/N)
  InPlace,      // an existing file that is not a regular file
  ThroughLink,  // a symlink: the kernel opens what it names, written in place
  Replace,      // a regular file, existing or not: atomic replacement
};

struct ResolvedTarget {
  TargetKind kind = TargetKind::Replace;
  std::string path;  // as given: bbcheck never resolves links itself
  int fd = -1;       // Descriptor
};

// How a report will be written to `path`, or throws std::runtime_error
// saying why it cannot be written there (checked for real: a file is created
// and removed in the directory of a regular target).
ResolvedTarget checkReportTarget(const std::string& path);

// Writes `content` to a checked target; throws std::runtime_error naming the
// path and the system's reason.
void writeReportTarget(const ResolvedTarget& target, const std::string& content);

}  // namespace bbcheck
