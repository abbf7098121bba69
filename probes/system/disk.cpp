#include "probes/system/disk.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <pwd.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "probes/human.h"
#include "probes/param_binding.h"

namespace bbcheck {
namespace {

std::string absolutePath(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  char cwd[4096];
  if (::getcwd(cwd, sizeof cwd) == nullptr) return path;
  return path.empty() ? cwd : std::string(cwd) + "/" + path;
}

// "/a/b/" -> "/a", "/a" -> "/", "/" -> "/".
std::string parentOf(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.rfind('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return p.substr(0, slash);
}

}  // namespace

DiskSpace measureDiskSpace(const std::string& path) {
  DiskSpace space;
  std::string candidate = absolutePath(path);
  while (candidate.size() > 1 && candidate.back() == '/') candidate.pop_back();
  space.path_exists = true;
  while (true) {
    struct statvfs vfs {};
    if (::statvfs(candidate.c_str(), &vfs) == 0) {
      space.measured_path = candidate;
      space.available_bytes =
          static_cast<int64_t>(vfs.f_bavail) * static_cast<int64_t>(vfs.f_frsize);
      space.filesystem_bytes =
          static_cast<int64_t>(vfs.f_blocks) * static_cast<int64_t>(vfs.f_frsize);
      space.free_inodes = static_cast<int64_t>(vfs.f_favail);
      space.total_inodes = static_cast<int64_t>(vfs.f_files);
      space.read_only = (vfs.f_flag & ST_RDONLY) != 0;
      // The effective ids, as the worker's process will create its files;
      // access() also answers EROFS for a read-only mount, even for root.
      if (::faccessat(AT_FDCWD, candidate.c_str(), W_OK | X_OK, AT_EACCESS) != 0)
        space.not_writable = std::strerror(errno);
      return space;
    }
    int err = errno;
    // ENOTDIR: a component is a file; keep walking up to what exists.
    if ((err != ENOENT && err != ENOTDIR) || candidate == "/") {
      space.measured_path = candidate;
      space.error = fmt::format("cannot measure {}: {}", candidate, std::strerror(err));
      return space;
    }
    space.path_exists = false;
    candidate = parentOf(candidate);
  }
}

namespace {

// "buildbot" (or "uid 1001" when the user database does not say).
std::string currentUserName() {
  passwd* pw = ::getpwuid(::geteuid());
  return pw != nullptr ? pw->pw_name : fmt::format("uid {}", ::geteuid());
}

// What the build area's filesystem lacks besides bytes: a place this user
// may write, and inodes (a tmpfs with nr_inodes used up is "full" with
// gigabytes free). Empty when nothing.
std::vector<std::string> otherProblems(const DiskSpace& space, int64_t minInodes) {
  std::vector<std::string> problems;
  if (space.read_only) {
    problems.push_back(fmt::format("{} is on a read-only filesystem", space.measured_path));
  } else if (!space.not_writable.empty()) {
    problems.push_back(fmt::format("{} cannot create files in {} ({})", currentUserName(),
                                   space.measured_path, space.not_writable));
  }
  // f_files == 0: no inode limit at all (btrfs, some network filesystems).
  if (space.total_inodes > 0 && space.free_inodes < minInodes) {
    problems.push_back(fmt::format("only {} free inodes (files) left of {}, need {}",
                                   space.free_inodes, space.total_inodes, minInodes));
  }
  return problems;
}

struct DiskParams {
  std::string path;
  int64_t min = 0;  // bytes
  int64_t min_inodes = 1;
};

Outcome runDisk(const DiskParams& params, const ProbeContext&) {
  std::string path = params.path;
  if (path.empty())
    return Outcome::error("the path is empty (an unset variable?): nothing to measure");
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  int64_t min = params.min;
  int64_t minInodes = params.min_inodes;
  DiskSpace space = measureDiskSpace(path);
  Object observed;
  observed["measured_path"] = space.measured_path;
  observed["path_exists"] = space.path_exists;
  if (!space.error.empty()) return Outcome::error(space.error, observed);
  observed["bytes"] = space.available_bytes;
  observed["filesystem_bytes"] = space.filesystem_bytes;
  observed["free_inodes"] = space.free_inodes;
  observed["total_inodes"] = space.total_inodes;
  observed["read_only"] = space.read_only;
  observed["writable"] = space.not_writable.empty() && !space.read_only;
  Object expected;
  expected["min_bytes"] = min;
  expected["min_inodes"] = minInodes;
  expected["writable"] = true;

  // "~/buildarea does not exist yet; measured /root: 80.1 GiB free"
  std::string free =
      space.path_exists
          ? fmt::format("{} free at {}", humanBytes(space.available_bytes), tildePath(path))
          : fmt::format("{} does not exist yet; measured {}: {} free", tildePath(path),
                        space.measured_path, humanBytes(space.available_bytes));
  std::vector<std::string> problems = otherProblems(space, minInodes);
  if (space.available_bytes < min) {
    problems.insert(problems.begin(), fmt::format("{}, need {} ({} < {} bytes; filesystem size {})",
                                                  free, humanLimit(min), space.available_bytes, min,
                                                  humanBytes(space.filesystem_bytes)));
  } else if (!problems.empty()) {
    problems.insert(problems.begin(), free);
  }
  if (!problems.empty())
    return Outcome::fail(fmt::format("{}", fmt::join(problems, "; ")), observed, expected);
  if (min == 0) return Outcome::pass(free, observed, expected);
  return Outcome::pass(fmt::format("{} (need {})", free, humanLimit(min)), observed, expected);
}

}  // namespace

ProbeKind diskProbe() {
  return probeKind(
      "disk",
      "free space and inodes a non-root user may use at a path (or its nearest existing parent), "
      "which this user must be able to write",
      {pathParam("path", &DiskParams::path,
                 "directory to measure; when it does not exist yet its nearest existing parent is "
                 "measured")
           .required(),
       sizeParam("min", &DiskParams::min, "least free space that passes, e.g. 30GB"),
       intParam("min_inodes", &DiskParams::min_inodes,
                "fewest free inodes (files that may still be created) that pass; ignored where the "
                "filesystem has no inode limit")
           .atLeast(0)},
      runDisk);
}

}  // namespace bbcheck
