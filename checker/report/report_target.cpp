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
#include "checker/report/link_rule.h"
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
// file in its directory: try it, the way the report will be written.
void checkDirectory(const std::string& path, const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0)
    throw std::runtime_error(fmt::format("directory {} does not exist", dir));
  if (!S_ISDIR(st.st_mode)) throw std::runtime_error(fmt::format("{} is not a directory", dir));
  std::string kind = pseudoFilesystem(dir);
  if (!kind.empty())
    throw std::runtime_error(
        fmt::format("{} is on {}, a kernel filesystem, not a place for a report", path, kind));
  std::string why = whyNoFileCanBeCreated(dir);
  if (!why.empty()) throw std::runtime_error(why);
}

struct FileCloser {
  int fd;
  ~FileCloser() { ::close(fd); }
};

void writeAll(int fd, const std::string& content, const std::string& path) {
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(fmt::format("cannot write {}: {}", path, errnoText(errno)));
    written += static_cast<size_t>(n);
  }
}

// Opens `path` as the kernel resolves it (following a link with its own
// checks) and writes `content` there. No O_TRUNC at open: a link to the file
// stdout already writes to must not empty it; that file is written through
// stdout instead.
void writeInPlace(const std::string& path, int flags, const std::string& content) {
  // The rule is checked again: the directory may have changed since.
  std::string refused = linkRefusal(path);
  if (!refused.empty()) throw std::runtime_error(refused);
  int fd = ::open(path.c_str(), flags | O_NOCTTY | O_CLOEXEC, 0666);
  if (fd < 0) throw std::runtime_error(fmt::format("cannot open {}: {}", path, errnoText(errno)));
  FileCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    for (int standard : {STDOUT_FILENO, STDERR_FILENO}) {
      struct stat other {};
      if (::fstat(standard, &other) == 0 && other.st_dev == st.st_dev &&
          other.st_ino == st.st_ino) {
        std::fflush(nullptr);
        writeAll(standard, content, path);
        return;
      }
    }
    if (::ftruncate(fd, 0) != 0)
      throw std::runtime_error(fmt::format("cannot write {}: {}", path, errnoText(errno)));
  }
  writeAll(fd, content, path);
}

}  // namespace

ResolvedTarget checkReportTarget(const std::string& path) {
  ResolvedTarget target;
  if (path == "-") {
    target.kind = TargetKind::Stdout;
    return target;
  }
  if (path.empty()) throw std::runtime_error("no file name");
  target.path = path;
  int fd = descriptorOf(path);
  if (fd >= 0) {
    if (::fcntl(fd, F_GETFL) < 0)
      throw std::runtime_error(fmt::format("{}: descriptor {} is not open", path, fd));
    target.kind = TargetKind::Descriptor;
    target.fd = fd;
    return target;
  }
  std::string refused = linkRefusal(path);
  if (!refused.empty()) throw std::runtime_error(refused);
  struct stat link {};
  bool isLink = ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode);
  // stat, not lstat: the kernel follows the link and says what is there.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw std::runtime_error(fmt::format("{} is a directory", path));
    if (!S_ISREG(st.st_mode) || isLink) {
      if (::faccessat(AT_FDCWD, path.c_str(), W_OK, AT_EACCESS) != 0)
        throw std::runtime_error(fmt::format("{} is not writable: {}", path, errnoText(errno)));
      target.kind = S_ISREG(st.st_mode) ? TargetKind::ThroughLink : TargetKind::InPlace;
      return target;
    }
  } else if (isLink && errno == ENOENT) {
    // A dangling link: the kernel creates what it names when the report is
    // written, or says why not then.
    target.kind = TargetKind::ThroughLink;
    return target;
  } else if (errno != ENOENT) {
    throw std::runtime_error(fmt::format("cannot look at {}: {}", path, errnoText(errno)));
  }
  checkDirectory(path, directoryOf(path));
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
    case TargetKind::InPlace:
      // A FIFO waits here for its reader, as a shell's redirection would.
      writeInPlace(target.path, O_WRONLY, content);
      return;
    case TargetKind::ThroughLink:
      writeInPlace(target.path, O_WRONLY | O_CREAT, content);
      return;
    case TargetKind::Replace: {
      // The directories on the way may have changed since the check.
      std::string refused = linkRefusal(target.path);
      if (!refused.empty()) throw std::runtime_error(refused);
      writeFileAtomically(target.path, content);
      return;
    }
  }
}

}  // namespace bbcheck
