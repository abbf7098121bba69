#include "probes/system/disk.h"

#include <fmt/format.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "probes/human.h"
#include "probes/registry.h"

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

Outcome runDisk(const Params& params, const ProbeContext&) {
  std::string path = params.text("path");
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  int64_t min = params.integerOr("min", 0);
  DiskSpace space = measureDiskSpace(path);
  Object observed;
  observed["measured_path"] = space.measured_path;
  observed["path_exists"] = space.path_exists;
  if (!space.error.empty()) return Outcome::error(space.error, observed);
  observed["bytes"] = space.available_bytes;
  observed["filesystem_bytes"] = space.filesystem_bytes;
  Object expected;
  expected["min_bytes"] = min;

  // "~/buildarea does not exist yet; measured /root: 80.1 GiB free"
  std::string free =
      space.path_exists
          ? fmt::format("{} free at {}", humanBytes(space.available_bytes), tildePath(path))
          : fmt::format("{} does not exist yet; measured {}: {} free", tildePath(path),
                        space.measured_path, humanBytes(space.available_bytes));
  if (space.available_bytes >= min) {
    if (min == 0) return Outcome::pass(free, observed, expected);
    return Outcome::pass(fmt::format("{} (need {})", free, humanLimit(min)), observed, expected);
  }
  return Outcome::fail(
      fmt::format("{}, need {} ({} < {} bytes; filesystem size {})", free, humanLimit(min),
                  space.available_bytes, min, humanBytes(space.filesystem_bytes)),
      observed, expected);
}

const bool registered = registerProbe(
    {"disk",
     "free space a non-root user may use at a path (or its nearest existing parent)",
     {{"path",
       ParamType::Path,
       true,
       "",
       {},
       "directory to measure; when it does not exist yet its nearest existing parent is measured"},
      {"min", ParamType::Size, false, "0", {}, "least free space that passes, e.g. 30GB"}},
     runDisk});

}  // namespace
}  // namespace bbcheck
