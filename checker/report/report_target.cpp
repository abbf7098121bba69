#include "checker/report/report_target.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "checker/report/atomic_file.h"
#include "probes/net_errors.h"
#include "probes/text.h"

namespace bbcheck {
namespace {

// "/dev/stdout" and friends name a descriptor bbcheck already has; opening
// them anew would truncate a file stdout is redirected to.
int descriptorOf(const std::string& path) {
  if (path == "/dev/stdout") return STDOUT_FILENO;
  if (path == "/dev/stderr") return STDERR_FILENO;
  for (const char* prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    std::string p = prefix;
    if (path.compare(0, p.size(), p) != 0) continue;
    std::string number = path.substr(p.size());
    if (number.empty() || number.size() > 6 ||
        number.find_first_not_of("0123456789") != std::string::npos)
      return -1;
    return std::atoi(number.c_str());
  }
  return -1;
}

// Follows symlinks (each one relative to the directory of the link) to the
// path they end at, which may not exist yet.
std::string followLinks(const std::string& path) {
  std::string current = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(current.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return current;
    std::string link(4096, '\0');
    ssize_t n = ::readlink(current.c_str(), link.data(), link.size());
    if (n < 0)
      throw std::runtime_error(
          fmt::format("cannot read symlink {}: {}", current, errnoText(errno)));
    link.resize(static_cast<size_t>(n));
    current = link.front() == '/' ? link : directoryOf(current) + "/" + link;
    if (descriptorOf(current) >= 0) return current;
  }
  throw std::runtime_error(fmt::format("{}: too many levels of symbolic links", path));
}

// Kernel filesystems hold no reports: a rename there fails, or worse.
std::string pseudoFilesystem(const std::string& dir) {
  struct statfs fs {};
  if (::statfs(dir.c_str(), &fs) != 0) return "";
  switch (static_cast<unsigned long>(fs.f_type)) {
    case PROC_SUPER_MAGIC:
      return "procfs (/proc)";
    case SYSFS_MAGIC:
      return "sysfs (/sys)";
    case CGROUP_SUPER_MAGIC:
    case CGROUP2_SUPER_MAGIC:
      return "cgroupfs";
    case DEBUGFS_MAGIC:
      return "debugfs";
    case SECURITYFS_MAGIC:
      return "securityfs";
    default:
      return "";
  }
}

// A regular target is replaced by rename, so what must work is creating a
// file in its directory: try it.
void checkDirectory(const std::string& path, const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0)
    throw std::runtime_error(fmt::format("directory {} does not exist", dir));
  if (!S_ISDIR(st.st_mode)) throw std::runtime_error(fmt::format("{} is not a directory", dir));
  std::string kind = pseudoFilesystem(dir);
  if (!kind.empty())
    throw std::runtime_error(
        fmt::format("{} is on {}, a kernel filesystem, not a place for a report", path, kind));
  std::string probe = dir + "/.bbcheck-write-test.XXXXXX";
  int fd = ::mkstemp(probe.data());
  if (fd < 0)
    throw std::runtime_error(fmt::format("cannot create a file in {}: {}", dir, errnoText(errno)));
  ::close(fd);
  ::unlink(probe.c_str());
}

void writeAll(int fd, const std::string& content, const std::string& path) {
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(fmt::format("cannot write {}: {}", path, errnoText(errno)));
    written += static_cast<size_t>(n);
  }
}

}  // namespace

ResolvedTarget checkReportTarget(const std::string& path) {
  ResolvedTarget target;
  if (path == "-") {
    target.kind = TargetKind::Stdout;
    return target;
  }
  if (path.empty()) throw std::runtime_error("no file name");
  std::string resolved = followLinks(path);
  target.path = resolved;
  int fd = descriptorOf(resolved);
  if (fd >= 0) {
    if (::fcntl(fd, F_GETFL) < 0)
      throw std::runtime_error(fmt::format("{}: descriptor {} is not open", path, fd));
    target.kind = TargetKind::Descriptor;
    target.fd = fd;
    return target;
  }
  struct stat st {};
  if (::stat(resolved.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw std::runtime_error(fmt::format("{} is a directory", path));
    if (!S_ISREG(st.st_mode)) {
      if (::access(resolved.c_str(), W_OK) != 0)
        throw std::runtime_error(fmt::format("{} is not writable: {}", path, errnoText(errno)));
      target.kind = TargetKind::InPlace;
      return target;
    }
  } else if (errno != ENOENT) {
    throw std::runtime_error(fmt::format("cannot look at {}: {}", path, errnoText(errno)));
  }
  checkDirectory(path, directoryOf(resolved));
  target.kind = TargetKind::Replace;
  return target;
}

void writeReportTarget(const ResolvedTarget& target, const std::string& content) {
  switch (target.kind) {
    case TargetKind::Stdout:
      std::fflush(stdout);
      writeAll(STDOUT_FILENO, content, "stdout");
      return;
    case TargetKind::Descriptor:
      std::fflush(nullptr);
      writeAll(target.fd, content, target.path);
      return;
    case TargetKind::InPlace: {
      // A FIFO waits here for its reader, as a shell's redirection would.
      int fd = ::open(target.path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
      if (fd < 0)
        throw std::runtime_error(fmt::format("cannot open {}: {}", target.path, errnoText(errno)));
      try {
        writeAll(fd, content, target.path);
      } catch (...) {
        ::close(fd);
        throw;
      }
      ::close(fd);
      return;
    }
    case TargetKind::Replace:
      writeFileAtomically(target.path, content);
      return;
  }
}

}  // namespace bbcheck
