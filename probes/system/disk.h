#pragma once

#include <cstdint>
#include <string>

namespace bbcheck {

struct DiskSpace {
  std::string measured_path;  // `path`, or its nearest existing ancestor
  bool path_exists = false;
  int64_t available_bytes = -1;   // f_bavail * f_frsize: what a non-root user may fill
  int64_t filesystem_bytes = -1;  // f_blocks * f_frsize
  std::string error;              // non-empty: could not measure (and why)
};

// Free space at `path`. A path that does not exist yet (a build area about to
// be created) is measured at its nearest existing ancestor, which is where
// its files will land. Relative paths are taken from the working directory.
DiskSpace measureDiskSpace(const std::string& path);

}  // namespace bbcheck
