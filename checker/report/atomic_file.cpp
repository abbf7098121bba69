#include "checker/report/atomic_file.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "probes/text.h"

namespace bbcheck {
namespace {}  // namespace

std::string whyNotWritable(const std::string& path) {
  if (path.empty()) return "no file name";
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return "it is a directory";
  std::string dir = directoryOf(path);
  if (::stat(dir.c_str(), &st) != 0) return fmt::format("directory {} does not exist", dir);
  if (!S_ISDIR(st.st_mode)) return fmt::format("{} is not a directory", dir);
  if (::access(dir.c_str(), W_OK) != 0) return fmt::format("directory {} is not writable", dir);
  return "";
}

void writeFileAtomically(const std::string& path, const std::string& content) {
  std::string temp = path + ".tmp.XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0)
    throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(err)));
    }
    written += static_cast<size_t>(n);
  }
  // mkstemp makes the file 0600; give it what a plain create would.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(err)));
  }
}

}  // namespace bbcheck
