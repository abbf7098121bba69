#pragma once

#include <cstdint>
#include <string>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "disk": free space and inodes at a path this user can write.
ProbeKind diskProbe();

struct DiskSpace {
  std::string measured_path;  // `path`, or its nearest existing ancestor
  bool path_exists = false;
  int64_t available_bytes = -1;   // f_bavail * f_frsize: what a non-root user may fill
  int64_t filesystem_bytes = -1;  // f_blocks * f_frsize
  int64_t free_inodes = -1;       // f_favail: files a non-root user may still create
  int64_t total_inodes = -1;      // f_files; 0 where the filesystem has no inode limit (btrfs)
  bool read_only = false;         // mounted read-only (ST_RDONLY)
  std::string not_writable;       // why this user cannot create files at measured_path ("")
  std::string error;              // non-empty: could not measure (and why)
};

// Free space at `path`. A path that does not exist yet (a build area about to
// be created) is measured at its nearest existing ancestor, which is where
// its files will land. Relative paths are taken from the working directory.
// Also says whether the calling user may create files there (permissions,
// ACLs, a read-only mount) and how many inodes are left.
DiskSpace measureDiskSpace(const std::string& path);

}  // namespace bbcheck
